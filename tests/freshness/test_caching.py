"""Readers' pages come from the page cache, and are fresh the moment a story changes."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.freshness import cache_keys, moments
from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, OrganizationFactory, PersonFactory
from tests.tools import sitemap_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def newsroom():
    """A story B, and a story A that shares an organization, a person, a tag
    and an author with it, so that A shows on B's page and on every listing."""
    org, person, author = (
        OrganizationFactory(name="Tập đoàn Sao Mai"),
        PersonFactory(),
        AuthorFactory(),
    )
    stories = {}
    for name, hours in (("b", 2), ("a", 1)):
        story = ArticleFactory(
            headline=f"Tin {name.upper()} về điện gió",
            published_at=timezone.now() - datetime.timedelta(hours=hours),
            authors=[author],
        )
        story.organizations.add(org)
        story.people.add(person)
        story.tags.add("Điện gió")
        stories[name] = story
    a = stories["a"]
    pages = [
        "/",
        "/tin-moi/",
        a.section.get_absolute_url(),
        "/the/dien-gio/",
        org.get_absolute_url(),
        person.get_absolute_url(),
        author.get_absolute_url(),
        stories["b"].get_absolute_url(),  # A is related news there
        "/tim-kiem/?q=dien+gio",
        "/rss/",
        "/atom/",
        f"{org.get_absolute_url()}rss/",
        "/sitemap-news.xml",
    ]
    return {**stories, "pages": pages}


def warm(client, pages):
    for url in pages:
        assert client.get(url).status_code == 200, url


def test_a_second_visit_is_served_without_sql(client, newsroom):
    first = client.get("/")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/")
    assert len(queries) == 0
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Last-Modified"] == first["Last-Modified"]
    assert "public" in second["Cache-Control"] and "max-age=0" in second["Cache-Control"]


def test_a_hit_is_one_read_of_the_cache_until_a_purge_ends(client, newsroom, monkeypatch):
    """The versions of a page's keys are read again only after some purge has
    ended; then once, and the page is a single read again."""
    from django.core.cache import cache

    reads, inside = [], []
    for name in ("get", "get_many"):
        monkeypatch.setattr(cache, name, counted(getattr(cache, name), reads, inside))
    b, elsewhere = newsroom["b"], ArticleFactory(headline="Tin khác hẳn")
    warm(client, ["/", "/"])

    def reads_of(url):
        reads.clear()
        assert client.get(url).status_code == 200
        return len(reads)

    assert reads_of("/") == 1
    b.headline = "Tin B đã sửa"
    b.save()  # B's key is purged; the home page shows B
    assert reads_of("/") > 1  # rendered again
    assert reads_of("/") == 1
    warm(client, [b.get_absolute_url()])
    elsewhere.headline = "Tin khác hẳn, đã sửa"
    elsewhere.save()  # a purge of keys B's page does not show...
    assert reads_of(b.get_absolute_url()) == 2  # ...so its versions are read again
    assert reads_of(b.get_absolute_url()) == 1


def counted(method, calls: list, inside: list):
    """Counts the calls the page cache makes, not those a backend's ``get_many``
    makes of its own ``get``."""

    def wrapper(*args, **kwargs):
        if not inside:
            calls.append(args)
        inside.append(1)
        try:
            return method(*args, **kwargs)
        finally:
            inside.pop()

    return wrapper


def test_a_cached_page_keeps_the_headers_of_a_fresh_one(client, newsroom):
    """Hits are served by a middleware, before the view: the headers the other
    middleware add must still be there."""
    fresh = client.get("/")
    with CaptureQueriesContext(connection) as queries:
        cached = client.get("/")
    assert len(queries) == 0
    for header in ("X-Frame-Options", "Content-Language", "Vary", "Content-Type"):
        assert cached[header] == fresh[header], header


def test_a_kept_page_is_kept_compressed_and_served_as_it_left(client, newsroom, monkeypatch):
    """A reader who takes gzip gets the page compressed once, when it was kept;
    one who does not gets the same page plain: two copies, never mixed."""
    import gzip

    from django.middleware import gzip as gzip_middleware

    compressed = []
    compress = gzip_middleware.compress_string

    def counted_compress(text, **kwargs):
        compressed.append(1)
        return compress(text, **kwargs)

    monkeypatch.setattr(gzip_middleware, "compress_string", counted_compress)
    first = client.get("/", HTTP_ACCEPT_ENCODING="gzip, deflate")
    again = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    plain = client.get("/")
    assert len(compressed) == 1
    assert first["Content-Encoding"] == again["Content-Encoding"] == "gzip"
    assert again.content == first.content
    assert "Content-Encoding" not in plain
    assert gzip.decompress(again.content) == plain.content
    assert again["ETag"] != plain["ETag"]
    assert again["Content-Security-Policy"] == plain["Content-Security-Policy"]
    assert client.get("/").content == plain.content
    assert len(compressed) == 1


def test_every_page_is_cached(client, newsroom):
    warm(client, newsroom["pages"])
    for url in newsroom["pages"]:
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        assert len(queries) == 0, url


