"""A reader in headless Chromium: home page, filter by an organization, open a
story, follow a related story, switch to English. Screenshots of the home and
story pages at phone and desktop widths go to artifacts/screenshots/."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from articles.models import Article
from tests.factories import ArticleFactory
from tests.tools import need

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(settings.BASE_DIR) / "artifacts" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


@pytest.fixture
def browser():
    need(
        Path(CHROMIUM).exists(),
        f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)",
    )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        need(False, "Playwright's Python package is not installed (pip install -e '.[dev]')")
    # Playwright's sync API runs an event loop in this thread; the test's own
    # ORM calls are synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


def shoot(browser, url: str, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in WIDTHS.items():
        page = browser.new_page(viewport=viewport)
        page.goto(url)
        # A layout invariant at every width: nothing wider than the screen.
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        wide = page.evaluate(
            "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
            " > document.documentElement.clientWidth + 1).slice(0, 4).map(e => e.tagName + '.'"
            " + e.className + ' ' + Math.round(e.getBoundingClientRect().width) + ': '"
            " + (e.textContent || '').trim().slice(0, 40))"
        )
        assert overflow <= 0, f"{name} at {label} scrolls sideways by {overflow}px: {wide}"
        page.screenshot(path=SHOTS / f"{name}-{label}.png", full_page=True)
        page.close()


@pytest.mark.django_db(transaction=True)
def test_a_reader_filters_reads_follows_related_news_and_switches_language(live_server, browser):
    call_command("loaddata", "seed", verbosity=0)
    original = Article.objects.get(slug__startswith="bo-truong-nguyen-hong-dien")
    for headline in ("Minister Dien meets US companies", "LNG talks continue"):
        story = ArticleFactory(
            headline=headline,
            language="en",
            translation_of=original if headline.startswith("Minister") else None,
        )
        story.tags.add("LNG")
    page = browser.new_page(viewport=WIDTHS["desktop"])
    errors = []  # the Content-Security-Policy must not block anything the site itself uses
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto(live_server.url + "/")
    assert page.locator("h2").first.inner_text().startswith("Việt Nam và Hoa Kỳ")
    page.get_by_role("link", name="Tất cả tin mới").click()
    page.wait_for_url("**/tin-moi/")
    page.get_by_text("Lọc tin").click()
    page.get_by_label("Tổ chức").select_option("spacex")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**/tin-moi/?*organization=spacex*")
    results = page.locator("main article.teaser h3 a")
    assert results.count() == 2

    results.filter(has_text="Việt Nam và Hoa Kỳ").click()
    page.wait_for_url("**/tin/viet-nam-va-hoa-ky-*/")
    assert page.locator("h1").inner_text().startswith("Việt Nam và Hoa Kỳ")
    related = page.locator("section.related a").first
    assert related.inner_text().startswith("Bộ trưởng Nguyễn Hồng Diên làm việc với lãnh đạo")
    related.click()
    page.wait_for_url("**/tin/bo-truong-nguyen-hong-dien-*/")
    assert page.locator("section.related h2").inner_text() == "Tin liên quan"

    # Its translation, by the language switcher: English around, English related news.
    page.locator("header nav.languages").get_by_role("link", name="English").click()
    page.wait_for_url("**/en/tin/minister-dien-meets-us-companies/")
    assert page.locator("section.related h2").inner_text() == "Related stories"
    assert page.locator("section.related a").first.inner_text() == "LNG talks continue"
    assert page.locator("html").get_attribute("lang") == "en"
    # keyboard users land on the skip link first, and it leads to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
    # A story with no translation: the switcher leads to the other site's home page.
    page.locator("header nav.languages").get_by_role("link", name="Tiếng Việt").click()
    page.wait_for_url("**/tin/bo-truong-nguyen-hong-dien-*/")
    page.locator("section.more a, section.related a").filter(has_text="Việt Nam và Hoa Kỳ").click()
    page.locator("header nav.languages").get_by_role("link", name="English").click()
    page.wait_for_url(live_server.url + "/en/")
    assert not errors, errors
    page.close()

    shoot(browser, live_server.url + "/", "home")
    shoot(
        browser,
        live_server.url
        + "/tin/viet-nam-va-hoa-ky-thuc-day-hop-tac-chien-luoc-trong-cac-linh-vuc-trong-diem/",
        "story",
    )
    assert len(list(SHOTS.glob("*.png"))) >= 4


@pytest.mark.django_db(transaction=True)
def test_a_reader_follows_a_meeting_from_the_story_to_the_commitments_tracker(live_server, browser):
    call_command("loaddata", "seed", verbosity=0)
    page = browser.new_page(viewport=WIDTHS["desktop"])
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto(
        live_server.url
        + "/tin/bo-truong-nguyen-hong-dien-lam-viec-voi-lanh-dao-excelerate-energy-lockheed"
        "-martin-spacex-va-google-tai-hoa-ky/"
    )
    box = page.locator("aside.event-box")
    assert box.count() == 1
    assert box.locator("ol.timeline li").all_inner_texts()[2].endswith("làm việc với SpaceX")
    box.get_by_role("link", name="Diễn biến, cam kết và toàn bộ tin bài").click()
    page.wait_for_url("**/su-kien/chuyen-cong-tac-*/")
    coverage = page.locator("section.coverage")
    assert "2 bài từ 1 nguồn, trong đó 1 bài chưa rõ nguồn" in coverage.inner_text()
    assert coverage.locator("h3").all_inner_texts() == ["Sở hữu trí tuệ", "Nguồn chưa rõ"]

    page.get_by_role("link", name="Mở trong trang theo dõi cam kết").click()
    page.wait_for_url("**/cam-ket/?event=*")
    assert page.locator("ol.commitment-list > li").count() == 25
    page.get_by_label("Tổ chức").select_option("spacex")
    page.locator("#id_kind").select_option("pledge")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**/cam-ket/?*organization=spacex*")
    rows = page.locator("ol.commitment-list > li")
    assert rows.count() == 4  # and its pledge on the digital gap
    assert "khoảng 1,5 tỷ USD" in page.locator("section.totals").inner_text()
    figures = page.locator("ol.commitment-list .figure").all_inner_texts()
    assert figures == ["khoảng 1,5 tỷ USD", "10–15 trạm mặt đất"]
    assert "organization=spacex" in page.get_by_role("link", name="Tải CSV").get_attribute("href")

    page.locator("header nav.languages").get_by_role("link", name="English").click()
    page.wait_for_url("**/en/cam-ket/?*")
    assert page.locator("h1").inner_text() == "Commitments tracker"
    assert "about 1.5 billion USD" in page.locator("section.totals").inner_text()
    assert not errors, errors
    page.close()

    shoot(browser, live_server.url + "/cam-ket/", "commitments")
    shoot(
        browser,
        live_server.url + "/su-kien/chuyen-cong-tac-cua-bo-truong-nguyen-hong-dien-tai-hoa-ky/",
        "event",
    )
    shoot(
        browser,
        live_server.url + "/su-kien/bo-truong-nguyen-hong-dien-lam-viec-voi-spacex/",
        "meeting",
    )
    shoot(browser, live_server.url + "/quoc-gia/hoa-ky/", "country")


@pytest.mark.django_db(transaction=True)
def test_the_lead_reads_as_one_and_a_story_fills_the_width(
    live_server, browser, settings, tmp_path
):
    """At desktop width the lead's headline, time and sapo sit together under its
    large picture, and a story's related news is beside the text, not below it."""
    from tests.factories import image_upload

    settings.MEDIA_ROOT = tmp_path
    call_command("loaddata", "seed", verbosity=0)
    ArticleFactory(
        headline="Tin dẫn có ảnh",
        sapo="Đoạn mở đầu của tin dẫn.",
        image=image_upload(),
        image_alt="Ảnh minh hoạ",
    ).tags.add("LNG")
    page = browser.new_page(viewport=WIDTHS["desktop"])
    page.goto(live_server.url + "/")
    box = {
        part: page.locator(f".front-lead {selector}").bounding_box()
        for part, selector in (("picture", "picture"), ("headline", "h2"), ("sapo", ".sapo"))
    }
    assert box["headline"]["y"] > box["picture"]["y"] + box["picture"]["height"] - 1
    assert box["sapo"]["x"] == box["headline"]["x"] == box["picture"]["x"]
    gap = box["sapo"]["y"] - (box["headline"]["y"] + box["headline"]["height"])
    assert 0 <= gap < 80, gap  # read together, not 180 px apart
    # The site's own typeface, with the Vietnamese subset, is what the text is set in.
    loaded = page.evaluate(
        """document.fonts.ready.then(() => [...document.fonts]
            .filter(face => face.family.includes("Be Vietnam Pro") && face.status === "loaded")
            .map(face => face.unicodeRange))"""
    )
    assert any("1EA0-1EF9" in subset.upper() for subset in loaded), loaded
    page.goto(live_server.url + "/tin/tin-dan-co-anh/")
    text, side = (
        page.locator(".story-main").bounding_box(),
        page.locator(".story-side").bounding_box(),
    )
    assert side["x"] >= text["x"] + text["width"] and side["y"] < text["y"] + 200
    page.close()


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_sections_menu_is_one_row_that_scrolls_sideways(live_server, browser):
    """However many sections, the menu takes one row on a phone (it wrapped onto
    three, ~180 px): it scrolls sideways inside itself, the page does not."""
    from articles.models import Section

    call_command("loaddata", "seed", verbosity=0)
    for n, name in enumerate(
        [
            "Thời sự",
            "Thế giới",
            "Kinh doanh",
            "Khoa học",
            "Giải trí",
            "Thể thao",
            "Pháp luật",
            "Giáo dục",
            "Sức khoẻ",
            "Đời sống",
        ]
    ):
        Section.objects.get_or_create(name=name, defaults={"slug": f"muc-{n}", "position": 50 + n})
    page = browser.new_page(viewport=WIDTHS["phone"])
    page.goto(live_server.url + "/")
    menu = page.locator("nav.sections ul")
    height = menu.bounding_box()["height"]
    row = page.locator("nav.sections li").first.bounding_box()["height"]
    assert height < 2 * row + 16, (height, row)  # one row and its padding
    assert menu.evaluate("m => m.scrollWidth > m.clientWidth")  # the rest is to the side
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]["width"]
    last = page.locator("nav.sections li").last
    last.scroll_into_view_if_needed()
    assert last.is_visible()
    page.close()


