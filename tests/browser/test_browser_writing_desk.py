"""The story form as a writing desk, in headless Chromium at 1366 and 390 px:
the text on the left and its settings beside it on a wide screen, one column
with the moves first on a phone, the word count following the typing, and
headlines in the list on at most two lines. Screenshots go to
artifacts/screenshots/ (``make screenshots`` copies them into docs/images/)."""

import importlib
import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article, Picture
from tests.browser.test_browser import SHOTS, WIDTHS, browser  # noqa: F401  (the fixture)
from tests.browser.test_browser_desk import sign_in
from tests.factories import ArticleFactory, image_upload

roles = importlib.import_module("articles.migrations.0003_roles")
picture_roles = importlib.import_module("articles.migrations.0036_pictures_from_stories")


@pytest.fixture
def editor_page(live_server, browser):  # noqa: F811
    roles.create_roles(apps, None)  # earlier browser tests flush the migration's rows
    picture_roles.grant(apps, None)
    user = User.objects.create_user(
        "bientapvien", password="mật-khẩu-thử", is_staff=True, first_name="Lan",
        last_name="Nguyễn",
    )  # fmt: skip
    user.groups.add(Group.objects.get(name=roles.EDITOR))
    call_command("loaddata", "seed", verbosity=0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(viewport=WIDTHS["desktop"])
    errors: list[str] = []
    page = sign_in(context, live_server.url, "bientapvien", errors)
    seed_story = Article.objects.filter(language="vi").order_by("pk").first()
    yield page, live_server.url, seed_story
    assert not errors, errors
    context.close()


def box(page, selector: str) -> dict:
    return page.locator(selector).bounding_box()


def ends_within(page, selector: str, pane: dict) -> bool:
    """The field's right edge is inside its pane: nothing spills over."""
    field = box(page, selector)
    return field["x"] + field["width"] <= pane["x"] + pane["width"] + 1


@pytest.mark.django_db(transaction=True)
def test_the_text_beside_its_settings_and_its_length_as_typed(editor_page):
    page, base, story = editor_page
    page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    text, side = box(page, ".story-text"), box(page, ".story-side")
    assert side["x"] >= text["x"] + text["width"]  # beside it, on the right
    assert all(ends_within(page, field, text) for field in ("#id_headline", "#id_sapo"))
    assert all(ends_within(page, field, side) for field in ("#id_image_alt", "#id_note"))
    assert text["width"] >= 1.6 * side["width"]  # the text takes about two thirds
    assert page.locator(".story-side .submit-row").is_visible()
    assert not page.locator(".story-top-acts").is_visible()  # the side pane holds the moves
    # the body editor is as tall as its text: no scrolling box of its own
    editor = page.locator(".field-body [contenteditable=true]")
    assert editor.evaluate("e => e.scrollHeight <= e.clientHeight + 2")
    counted = page.locator("#word-count").inner_text()
    before = int(counted.split(" ")[0].replace(".", ""))
    assert before > 300  # the seed story's headline, sapo and body
    editor.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(" Thêm năm chữ nữa vào")
    after = f"{before + 5:,}".replace(",", ".")  # as Vietnamese groups thousands
    expect(page.locator("#word-count")).to_have_text(re.compile(rf"^{re.escape(after)} chữ"))
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=SHOTS / "desk-writing-1366.png", full_page=False)

    page.set_viewport_size(WIDTHS["phone"])
    page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]["width"] + 1
    acts, text = box(page, ".story-top-acts"), box(page, ".story-text")
    assert acts["y"] < text["y"]  # the moves first, then the text
    assert not page.locator(".story-side-acts").is_visible()
    side = box(page, ".story-side")
    assert side["y"] >= text["y"] + text["height"] - 1  # the settings after the text
    page.screenshot(path=SHOTS / "desk-writing-390.png", full_page=False)