def test_conditional_gets_answer_304_without_sql(client, newsroom):
    first = client.get("/")
    with CaptureQueriesContext(connection) as queries:
        by_etag = client.get("/", HTTP_IF_NONE_MATCH=first["ETag"])
        by_date = client.get("/", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_etag.status_code == 304 and by_date.status_code == 304
    assert by_etag.content == b""
    assert len(queries) == 0
    assert client.get("/", HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_editing_a_story_refreshes_every_page_that_shows_it(client, newsroom):
    a, pages = newsroom["a"], newsroom["pages"]
    warm(client, pages)
    etag = client.get("/")["ETag"]
    a.headline = "Tin A về điện gió, cập nhật"
    a.save()
    for url in pages:
        assert "cập nhật" in client.get(url).content.decode(), url
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 200


def in_sitemap(client, slug: str) -> bool:
    return any(slug.encode() in xml for xml in sitemap_pages(client))


def test_unpublishing_hides_it_everywhere_at_once_and_publishing_brings_it_back(client, newsroom):
    a, pages = newsroom["a"], newsroom["pages"]
    pages = [url for url in pages if url != a.get_absolute_url()]
    warm(client, [*pages, a.get_absolute_url()])
    assert in_sitemap(client, a.slug)
    a.status = Article.Status.ARCHIVED
    a.save()
    assert client.get(a.get_absolute_url()).status_code == 404
    assert not in_sitemap(client, a.slug)
    for url in pages:
        assert "Tin A" not in client.get(url).content.decode(), url
    a.status = Article.Status.PUBLISHED
    a.save()
    assert client.get(a.get_absolute_url()).status_code == 200
    assert in_sitemap(client, a.slug)
    # Back on every listing; not yet in the related news of pages kept without
    # it: a story published purges no other story's page (surrogates.py).
    b = newsroom["b"].get_absolute_url()
    for url in pages:
        assert ("Tin A" in client.get(url).content.decode()) == (url != b), url


def test_relinking_and_renaming_refresh_pages(client, newsroom):
    a, b = newsroom["a"], newsroom["b"]
    org_page = a.organizations.get().get_absolute_url()
    warm(client, [org_page, b.get_absolute_url()])
    a.organizations.clear()
    assert "Tin A" not in client.get(org_page).content.decode()
    person = a.people.get()
    person.name = "Trần Thị Đổi Tên"
    person.save()
    assert "Trần Thị Đổi Tên" in client.get(b.get_absolute_url()).content.decode()


def test_a_scheduled_story_appears_when_its_time_comes(client, newsroom, monkeypatch):
    soon = timezone.now() + datetime.timedelta(minutes=30)
    ArticleFactory(headline="Tin hẹn giờ", published_at=soon)
    assert "Tin hẹn giờ" not in client.get("/").content.decode()
    assert "Tin hẹn giờ" not in client.get("/").content.decode()  # now from the cache
    later = soon + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Tin hẹn giờ" in client.get("/").content.decode()


def test_signed_in_staff_always_get_a_fresh_page(client, newsroom):
    a = newsroom["a"]
    warm(client, ["/"])
    # A change that sends no signal: readers keep the cached page until the next one...
    Article.objects.filter(pk=a.pk).update(headline="Sửa thẳng trong cơ sở dữ liệu")
    assert "Sửa thẳng" not in client.get("/").content.decode()
    # ...while staff see the database as it is, and are told not to keep it.
    client.force_login(User.objects.create_user("bientap", is_staff=True))
    response = client.get("/")
    assert "Sửa thẳng" in response.content.decode()
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "ETag" not in response


def test_languages_are_cached_apart(client, newsroom):
    assert client.get("/en/").content != client.get("/").content
    assert 'lang="en"' in client.get("/en/").content.decode()
    assert 'lang="vi"' in client.get("/").content.decode()


def test_a_conditional_get_of_a_missing_page_is_still_a_404(client, newsroom):
    last_modified = client.get("/")["Last-Modified"]
    response = client.get("/tin/chua-co/", HTTP_IF_MODIFIED_SINCE=last_modified)
    assert response.status_code == 404


def test_not_found_is_not_cached(client, newsroom):
    assert client.get("/tin/chua-co/").status_code == 404
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/tin/chua-co/").status_code == 404
    assert len(queries) > 0


def test_a_story_scheduled_inside_a_transaction_is_read_as_the_next_moment_at_commit(
    newsroom, django_capture_on_commit_callbacks
):
    """A page made between the save and the commit read the moment as it was: the
    commit has it read again."""
    moment = timezone.now() + datetime.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        story = newsroom["a"]
        story.published_at = moment
        story.save()
        cache.set(cache_keys.SCHEDULE, {"due": None}, None)  # another request read it then
    assert callbacks
    assert moments.schedule()["due"] == pytest.approx(moment.timestamp())


def test_a_save_that_moves_no_moment_leaves_the_schedule_as_it_was(newsroom, monkeypatch):
    moments.schedule()
    reads = []
    read = moments._next_scheduled
    monkeypatch.setattr(moments, "_next_scheduled", lambda: reads.append(1) or read())
    story = newsroom["a"]
    story.headline = "Chỉ sửa tiêu đề"
    story.save()
    moments.schedule()
    assert reads == []
    story.published_at = timezone.now() + datetime.timedelta(hours=1)
    story.save()
    moments.schedule()
    assert reads == [1]


def test_saving_a_story_keeps_what_does_not_show_it(client, seed, monkeypatch):
    """No site-wide generation: a story's save leaves the filter form's lists, the
    section menu and a search page that does not find it as they were kept."""
    from articles.site import context_processors, filters

    made = []
    for module, name in ((filters, "_in_the_news"), (context_processors, "_sections")):
        real = getattr(module, name)
        monkeypatch.setattr(
            module, name, lambda *a, real=real, name=name: made.append(name) or real(*a)
        )
    other = ArticleFactory(headline="Tin về Zanzibar", status=Article.Status.PUBLISHED)
    search = {"q": "zanzibar"}
    assert client.get("/tin-moi/").status_code == 200
    assert "Zanzibar</mark>" in client.get("/tim-kiem/", search).content.decode()
    assert sorted(made) == ["_in_the_news", "_sections"]
    story = Article.objects.published().exclude(pk=other.pk).first()
    story.headline = "Tiêu đề đã sửa"
    story.save()
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/tim-kiem/", search).status_code == 200
    assert len(queries) == 0  # the whole page, kept
    page = client.get("/tin-moi/").content.decode()  # shows the story: made again
    assert "Tiêu đề đã sửa" in page
    assert sorted(made) == ["_in_the_news", "_sections"]  # its lists and menu were kept


def test_the_page_cache_can_be_turned_off(client, newsroom, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get("/tin-moi/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/tin-moi/")
    assert len(queries) > 0  # the view ran (its teasers may come kept: test_blocks.py)
    assert "ETag" not in response and "ETag" not in client.get("/")


def test_pages_asked_for_with_parameters_the_site_does_not_read_are_not_kept(client, newsroom):
    """A tracking tag or a probe would be another cache entry each time: such a
    page is rendered fresh and left out of the cache."""
    for url in (
        "/tin-moi/?fbclid=abc123",
        "/tin-moi/?utm_source=zalo&page=1",
        f"{newsroom['pages'][1]}?x=1",
    ):
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200 and "ETag" not in response, url
        assert len(queries) > 0, url
    client.get("/tin-moi/?page=1&q=hoa")
    with CaptureQueriesContext(connection) as queries:
        client.get("/tin-moi/?page=1&q=hoa")
    assert len(queries) == 0  # the parameters it does read are kept


def test_tracking_tags_add_no_cache_entry_of_any_kind(client, newsroom):
    """Neither the page nor any piece of it (the filter form, its lists) is kept
    per tagged address: a thousand tagged visits leave the cache as one did."""
    from django.core.cache import cache

    urls = ["/", "/tim-kiem/", "/en/", newsroom["pages"][2]]
    for url in urls:
        client.get(f"{url}?utm_source=0")
    before = set(cache._cache)
    for n in range(1, 30):
        for url in urls:
            assert client.get(f"{url}?utm_source={n}&fbclid={n}").status_code == 200
    assert set(cache._cache) == before


def test_filter_values_that_name_nothing_are_shown_not_kept(client, newsroom):
    from django.core.cache import cache

    client.get("/tin-moi/?section=khong-co-0")
    before = set(cache._cache)
    for n in range(1, 20):
        response = client.get(f"/tin-moi/?section=khong-co-{n}&date_after=2025-13-{n}")
        assert response.status_code == 200 and "no-store" in response["Cache-Control"]
        assert "ETag" not in response
    assert set(cache._cache) == before
    with CaptureQueriesContext(connection) as queries:
        client.get("/tin-moi/?section=khong-co-1")
    assert len(queries) > 0  # rendered again, not served from the cache


def test_the_filter_form_asks_for_no_parameter_the_cache_does_not_know(client, newsroom):
    from articles.site.views import QUERY_PARAMETERS
    from tests.browser_form import form_values

    html = client.get("/tin-moi/").content.decode()
    names = set(form_values(html, None)) - {"language", "next", "csrfmiddlewaretoken"}
    assert {"q", "date_after", "organization"} <= names <= QUERY_PARAMETERS, names


def test_the_desk_s_own_records_purge_nothing(newsroom, monkeypatch, editor):
    """A line of the desk's log, a change to many stories and an import's file are
    on no reader's page: writing them keeps every page and piece kept."""
    from articles.freshness import store
    from articles.models import BulkChange, StateChange

    story = Article.objects.published().first()
    purged = []
    monkeypatch.setattr(store, "purge", lambda keys, **kw: purged.append(set(keys)))
    moments.schedule()
    StateChange.objects.create(
        article=story, story_pk=story.pk, headline=story.headline, user=editor,
        from_status="review", to_status="published",
    )  # fmt: skip
    BulkChange.objects.create(user=editor, kind=BulkChange.Kind.MOVE, to_status="published")
    assert purged == []
    assert cache.get(cache_keys.SCHEDULE)["due"] != moments.UNKNOWN  # nothing to read again