@pytest.mark.django_db(transaction=True)
def test_on_a_phone_results_come_before_the_filters(live_server, browser):
    """Search and the latest stories show their first result on the first screen
    of a phone, filtered or not: the filters wait behind their button."""
    call_command("loaddata", "seed", verbosity=0)
    page = browser.new_page(viewport=WIDTHS["phone"])
    for address in ("/tim-kiem/?q=hoa+ky&organization=spacex", "/tin-moi/?organization=spacex"):
        page.goto(live_server.url + address)
        first = page.locator("main .story-list li").first.bounding_box()
        assert first["y"] < WIDTHS["phone"]["height"], (address, first)
        assert not page.locator("main .filters .fields").is_visible()
        page.locator("main summary").first.click()  # the button opens them
        assert page.locator("main .filters .fields").is_visible()
    page.screenshot(path=SHOTS / "latest-filters-open-390.png", full_page=False)
    page.close()


@pytest.mark.django_db(transaction=True)
def test_the_front_page_reads_like_a_paper_s_and_a_read_is_counted(live_server, browser):
    """At 1366 px a large lead picture, top stories with thumbnails, and the "Mới
    nhất" and "Đọc nhiều" columns beside them on the first screen; sections two by
    two. At 390 px one column, nothing sideways. A story seen in a browser is
    counted by its beacon; the same page seen by a headless program is not."""
    from articles.models import ReadCount
    from articles.site import reads

    call_command("loaddata", "seed", verbosity=0)
    call_command("seed_demo", stories=60, verbosity=0)
    read = Article.objects.published().filter(image__gt="").first()
    ReadCount.objects.create(article=read, hour=read.published_at, reads=1)
    reads.rank(read.published_at)

    page = browser.new_page(viewport=WIDTHS["desktop"])
    page.goto(live_server.url + "/")
    lead = page.locator(".front-lead picture").bounding_box()
    card = page.locator(".front-top picture").first.bounding_box()
    assert lead["width"] > 2 * card["width"] and lead["width"] >= 500, (lead, card)
    main = page.locator(".front-main").bounding_box()
    for column in (".front-latest", ".front-most-read"):
        box = page.locator(column).bounding_box()
        assert box["x"] >= main["x"] + main["width"] and box["y"] < 200, (column, box)
    assert page.locator(".front-latest li").count() >= 8
    assert page.locator(".front-most-read li").count() == 1
    blocks = [page.locator(".front-section").nth(n).bounding_box() for n in range(2)]
    assert blocks[0]["y"] == blocks[1]["y"] and blocks[1]["x"] > blocks[0]["x"]  # side by side
    assert page.locator(".front-section picture").count() >= 4
    page.close()

    page = browser.new_page(viewport=WIDTHS["phone"])
    page.goto(live_server.url + "/")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]["width"]
    lead = page.locator(".front-lead picture").bounding_box()
    assert lead["width"] >= WIDTHS["phone"]["width"] - 40 and lead["y"] < 250
    page.close()

    story = Article.objects.published().exclude(pk=read.pk).first()
    agents = {  # a browser saying it runs headless, then a person's (the same address)
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131 Safari/537.36": 0,
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131 Safari/537.36": 1,  # noqa: E501
    }
    for agent, counted in agents.items():
        ReadCount.objects.all().delete()
        context = browser.new_context(user_agent=agent, viewport=WIDTHS["phone"])
        page = context.new_page()
        with page.expect_response(f"**/doc/{story.pk}/") as beacon:
            page.goto(live_server.url + story.get_absolute_url())
        assert beacon.value.status == 204
        assert ReadCount.objects.filter(article=story).count() == counted, agent
        context.close()


