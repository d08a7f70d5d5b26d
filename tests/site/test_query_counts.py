"""Every public page runs the same number of SQL queries however much there is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import (
    Article,
    Author,
    Country,
    Event,
    Organization,
    Person,
    Pin,
    ReadCount,
    Tag,
)
from articles.site import reads
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    EventFactory,
    OrganizationFactory,
    PersonFactory,
    SectionFactory,
)
from tests.seed import STORY_000, TRIP

pytestmark = pytest.mark.django_db


def grow(n: int) -> None:
    """Add ``n`` stories, each with bylines, tags, organizations, people and an event."""
    section = SectionFactory()
    trip = Event.objects.get(slug="chuyen-cong-tac-cua-bo-truong-nguyen-hong-dien-tai-hoa-ky")
    orgs = [Organization.objects.get(slug="spacex"), *OrganizationFactory.create_batch(3)]
    people = [Person.objects.get(slug="nguyen-hong-dien"), *PersonFactory.create_batch(3)]
    authors = [Author.objects.get(slug="minh-thu"), *AuthorFactory.create_batch(2)]
    countries = list(Country.objects.all())
    for i in range(n):
        event = EventFactory(parent=trip)
        article = ArticleFactory(section=section, authors=authors)
        article.organizations.set(orgs)
        article.people.set(people)
        article.events.set([event, trip])
        article.tags.add("LNG", "Hoa Kỳ", f"thẻ {i}")
        event.participants.create(person=people[i % 4], organization=orgs[i % 4], side=2)
        article.countries.set(countries)
        outcome = event.outcomes.create(
            description="Kết quả",
            kind="pledge",
            actor_organization=orgs[i % 4],
            counterpart_country=countries[0],
            amount=i + 1,
            currency="USD",
        )
        outcome.reported_by.add(article)
        if i < 5:
            Pin.objects.create(article=article, slot="lead" if i == 0 else "top", position=i)
        if i < 3:
            article.corrections.create(note=f"Đính chính {i}")
        if i % 3 == 0:
            english = ArticleFactory(section=section, language="en", translation_of=article)
            english.organizations.set(orgs)
            english.tags.add("LNG")
        ReadCount.objects.create(article=article, hour=timezone.now(), reads=i + 1)
    reads.rank()  # "Đọc nhiều" full


PAGES = [
    "/",
    "/tin-moi/",
    "/tin-moi/?organization=spacex&tag=lng&date_after=2020-01-01",
    STORY_000,
    "/chuyen-muc/kinh-te/",
    "/the/lng/",
    "/to-chuc/spacex/",
    "/nhan-vat/nguyen-hong-dien/",
    "/tac-gia/minh-thu/",
    TRIP,
    "/en/",
    "/tim-kiem/?q=hoa+ky&organization=spacex",
    "/quoc-gia/viet-nam/",
    "/cam-ket/",
    "/cam-ket/?country=viet-nam&kind=pledge&status=announced",
    "/en/cam-ket/?event=" + TRIP.split("/")[2],
    "/cam-ket/rss/?organization=spacex",
    "/cam-ket/csv/",
    "/api/outcomes?country=viet-nam",
    "/api/events/" + TRIP.split("/")[2],
]


def count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_archive(client, seed):
    story = Article.objects.get(slug=STORY_000.split("/")[2])
    english = ArticleFactory(language="en", translation_of=story, section=story.section)
    english.tags.add("LNG")
    pages = [*PAGES, english.get_absolute_url(), "/en/tin-moi/", "/sitemap-stories.xml"]
    before = {url: count(client, url) for url in pages}
    grow(30)
    assert Tag.objects.count() > 30
    after = {url: count(client, url) for url in pages}
    assert after == before
    # A story page reads what it reported (one query): 11 at most; one with translations
    # also reads them: 12. Every other page 10 at most.
    translated = {STORY_000, english.get_absolute_url()}
    assert max(n for url, n in after.items() if url not in translated) <= 11, after
    assert max(after[url] for url in translated) <= 12, after
