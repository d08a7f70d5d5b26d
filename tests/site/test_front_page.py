"""The edited front page: pinned lead and top stories, the newest filling the
rest, then each section's latest; the filters on the latest stories' page."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.freshness import moments
from articles.models import Article, Pin
from articles.site.frontpage import LATEST, PER_SECTION
from tests.browser_form import form_values
from tests.factories import ArticleFactory, SectionFactory, image_upload

pytestmark = pytest.mark.django_db


def order(html: str, *headlines: str) -> list[int]:
    return [html.index(h) for h in headlines]


def test_editors_pins_make_the_lead_and_top_in_their_order(client, seed):
    older = [
        ArticleFactory(
            headline=f"Tin cũ {n}", published_at=timezone.now() - datetime.timedelta(days=30 + n)
        )
        for n in range(3)
    ]
    Pin.objects.create(article=older[2], slot=Pin.Slot.LEAD)
    Pin.objects.create(article=older[0], slot=Pin.Slot.TOP, position=2)
    Pin.objects.create(article=older[1], slot=Pin.Slot.TOP, position=1)
    html = client.get("/").content.decode()
    lead = html[html.index('class="front-lead"') : html.index('class="front-top"')]
    assert "Tin cũ 2" in lead
    top = html[html.index('class="front-top"') :]
    assert order(top, "Tin cũ 1", "Tin cũ 0") == sorted(order(top, "Tin cũ 1", "Tin cũ 0"))
    # the newest stories fill the top slots the pins left
    assert "Việt Nam và Hoa Kỳ thúc đẩy" in top[: top.index("</section>")]


def test_expired_pins_and_pins_of_hidden_stories_do_not_show(client, seed):
    gone = ArticleFactory(  # older than the seed stories: only its pin would lead with it
        headline="Ghim đã hết", published_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    draft = ArticleFactory(headline="Bản nháp được ghim", status=Article.Status.DRAFT)
    Pin.objects.create(
        article=gone, slot="lead", until=timezone.now() - datetime.timedelta(hours=1)
    )
    Pin.objects.create(article=draft, slot="lead")
    html = client.get("/").content.decode()
    lead = html[: html.index('class="front-top"')]
    assert "Ghim đã hết" not in lead and "Bản nháp được ghim" not in html
    assert "Việt Nam và Hoa Kỳ thúc đẩy" in lead  # the newest leads when no pin does


def test_a_pin_ending_is_when_the_cached_front_page_changes(client, seed):
    story = ArticleFactory(headline="Ghim một giờ")
    until = timezone.now() + datetime.timedelta(hours=1)
    Pin.objects.create(article=story, slot="lead", until=until)
    assert moments.schedule()["due"] == pytest.approx(until.timestamp())


def test_each_section_shows_its_latest(client, seed):
    for n, slot in enumerate(["lead", "top", "top", "top", "top"]):
        Pin.objects.create(article=ArticleFactory(headline=f"Ghim {n}"), slot=slot, position=n)
    sport = SectionFactory(name="Thể thao", position=5)
    stories = [
        ArticleFactory(
            headline=f"Thể thao số {n}",
            section=sport,
            published_at=timezone.now() - datetime.timedelta(hours=2 + n),
        )
        for n in range(PER_SECTION + 2)
    ]
    html = client.get("/").content.decode()
    block = html[html.index(f'id="section-{sport.pk}"') :]
    block = block[: block.index("</section>")]
    assert 'href="/chuyen-muc/the-thao/"' in block and block.count("<li>") == PER_SECTION
    shown = [True] * PER_SECTION + [False] * 2  # the newest
    assert [s.headline in block for s in stories] == shown
    assert "Ghim 4" in html and "Ghim 4" not in block


def test_the_filters_live_on_the_latest_stories_page(client, seed):
    home = client.get("/").content.decode()
    assert "organization" not in form_values(home, None)
    assert 'href="/tin-moi/"' in home
    moved = client.get("/?organization=spacex&page=1")
    assert moved.status_code == 301 and moved["Location"] == "/tin-moi/?organization=spacex&page=1"
    latest = client.get(reverse("articles:latest"), {"organization": "spacex"})
    assert len(latest.context["article_list"]) == 2
    assert "organization" in form_values(latest.content.decode(), None)


def test_editors_pin_from_the_story_form(client, seed, editor, reporter):
    from tests.browser_form import post_form

    story = Article.objects.get(slug__startswith="bo-truong-nguyen-hong-dien-lam-viec")
    url = reverse("admin:articles_article_change", args=[story.pk])
    client.force_login(editor)
    response = post_form(
        client,
        url,
        **{
            "pins-TOTAL_FORMS": "1",
            "pins-0-slot": "lead",
            "pins-0-position": "0",
            "pins-0-article": str(story.pk),
        },
    )
    assert response.status_code == 302
    assert Pin.objects.get().article == story
    client.logout()
    html = client.get("/").content.decode()
    assert story.headline in html[: html.index('class="front-top"')]
    draft = ArticleFactory(status=Article.Status.DRAFT, created_by=reporter)
    client.force_login(reporter)
    form = client.get(reverse("admin:articles_article_change", args=[draft.pk])).content.decode()
    assert "pins-TOTAL_FORMS" not in form_values(form)


def test_the_front_page_list_is_the_editors(client, seed, editor, reporter):
    url = reverse("admin:articles_pin_changelist")
    Pin.objects.create(article=Article.objects.first(), slot="lead")
    client.force_login(editor)
    assert client.get(url).status_code == 200
    assert client.get(reverse("admin:articles_pin_add")).status_code == 200
    client.force_login(reporter)
    assert client.get(url).status_code == 403
    assert "articles/pin/" not in client.get(reverse("admin:index")).content.decode()


def test_the_lead_picture_loads_first_and_list_pictures_keep_their_place(
    client, db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    stories = [
        ArticleFactory(headline=f"Tin có ảnh {n}", image=image_upload(), image_alt="Ảnh")
        for n in range(3)
    ]
    Pin.objects.create(article=stories[0], slot=Pin.Slot.LEAD)
    html = client.get("/").content.decode()
    pictures = re.findall(r"<img [^>]+>", html)
    assert len(pictures) == 3
    lead, *others = pictures
    assert 'fetchpriority="high"' in lead and "lazy" not in lead  # the largest thing on screen
    for picture in pictures:  # the space is kept before the picture arrives, cut to 3:2
        width, height = re.search(r'width="(\d+)" height="(\d+)"', picture).groups()
        assert int(width) * 2 == int(height) * 3 and int(width) > 480
    assert all('loading="lazy"' in picture for picture in others)


def test_teasers_name_their_section_only_where_it_adds_information(client, db):
    """In a section's block on the front page and on its own page, the section's
    name on each teaser would repeat the heading; on the latest stories it says
    where each comes from."""
    economy = SectionFactory(name="Kinh tế", slug="kinh-te")
    ArticleFactory.create_batch(12, section=economy)
    label = f'<a class="section" href="{economy.get_absolute_url()}">'
    home = client.get("/").content.decode()
    block = home[home.index('<section class="front-section"') :]
    assert "<li>" in block and label not in block  # the lead and top stories name it
    assert label not in client.get(economy.get_absolute_url()).content.decode()
    assert label in client.get("/tin-moi/").content.decode()


def test_the_latest_column_lists_the_newest_not_shown_above_it(client, db):
    """ "Mới nhất" beside the lead: the newest stories, newest first, without those
    the lead and the top stories already show large."""
    now = timezone.now()
    stories = [
        ArticleFactory(headline=f"Tin số {n}", published_at=now - datetime.timedelta(minutes=n))
        for n in range(20)
    ]
    html = client.get("/").content.decode()
    column = html[html.index('id="latest-title"') :]
    column = column[: column.index("</section>")]
    above = stories[:5]  # the lead and four top stories: the newest fill them
    expected = stories[5 : 5 + LATEST]
    assert [f">{s.headline}<" in column for s in above] == [False] * 5
    positions = [column.index(f">{s.headline}<") for s in expected]
    assert positions == sorted(positions) and f">{stories[5 + LATEST].headline}<" not in column
