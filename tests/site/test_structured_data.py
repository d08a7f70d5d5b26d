"""What search engines and social sites read: JSON-LD, Open Graph, Twitter
cards, canonical and hreflang links, descriptions."""

import extruct
import pytest

from articles.models import Article
from tests.factories import ArticleFactory, image_upload
from tests.seed import STORY_000, STORY_001, TRIP

pytestmark = pytest.mark.django_db
BASE = "http://testserver"


def data(client, url):
    html = client.get(url).content.decode()
    return html, extruct.extract(html, base_url=BASE + url, syntaxes=["json-ld", "opengraph"])


def test_story_is_a_news_article(client, seed):
    _html, found = data(client, STORY_000)
    (article,) = found["json-ld"]
    assert article["@type"] == "NewsArticle"
    assert article["headline"].startswith("Việt Nam và Hoa Kỳ")
    assert article["datePublished"] == "2025-05-21T17:05:00+07:00"
    assert article["dateModified"].endswith("+07:00")
    assert article["author"] == [
        {"@type": "Person", "name": "Minh Thư", "url": f"{BASE}/tac-gia/minh-thu/"}
    ]
    assert article["publisher"]["name"] == "Toà soạn"
    assert {e["name"] for e in article["about"]} >= {
        "Chuyến công tác của Bộ trưởng Nguyễn Hồng Diên tại Hoa Kỳ"
    }
    mentioned = {(m["@type"], m["name"]) for m in article["mentions"]}
    assert ("Organization", "SpaceX") in mentioned and ("Person", "Karan Bhatia") in mentioned
    assert article["isBasedOn"]["publisher"]["name"] == "Sở hữu trí tuệ"


def test_a_story_without_a_stated_time_claims_none(client, seed):
    _html, found = data(client, STORY_001)
    (article,) = found["json-ld"]
    assert "datePublished" not in article and "author" not in article


def test_story_with_an_image_lists_it(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    story = ArticleFactory(image=image_upload("a.jpg", "JPEG", (1200, 630)), image_alt="Ảnh")
    html, found = data(client, story.get_absolute_url())
    assert found["json-ld"][0]["image"] == [BASE + story.image.url]
    assert f'<meta property="og:image" content="{BASE}{story.image.url}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_event_page_is_an_event(client, seed):
    _html, found = data(client, TRIP)
    (event,) = found["json-ld"]
    assert event["@type"] == "Event" and event["startDate"] == "2025-05-20"
    assert event["location"]["address"]["addressCountry"] == "US"
    assert event["organizer"] == [
        {
            "@type": "Organization",
            "name": "Bộ Công Thương",
            "url": f"{BASE}/to-chuc/bo-cong-thuong/",
        }
    ]
    assert event["attendee"][0]["name"] == "Nguyễn Hồng Diên"
    assert len(event["subEvent"]) == 4
    _html, found = data(client, "/su-kien/bo-truong-nguyen-hong-dien-lam-viec-voi-spacex/")
    meeting = found["json-ld"][0]
    assert meeting["superEvent"]["url"] == BASE + TRIP
    assert {a["name"] for a in meeting["attendee"]} == {"Nguyễn Hồng Diên", "Tim Hughes"}


def test_organization_page_is_an_organization(client, seed):
    _html, found = data(client, "/to-chuc/spacex/")
    (org,) = found["json-ld"]
    assert org["@type"] == "Organization" and org["alternateName"] == ["Space X"]
    assert org["member"][0]["name"] == "Tim Hughes"
    _html, found = data(client, "/to-chuc/bo-cong-thuong/")
    assert found["json-ld"][0]["@type"] == "GovernmentOrganization"


def test_sharing_tags_canonical_and_languages(client, seed):
    html, found = data(client, STORY_000 + "?utm_source=x")
    og = dict(found["opengraph"][0]["properties"])
    assert og["og:type"] == "article" and og["og:title"].startswith("Việt Nam và Hoa Kỳ")
    assert og["og:description"].startswith("(SHTT) - Ngày 20/5/2025")
    assert og["article:published_time"] == "2025-05-21T17:05:00+07:00"
    assert f'<link rel="canonical" href="{BASE}{STORY_000}">' in html
    assert 'rel="alternate" hreflang=' not in html  # no translation: no other language to name
    assert f'<link rel="alternate" hreflang="en" href="{BASE}/en/to-chuc/spacex/">' in (
        client.get("/to-chuc/spacex/").content.decode()  # a thing's page is in both languages
    )
    assert '<meta name="description" content="(SHTT) - Ngày 20/5/2025' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_feeds_are_announced(client, seed):
    html = client.get("/to-chuc/spacex/").content.decode()
    assert 'type="application/rss+xml"' in html and 'href="/to-chuc/spacex/rss/"' in html
    assert 'href="/rss/"' in html and 'href="/atom/"' in html


def test_json_ld_cannot_be_broken_out_of(client, db):
    story = ArticleFactory(headline='</script><script>alert(1)</script> & "x"')
    html = client.get(story.get_absolute_url()).content.decode()
    block = html[html.index('<script type="application/ld+json">') :]
    block = block[: block.index("</script>") + len("</script>")]
    assert "<script>alert" not in block and "\\u003c/script\\u003e" in block
    assert Article.objects.count() == 1