@pytest.mark.django_db(transaction=True)
def test_a_live_story_shows_a_new_update_by_itself(live_server, browser, settings):
    """A reader on a live story sees an update posted at the desk appear without
    reloading, within a polling interval, announced to screen readers; nothing
    sideways at 390 px."""
    import datetime
    import time

    from django.contrib.auth.models import User
    from django.utils import timezone

    from articles.desk import workflow
    from articles.models import LiveUpdate

    settings.LIVE_POLL_SECONDS = 1
    editor = User.objects.create_superuser("trucktiep", password="x")
    story = ArticleFactory(live_from=timezone.now() - datetime.timedelta(hours=1))
    workflow.post_update(LiveUpdate(article=story, body="Đoàn đã tới nơi."), editor)
    page = browser.new_page(viewport=WIDTHS["phone"])
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.goto(live_server.url + story.get_absolute_url())
    assert page.locator(".live-update").count() == 1
    workflow.post_update(LiveUpdate(article=story, body="Hai bên ký thoả thuận."), editor)
    posted = time.monotonic()
    page.locator(".live-update", has_text="Hai bên ký thoả thuận.").wait_for(timeout=5000)
    assert time.monotonic() - posted <= settings.LIVE_POLL_SECONDS + 1.5
    assert page.locator(".live-update").first.inner_text().find("Hai bên ký") >= 0  # newest first
    assert page.locator(".live-news").inner_text() == "1 cập nhật mới"
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]["width"]
    assert not errors, errors
    page.close()
