"""A walk through every kind of reader page and every page of the desk in
headless Chromium, at phone and desktop widths for readers: no console error,
no uncaught script error, no Content-Security-Policy violation, and no failed
request for anything the page itself loads (scripts, styles, fonts, images)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from articles.models import Article
from tests.browser.test_browser import SHOTS, WIDTHS, browser  # noqa: F401  (the fixture)
from tests.browser.test_browser_desk import sign_in
from tests.factories import ArticleFactory
from tests.seed import STORY_000, STORY_001, TRIP
from tests.site.test_html_valid import PAGES

pytestmark = pytest.mark.django_db(transaction=True)

READER_PAGES = [
    *PAGES.values(),
    "/gioi-thieu/",
    "/en/gioi-thieu/",
    "/en/tin-moi/",
    "/en/chuyen-muc/kinh-te/",
    f"/en{TRIP}",
    "/en/tim-kiem/?q=spacex",
    "/tim-kiem/?q=%F0%9F%92%A5%3Cscript%3E",
    "/tin-moi/?page=999",
]
# Pages that are meant to answer 404: Chromium logs that of the page itself too.
MISSING = ("/tin/khong-co/", "/tin-moi/?page=999")

# Chromium reports violations of the policy in the console; this says so in words
# a failing test can show, and catches those a future Chromium might log otherwise.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) =>
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`));
"""


def watch(context, problems: list[str]) -> None:
    """Collect every problem any page of ``context`` shows, with its address."""
    context.add_init_script(CSP_LISTENER)

    def on_console(page, message):
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if url.endswith(MISSING) and message.text.endswith("status of 404 (Not Found)"):
            return
        problems.append(f"{page.url}: console: {message.text}")

    def on_page(page):
        page.on("console", lambda message: on_console(page, message))
        page.on("pageerror", lambda e: problems.append(f"{page.url}: script error: {e}"))

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            problems.append(f"{response.url}: {response.status} ({response.request.resource_type})")

    context.on("page", on_page)
    context.on("response", on_response)

    def on_failure(request):
        # ERR_ABORTED: the page moved on (a save) while a fetch of its own still ran.
        if request.failure != "net::ERR_ABORTED":
            problems.append(f"{request.url}: failed ({request.failure})")

    context.on("requestfailed", on_failure)


# Loaded: every picture (the lazy ones too, once scrolled to) and every font face.
LOADED = "() => [...document.images].every(i => i.complete) && document.fonts.status === 'loaded'"


def visit(page, url: str) -> None:
    """Open ``url`` and wait for what it loads: its scripts, styles, pictures and fonts
    (not for half a second of network silence, which made the walk take minutes)."""
    page.goto(url)
    # down to the foot, so that lazy images and anything below the fold load too
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function(LOADED)


def test_a_reader_s_walk_shows_no_error(live_server, browser):  # noqa: F811
    call_command("loaddata", "seed", verbosity=0)
    original = Article.objects.get(slug=STORY_000.split("/")[2])
    english = ArticleFactory(headline="Vietnam and the US", language="en", translation_of=original)
    pages = [*READER_PAGES, english.get_absolute_url(), "/en/"]
    problems: list[str] = []
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, viewport in WIDTHS.items():
        context = browser.new_context(viewport=viewport)
        watch(context, problems)
        page = context.new_page()
        for url in pages:
            visit(page, live_server.url + url)
        # what a reader does on a story: opens the commitments it reported, follows one
        visit(page, live_server.url + STORY_001)
        page.locator(".reported summary").click()
        box = page.locator("aside.event-box")
        box.screenshot(path=SHOTS / f"story-event-box-{label}.png")
        page.locator(".reported li a").first.click()
        page.wait_for_url("**/su-kien/**")
        context.close()
    connection.close()
    assert not problems, "\n".join(problems)


def test_the_desk_s_walk_shows_no_error(live_server, browser):  # noqa: F811
    """Every list, add, change, history and delete page the admin has, as a
    superuser sees them; the story's preview, import, history and compare; the
    password pages; the desk in English."""
    call_command("loaddata", "seed", verbosity=0)
    User.objects.create_superuser("quantri", password="mật-khẩu-thử")
    base = live_server.url
    urls = [reverse("admin:index"), reverse("admin:password_change")]
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        urls += [
            reverse("admin:app_list", args=[info[0]]),
            reverse("admin:{}_{}_changelist".format(*info)),
        ]
        if model_admin.has_add_permission(_superuser_request()):
            urls.append(reverse("admin:{}_{}_add".format(*info)))
        first = model_admin.get_queryset(_superuser_request()).order_by("pk").first()
        if first is not None:
            urls += [
                reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[first.pk])
                for view in ("change", "history", "delete")
            ]
    story = Article.objects.get(slug=STORY_001.split("/")[2])
    urls += [
        reverse("admin:articles_article_changelist") + "?q=hoa+ky&status__exact=published",
        reverse("admin:articles_article_preview", args=[story.pk]),
        reverse("admin:articles_article_import"),
    ]
    problems: list[str] = []
    context = browser.new_context(viewport=WIDTHS["desktop"])
    watch(context, problems)
    page = sign_in(context, base, "quantri", [])
    for url in dict.fromkeys(urls):
        visit(page, base + url)

    # Two saves of a story make two versions to compare; the editor's link dialog.
    change = reverse("admin:articles_article_change", args=[story.pk])
    visit(page, base + change)
    page.locator(".ProseMirror >> visible=true").click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Xem thêm")
    page.keyboard.press("Shift+Home")
    page.locator(".prose-menubar [title='Chèn liên kết'] >> visible=true").click()
    dialog = page.locator("dialog[open]")
    words = dialog.inner_text()
    assert all(w in words for w in ("Sửa liên kết", "Đường dẫn", "Mở trong cửa sổ mới", "Cập nhật"))
    assert not any(w in words for w in ("Edit Link", "URL", "Open in new window", "Update"))
    dialog.get_by_role("button", name="Huỷ").click()
    for sapo in ("Sapo sửa lần một.", "Sapo sửa lần hai."):
        page.fill("#id_sapo", sapo)
        page.click("input[name=_continue] >> visible=true")
        page.wait_for_load_state("networkidle")
    visit(page, base + reverse("admin:articles_article_history", args=[story.pk]))
    page.get_by_role("button", name="So sánh").click()
    page.wait_for_url("**/history/compare/?*")
    assert "Sapo sửa lần hai." in page.locator("#content").inner_text()

    # The desk in English, then signed out: the sign-in and password reset pages.
    page.select_option("#admin-language", "en")
    page.wait_for_function("document.documentElement.lang === 'en'")
    visit(page, base + change)
    visit(page, base + reverse("admin:index"))
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state("networkidle")
    for name in ("admin:login", "admin_password_reset"):
        visit(page, base + reverse(name))
    context.close()
    connection.close()
    assert not problems, "\n".join(problems)


def _superuser_request():
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = User.objects.get(username="quantri")
    return request
