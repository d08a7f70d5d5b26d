"""Nothing unpublished reaches a reader, on any surface.

One story in each state a reader must not see (draft, in review, scheduled,
archived), each linked to everything a published story links to, so that every
listing, filter, related-news box, entity page, search, feed, sitemap and API
answer that shows the published one would show them too if anything leaked.
Then the published one is unpublished, after every page was cached.
"""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from articles.models import Article, Event
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    EventFactory,
    OrganizationFactory,
    PersonFactory,
    SectionFactory,
)
from tests.tools import sitemap_pages

pytestmark = pytest.mark.django_db
SECRET = "Tuyệt mật"

HIDDEN = {
    "nháp": {"status": Article.Status.DRAFT},
    "chờ duyệt": {"status": Article.Status.REVIEW},
    "hẹn giờ": {"published_at": timezone.now() + datetime.timedelta(days=2)},
    "lưu trữ": {"status": Article.Status.ARCHIVED},
}


@pytest.fixture
def newsroom():
    section, author = SectionFactory(name="Kinh tế"), AuthorFactory(name="Minh Thư")
    org, person = OrganizationFactory(name="SpaceX"), PersonFactory(name="Nguyễn Hồng Diên")
    trip = EventFactory(title="Chuyến công tác", kind=Event.Kind.WORKING_TRIP)
    meeting = EventFactory(title="Gặp SpaceX", parent=trip)

    def story(headline, **state):
        article = ArticleFactory(
            headline=headline,
            sapo=f"{headline}: điện gió ngoài khơi.",
            section=section,
            authors=[author],
            **state,
        )
        article.organizations.add(org)
        article.people.add(person)
        article.events.add(meeting)
        article.tags.add("Điện gió")
        return article

    public = story("Tin công khai về điện gió")
    hidden = [story(f"{SECRET} {name}", **state) for name, state in HIDDEN.items()]
    # A translation not yet published: nothing of it on the original's page or the English site.
    hidden.append(story(f"{SECRET} bản dịch", language="en", translation_of=public, status="draft"))
    return {
        "public": public,
        "hidden": hidden,
        "surfaces": [
            "/",
            "/en/",
            "/tin-moi/?organization=spacex",
            "/tin-moi/?person=nguyen-hong-dien",
            "/tin-moi/?tag=dien-gio",
            f"/tin-moi/?event={trip.slug}",
            "/tin-moi/?author=minh-thu",
            "/tin-moi/?section=kinh-te&date_after=2000-01-01",
            section.get_absolute_url(),
            "/the/dien-gio/",
            org.get_absolute_url(),
            person.get_absolute_url(),
            author.get_absolute_url(),
            trip.get_absolute_url(),
            meeting.get_absolute_url(),
            public.get_absolute_url(),  # related news, "Tin khác", translations
            "/en/tin-moi/?organization=spacex",
            "/en/the/dien-gio/",
            f"/en/to-chuc/{org.slug}/",
            "/en/tim-kiem/?q=tuyet+mat",
            "/en/rss/",
            "/api/stories?language=en",
            f"/api/stories/{public.slug}",
            "/tim-kiem/?q=dien+gio",
            "/tim-kiem/?q=tuyet+mat",
            "/rss/",
            "/atom/",
            f"{section.get_absolute_url()}rss/",
            "/the/dien-gio/rss/",
            f"{org.get_absolute_url()}atom/",
            f"{author.get_absolute_url()}rss/",
            "/sitemap.xml",
            "/sitemap-stories.xml",
            "/sitemap-news.xml",
            "/api/stories",
            "/api/stories?q=tuyet+mat",
            "/api/stories?organization=spacex",
            "/api/organizations/spacex",
        ],
    }


def leaks(client, url: str, stories) -> list[str]:
    response = client.get(url)
    if response.status_code == 404 and url.startswith(("/the/", "/en/the/")):
        return []  # a tag no published story carries is unknown to readers
    assert response.status_code == 200, url
    text = response.content.decode()
    return [
        f"{url}: {story.headline}"
        for story in stories
        if story.headline in text or story.slug in text or SECRET in text
    ]


def test_no_surface_shows_a_story_that_is_not_published(client, newsroom):
    public, hidden = newsroom["public"], newsroom["hidden"]
    assert public.headline in client.get("/").content.decode()  # the probe works
    found = [leak for url in newsroom["surfaces"] for leak in leaks(client, url, hidden)]
    assert not found
    for story in hidden:
        for url in (story.get_absolute_url(), f"/en{story.get_absolute_url()}"):
            assert client.get(url).status_code == 404, url
        assert client.get(f"/api/stories/{story.slug}").status_code == 404
        # The staff preview shows any story, behind the admin's sign-in.
        preview = client.get(f"/{settings.ADMIN_URL}articles/article/{story.pk}/preview/")
        assert preview.status_code == 302 and "/login/" in preview["Location"]


def test_unpublishing_removes_a_story_from_every_cached_surface(client, newsroom):
    public = newsroom["public"]
    own = (public.get_absolute_url(), f"/api/stories/{public.slug}")  # its own: 404 once hidden
    surfaces = [url for url in newsroom["surfaces"] if url not in own]
    shown = [url for url in surfaces if public.slug in client.get(url).content.decode()]
    assert len(shown) > len(surfaces) // 2  # warmed, and it was on them (not the English site's)
    public.status = Article.Status.ARCHIVED
    public.save()
    assert not [leak for url in surfaces for leak in leaks(client, url, [public])]
    assert client.get(public.get_absolute_url()).status_code == 404


def test_a_tag_only_unpublished_stories_carry_is_unknown_to_readers(client, newsroom):
    """A tag typed on a draft, a story in review, a scheduled or an archived one is
    the desk's word: no page, feed, sitemap, filter or API answer names it until a
    published story carries it, and then every one does (kept pages purged)."""
    for story in newsroom["hidden"]:
        story.tags.add("Nội bộ kín")
    named = [
        "/api/tags",
        "/tin-moi/",
        "/tin-moi/?tag=noi-bo-kin",
        "/api/stories?tag=noi-bo-kin",
        newsroom["public"].get_absolute_url(),
    ]
    own = ["/the/noi-bo-kin/", "/the/noi-bo-kin/rss/", "/the/noi-bo-kin/atom/"]
    own += ["/en/the/noi-bo-kin/", "/api/tags/noi-bo-kin"]
    for url in named:
        response = client.get(url)
        assert response.status_code in (200, 400), url
        assert "noi-bo-kin" not in response.content.decode().replace("tag=noi-bo-kin", ""), url
    for url in own:
        assert client.get(url).status_code == 404, url
    assert "Nội bộ kín" not in client.get("/api/tags").content.decode()
    assert not any(b"noi-bo-kin" in xml for xml in sitemap_pages(client, "tags"))

    newsroom["public"].tags.add("Nội bộ kín")
    for url in own:
        assert client.get(url).status_code == 200, url
    assert "Nội bộ kín" in client.get("/the/noi-bo-kin/").content.decode()
    assert "noi-bo-kin" in client.get("/api/tags").content.decode()
    assert any(b"/the/noi-bo-kin/" in xml for xml in sitemap_pages(client, "tags"))
    assert "Nội bộ kín" in client.get("/tin-moi/").content.decode()  # the filter's list

    newsroom["public"].status = Article.Status.ARCHIVED
    newsroom["public"].save()
    for url in own:
        assert client.get(url).status_code == 404, url
    assert "noi-bo-kin" not in client.get("/api/tags").content.decode()
    assert not any(b"/the/noi-bo-kin/" in xml for xml in sitemap_pages(client, "tags"))
