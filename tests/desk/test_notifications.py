"""Notifications (articles/desk/notifications.py): a story returned or published
tells the people on it, a note tells whoever it names with @, a correction tells
the story's people; in the desk's header and list, and by e-mail as a job, unless
the person turned e-mail off. Nobody is told of their own act."""

import json

import pytest
from django.core import mail
from django.test import Client

from articles.desk import notifications, workflow
from articles.models import (
    Article,
    Author,
    Byline,
    Correction,
    Notification,
    NotificationSettings,
    StateChange,
)
from tests.browser_form import post_form
from tests.factories import ArticleFactory, signed_in, staff

pytestmark = pytest.mark.django_db
Status = Article.Status
Kind = Notification.Kind
LIST = "/admin/articles/notification/"


@pytest.fixture
def filed(reporter):
    reporter.email = "phongvien@example.org"
    reporter.save()
    return ArticleFactory(
        headline="Bài đã nộp", status=Status.REVIEW, published_at=None, created_by=reporter
    )


def kinds_of(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_returned_story_tells_its_reporter_with_the_note_and_by_email(
    filed, reporter, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.perform(filed, "return", editor, note="Thiếu nguồn.")
    told = Notification.objects.get(recipient=reporter)
    assert (told.kind, told.actor, told.article, told.text) == (
        Kind.RETURNED,
        editor,
        filed,
        "Thiếu nguồn.",
    )
    assert kinds_of(editor) == []  # not of their own act
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["phongvien@example.org"]
    assert "Thiếu nguồn." in mail.outbox[0].body and f"/{filed.pk}/change/" in mail.outbox[0].body


def test_a_published_story_tells_its_bylines_accounts(filed, reporter, other_reporter, editor):
    Byline.objects.create(article=filed, author=Author.for_user(other_reporter), position=1)
    workflow.perform(filed, "publish", editor)
    assert kinds_of(reporter) == [Kind.PUBLISHED] and kinds_of(other_reporter) == [Kind.PUBLISHED]


def test_a_note_tells_whoever_it_names_and_only_them(filed, reporter, other_reporter, editor):
    workflow.add_note(filed, reporter, "Nhờ @BienTapVien xem giúp đoạn cuối; @nobody không có.")
    assert kinds_of(editor) == [Kind.MENTIONED]
    assert kinds_of(other_reporter) == [] and kinds_of(reporter) == []
    assert filed.state_changes.filter(action=StateChange.Action.NOTE).count() == 1


def test_an_email_address_is_not_a_mention(filed, editor):
    assert notifications.mentioned_in("gửi tới ban@bientapvien.vn") == set()
    assert notifications.mentioned_in("@bientapvien,") == {editor.pk}


def test_a_correction_tells_the_storys_people(reporter, editor):
    story = ArticleFactory(created_by=reporter)
    Correction.objects.create(article=story, by=editor, note="Sửa tên người.")
    assert kinds_of(reporter) == [Kind.CORRECTED]


def test_email_can_be_turned_off_and_the_desk_still_tells(
    filed, reporter, editor, django_capture_on_commit_callbacks
):
    page = signed_in(reporter)
    response = page.post(f"{LIST}settings/", {})  # the box left unticked
    assert response.status_code == 302
    assert not NotificationSettings.wants_email(reporter.pk)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        workflow.perform(filed, "return", editor, note="Viết lại mở đầu.")
    assert sent  # the job ran, and sent nothing
    assert mail.outbox == [] and kinds_of(reporter) == [Kind.RETURNED]
    told = Notification.objects.get(recipient=reporter)
    assert told.emailed_at is not None  # judged once, not again


def test_the_header_counts_unread_and_opening_one_marks_it_read(filed, reporter, editor):
    workflow.perform(filed, "return", editor, note="Thiếu nguồn.")
    page = signed_in(reporter)
    html = page.get("/admin/").content.decode()
    assert '<span class="badge">1</span>' in html
    listing = page.get(LIST).content.decode()
    assert "<strong>Bài đã nộp</strong>" in listing and "Thiếu nguồn." in listing
    told = Notification.objects.get(recipient=reporter)
    opened = page.get(f"{LIST}{told.pk}/open/")
    assert opened.status_code == 302 and opened["Location"].endswith(f"/{filed.pk}/change/")
    assert '<span class="badge">' not in page.get("/admin/").content.decode()


def test_nobody_sees_or_opens_another_persons_notifications(filed, reporter, editor):
    workflow.perform(filed, "return", editor, note="Riêng cho phóng viên.")
    told = Notification.objects.get(recipient=reporter)
    desk = signed_in(editor)
    assert "Riêng cho phóng viên." not in desk.get(LIST).content.decode()
    assert desk.get(f"{LIST}{told.pk}/open/").status_code == 404
    assert Notification.objects.get(pk=told.pk).read_at is None


def test_the_count_is_bounded_whatever_the_backlog(reporter, editor, django_assert_max_num_queries):
    story = ArticleFactory(created_by=reporter)
    Notification.objects.bulk_create(
        Notification(
            recipient=reporter, kind=Kind.MENTIONED, actor=editor, article=story, subject="x"
        )
        for _ in range(120)
    )
    assert notifications.unread_count(reporter) == 100  # "99+"
    html = signed_in(reporter).get("/admin/").content.decode()
    assert '<span class="badge">99+</span>' in html


def test_the_return_note_from_the_form_notifies_through_the_admin(filed, reporter, editor):
    response = post_form(
        signed_in(editor),
        f"/admin/articles/article/{filed.pk}/change/",
        move="return",
        note="Cần thêm ảnh, @phongvien.",
    )
    assert response.status_code == 302
    assert kinds_of(reporter) == [Kind.RETURNED]  # told once: the note is in it


def test_a_new_staff_member_with_no_settings_gets_email(reporter):
    other = staff("phongvien3", "Phóng viên")
    assert NotificationSettings.wants_email(other.pk)


def test_a_note_never_reaches_readers_nor_the_api(filed, reporter, editor):
    workflow.perform(filed, "publish", editor, note="Nguồn tin mật: ông X.")
    workflow.add_note(filed, editor, "Ghi chú nội bộ bí mật.")
    reader = Client()
    for url in (filed.get_absolute_url(), f"/api/stories/{filed.slug}", "/api/stories", "/rss/"):
        response = reader.get(url)
        page = response.content.decode()
        assert response.status_code == 200 and filed.slug in page, url  # the story is there
        if url.startswith("/api"):  # its text as written, not \u-escaped
            page = json.dumps(response.json(), ensure_ascii=False)
        assert "ông X" not in page and "bí mật" not in page, url
