"""What a reader finds on every page and on a story: the footer's ways around
the site, breadcrumbs, share links that load nothing from elsewhere, an about
page, and a stylesheet for dark screens and for paper."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.seed import STORY_000

pytestmark = pytest.mark.django_db


def test_the_footer_leads_to_sections_feeds_the_tracker_languages_and_about(client, seed):
    for home, other in (("/", "/en/"), ("/en/", "/")):
        html = client.get(home).content.decode()
        footer = html[html.index('<footer class="site-footer">') :]
        prefix = home.rstrip("/")
        for href in (
            f"{prefix}/chuyen-muc/kinh-te/",
            f"{prefix}/cam-ket/",
            f"{prefix}/rss/",
            f"{prefix}/atom/",
            f"{prefix}/gioi-thieu/",
            "/api/openapi.json",
        ):
            assert f'href="{href}"' in footer, (home, href)
        assert f'href="{other}" hreflang=' in footer
    for about in ("/gioi-thieu/", "/en/gioi-thieu/"):
        assert client.get(about).status_code == 200
    assert "Commitments tracker" in client.get("/en/gioi-thieu/").content.decode()


def test_a_story_has_breadcrumbs_and_share_links_that_load_nothing(client, seed):
    html = client.get(STORY_000).content.decode()
    crumbs = re.search(r'<nav class="breadcrumbs[^>]*>(.*?)</nav>', html, re.S).group(1)
    assert re.findall(r'href="([^"]+)"', crumbs) == ["/", "/chuyen-muc/kinh-te/"]
    share = re.search(r'<nav class="share"[^>]*>(.*?)</nav>', html, re.S).group(1)
    address = "http%3A%2F%2Ftestserver%2Ftin%2Fviet-nam-va-hoa-ky-thuc-day"
    assert share.count(address) == 4  # Facebook, X, LinkedIn, email: the story's own address
    # Nothing from those sites is fetched: no script, frame, image or style points there.
    assert not re.search(r"<(script|iframe|img|link)[^>]+(facebook|x\.com|linkedin)", html)


def test_the_stylesheet_follows_the_reader_s_scheme_and_prints(client):
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    assert "@media (prefers-color-scheme: dark)" in css and "color-scheme: light dark" in css
    dark = css[css.index("@media (prefers-color-scheme: dark)") :]
    for variable in ("--ink", "--paper", "--accent", "--on-accent", "--mark"):
        assert variable in dark[: dark.index("}\n}")]
    # every colour outside the two schemes is one of their variables
    rules = css[css.index("}\n}") :]
    assert not re.search(r"#[0-9a-fA-F]{3,6}\b", rules.split("@media print")[0])
    assert "@media print" in css


def test_a_story_page_keeps_related_news_beside_the_text(client, seed):
    html = client.get(STORY_000).content.decode()
    main = html[html.index('<div class="story-main">') : html.index('<div class="story-side">')]
    side = html[html.index('<div class="story-side">') :]
    assert '<article class="story"' in main and "Tin liên quan" not in main
    assert "Tin liên quan" in side and "Bộ trưởng Nguyễn Hồng Diên" in side


def test_the_typeface_is_drawn_for_vietnamese_and_served_by_the_site(client):
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    fonts = re.findall(r'url\("\.\./fonts/([^"]+)"\)', css)
    assert len(fonts) == 6 and any("vietnamese" in font for font in fonts)
    for font in fonts:
        data = (Path(settings.BASE_DIR) / "static/fonts" / font).read_bytes()
        assert data[:4] == b"wOF2", font
    assert "U+1EA0-1EF9" in css  # ạ…ỹ: the letters Vietnamese stacks its marks on
    assert not re.search(r"url\((\"|')?https?:", css)  # nothing from another site (CSP: self)
    assert (Path(settings.BASE_DIR) / "static/fonts/OFL.txt").exists()


def test_the_byline_shows_the_author_s_photo_and_the_credit_its_own_line(
    client, db, settings, tmp_path
):
    from tests.factories import ArticleFactory, AuthorFactory, image_upload

    settings.MEDIA_ROOT = tmp_path
    author = AuthorFactory(name="Lan Anh", photo=image_upload("lan-anh.png"))
    story = ArticleFactory(
        authors=[author],
        image=image_upload(),
        image_alt="Ảnh",
        image_caption="Chú thích",
        image_credit="Phóng viên",
    )
    html = client.get(story.get_absolute_url()).content.decode()
    assert re.search(rf'<img class="byline-photo" src="{author.photo.url}" alt=""', html)
    assert 'Chú thích <span class="credit">Ảnh: Phóng viên</span>' in html
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    assert ".lead-image figcaption .credit { display: block;" in css


@pytest.mark.parametrize("source_minutes_earlier, times_shown", [(0, 1), (0.5, 1), (90, 2)])
def test_a_story_gives_its_time_once_and_its_sources_only_when_it_differs(
    client, db, source_minutes_earlier, times_shown
):
    """An imported story takes its source's time: the page then says it once, in
    the dateline, not again beside the source's name."""
    import datetime

    from django.utils import timezone

    from tests.factories import ArticleFactory, OrganizationFactory

    now = timezone.now().replace(second=30, microsecond=0) - datetime.timedelta(minutes=1)
    story = ArticleFactory(
        published_at=now, source_outlet=OrganizationFactory(name="Sở hữu trí tuệ"),
        source_published_at=now - datetime.timedelta(minutes=source_minutes_earlier),
    )  # fmt: skip
    page = client.get(story.get_absolute_url()).content.decode()
    start = page.index("<header>", page.index('class="story"'))
    header = page[start : page.index("</header>", start)]
    assert header.count("<time") == times_shown
    assert header.count("Sở hữu trí tuệ") == 1  # the source named once
