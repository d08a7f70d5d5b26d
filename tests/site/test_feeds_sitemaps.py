"""Feeds, sitemaps and robots.txt: what feed readers and search engines get."""

import datetime
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, image_upload
from tests.seed import STORY_000, STORY_001
from tests.tools import sitemap_pages

pytestmark = pytest.mark.django_db
NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "image": "http://www.google.com/schemas/sitemap-image/1.1",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
FEEDS = [
    "/rss/", "/atom/",
    "/chuyen-muc/kinh-te/rss/", "/chuyen-muc/kinh-te/atom/",
    "/the/lng/rss/", "/the/lng/atom/",
    "/to-chuc/spacex/rss/", "/to-chuc/spacex/atom/",
]  # fmt: skip


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, (url, feed.get("bozo_exception"))
    return feed


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_parse_cleanly_with_both_seed_stories(client, seed, url):
    feed = parse(client, url)
    assert feed.version in ("rss20", "atom10")
    assert {e.link.removeprefix("http://testserver") for e in feed.entries} == {
        STORY_000,
        STORY_001,
    }


def test_feed_items_carry_sapo_author_categories_and_dates(client, seed):
    entries = {e.title: e for e in parse(client, "/rss/").entries}
    story = entries["Việt Nam và Hoa Kỳ thúc đẩy hợp tác chiến lược trong các lĩnh vực trọng điểm"]
    assert story.summary.startswith("(SHTT) - Ngày 20/5/2025")
    assert story.author_detail.name == "Minh Thư"
    assert {"Kinh tế", "LNG", "Hoa Kỳ"} <= {t.term for t in story.tags}
    assert story.published_parsed[:5] == (2025, 5, 21, 10, 5)  # 17:05 in Vietnam, as UTC
    undated = entries[next(t for t in entries if t.startswith("Bộ trưởng"))]
    assert "published_parsed" not in undated  # no time was stated; none is invented
    atom = {e.title: e for e in parse(client, "/atom/").entries}
    # Updated when it was published (no later edit); the undated story claims no date.
    assert atom[story.title].updated_parsed[:5] == (2025, 5, 21, 10, 5)
    assert "updated_parsed" not in atom[undated.title]