@pytest.mark.django_db(transaction=True)
def test_the_list_shows_headlines_on_at_most_two_lines(editor_page):
    page, base, _ = editor_page
    long = " ".join(["Bộ trưởng gặp lãnh đạo các tập đoàn công nghệ hàng đầu"] * 4)
    ArticleFactory(headline=long[:250], status=Article.Status.REVIEW)
    page.goto(f"{base}/admin/articles/article/")
    headline = page.locator("#result_list a.headline", has_text="Bộ trưởng gặp").first
    lines = headline.evaluate(
        "a => a.getBoundingClientRect().height / parseFloat(getComputedStyle(a).lineHeight)"
    )
    assert lines <= 2.05, lines
    page.screenshot(path=SHOTS / "desk-list-1366.png", full_page=False)


@pytest.mark.django_db(transaction=True)
def test_a_translation_is_written_beside_its_original(editor_page):
    page, base, original = editor_page
    page.goto(f"{base}/admin/articles/article/add/?translation_of={original.pk}&language=en")
    beside, text = box(page, ".story-original"), box(page, ".story-text")
    assert beside["x"] + beside["width"] <= text["x"] + 1  # the original on the left
    assert abs(beside["width"] - text["width"]) < 40  # as wide as the translation
    assert page.locator(".story-top-acts").is_visible()  # the moves on top
    first = page.locator(".original-body > p").first
    numbered = first.evaluate("p => getComputedStyle(p, '::before').content")
    assert numbered == "counter(paragraph)"  # paragraphs numbered, as the translation's are
    assert all(ends_within(page, field, text) for field in ("#id_headline", "#id_sapo"))
    page.screenshot(path=SHOTS / "desk-translation-1366.png", full_page=False)


@pytest.mark.django_db(transaction=True)
def test_library_pictures_go_into_the_body_and_readers_see_a_gallery(
    editor_page, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    page, base, story = editor_page
    for caption, credit in [("Lễ ký kết tại Washington", "TTXVN"), ("Trạm mặt đất", "KTS")]:
        picture = Picture(file=image_upload(f"{credit}.png", size=(1200, 800)), alt=caption,
                          caption=caption, credit=credit)  # fmt: skip
        picture.save()
    page.goto(f"{base}/admin/articles/picture/{picture.pk}/change/")
    page.locator(".focal-picture img").click(position={"x": 10, "y": 10})  # near its corner
    assert page.locator("#id_focal_x").input_value() in {"1", "2"}
    expect(page.locator(".focal-mark")).to_be_visible()
    page.screenshot(path=SHOTS / "desk-library-picture-1366.png", full_page=False)
    page.set_viewport_size(WIDTHS["phone"])
    page.goto(f"{base}/admin/articles/picture/?q=tram")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]["width"] + 1
    page.screenshot(path=SHOTS / "desk-library-390.png", full_page=False)
    page.set_viewport_size(WIDTHS["desktop"])

    page.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    chooser = page.locator("#body-pictures")
    expect(chooser).to_be_visible()
    chooser.locator("input[type=search]").fill("ky ket")  # diacritics aside
    expect(chooser.locator(".body-pictures-found li")).to_have_count(1)
    chooser.locator("input[type=search]").fill("")
    expect(chooser.locator(".body-pictures-found li")).to_have_count(2)
    for box in chooser.locator("input[type=checkbox]").all():
        box.check()
    expect(chooser.locator(".body-pictures-insert")).to_have_text("Chèn 2 ảnh thành bộ ảnh")
    page.locator(".field-body [contenteditable=true] p").first.click()
    chooser.locator(".body-pictures-insert").click()
    expect(page.locator(".field-body [contenteditable=true] figure")).to_have_count(2)
    chooser.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "desk-body-pictures-1366.png", full_page=False)
    page.locator("input[name=_continue] >> visible=true").first.click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    story.refresh_from_db()
    assert story.body.count("<figure>") == 2 and "(Ảnh: TTXVN)" in story.body
    page.set_viewport_size(WIDTHS["phone"])
    page.goto(f"{base}{story.get_absolute_url()}")
    gallery = page.locator(".story .body .gallery")
    expect(gallery).to_have_attribute("aria-label", "Bộ ảnh, 2 ảnh")
    # a row that scrolls sideways, inside the page: the page itself does not
    assert gallery.evaluate("g => g.scrollWidth > g.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTHS["phone"]["width"] + 1
    gallery.scroll_into_view_if_needed()
    page.screenshot(path=SHOTS / "story-gallery-390.png", full_page=False)
