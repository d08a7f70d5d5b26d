"""A synthetic archive for load tests: stories over years and sections, with
bylines, tags, organizations, people and events in newsroom-like proportions.

Only adds rows (every slug it makes carries this run's token), so it never
touches the seed stories or anything an editor wrote. Bulk inserts, each story
with its search fields.
"""

import datetime
import itertools
import multiprocessing
import os
import random
import secrets
import time
import unicodedata
from collections.abc import Iterator

from django.core.management.base import BaseCommand
from django.db import connection, connections, transaction
from django.utils import timezone

from articles import search
from articles.models import (
    Article,
    Author,
    Byline,
    Country,
    Event,
    Organization,
    Outcome,
    Participant,
    Person,
    Section,
    Tag,
    TaggedArticle,
)
from articles.slugs import vi_slugify

COUNTRIES = {
    "VN": "Việt Nam", "US": "Hoa Kỳ", "JP": "Nhật Bản", "KR": "Hàn Quốc", "SG": "Singapore",
    "FR": "Pháp", "DE": "Đức",
}  # fmt: skip
SECTIONS = ["Thời sự", "Kinh tế", "Thế giới", "Công nghệ", "Văn hoá", "Giáo dục", "Sức khoẻ"]
SYLLABLES = (  # noqa: SIM905
    "phát triển kinh tế đầu tư hợp tác chiến lược năng lượng hạ tầng số công nghệ giáo dục "
    "y tế văn hoá du lịch nông nghiệp xuất khẩu thị trường doanh nghiệp chính sách đổi mới "
    "sáng tạo bền vững an ninh quốc phòng ngoại giao hội nhập khu vực toàn cầu chuyển đổi "
    "đường sắt cảng biển sân bay điện gió mặt trời vệ tinh viễn thông tài chính ngân hàng "
    "thương mại dịch vụ lao động việc làm môi trường khí hậu nước sạch đô thị nông thôn"
).split()
ONSETS = "b c ch d đ g gi h kh l m n ng nh ph qu r s t th tr v x".split()  # noqa: SIM905
RHYMES = (  # noqa: SIM905
    "a ai an ang anh ao at ay ăn ăng âm ân âu ây e em en eo ê êm ên êu i im in inh it iêu iên "
    "o oa oai oan oang oi om on ong ô ôi ôm ông ơ ơi ơn u ui um un ung ut uy uyên "
    "ư ưa ưng ươi ương ươc"
).split()
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # level, huyền, sắc, hỏi, ngã, nặng
VOWELS = "aăâeêioôơuưy"


def with_tone(syllable: str, tone: str) -> str:
    """Put a tone mark where Vietnamese puts it: on ă â ê ô ơ ư when there is one,
    else on the last vowel before a final consonant, else on the first of two vowels."""
    vowels = [i for i, c in enumerate(syllable) if c in VOWELS]
    if not vowels or not tone:
        return syllable
    marked = [i for i in vowels if syllable[i] in "ăâêôơư"]
    if marked:
        at = marked[-1]
    elif vowels[-1] < len(syllable) - 1 or len(vowels) == 1:
        at = vowels[-1]
    else:
        at = vowels[-2]
    return unicodedata.normalize("NFC", syllable[: at + 1] + tone + syllable[at + 1 :])


# A few thousand syllables after the newsroom's own words, drawn with Zipf's law
# so that, as in real text, a handful are everywhere and most are rare.
VOCABULARY = list(
    dict.fromkeys(
        [
            *SYLLABLES,
            *(
                with_tone(onset + rhyme, tone)
                for tone, rhyme, onset in itertools.product(TONES, RHYMES, ONSETS)
            ),
        ]
    )
)
ZIPF = list(itertools.accumulate(1 / rank for rank in range(1, len(VOCABULARY) + 1)))
SURNAMES = "Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý".split()  # noqa: SIM905
MIDDLE = "Văn Thị Hữu Đức Minh Thanh Quốc Hồng Ngọc Gia Xuân Thu".split()  # noqa: SIM905
GIVEN = (  # noqa: SIM905
    "An Bình Châu Dũng Giang Hà Hải Hiền Hùng Khoa Lan Linh Long Mai Nam Phúc Quân Tâm Thảo "
    "Trang Tuấn Việt Yến"
).split()
# What a story names, from which pool, at most how many.
LINKS = (
    ("countries", "countries", 2),
    ("organizations", "orgs", 3),
    ("people", "people", 3),
    ("events", "events", 1),
)
# What a story's search document names.
NAMED = ("tags", "countries", "organizations", "people", "authors")
ORG_KINDS = ["Tập đoàn", "Công ty", "Bộ", "Tổng công ty", "Ngân hàng", "Viện", "Hiệp hội"]


_loading = None  # (command, sections, entities), for the processes that load batches


def _make_batch(batch: tuple[int, int]) -> int:
    command, sections, entities = _loading
    return command.make_batch(batch, sections, entities)


