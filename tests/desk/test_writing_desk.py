"""The story form as a writing desk: the text in one pane, the moves and the
settings beside it (the less used folded), the story's length, and who saved it
last, on the form and in the list."""

import re

import pytest
from bs4 import BeautifulSoup

from articles.models import Article
from tests.browser_form import post_form
from tests.factories import ArticleFactory, staff

pytestmark = pytest.mark.django_db
FORM = "/admin/articles/article/{}/change/"


def panes(response) -> tuple[BeautifulSoup, BeautifulSoup]:
    page = BeautifulSoup(response.text, "html.parser")
    text, side = page.select_one(".story-panes .story-text"), page.select_one("aside.story-side")
    return text, side


def test_the_text_is_in_one_pane_and_its_settings_beside_it(desk):
    story = ArticleFactory(status=Article.Status.REVIEW)
    text, side = panes(desk.get(FORM.format(story.pk)))
    for name in ("headline", "sapo", "body"):
        assert text.select_one(f"[name={name}]") and not side.select_one(f"[name={name}]")
    for name in ("published_at_0", "section", "tags", "image", "organizations", "note"):
        assert side.select_one(f"[name={name}]") and not text.select_one(f"[name={name}]")
    # the moves first in the side pane, the bylines in it too
    assert side.find().select_one("button[name=move][value=publish]")
    assert side.select_one("#bylines-group")
    assert side.select_one("#entity-suggestions")  # the names the text mentions, by the entities
    # the log and the corrections stay under the text, where a table has room
    assert text.select_one("#state_changes-group") and not side.select_one("#state_changes-group")


def test_the_less_used_settings_are_folded(desk):
    story = ArticleFactory()
    _, side = panes(desk.get(FORM.format(story.pk)))
    folded = {d.find("summary").get_text(" ", strip=True) for d in side.select("details")}
    assert {"Ngôn ngữ và bản dịch", "Nguồn", "Máy tìm kiếm và mạng xã hội"} <= folded
    opened = {h.get_text(strip=True) for h in side.select("fieldset > h2")}
    assert {"Xuất bản", "Phân loại", "Ảnh đại diện", "Đối tượng và sự kiện"} <= opened


def test_the_form_counts_the_story_s_words_and_reading_time(desk):
    body = "<p>" + " ".join(["chữ"] * 437) + "</p>"
    story = ArticleFactory(headline="Một hai", sapo="Ba", body=body)
    text, _ = panes(desk.get(FORM.format(story.pk)))
    count = text.select_one("#word-count")
    assert count.get_text(strip=True) == "440 chữ · khoảng 2 phút đọc"
    assert count["data-label"] == "{words} chữ · khoảng {minutes} phút đọc"  # the script's


def test_who_saved_last_and_when_shows_on_the_form_and_in_the_list(desk, editor, client):
    editor.first_name, editor.last_name = "Lan", "Trần"
    editor.save()
    story = ArticleFactory(status=Article.Status.DRAFT, headline="Tin để sửa")
    post_form(desk, FORM.format(story.pk), sapo="Sapo sửa lại")
    story.refresh_from_db()
    assert story.updated_by == editor
    _, side = panes(desk.get(FORM.format(story.pk)))
    edited = side.select_one(".last-edited").get_text(" ", strip=True)
    assert re.fullmatch(r"Sửa lần cuối: Lan Trần, \d\d:\d\d \d\d/\d\d/\d{4}", edited), edited
    listing = BeautifulSoup(desk.get("/admin/articles/article/").text, "html.parser")
    row = next(r for r in listing.select("#result_list tbody tr") if "Tin để sửa" in r.text)
    assert row.select_one("td.field-last_edited").get_text(strip=True).startswith("Lan Trần, ")


def test_the_list_reads_who_saved_last_without_a_query_per_row(desk, django_assert_max_num_queries):
    someone = staff("phongvien2", "Phóng viên")
    ArticleFactory.create_batch(3, updated_by=someone)
    desk.get("/admin/articles/article/")  # warm
    with django_assert_max_num_queries(20) as few:
        desk.get("/admin/articles/article/")
    ArticleFactory.create_batch(10, updated_by=staff("phongvien3", "Phóng viên"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        desk.get("/admin/articles/article/")
