"""A synthetic archive for load tests: stories over years and sections, with
bylines, tags, organizations, people and events in newsroom-like proportions.

Only adds rows (every slug it makes carries this run's token), so it never
touches the seed stories or anything an editor wrote. Rows are written in bulk
(``COPY`` on PostgreSQL: ``articles.management.bulk``), each story with its search fields;
the text is drawn by ``articles.management.synthetic``. Most stories lead with
one of a few pictures drawn here (``illustrations``: no download), put in the
picture library once and marked as illustrations, so that pages are seen as
they will be with a real archive.
"""

import datetime
import io
import itertools
import multiprocessing
import os
import random
import secrets
import time
from collections.abc import Iterator

from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand
from django.db import connection, connections, transaction
from django.utils import timezone

from articles import search
from articles.management import bulk
from articles.management.synthetic import Writer
from articles.models import (
    Article,
    Author,
    Byline,
    Country,
    Event,
    Organization,
    Outcome,
    OutcomeReport,
    Participant,
    Person,
    Picture,
    Section,
    Tag,
    TaggedArticle,
)
from articles.text.slugs import vi_slugify

COUNTRIES = {
    "VN": "Việt Nam", "US": "Hoa Kỳ", "JP": "Nhật Bản", "KR": "Hàn Quốc", "SG": "Singapore",
    "FR": "Pháp", "DE": "Đức",
}  # fmt: skip
# Its sections, with their names on the English site.
SECTIONS = {
    "Thời sự": "News",
    "Kinh tế": "Economy",
    "Thế giới": "World",
    "Công nghệ": "Technology",
    "Văn hoá": "Culture",
    "Giáo dục": "Education",
    "Sức khoẻ": "Health",
}
# What a story names, from which pool, at most how many.
LINKS = (
    ("countries", "countries", 2),
    ("organizations", "orgs", 3),
    ("people", "people", 3),
    ("events", "events", 1),
)
# What a story's search document names.
NAMED = ("tags", "countries", "organizations", "people", "authors")
# What a load writes, analysed at its end (bulk.analyze).
LOADED = (
    Article, Author, Byline, Country, Event, Organization, Outcome, Participant, Person,
    Section, Tag, TaggedArticle, search.WORDS_TABLE,
)  # fmt: skip
ORG_KINDS = ["Tập đoàn", "Công ty", "Bộ", "Tổng công ty", "Ngân hàng", "Viện", "Hiệp hội"]
# The drawn pictures: how many, their credit (which marks them), and what share of
# stories leads with one.
ILLUSTRATIONS = 8
ILLUSTRATION_SIZE = (720, 480)  # as wide as a lead picture is shown, and quick to make
ILLUSTRATION_CREDIT = "Ảnh minh hoạ do Toà soạn vẽ, không phải ảnh thật"
WITH_PICTURE = 0.8
SCENES = ["Bình minh trên cánh đồng", "Thành phố lên đèn", "Cảng biển buổi sáng", "Đồi chè",
          "Nhà máy điện gió", "Sông nước miền Tây", "Phố cổ", "Trạm vệ tinh"]  # fmt: skip


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
        self.writer = Writer(self.rng)
        # A letter first: a token that opened with digits and "e" would read as a number.
        self.run = "r" + secrets.token_hex(3)
        started = time.monotonic()
        with transaction.atomic():
            sections = [
                Section.objects.get_or_create(name=n, defaults={"position": i, "name_en": en})[0]
                for i, (n, en) in enumerate(SECTIONS.items())
            ]
            entities = self.make_entities(stories)
            entities["pictures"] = self.illustrations()
        # The last two batches' worth in quarters, so that the processes finish
        # together rather than one loading a whole batch while the others wait.
        head, quarter = max(0, stories - 2 * batch_size), max(1, batch_size // 4)
        edges = [*range(0, head, batch_size), *range(head, stories, quarter), stories]
        batches = [(start, end - start) for start, end in itertools.pairwise(edges)]
        # Other processes would not see rows of a transaction still open (the caller's).
        parallel = connection.vendor == "postgresql" and not connection.in_atomic_block
        jobs = max(1, min(jobs, len(batches))) if parallel else 1
        done = 0
        for count in self.load(batches, sections, entities, jobs):
            done += count
            self.stdout.write(f"  {done} stories ({time.monotonic() - started:.0f} s)")
        bulk.analyze(*LOADED)
        # Reports inserted in bulk, without the signals that keep it: outcomes are shown
        # from when their stories are. Once, with the statistics in: per batch, each
        # batch read the reports of every batch before it again, and two processes
        # waited on each other's rows.
        with transaction.atomic():
            reported = OutcomeReport.objects.values("outcome_id")
            Outcome.objects.filter(pk__in=reported).show_from_reports()
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Added {stories} stories, indexed for search and analysed, in {seconds:.0f} s."
        )

    def load(self, batches, sections, entities, jobs: int) -> Iterator[int]:
        """Each batch in a transaction of its own; with ``jobs`` > 1, in that many
        processes (forked: they share what was made so far), each with its own
        connection, so that the database writes one batch and its indexes while
        the next is drawn."""
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
        self.writer = Writer(self.rng)
        with transaction.atomic(), bulk.loading():
            self.make_stories(count, start, sections, entities)
        return count

    def illustrations(self) -> list[Picture]:
        """``ILLUSTRATIONS`` pictures in the library, drawn here the first time (a sky,
        a horizon, shapes, in colours of the run's seed) and found by their credit
        after: a second load adds none."""
        from PIL import Image, ImageDraw

        have = list(Picture.objects.filter(credit=ILLUSTRATION_CREDIT).order_by("pk"))
        rng = random.Random(f"{self.seed}:pictures")
        width, height = ILLUSTRATION_SIZE
        for n in range(len(have), ILLUSTRATIONS):
            sky, ground, sun = ([rng.randint(30, 230) for _ in range(3)] for _ in range(3))
            picture = Image.new("RGB", (width, height), tuple(sky))
            draw = ImageDraw.Draw(picture)
            horizon = rng.randint(height * 7 // 16, height * 23 // 32)
            draw.rectangle((0, horizon, width, height), fill=tuple(ground))
            x, y = rng.randint(60, width - 60), rng.randint(45, horizon - 30)
            r = rng.randint(22, 68)
            draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(sun))
            for _ in range(rng.randint(3, 7)):  # buildings, trees: blocks on the horizon
                left, wide = rng.randint(0, width - 60), rng.randint(15, 90)
                top = horizon - rng.randint(15, 150)
                shade = tuple(max(0, c - 60) for c in ground)
                draw.rectangle((left, top, left + wide, horizon), fill=shade)
            data = io.BytesIO()
            picture.save(data, "PNG")
            scene = SCENES[n % len(SCENES)]
            drawn = Picture(
                file=ContentFile(data.getvalue(), name=f"minh-hoa-{n + 1}.png"),
                alt=f"Hình vẽ minh hoạ: {scene.lower()}",
                caption=scene,
                credit=ILLUSTRATION_CREDIT,
                focal_x=round(100 * x / width),  # the sun: what the eye goes to
                focal_y=round(100 * y / height),
            )
            drawn.save()
            have.append(drawn)
        return have

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
                name=(name := f"{rng.choice(ORG_KINDS)} {self.writer.words(1, 3).title()}"),
                slug=self.slug(name, i),
                kind=rng.choice(Organization.Kind.values),
                country=countries[rng.choice(["VN", "VN", "VN", "US", "JP", "KR", "SG", "FR"])],
            )
            for i in range(n_orgs)
        )
        people = Person.objects.bulk_create(
            Person(
                name=(name := self.writer.person_name()),
                slug=self.slug(name, i),
                title=rng.choice(
                    ["Bộ trưởng", "Chủ tịch", "Giám đốc", "Phó Chủ tịch", "Chuyên gia"]
                ),
                organization=rng.choice(orgs),
            )
            for i in range(n_people)
        )
        authors = Author.objects.bulk_create(
            Author(name=(name := self.writer.person_name()), slug=self.slug(name, i))
            for i in range(max(10, stories // 1500))
        )
        tags = Tag.objects.bulk_create(
            Tag(name=(name := f"{self.writer.words(1, 3)} {self.run}{i}"), slug=self.slug(name, i))
            for i in range(n_tags)
        )
        today = timezone.localdate()
        trips = Event.objects.bulk_create(
            Event(
                title=(title := f"Chuyến công tác {self.writer.words(2, 4)}"),
                slug=self.slug(title, i),
                kind=Event.Kind.WORKING_TRIP,
                start_date=today - datetime.timedelta(days=rng.randint(0, 5 * 365)),
                country=countries[rng.choice(["US", "JP", "KR", "FR", "DE"])],
            )
            for i in range(n_trips)
        )
        meetings = Event.objects.bulk_create(
            Event(
                title=(title := f"Cuộc gặp {self.writer.words(2, 4)}"),
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
                description=self.writer.sentence(),
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
                "events": trips + meetings, "countries": list(countries.values()),
                # the seed's countries go by other names too
                "aliases": {country.pk: [alias.name for alias in country.aliases.all()]
                            for country in countries.values()}}  # fmt: skip

    # -- stories

    def make_stories(self, count: int, offset: int, sections, entities) -> None:
        """One batch, written with ``COPY`` (``bulk``): what each story names is
        drawn first, so that its search fields are written with it
        (``search.fields``), not by a second pass."""
        rng, now = self.rng, timezone.now()
        statuses = [Article.Status.PUBLISHED] * 96 + [
            Article.Status.DRAFT, Article.Status.DRAFT, Article.Status.REVIEW,
            Article.Status.ARCHIVED,
        ]  # fmt: skip
        articles, names, texts, unindexed = [], [], [], []
        for pk, n in zip(bulk.new_ids(Article, count), range(offset, offset + count), strict=True):
            said = self.writer.sentences(3 + 2 * rng.randint(4, 9))
            headline, sapo, body = said[0][:-1], said[1:3], said[3:]
            article = Article(
                id=pk,
                headline=headline,
                slug=self.slug(headline, n),
                sapo=" ".join(sapo),
                body="".join(
                    f"<p>{one} {two}</p>" for one, two in zip(body[::2], body[1::2], strict=True)
                ),
                section=rng.choice(sections),
                status=rng.choice(statuses),
                # one in 500 is scheduled for the coming week
                published_at=now + datetime.timedelta(minutes=rng.randint(60, 7 * 24 * 60))
                if n % 500 == 499
                else now - datetime.timedelta(minutes=rng.randint(5, 5 * 365 * 24 * 60)),
            )
            if entities["pictures"] and rng.random() < WITH_PICTURE:
                rng.choice(entities["pictures"]).use_on(article)
            named = {
                "authors": rng.sample(entities["authors"], rng.choice([1, 1, 1, 2])),
                "tags": rng.sample(entities["tags"], rng.randint(2, 5)),
                **{
                    field: rng.sample(entities[pool], rng.randint(0, most))
                    for field, pool, most in LINKS
                },
            }
            # What search.document reads from the story's relations once saved.
            fields = search.fields(
                search.document(
                    article,
                    [thing.name for f in NAMED for thing in named[f]]
                    + [alias for c in named["countries"] for alias in entities["aliases"][c.pk]],
                )
            )
            for field, value in fields.items():
                setattr(article, field, value)
            if fields.get("search_vector", "") is None:  # the database builds it
                unindexed.append(pk)
            articles.append(article)
            names.append(named)
            texts.append(fields["search_text"])
        bulk.insert(Article, *bulk.rows_of(articles))
        stories = list(zip(articles, names, strict=True))
        bulk.insert(
            Byline,
            ["article_id", "author_id", "position"],
            (
                (a.pk, author.pk, position)
                for a, named in stories
                for position, author in enumerate(named["authors"])
            ),
        )
        bulk.insert(
            TaggedArticle,
            ["content_object_id", "tag_id"],
            ((a.pk, tag.pk) for a, named in stories for tag in named["tags"]),
        )
        for field, _, _ in LINKS:
            relation = getattr(Article, field).field
            bulk.insert(
                relation.remote_field.through,
                [relation.m2m_column_name(), relation.m2m_reverse_name()],
                ((a.pk, thing.pk) for a, named in stories for thing in named[field]),
            )
        # A story about a meeting reports what came of it.
        events = {event.pk for _, named in stories for event in named["events"]}
        by_event = {}
        for outcome in Outcome.objects.filter(event__in=events).only("pk", "event"):
            by_event.setdefault(outcome.event_id, []).append(outcome.pk)
        bulk.insert(
            OutcomeReport,
            ["outcome_id", "article_id", "wording", "approximate", "qualifier", "currency", "unit"],
            (
                (outcome, a.pk, "", False, "", "", "")  # as the outcome says
                for a, named in stories
                for event in named["events"]
                for outcome in by_event.get(event.pk, ())
            ),
        )
        # Once the stories' links are in: indexing reads them.
        search.index_many(Article.objects.filter(pk__in=unindexed))
        # Last: another batch adding the same new words waits for this one to commit.
        search.add_words(texts)
