"""Linked translations: a story and its translation name each other (hreflang,
links, JSON-LD, sitemaps, API), each language's site lists its own stories, and
an unpublished translation shows nowhere."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from articles.models import Article, Section
from tests.factories import ArticleFactory, SectionFactory
from tests.seed import STORY_000
from tests.tools import sitemap_pages

pytestmark = pytest.mark.django_db

ORIGINAL = STORY_000.split("/")[2]
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def translate(original: Article, **fields) -> Article:
    """An English translation of ``original``, in its section, naming what it names."""
    story = ArticleFactory(
        headline=fields.pop("headline", "Vietnam and the US push strategic cooperation"),
        sapo="Vietnam and the United States agreed to deepen cooperation.",
        language="en",
        translation_of=original,
        section=original.section,
        **fields,
    )
    story.organizations.set(original.organizations.all())
    story.tags.add("LNG")
    return story


def alternates(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'application/ld\+json">(.*?)</script>', html, re.S).group(1))


@pytest.fixture
def original(seed):
    return Article.objects.get(slug=ORIGINAL)


@pytest.fixture
def english(original):
    return translate(original)


# -- the model


def test_a_translation_is_in_another_language_than_its_original(original):
    story = Article(headline="Bản sao", sapo="…", language="vi", translation_of=original)
    with pytest.raises(ValidationError) as refused:
        story.full_clean()
    assert "translation_of" in refused.value.message_dict


def test_a_story_is_not_its_own_translation(original):
    original.language, original.translation_of = "en", original
    with pytest.raises(ValidationError) as refused:
        original.full_clean()
    assert "translation_of" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=original.pk).update(translation_of=original.pk)


def test_a_translation_of_a_translation_belongs_to_the_original(original, english):
    third = Article(headline="Tiêu đề", sapo="…", language="vi", translation_of=english)
    with pytest.raises(ValidationError):  # Vietnamese, like the original it would belong to
        third.full_clean(exclude=["slug"])
    french_like = Article(
        headline="Tin", sapo="…", language="en", translation_of=english, status="published"
    )
    with pytest.raises(ValidationError) as refused:  # the original has its English one
        french_like.full_clean(exclude=["slug"])
    assert "translation_of" in refused.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(language="en", translation_of=original)


def test_an_original_with_translations_cannot_become_a_translation(original, english):
    other = ArticleFactory(language="en")
    original.translation_of = other
    with pytest.raises(ValidationError) as refused:
        original.full_clean()
    assert "translation_of" in refused.value.message_dict
    original.translation_of = None
    original.language = "en"  # the language its translation already has
    with pytest.raises(ValidationError) as refused:
        original.full_clean()
    assert "language" in refused.value.message_dict


def _translation_form(client, original, headline: str, status: str):
    return client.post(
        reverse("admin:articles_article_add"),
        {
            "headline": headline,
            "sapo": "In English.",
            "language": "en",
            "translation_of": original.pk,
            "move": {"draft": "", "published": "publish"}[status],
            "publish_without_byline": "on",
            "bylines-TOTAL_FORMS": 0,
            "bylines-INITIAL_FORMS": 0,
            **{f"{p}-TOTAL_FORMS": 0 for p in ("pins", "corrections", "state_changes")},
            **{f"{p}-INITIAL_FORMS": 0 for p in ("pins", "corrections", "state_changes")},
        },
    )


def test_a_draft_does_not_hold_the_place_of_the_translation(client, reporter, editor, original):
    """A reporter's draft marked as the English version of any published story
    does not keep the editor's real translation out; once one is published, a
    second is refused, naming the story that holds the place, by every road."""
    client.force_login(reporter)
    assert _translation_form(client, original, "A reporter's draft", "draft").status_code == 302
    client.force_login(editor)
    published = _translation_form(client, original, "The desk's translation", "published")
    assert published.status_code == 302, published.content.decode()[:2000]
    real = Article.objects.get(headline="The desk's translation")
    assert client.get(real.get_absolute_url()).status_code == 200

    second = _translation_form(client, original, "A second translation", "published")
    assert second.status_code == 200  # the form again, saying why
    page = second.content.decode()
    assert f"bài số {real.pk}" in page and "The desk&#x27;s translation" in page
    assert not Article.objects.filter(headline="A second translation").exists()

    draft = Article.objects.get(headline="A reporter's draft")
    changelist = reverse("admin:articles_article_changelist")
    client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT  # refused by the list's action too
    assert list(original.translations.filter(status="published")) == [real]


# -- the story pages


def test_a_story_and_its_translation_name_each_other(client, original, english):
    vi = client.get(STORY_000).content.decode()
    en_url = f"/en/tin/{english.slug}/"
    assert english.get_absolute_url() == en_url
    assert alternates(vi) == {
        "vi": f"http://testserver{STORY_000}",
        "en": f"http://testserver{en_url}",
        "x-default": f"http://testserver{STORY_000}",
    }
    assert f'href="{en_url}" hreflang="en"' in vi  # the reader's link, in the story's header
    assert json_ld(vi)["workTranslation"][0]["url"] == f"http://testserver{en_url}"

    en = client.get(en_url).content.decode()
    assert alternates(en) == alternates(vi)
    assert 'class="source"' in vi and 'class="source"' not in en  # its source is its original
    assert f'href="{STORY_000}" hreflang="vi"' in en
    assert 'hreflang="vi" lang="vi">Tiếng Việt</a>' in en  # as typed (composed), findable
    assert json_ld(en)["translationOfWork"][0]["inLanguage"] == "vi"
    assert '<html lang="en">' in en


def test_the_language_switcher_of_a_story_goes_to_its_translation_or_the_other_home(
    client, original, english
):
    alone = ArticleFactory(headline="Tin chỉ có tiếng Việt")
    html = client.get(alone.get_absolute_url()).content.decode()
    assert alternates(html) == {}  # one language: nothing to name
    assert re.search(r'<a href="/en/" hreflang="en" lang="en">English</a>', html)
    html = client.get(STORY_000).content.decode()
    assert re.search(rf'<a href="/en/tin/{english.slug}/" hreflang="en" lang="en">', html)


def test_a_story_asked_for_on_the_other_site_goes_to_its_version_there(client, original, english):
    response = client.get(f"/en{STORY_000}")
    assert response.status_code == 302
    assert response["Location"] == f"/en/tin/{english.slug}/"
    response = client.get(f"/tin/{english.slug}/")
    assert response["Location"] == STORY_000
    english_only = ArticleFactory(language="en", headline="Only in English")
    response = client.get(f"/tin/{english_only.slug}/")
    assert response.status_code == 302
    assert response["Location"] == f"/en/tin/{english_only.slug}/"


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.ARCHIVED, "scheduled"]
)
def test_an_unpublished_translation_shows_nowhere(client, original, status):
    if status == "scheduled":
        from django.utils import timezone

        hidden = translate(original, published_at=timezone.now() + timezone.timedelta(days=1))
    else:
        hidden = translate(original, status=status)
    sitemap = "".join(xml.decode() for xml in sitemap_pages(client))
    assert ORIGINAL in sitemap  # the original is listed there, and its translation not
    pages = [
        client.get(STORY_000).content.decode(),
        sitemap,
        client.get("/en/").content.decode(),
        client.get("/en/rss/").content.decode(),
        client.get(f"/api/stories/{ORIGINAL}").content.decode(),
    ]
    for page in pages:
        assert hidden.slug not in page and hidden.headline not in page
    assert alternates(pages[0]) == {}
    response = client.get(f"/en{STORY_000}")
    assert response["Location"] == STORY_000  # not to the hidden translation
    assert client.get(f"/en/tin/{hidden.slug}/").status_code == 404


# -- each site lists its own language's stories


@pytest.fixture
def both(seed):
    section = Section.objects.get(slug="kinh-te")
    vi = ArticleFactory(headline="Tin kinh tế bằng tiếng Việt", section=section)
    en = ArticleFactory(headline="An economy story in English", section=section, language="en")
    for story in (vi, en):
        story.tags.add("LNG")
        story.organizations.add(*original_orgs())
    return vi, en


def original_orgs():
    return Article.objects.get(slug=ORIGINAL).organizations.all()


LISTINGS = [
    "/",
    "/tin-moi/",
    "/tim-kiem/?q=tin",
    "/tim-kiem/?q=story",
    "/chuyen-muc/kinh-te/",
    "/the/lng/",
    "/to-chuc/spacex/",
    "/rss/",
    "/atom/",
    "/chuyen-muc/kinh-te/rss/",
    "/to-chuc/spacex/atom/",
]


@pytest.mark.parametrize("listing", LISTINGS)
def test_each_site_lists_the_stories_of_its_language(client, both, listing):
    vi, en = both
    vietnamese = client.get(listing).content.decode()
    english = client.get(f"/en{listing}").content.decode()
    # By address: search results mark the reader's words inside headlines.
    assert en.slug not in vietnamese
    assert vi.slug not in english
    if "q=story" not in listing:
        assert f"/tin/{vi.slug}/" in vietnamese
    if "q=tin" not in listing:
        assert f"/en/tin/{en.slug}/" in english


def test_the_english_site_names_things_in_english_and_its_feeds_say_so(client, both):
    english = client.get("/en/").content.decode()
    assert ">Economy</a>" in english and "Kinh tế" not in english
    assert "<language>en</language>" in client.get("/en/rss/").content.decode()
    assert "<language>vi</language>" in client.get("/rss/").content.decode()


def test_related_news_is_in_the_story_s_language(client, original, english):
    vi_neighbour = ArticleFactory(headline="Tin liên quan tiếng Việt", section=original.section)
    vi_neighbour.organizations.set(original.organizations.all())
    en_neighbour = translate(ArticleFactory(), headline="A related English story")
    html = client.get(STORY_000).content.decode()
    assert "Tin liên quan tiếng Việt" in html and "A related English story" not in html
    html = client.get(english.get_absolute_url()).content.decode()
    assert "A related English story" in html and "Tin liên quan tiếng Việt" not in html
    assert en_neighbour.language == "en"


def test_an_english_site_without_stories_says_so_and_points_to_the_vietnamese(client, seed):
    html = client.get("/en/").content.decode()
    assert "Việt Nam và Hoa Kỳ" not in html
    assert 'href="/" hreflang="vi"' in html


# -- sitemaps and the API


def test_the_stories_sitemap_lists_each_story_once_at_its_own_address(client, original, english):
    urls = {
        u.find("s:loc", NS).text: {
            a.get("hreflang"): a.get("href") for a in u.findall("x:link", NS)
        }
        for xml in sitemap_pages(client)
        for u in ET.fromstring(xml).findall("s:url", NS)
    }
    vi, en = f"http://testserver{STORY_000}", f"http://testserver/en/tin/{english.slug}/"
    assert f"http://testserver/en{STORY_000}" not in urls
    assert urls[vi] == urls[en] == {"vi": vi, "en": en, "x-default": vi}
    alone = next(loc for loc in urls if "bo-truong" in loc)
    assert urls[alone] == {}
    # Pages of things are still in both languages.
    sections = "".join(xml.decode() for xml in sitemap_pages(client, "sections"))
    assert "/en/chuyen-muc/kinh-te/" in sections
    news = client.get("/sitemap-news.xml").content.decode()
    assert f"/en/tin/{english.slug}/</loc>" in news and "<news:language>en<" in news


def test_the_api_filters_by_language_and_names_translations(client, original, english):
    listed = client.get("/api/stories?language=en").json()["items"]
    assert [s["slug"] for s in listed] == [english.slug]
    assert {s["language"] for s in client.get("/api/stories?language=vi").json()["items"]} == {"vi"}
    assert client.get("/api/stories?language=xx").status_code == 422
    story = client.get(f"/api/stories/{ORIGINAL}").json()
    assert story["translations"] == [
        {
            "name": english.headline,
            "code": english.slug,
            "uri": f"http://testserver/en/tin/{english.slug}/",
            "language": "en",
        }
    ]
    assert client.get(f"/api/stories/{english.slug}").json()["translations"][0]["code"] == ORIGINAL


# -- the desk


def test_an_editor_starts_a_translation_from_the_story_with_what_it_shares(
    client, editor, original
):
    client.force_login(editor)
    change = reverse("admin:articles_article_change", args=[original.pk])
    html = client.get(change).content.decode()
    start = re.search(r'href="(/admin/articles/article/add/\?[^"]+)">', html).group(1)
    form = client.get(start.replace("&amp;", "&")).content.decode()
    assert re.search(rf'<option value="{original.pk}" selected>', form)
    assert '<option value="en" selected>' in form
    spacex = original.organizations.get(slug="spacex")
    assert re.search(rf'<option value="{spacex.pk}" selected>', form)

    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "headline": "Vietnam and the US push strategic cooperation",
            "sapo": "In English.",
            "language": "en",
            "translation_of": original.pk,
            "bylines-TOTAL_FORMS": 0,
            "bylines-INITIAL_FORMS": 0,
            **{f"{p}-TOTAL_FORMS": 0 for p in ("pins", "corrections", "state_changes")},
            **{f"{p}-INITIAL_FORMS": 0 for p in ("pins", "corrections", "state_changes")},
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    translation = Article.objects.get(language="en")
    assert translation.translation_of == original
    assert "Vietnam and the US" in client.get(change).content.decode()  # listed on the original


def test_a_reporter_may_translate_a_published_story_but_not_see_others_drafts(
    client, reporter, original
):
    someone_elses = ArticleFactory(headline="Bản nháp của người khác", status="draft")
    client.force_login(reporter)
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "translation_of",
            "term": "",
        },
    ).json()["results"]
    names = {r["text"] for r in found}
    assert original.headline in names and someone_elses.headline not in names
    assert client.get(reverse("admin:articles_article_changelist")).status_code == 200
    listed = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert original.headline not in listed  # the desk still shows reporters their own


def test_a_translations_section_has_an_english_name_used_on_the_english_site(client, english):
    english.section.name_en = "Economy"
    english.section.save()
    html = client.get(english.get_absolute_url()).content.decode()
    assert ">Economy</a>" in html


def test_a_story_moved_to_english_keeps_readers_on_one_address(client, seed):
    story = ArticleFactory(headline="A story first filed as Vietnamese", section=SectionFactory())
    old = story.get_absolute_url()
    Article.objects.filter(pk=story.pk).update(language="en")
    response = client.get(old)
    assert response.status_code == 302 and response["Location"] == f"/en{old}"


def test_the_preview_of_an_english_draft_is_in_english(client, editor, original):
    draft = translate(original, status=Article.Status.DRAFT)
    client.force_login(editor)
    response = client.get(reverse("admin:articles_article_preview", args=[draft.pk]))
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="en">' in html
    assert "Vietnam and the US" in html and "Preview – status: Draft." in html


def test_a_translation_keeps_the_links_it_was_started_with(client, editor, original):
    """Sent as the browser has it, the new story carries its original's links
    even though nobody changed them."""
    from tests.browser_form import post_form

    client.force_login(editor)
    change = reverse("admin:articles_article_change", args=[original.pk])
    start = re.search(
        r'href="(/admin/articles/article/add/\?[^"]+)">', client.get(change).content.decode()
    )
    response = post_form(
        client,
        start.group(1).replace("&amp;", "&"),
        headline="Vietnam and the US",
        sapo="In English.",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    translation = Article.objects.get(language="en")
    for name in ("organizations", "people", "events", "countries"):
        linked = set(getattr(translation, name).values_list("pk", flat=True))
        assert linked == set(getattr(original, name).values_list("pk", flat=True)), name


def test_a_translation_starts_beside_its_original_with_its_bylines_and_source(
    client, editor, original
):
    """The new translation's form shows the original's text, paragraph by paragraph,
    and carries its bylines (the translator's added), its source and section; the
    English page then credits the outlet and the writer as the Vietnamese does."""
    from bs4 import BeautifulSoup

    from tests.browser_form import post_form

    editor.first_name, editor.last_name = "Lan", "Nguyễn"
    editor.save()
    client.force_login(editor)
    start = reverse("admin:articles_article_add") + f"?translation_of={original.pk}&language=en"
    page = BeautifulSoup(client.get(start).text, "html.parser")
    beside = page.select_one(".story-panes.translating details.story-original")
    assert beside["lang"] == "vi"
    assert beside.select_one(".original-headline").get_text() == original.headline
    assert beside.select_one(".original-sapo").get_text() == original.sapo
    paragraphs = beside.select(".original-body > p")
    assert len(paragraphs) > 5 and paragraphs[0].get_text()[:20] in original.body
    chosen = [
        o["value"] for o in page.select("#bylines-group select option[selected]") if o["value"]
    ]
    writer = original.bylines.get().author
    assert chosen[0] == str(writer.pk) and len(chosen) == 2  # the original's, then the translator's
    assert page.select_one("#id_source_outlet option[selected]")["value"] == str(
        original.source_outlet_id
    )

    response = post_form(client, start, headline="Vietnam and the US deepen cooperation",
                         sapo="In English.", body="<p>The first paragraph, in English.</p>",
                         move="publish")  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    english = Article.objects.get(language="en")
    assert english.translation_of == original and english.section == original.section
    assert english.source_outlet == original.source_outlet
    assert [b.author.name for b in english.bylines.all()] == [writer.name, "Lan Nguyễn"]
    client.logout()
    html = client.get(english.get_absolute_url()).content.decode()
    assert original.source_outlet.name in html and writer.name in html
    assert "Author unknown" not in html


def test_a_translation_s_form_keeps_its_original_beside_it(client, editor, english):
    client.force_login(editor)
    html = client.get(reverse("admin:articles_article_change", args=[english.pk])).text
    assert 'class="story-original"' in html and english.translation_of.headline in html


def test_a_story_the_user_may_not_see_is_not_shown_as_an_original(client, reporter):
    someone_elses = ArticleFactory(headline="Bản nháp của người khác", status="draft")
    client.force_login(reporter)
    html = client.get(
        reverse("admin:articles_article_add") + f"?translation_of={someone_elses.pk}"
    ).text
    assert "story-original" not in html and "Bản nháp của người khác" not in html


def test_the_english_site_writes_its_dates_the_english_way(client, original):
    """ "Wednesday, 21 May 2025, 17:05 (GMT+7)" on /en/, not the Vietnamese order."""
    moment = original.published_at
    story = translate(original, published_at=moment)
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Wednesday, 21 May 2025, 17:05 (GMT+7)" in page
    assert "21/05/2025" not in page
    assert (
        "Thứ Tư, 21/05/2025, 17:05 (GMT+7)"
        in client.get(original.get_absolute_url()).content.decode()
    )


def test_the_english_site_names_organizations_and_people_in_english_and_marks_the_rest(
    client, seed
):
    """Under its English name where it has one, unmarked; as written, marked
    ``lang="vi"``, where it has none. The Vietnamese site marks nothing."""
    ministry = client.get("/en/to-chuc/bo-cong-thuong/").content.decode()
    assert "<h1>Ministry of Industry and Trade</h1>" in ministry
    minister = client.get("/en/nhan-vat/nguyen-hong-dien/").content.decode()
    assert "<h1>Nguyen Hong Dien</h1>" in minister
    # his title has no English form: as written, marked; his ministry under its English name
    assert '<span lang="vi">Bộ trưởng Bộ Công Thương kiêm' in minister
    assert ">Ministry of Industry and Trade</a>" in minister
    people = client.get("/en/to-chuc/spacex/").content.decode()
    assert '<span lang="vi">Phó Chủ tịch SpaceX</span>' in people
    outlet = client.get("/en/to-chuc/so-huu-tri-tue/").content.decode()
    assert '<h1 lang="vi">Sở hữu trí tuệ</h1>' in outlet
    trip = client.get("/en/su-kien/chuyen-cong-tac-cua-bo-truong-nguyen-hong-dien-tai-hoa-ky/")
    html = trip.content.decode()
    assert '<h1 lang="vi">Chuyến công tác' in html
    assert re.search(r'<p class="description" lang="vi">', html)
    assert ">Nguyen Hong Dien</a>" in html and 'lang="vi">Nguyễn Hồng Diên' not in html
    vietnamese = client.get("/to-chuc/so-huu-tri-tue/").content.decode()
    assert (
        "<h1>Sở hữu trí tuệ</h1>" in vietnamese
        and 'lang="vi">' not in vietnamese.split("<main", 1)[1]
    )
