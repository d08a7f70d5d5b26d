"""Corrections and updates: an editor's dated note on a published story, shown
to readers, and the story's dateModified everywhere."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Correction
from tests.browser_form import form_values, post_form
from tests.factories import ArticleFactory
from tests.seed import STORY_000
from tests.tools import sitemap_pages

pytestmark = pytest.mark.django_db
NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def _json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html)[1])


def test_an_editor_corrects_a_published_story_in_public(client, seed, editor):
    story = Article.objects.get(slug=STORY_000.split("/")[2])
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[story.pk])
    response = post_form(
        client,
        url,
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-note": "Bài trước ghi nhầm số trạm mặt đất.",
            "corrections-0-at_0": "2025-05-22",
            "corrections-0-at_1": "09:15",
            "corrections-0-article": str(story.pk),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    correction = Correction.objects.get()
    at = datetime.datetime(
        2025, 5, 22, 9, 15, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
    )
    assert (correction.at, correction.by) == (at, editor)
    assert Article.objects.get(pk=story.pk).revised_at == at
    client.logout()

    html = client.get(STORY_000).content.decode()
    notes = html[html.index('<aside class="corrections"') : html.index("</aside>")]
    assert "Đính chính" in notes and "09:15, 22/05/2025" in notes and "số trạm mặt đất" in notes
    assert _json_ld(html)["dateModified"] == "2025-05-22T09:15:00+07:00"
    assert 'content="2025-05-22T09:15:00+07:00"' in html  # article:modified_time
    lastmods = {
        u.find("s:loc", NS).text: getattr(u.find("s:lastmod", NS), "text", None)
        for xml in sitemap_pages(client)
        for u in ET.fromstring(xml).findall("s:url", NS)
    }
    assert lastmods["http://testserver" + STORY_000].startswith("2025-05-22T09:15:00")
    atom = feedparser.parse(client.get("/atom/").content).entries
    entry = next(e for e in atom if e.link.endswith(STORY_000))
    assert entry.updated_parsed[:5] == (2025, 5, 22, 2, 15)
    rss = feedparser.parse(client.get("/rss/").content).entries
    item = next(e for e in rss if e.link.endswith(STORY_000))
    assert item.summary.startswith("Đính chính (09:15, 22/05/2025): Bài trước ghi nhầm")
    (note,) = client.get("/api/stories/" + story.slug).json()["corrections"]
    assert (note["kind"], note["note"]) == ("correction", "Bài trước ghi nhầm số trạm mặt đất.")
    assert datetime.datetime.fromisoformat(note["at"]) == at


def test_an_update_puts_an_older_story_back_in_the_news_sitemap(client, seed):
    old = ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=5))
    assert old.get_absolute_url() not in client.get("/sitemap-news.xml").content.decode()
    Correction.objects.create(article=old, kind="update", note="Thêm phản hồi của bộ.")
    xml = client.get("/sitemap-news.xml").content.decode()
    assert old.get_absolute_url() in xml and "<lastmod>" in xml
    html = client.get(old.get_absolute_url()).content.decode()
    assert "Cập nhật</strong>" in html and "Thêm phản hồi của bộ." in html


def test_only_editors_correct_and_only_what_readers_have_seen(client, seed, editor, reporter):
    published = Article.objects.get(slug=STORY_000.split("/")[2])
    draft = ArticleFactory(status=Article.Status.DRAFT, created_by=reporter)
    client.force_login(editor)
    for story, shown in ((published, True), (draft, False)):
        url = reverse("admin:articles_article_change", args=[story.pk])
        assert ("corrections-TOTAL_FORMS" in form_values(client.get(url).content.decode())) is shown
    client.force_login(reporter)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    assert "corrections-TOTAL_FORMS" not in form_values(client.get(url).content.decode())
    # a correction on a later revision keeps the newest time
    Correction.objects.create(article=published, note="Một.", at=timezone.now())
    first = Article.objects.get(pk=published.pk).revised_at
    Correction.objects.create(
        article=published, note="Cũ hơn.", at=timezone.now() - datetime.timedelta(days=1)
    )
    assert Article.objects.get(pk=published.pk).revised_at == first


def test_restoring_an_older_revision_keeps_the_corrections_and_pins(client, seed, editor):
    import reversion
    from reversion.models import Version

    from articles.models import Pin

    story = Article.objects.get(slug=STORY_000.split("/")[2])
    with reversion.create_revision():
        story.save()
    old = Version.objects.get_for_object(story).first()
    Correction.objects.create(article=story, note="Sửa sau bản cũ.")
    Pin.objects.create(article=story, slot="lead")
    client.force_login(editor)
    url = reverse("admin:articles_article_revision", args=[story.pk, old.pk])
    response = post_form(client, url)
    assert response.status_code == 302, response.content.decode()[:500]
    assert story.corrections.count() == 1 and story.pins.count() == 1
