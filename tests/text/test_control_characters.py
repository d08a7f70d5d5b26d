"""Characters XML 1.0 forbids (a vertical tab typed into a headline, a form feed
pasted from a word processor, C1 controls, noncharacters) are stripped from
every text on the way in, and never take a feed or a sitemap down, even from a
row stored before they were."""

import xml.etree.ElementTree as ET

import pytest
from django.contrib.auth.models import User

from articles.models import (
    Article,
    Author,
    Event,
    Organization,
    Outcome,
    Person,
    Section,
    Tag,
)
from tests.browser_form import post_form
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
FORBIDDEN = ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\ufffe"]
ADMIN = "/admin/articles"


def xml_of(client, url: str) -> ET.Element:
    response = client.get(url)
    assert response.status_code == 200, url
    return ET.fromstring(response.content)  # strict: one bad character fails


def feeds_and_sitemaps(story: Article, tag: Tag, organization: Organization) -> list[str]:
    return [
        "/rss/",
        "/atom/",
        f"{tag.get_absolute_url()}rss/",
        f"{tag.get_absolute_url()}atom/",
        f"{organization.get_absolute_url()}rss/",
        f"{story.section.get_absolute_url()}atom/",
        "/sitemap-news.xml",
        "/sitemap.xml",
        "/sitemap-stories.xml",
        "/sitemap-tags.xml",
    ]


@pytest.mark.parametrize("char", FORBIDDEN, ids=[f"U+{ord(c):04X}" for c in FORBIDDEN])
def test_forbidden_characters_are_stripped_from_every_text_on_the_way_in(client, char):
    story = ArticleFactory(
        headline=f"Việt Nam{char}Hoa Kỳ",
        sapo=f"Sapo{char} có ký tự lạ.",
        body=f"<p>Thân{char} bài.</p>",
        image_caption=f"Chú{char}thích",
    )
    story.tags.add(f"LNG{char}khí")
    organization = Organization.objects.create(name=f"PV{char}GAS")
    story.organizations.add(organization)
    person = Person.objects.create(name=f"Nguyễn{char} Hồng Diên", title=f"Bộ{char}trưởng")
    author = Author.objects.create(name=f"Phóng{char} viên")
    event = Event.objects.create(title=f"Cuộc{char} gặp", start_date="2025-05-20")
    outcome = Outcome.objects.create(event=event, description=f"Cam{char} kết")

    separator = " " if char in "\x0b\x0c" else ""
    story.refresh_from_db()
    assert story.headline == f"Việt Nam{separator}Hoa Kỳ"
    assert char not in story.sapo + story.body + story.image_caption + story.search_text
    for thing, field in [
        (Tag.objects.get(slug__startswith="lng"), "name"),
        (organization, "name"),
        (person, "name"),
        (person, "title"),
        (author, "name"),
        (event, "title"),
        (outcome, "description"),
    ]:
        thing.refresh_from_db()
        assert char not in getattr(thing, field), (thing, field)

    tag = Tag.objects.get(slug__startswith="lng")
    for url in feeds_and_sitemaps(story, tag, organization):
        xml_of(client, url)
    for url in (story.get_absolute_url(), "/", "/tim-kiem/?q=hoa+ky", f"/api/stories/{story.slug}"):
        assert client.get(url).status_code == 200, url


def test_rows_stored_before_the_check_do_not_take_feeds_or_sitemaps_down(client):
    story = ArticleFactory(headline="Tin bình thường")
    story.tags.add("LNG")
    organization = Organization.objects.create(name="PV GAS")
    story.organizations.add(organization)
    # Written around the models, as an older build or a bulk load would have.
    Article.objects.filter(pk=story.pk).update(
        headline="Tin\x0bhỏng\x01", sapo="Sapo\x0c\x1f.", image_caption="\x85"
    )
    Tag.objects.filter(name="LNG").update(name="LNG\x0b")
    Organization.objects.filter(pk=organization.pk).update(name="PV\x0bGAS")
    Section.objects.filter(pk=story.section_id).update(name="Kinh\x0btế")
    story.refresh_from_db()
    tag = Tag.objects.get()
    organization.refresh_from_db()

    rss = xml_of(client, "/rss/")
    assert rss.find("channel/item/title").text == "Tin hỏng"
    news = xml_of(client, "/sitemap-news.xml")
    ns = {"news": "http://www.google.com/schemas/sitemap-news/0.9"}
    assert news.find(".//news:title", ns).text == "Tin hỏng"
    for url in feeds_and_sitemaps(story, tag, organization):
        xml_of(client, url)


def test_the_desk_strips_them_before_judging_a_unique_name(client):
    """A tag or a section typed with a stray control character is the same name:
    the form finds it (no duplicate, no server error)."""
    client.force_login(User.objects.create_superuser("quantri", password="x"))
    Section.objects.create(name="Kinh tế")
    Tag.objects.create(name="LNG")
    section = {"slug": "", "position": "0"}
    response = post_form(client, f"{ADMIN}/section/add/", name="Kinh\x0btế", **section)
    assert response.status_code == 200 and "đã tồn tại" in response.content.decode()
    response = post_form(client, f"{ADMIN}/section/add/", name="Năng\x0clượng", **section)
    assert response.status_code == 302
    assert Section.objects.filter(name="Năng lượng").exists()

    fields = {"headline": "Tin\x0bmới", "sapo": "Sapo\x01.", "body": "<p>A\x0bB</p>"}
    assert (
        post_form(client, f"{ADMIN}/article/add/", tags="LNG\x0b, khí\x1f", **fields).status_code
        == 302
    )
    story = Article.objects.get(headline="Tin mới")
    assert story.sapo == "Sapo." and "\x0b" not in story.body
    assert sorted(story.tags.names()) == ["LNG", "khí"]
    assert Tag.objects.count() == 2


def test_what_a_reader_types_comes_back_without_them(client):
    ArticleFactory(headline="Hoa Kỳ và Việt Nam")
    for url in ("/tim-kiem/?q=hoa%0Bky%01", "/tin-moi/?q=hoa%0Bky%01"):
        html = client.get(url).content.decode()
        assert "\x0b" not in html and "\x01" not in html, url
        assert "hoa ky" in html, url
    api = client.get("/api/stories?q=hoa%0Bky")
    assert api.status_code == 200 and len(api.json()["items"]) == 1
