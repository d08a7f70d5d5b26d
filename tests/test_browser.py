"""A reader in headless Chromium: home page, filter by an organization, open a
story, follow a related story, switch to English. Screenshots of the home and
story pages at phone and desktop widths go to artifacts/screenshots/."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

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
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


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
        page.screenshot(path=SHOTS / f"{name}-{label}.png", full_page=True)
        page.close()


@pytest.mark.django_db(transaction=True)
def test_a_reader_filters_reads_follows_related_news_and_switches_language(live_server, browser):
    call_command("loaddata", "seed", verbosity=0)
    page = browser.new_page(viewport=WIDTHS["desktop"])
    errors = []  # the Content-Security-Policy must not block anything the site itself uses
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))

    page.goto(live_server.url + "/")
    assert page.locator("h2").first.inner_text().startswith("Việt Nam và Hoa Kỳ")
    page.get_by_text("Lọc tin").click()
    page.get_by_label("Tổ chức").select_option("spacex")
    page.get_by_role("button", name="Lọc").click()
    page.wait_for_url("**/?*organization=spacex*")
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

    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/tin/bo-truong-nguyen-hong-dien-*/")
    assert page.locator("section.related h2").inner_text() == "Related stories"
    assert page.locator("html").get_attribute("lang") == "en"
    # keyboard users land on the skip link first, and it leads to the content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.evaluate("getComputedStyle(document.body).fontFamily") != "Times New Roman"
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