def test_author_feed_and_enclosures(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    author = AuthorFactory(name="Lan Anh")
    story = ArticleFactory(authors=[author], image=image_upload("a.jpg", "JPEG"), image_alt="Ảnh")
    (entry,) = parse(client, f"{author.get_absolute_url()}rss/").entries
    (enclosure,) = entry.enclosures
    assert enclosure.href == f"http://testserver{story.image.url}"
    assert enclosure.type == "image/jpeg" and int(enclosure.length) == story.image.size


def test_feeds_leave_out_unpublished_stories(client, seed):
    ArticleFactory(headline="Nháp bí mật", status=Article.Status.DRAFT)
    ArticleFactory(
        headline="Hẹn giờ bí mật", published_at=timezone.now() + datetime.timedelta(hours=1)
    )
    for url in ("/rss/", "/atom/"):
        assert "bí mật" not in client.get(url).content.decode()


def test_unknown_feed_is_404(client, db):
    assert client.get("/to-chuc/khong-co/rss/").status_code == 404


def test_sitemap_index_lists_every_section(client, seed):
    root = ET.fromstring(client.get("/sitemap.xml").content)
    locations = {e.text for e in root.findall("s:sitemap/s:loc", NS)}
    for name in ("stories", "sections", "tags", "organizations", "people", "authors", "events"):
        assert f"http://testserver/sitemap-{name}.xml" in locations


def test_story_sitemap_has_lastmod_languages_and_only_published(client, seed):
    ArticleFactory(headline="Nháp", status=Article.Status.DRAFT)
    # every page the index names (ids run high on PostgreSQL: not all on page 1)
    urls = [u for xml in sitemap_pages(client) for u in ET.fromstring(xml).findall("s:url", NS)]
    locations = {u.find("s:loc", NS).text.removeprefix("http://testserver") for u in urls}
    assert locations == {STORY_000, STORY_001}  # Vietnamese stories, on the Vietnamese site
    for url in urls:
        lastmod = url.find("s:lastmod", NS)
        if url.find("s:loc", NS).text.endswith(STORY_000):
            assert lastmod.text.startswith("2025-05-21T17:05:00")  # published, never edited
        else:
            assert lastmod is None  # no time stated, and loading the fixture is no edit
        # No translations: nothing to name (test_translations.py names them).
        assert url.findall("xhtml:link", NS) == []


def test_story_sitemap_lists_lead_images(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    story = ArticleFactory(image=image_upload(), image_alt="Ảnh")
    images = {
        e.text
        for xml in sitemap_pages(client)
        for e in ET.fromstring(xml).findall("s:url/image:image/image:loc", NS)
    }
    assert images == {f"http://testserver{story.image.url}"}


def test_news_sitemap_has_only_the_last_two_days(client, seed):
    now = timezone.now()
    fresh = ArticleFactory(headline="Tin mới", published_at=now - datetime.timedelta(hours=3))
    ArticleFactory(headline="Tin cũ", published_at=now - datetime.timedelta(days=3))
    ArticleFactory(headline="Hẹn giờ", published_at=now + datetime.timedelta(hours=3))
    root = ET.fromstring(client.get("/sitemap-news.xml").content)
    (url,) = root.findall("s:url", NS)
    assert url.find("s:loc", NS).text == f"http://testserver{fresh.get_absolute_url()}"
    news = url.find("news:news", NS)
    assert news.find("news:publication/news:name", NS).text == "Toà soạn"
    assert news.find("news:publication/news:language", NS).text == "vi"
    assert news.find("news:title", NS).text == "Tin mới"
    published = datetime.datetime.fromisoformat(news.find("news:publication_date", NS).text)
    assert published == fresh.published_at.replace(microsecond=published.microsecond)


def test_robots_txt_points_at_both_sitemaps(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text
    assert "Sitemap: http://testserver/sitemap-news.xml" in text
    assert "/admin" not in text  # the admin's address is not advertised


@pytest.fixture(scope="module")
def sitemap_schema():
    from pathlib import Path

    from lxml import etree

    return etree.XMLSchema(etree.parse(str(Path(__file__).parents[1] / "schemas" / "sitemap.xsd")))


@pytest.mark.parametrize(
    "url",
    [
        "/sitemap.xml", "/sitemap-stories.xml", "/sitemap-sections.xml", "/sitemap-tags.xml",
        "/sitemap-organizations.xml", "/sitemap-people.xml", "/sitemap-authors.xml",
        "/sitemap-events.xml", "/sitemap-news.xml",
    ],
)  # fmt: skip
def test_sitemaps_validate_against_the_schemas(
    client, seed, sitemap_schema, url, settings, tmp_path
):
    from lxml import etree

    settings.MEDIA_ROOT = tmp_path
    ArticleFactory(image=image_upload(), image_alt="Ảnh")
    document = etree.fromstring(client.get(url).content)
    assert sitemap_schema.validate(document), sitemap_schema.error_log


def test_the_schemas_do_catch_mistakes(sitemap_schema):
    from lxml import etree

    bad = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
        b"<lastmod>yesterday</lastmod><loc>/relative/</loc></url></urlset>"
    )
    assert not sitemap_schema.validate(etree.fromstring(bad))


def test_sitemaps_read_a_page_of_stories_not_the_archive(client, db, monkeypatch):
    """Django's sitemaps count and OFFSET through the archive on every request.
    Here a page is a range of ids, read along the primary key however deep: at
    most ``limit`` stories, every published story exactly once; their
    translations are read by the page's ids."""
    import re

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from articles.site.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 5)
    stories = ArticleFactory.create_batch(25)
    Article.objects.filter(pk__in=[s.pk for s in stories[:5]]).update(status="draft")
    pages = -(-stories[-1].pk // 5)

    with CaptureQueriesContext(connection) as queries:
        index = client.get("/sitemap.xml").content.decode()
    assert f"sitemap-stories.xml?p={pages}<" in index and f"p={pages + 1}<" not in index
    assert client.get(f"/sitemap-stories.xml?p={pages + 1}").status_code == 404
    found = []
    for page in range(1, pages + 1):
        with CaptureQueriesContext(connection) as more:
            xml = client.get(f"/sitemap-stories.xml?p={page}").content.decode()
        queries.captured_queries.extend(more.captured_queries)
        assert xml.count("<loc>") <= 5
        found += re.findall(r"<loc>http://testserver/tin/([^/<]+)/</loc>", xml)
    assert sorted(found) == sorted(s.slug for s in stories[5:])  # each once, no draft
    reads = [q["sql"] for q in queries.captured_queries if 'FROM "articles_article"' in q["sql"]]
    assert reads and all("OFFSET" not in sql for sql in reads)
    by_ids = (" BETWEEN ", '"id" >', "MAX(", '"id" IN (')
    assert all(any(part in sql for part in by_ids) for sql in reads), reads