class Command(BaseCommand):
    help = "Add a synthetic archive of N stories (and their people, organizations, events, tags)."

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1, help="random seed, for repeatable data")
        parser.add_argument("--batch-size", type=int, default=2000)
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="processes loading batches at once (PostgreSQL, outside a transaction; "
            "otherwise one)",
        )

    def handle(self, *args, stories: int, seed: int, batch_size: int, jobs: int, **options):
        self.rng, self.seed = random.Random(seed), seed
        self.run = secrets.token_hex(3)
        started = time.monotonic()
        with transaction.atomic():
            sections = [Section.objects.get_or_create(name=n, defaults={"position": i})[0]
                        for i, n in enumerate(SECTIONS)]  # fmt: skip
            entities = self.make_entities(stories)
        batches = [
            (start, min(batch_size, stories - start)) for start in range(0, stories, batch_size)
        ]
        # Other processes would not see rows of a transaction still open (the caller's).
        parallel = connection.vendor == "postgresql" and not connection.in_atomic_block
        jobs = max(1, min(jobs, len(batches))) if parallel else 1
        done = 0
        for count in self.load(batches, sections, entities, jobs):
            done += count
            self.stdout.write(f"  {done} stories ({time.monotonic() - started:.0f} s)")
        seconds = time.monotonic() - started
        self.stdout.write(f"Added {stories} stories, indexed for search, in {seconds:.0f} s.")

    def load(self, batches, sections, entities, jobs: int) -> Iterator[int]:
        """Each batch in a transaction of its own; with ``jobs`` > 1, in that many
        processes (forked: they share what was made so far), each with its own
        connection, so that the database builds one batch's search vectors and
        indexes while the next is drawn."""
        if jobs == 1:
            for batch in batches:
                yield self.make_batch(batch, sections, entities)
            return
        global _loading
        _loading = (self, sections, entities)
        connections.close_all()  # each process opens its own
        with multiprocessing.get_context("fork").Pool(jobs) as pool:
            yield from pool.imap_unordered(_make_batch, batches)

    def make_batch(self, batch: tuple[int, int], sections, entities) -> int:
        start, count = batch
        # Drawn from the run's seed and the batch, whichever process draws it.
        self.rng = random.Random(f"{self.seed}:{start}")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Index entries for the search vectors go to GIN's pending list and
                # are merged in bulk, not one story at a time (this connection only).
                cursor.execute("SET gin_pending_list_limit = '64MB'")
        with transaction.atomic():
            self.make_stories(count, start, sections, entities)
        return count

    # -- words

    def words(self, low: int, high: int) -> str:
        count = self.rng.randint(low, high)
        return " ".join(self.rng.choices(VOCABULARY, cum_weights=ZIPF, k=count))

    def sentence(self) -> str:
        text = self.words(12, 28)
        return text[0].upper() + text[1:] + "."

    def person_name(self) -> str:
        return " ".join(
            (self.rng.choice(SURNAMES), self.rng.choice(MIDDLE), self.rng.choice(GIVEN))
        )

    def slug(self, text: str, n: int) -> str:
        return f"{vi_slugify(text)[:200]}-{self.run}{n}"

    # -- the things stories name: roughly one per 50 to 250 stories each

    def make_entities(self, stories: int) -> dict:
        rng = self.rng
        n_orgs, n_people = max(20, stories // 100), max(40, stories // 50)
        n_tags, n_trips = max(30, stories // 150), max(10, stories // 250)
        countries = {
            code: Country.objects.get_or_create(
                code=code, defaults={"name": name, "slug": self.slug(name, 0)}
            )[0]
            for code, name in COUNTRIES.items()
        }
        orgs = Organization.objects.bulk_create(
            Organization(
                name=(name := f"{rng.choice(ORG_KINDS)} {self.words(1, 3).title()}"),
                slug=self.slug(name, i),
                kind=rng.choice(Organization.Kind.values),
                country=countries[rng.choice(["VN", "VN", "VN", "US", "JP", "KR", "SG", "FR"])],
            )
            for i in range(n_orgs)
        )
        people = Person.objects.bulk_create(
            Person(
                name=(name := self.person_name()),
                slug=self.slug(name, i),
                title=rng.choice(
                    ["Bộ trưởng", "Chủ tịch", "Giám đốc", "Phó Chủ tịch", "Chuyên gia"]
                ),
                organization=rng.choice(orgs),
            )
            for i in range(n_people)
        )
        authors = Author.objects.bulk_create(
            Author(name=(name := self.person_name()), slug=self.slug(name, i))
            for i in range(max(10, stories // 1500))
        )
        tags = Tag.objects.bulk_create(
            Tag(name=(name := f"{self.words(1, 3)} {self.run}{i}"), slug=self.slug(name, i))
            for i in range(n_tags)
        )
        today = timezone.localdate()
        trips = Event.objects.bulk_create(
            Event(
                title=(title := f"Chuyến công tác {self.words(2, 4)}"),
                slug=self.slug(title, i),
                kind=Event.Kind.WORKING_TRIP,
                start_date=today - datetime.timedelta(days=rng.randint(0, 5 * 365)),
                country=countries[rng.choice(["US", "JP", "KR", "FR", "DE"])],
            )
            for i in range(n_trips)
        )
        meetings = Event.objects.bulk_create(
            Event(
                title=(title := f"Cuộc gặp {self.words(2, 4)}"),
                slug=self.slug(title, i),
                kind=Event.Kind.BILATERAL_MEETING,
                start_date=(trip := trips[i % len(trips)]).start_date,
                country=trip.country,
                parent=trip,
            )
            for i in range(n_trips * 3)
        )
        Participant.objects.bulk_create(
            Participant(event=event, person=person, organization=person.organization, side=side)
            for event in meetings
            for side, person in enumerate(rng.sample(people, 2), start=1)
        )
        Outcome.objects.bulk_create(
            Outcome(
                event=event,
                position=position,
                description=self.sentence(),
                kind=rng.choice(Outcome.Kind.values),
                status=rng.choice(Outcome.Status.values),
                stated_on=event.start_date,
                actor_organization=rng.choice(orgs),
                counterpart_country=countries["VN"],
                **(
                    {"amount": rng.randint(1, 500) * 10**6, "currency": "USD"}
                    if position == 0
                    else {}
                ),
            )
            for event in meetings
            for position in range(rng.randint(0, 3))
        )
        return {"orgs": orgs, "people": people, "authors": authors, "tags": tags,
                "events": trips + meetings, "countries": list(countries.values())}  # fmt: skip

    # -- stories

    def make_stories(self, count: int, offset: int, sections, entities) -> None:
        """One batch: what each story names is drawn first, so that its search
        fields are written with it (``search.fields``), not by a second pass."""
        rng, now = self.rng, timezone.now()
        statuses = [Article.Status.PUBLISHED] * 96 + [
            Article.Status.DRAFT, Article.Status.DRAFT, Article.Status.REVIEW,
            Article.Status.ARCHIVED,
        ]  # fmt: skip
        articles, names, texts = [], [], []
        for n in range(offset, offset + count):
            headline = self.sentence()[:-1]
            article = Article(
                headline=headline,
                slug=self.slug(headline, n),
                sapo=self.sentence() + " " + self.sentence(),
                body="".join(
                    f"<p>{self.sentence()} {self.sentence()}</p>" for _ in range(rng.randint(4, 9))
                ),
                section=rng.choice(sections),
                status=rng.choice(statuses),
                # one in 500 is scheduled for the coming week
                published_at=now + datetime.timedelta(minutes=rng.randint(60, 7 * 24 * 60))
                if n % 500 == 499
                else now - datetime.timedelta(minutes=rng.randint(5, 5 * 365 * 24 * 60)),
            )
            named = {
                "authors": rng.sample(entities["authors"], rng.choice([1, 1, 1, 2])),
                "tags": rng.sample(entities["tags"], rng.randint(2, 5)),
                **{
                    field: rng.sample(entities[pool], rng.randint(0, most))
                    for field, pool, most in LINKS
                },
            }
            # What search.document reads; these have no other names.
            fields = search.fields(
                search.document(article, [thing.name for f in NAMED for thing in named[f]])
            )
            for field, value in fields.items():
                setattr(article, field, value)
            articles.append(article)
            names.append(named)
            texts.append(fields["search_text"])
        articles = Article.objects.bulk_create(articles)
        search.add_words(texts)
        Byline.objects.bulk_create(
            Byline(article=a, author=author, position=i)
            for a, named in zip(articles, names, strict=True)
            for i, author in enumerate(named["authors"])
        )
        TaggedArticle.objects.bulk_create(
            TaggedArticle(content_object=a, tag=tag)
            for a, named in zip(articles, names, strict=True)
            for tag in named["tags"]
        )
        links = {}
        for field, _, _ in LINKS:
            relation = getattr(Article, field)
            column = relation.field.related_model._meta.model_name
            links[field] = relation.through.objects.bulk_create(
                relation.through(article=a, **{column: thing})
                for a, named in zip(articles, names, strict=True)
                for thing in named[field]
            )
        # A story about a meeting reports what came of it.
        outcomes = Outcome.objects.filter(event__in={link.event_id for link in links["events"]})
        by_event = {}
        for outcome in outcomes.only("pk", "event"):
            by_event.setdefault(outcome.event_id, []).append(outcome.pk)
        Outcome.reported_by.through.objects.bulk_create(
            Outcome.reported_by.through(outcome_id=outcome, article_id=link.article_id)
            for link in links["events"]
            for outcome in by_event.get(link.event_id, ())
        )
