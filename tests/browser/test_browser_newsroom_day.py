"""The newsroom's day in headless Chromium, at 1366 and 390 px: the desk editor
plans an item and assigns a reporter, who is told, makes the draft in one
click and files it; the editor returns it with a note, the reporter fixes it
and files again, the editor schedules it. Screenshots of each screen go to
artifacts/screenshots/ (``make screenshots`` copies them into docs/images/)."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.db import connection
from django.utils import timezone

from articles.models import Article, Notification, PlannedStory, Section
from tests.browser.test_browser import SHOTS, WIDTHS, browser  # noqa: F401  (the fixture)
from tests.browser.test_browser_desk import sign_in

roles = importlib.import_module("articles.migrations.0003_roles")
plan_roles = importlib.import_module("articles.migrations.0033_roles_for_the_plan")


def shoot(context, page, name: str) -> None:
    """The page at 1366 px, then the same address at 390 px."""
    page.screenshot(path=SHOTS / f"{name}-1366.png", full_page=True)
    phone = context.new_page()
    phone.set_viewport_size(WIDTHS["phone"])
    phone.goto(page.url)
    wide = phone.evaluate("document.documentElement.scrollWidth")
    phone.screenshot(path=SHOTS / f"{name}-390.png", full_page=True)
    phone.close()
    assert wide <= WIDTHS["phone"]["width"] + 1, f"{name} scrolls sideways at 390 px: {wide}"


@pytest.mark.django_db(transaction=True)
def test_a_day_from_plan_to_scheduled_story(live_server, browser):  # noqa: F811
    roles.create_roles(apps, None)  # earlier browser tests flush the migration's rows
    plan_roles.grant(apps, None)
    for username, group, name in (
        ("phongvien", roles.REPORTER, ("Minh", "Trần")),
        ("bientapvien", roles.EDITOR, ("Lan", "Nguyễn")),
    ):
        user = User.objects.create_user(
            username, password="mật-khẩu-thử", is_staff=True, first_name=name[0],
            last_name=name[1],
        )  # fmt: skip
        user.groups.add(Group.objects.get(name=group))
    section = Section.objects.create(name="Kinh tế", slug="kinh-te")
    base = live_server.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    today = timezone.localdate()

    # The desk editor plans the day and assigns the reporter.
    editor = browser.new_context(viewport=WIDTHS["desktop"])
    desk = sign_in(editor, base, "bientapvien", errors)
    desk.goto(f"{base}/admin/articles/plannedstory/add/?ngay={today.isoformat()}")
    desk.fill("#id_working_title", "Bộ trưởng gặp lãnh đạo SpaceX")
    desk.select_option("#id_section", str(section.pk))
    desk.select_option("#id_assignees_from", label="phongvien")
    desk.click("#id_assignees_add")
    desk.fill("#id_deadline_0", today.strftime("%d/%m/%Y"))
    desk.fill("#id_deadline_1", "16:00")
    desk.fill("#id_expected_words", "800")
    desk.check("#id_needs_pictures")
    desk.click("input[name=_save]")
    desk.wait_for_url(f"**/plannedstory/?ngay={today.isoformat()}")
    board = desk.locator("#content-main").inner_text()
    assert "Bộ trưởng gặp lãnh đạo SpaceX" in board and "Kinh tế" in board
    assert "Minh Trần" in board and "Đã giao" in board
    shoot(editor, desk, "desk-plan-board")
    item = PlannedStory.objects.get()

    # The reporter is told, makes the draft in one click and files it.
    writer = browser.new_context(viewport=WIDTHS["desktop"])
    mine = sign_in(writer, base, "phongvien", errors)
    assert mine.locator(".notifications-link .badge").inner_text() == "1"
    mine.goto(f"{base}/admin/articles/notification/")
    assert "Giao cho bạn" in mine.locator("#result_list").inner_text()
    shoot(writer, mine, "desk-notifications")
    mine.goto(f"{base}/admin/articles/plannedstory/?ngay={today.isoformat()}")
    mine.get_by_role("button", name="Viết bài").click()
    mine.wait_for_url("**/article/*/change/")
    assert mine.input_value("#id_headline") == "Bộ trưởng gặp lãnh đạo SpaceX"
    mine.fill("#id_sapo", "Bộ trưởng tiếp lãnh đạo SpaceX tại Hà Nội.")
    mine.locator(".ProseMirror >> visible=true").click()
    mine.keyboard.type("Bản đầu.")
    shoot(writer, mine, "desk-form-draft")
    mine.locator("button[name=move][value=submit]").last.click()
    mine.wait_for_url(f"{base}/admin/articles/article/")
    story = Article.objects.get(headline="Bộ trưởng gặp lãnh đạo SpaceX")
    assert story.status == Article.Status.REVIEW
    assert [b.author.user.username for b in story.bylines.all()] == ["phongvien"]

    # The editor returns it with a note naming the reporter.
    desk.goto(f"{base}/admin/articles/article/")
    assert "Chờ duyệt" in desk.locator("#result_list").inner_text()
    shoot(editor, desk, "desk-list")
    desk.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    desk.locator("button[name=move][value=return]").last.click()  # no note: refused
    assert "lý do trả lại" in desk.locator(".errorlist").first.inner_text()
    desk.fill("#id_note", "Cần thêm nguồn cho con số, @phongvien.")
    desk.locator("button[name=move][value=return]").last.click()
    desk.wait_for_url(f"{base}/admin/articles/article/")
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT

    # The reporter reads why, fixes it and files it again.
    mine.goto(f"{base}/admin/")
    mine.locator(".notifications-link").click()
    returned = mine.locator("#result_list tbody tr").first
    assert "Trả lại bạn" in returned.inner_text()
    assert "Cần thêm nguồn cho con số" in returned.inner_text()
    returned.locator("a").first.click()
    mine.wait_for_url(f"**/article/{story.pk}/change/")
    mine.fill("#id_sapo", "Bộ trưởng tiếp lãnh đạo SpaceX tại Hà Nội, theo Bộ KH&CN.")
    mine.locator("button[name=move][value=submit]").last.click()
    mine.wait_for_url(f"{base}/admin/articles/article/")
    writer.close()  # the form's heartbeat stops with the page

    # The editor schedules it for tomorrow morning.
    tomorrow = today + datetime.timedelta(days=1)
    desk.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    desk.fill("#id_published_at_0", tomorrow.strftime("%d/%m/%Y"))
    desk.fill("#id_published_at_1", "08:30")
    desk.locator("button[name=move][value=schedule]").last.click()
    desk.wait_for_url(f"{base}/admin/articles/article/")
    row = desk.locator("#result_list tbody tr").first.inner_text()
    assert "Hẹn giờ" in row and f"08:30, {tomorrow:%d/%m/%Y}" in row
    shoot(editor, desk, "desk-list-scheduled")
    story.refresh_from_db()
    assert story.is_scheduled
    item.refresh_from_db()
    assert item.state == PlannedStory.State.FILED
    told = Notification.objects.filter(recipient__username="phongvien")
    assert set(told.values_list("kind", flat=True)) == {
        Notification.Kind.ASSIGNED, Notification.Kind.RETURNED, Notification.Kind.PUBLISHED,
    }  # fmt: skip
    assert not errors, errors
    editor.close()
    connection.close()  # see test_browser_desk: Playwright's thread leaves a connection


@pytest.mark.django_db(transaction=True)
def test_who_else_has_a_story_open_shows_on_the_form_and_in_the_list(live_server, browser):  # noqa: F811
    """The form's script tells the desk it is open as it loads: a second person
    opening the story is warned by name, and the list says who is on it."""
    roles.create_roles(apps, None)
    for username, name in (("bientapvien", ("Lan", "Nguyễn")), ("bientapvien2", ("Hà", "Lê"))):
        user = User.objects.create_user(
            username, password="mật-khẩu-thử", is_staff=True, first_name=name[0],
            last_name=name[1],
        )  # fmt: skip
        user.groups.add(Group.objects.get(name=roles.EDITOR))
    story = Article.objects.create(headline="Tin đang sửa", slug="tin-dang-sua", sapo="Sapo")
    base, errors = live_server.url, []
    first = browser.new_context(viewport=WIDTHS["desktop"])
    lan = sign_in(first, base, "bientapvien", errors)
    lan.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    lan.wait_for_load_state("networkidle")  # its first beat has been sent
    second = browser.new_context(viewport=WIDTHS["desktop"])
    ha = sign_in(second, base, "bientapvien2", errors)
    ha.goto(f"{base}/admin/articles/article/{story.pk}/change/")
    assert "Nguyễn Lan" in ha.inner_text("body") or "Lan Nguyễn" in ha.inner_text("body")
    ha.goto(f"{base}/admin/articles/article/")
    row = ha.locator("#result_list tr", has_text="Tin đang sửa")
    assert "Đang sửa: " in row.inner_text()
    lan.close()  # leaving tells the desk
    ha.wait_for_timeout(300)
    ha.reload()
    assert "Đang sửa: " not in ha.locator("#result_list tr", has_text="Tin đang sửa").inner_text()
    assert not errors, errors
    first.close()
    second.close()
