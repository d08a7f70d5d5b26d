"""The story's moves as buttons (articles/desk/workflow.py ``ACTS``): each shown
only to whoever may make it, on the form and in the list's rows, each through
the workflow; "Trả lại" asks for a note, "Hẹn giờ" for a time to come."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from articles.desk import workflow
from articles.models import Article, Author, Byline, StateChange
from tests.browser_form import post_form
from tests.factories import ArticleFactory, signed_in

pytestmark = pytest.mark.django_db
Status = Article.Status
LIST = "/admin/articles/article/"


def change_url(story) -> str:
    return f"{LIST}{story.pk}/change/"


def buttons(html: str) -> list[str]:
    """The moves a page offers as buttons, in order."""
    return re.findall(r'name="move" value="(\w+)"', html)


@pytest.fixture
def in_review(reporter):
    story = ArticleFactory(
        headline="Bài chờ duyệt", status=Status.REVIEW, published_at=None, created_by=reporter
    )
    Byline.objects.create(article=story, author=Author.for_user(reporter))
    return story


def test_each_person_is_shown_only_the_moves_they_may_make(in_review, reporter, editor):
    html = signed_in(editor).get(change_url(in_review)).content.decode()
    assert 'name="status"' not in html  # no drop-down
    form_buttons = set(buttons(html))
    assert form_buttons == {"return", "publish", "schedule", "archive"}
    html = signed_in(reporter).get(change_url(in_review)).content.decode()
    assert set(buttons(html)) == {"withdraw"}


def test_enter_in_a_field_saves_and_never_publishes(in_review, editor):
    """The form's first submit button (what Enter presses) is "Lưu"."""
    html = signed_in(editor).get(change_url(in_review)).content.decode()
    form = html[html.index('id="article_form"') :]
    first = re.search(r"<(?:input|button)[^>]*type=\"submit\"[^>]*>", form).group(0)
    assert 'name="_save"' in first


def test_returning_a_story_asks_for_a_note_and_keeps_it_in_the_log(in_review, editor):
    desk = signed_in(editor)
    refused = post_form(desk, change_url(in_review), move="return")
    assert refused.status_code == 200
    assert "note" in refused.context["adminform"].form.errors
    in_review.refresh_from_db()
    assert in_review.status == Status.REVIEW

    sent = post_form(desk, change_url(in_review), move="return", note="Thiếu nguồn ở đoạn 2.")
    assert sent.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Status.DRAFT
    entry = in_review.state_changes.first()
    assert (entry.action, entry.from_status, entry.to_status, entry.note) == (
        StateChange.Action.MOVE,
        Status.REVIEW,
        Status.DRAFT,
        "Thiếu nguồn ở đoạn 2.",
    )


def test_scheduling_needs_a_time_to_come_and_shows_as_hen_gio(in_review, editor):
    desk = signed_in(editor)
    past = timezone.localtime() - datetime.timedelta(hours=1)
    refused = post_form(
        desk,
        change_url(in_review),
        move="schedule",
        published_at_0=past.strftime("%Y-%m-%d"),
        published_at_1=past.strftime("%H:%M:%S"),
    )
    assert "published_at" in refused.context["adminform"].form.errors

    later = timezone.localtime() + datetime.timedelta(days=1)
    later = later.replace(hour=8, minute=30, second=0, microsecond=0)
    sent = post_form(
        desk,
        change_url(in_review),
        move="schedule",
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1="08:30:00",
    )
    assert sent.status_code == 302
    in_review.refresh_from_db()
    assert (in_review.status, in_review.published_at, in_review.stage) == (
        Status.PUBLISHED,
        later,
        Article.SCHEDULED,
    )
    shown = f"Hẹn giờ · 08:30 {later:%d/%m/%Y}"
    listing = desk.get(LIST).content.decode()
    assert '<span class="stage stage-scheduled">Hẹn giờ</span>' in listing  # its time beside it
    assert f"08:30, {later:%d/%m/%Y}" in listing
    form = desk.get(change_url(in_review)).content.decode()
    assert f'<span class="stage stage-scheduled">{shown}</span>' in form
    assert "publish" in buttons(form)  # "Xuất bản" now, before the time
    assert Client().get(in_review.get_absolute_url()).status_code == 404


def test_publishing_a_scheduled_story_publishes_it_now(editor):
    story = ArticleFactory(
        status=Status.PUBLISHED, published_at=timezone.now() + datetime.timedelta(days=2)
    )
    workflow.perform(story, "publish", editor)
    story.refresh_from_db()
    assert story.is_published and story.published_at <= timezone.now()
    assert Client().get(story.get_absolute_url()).status_code == 200


def test_a_rows_button_moves_the_story_through_the_workflow(in_review, editor):
    desk = signed_in(editor)
    listing = desk.get(LIST).content.decode()
    assert f'formaction="{LIST}{in_review.pk}/act/"' in listing
    assert f'href="{change_url(in_review)}#id_note"' in listing  # "Trả lại…" asks for its note
    response = desk.post(f"{LIST}{in_review.pk}/act/", {"move": "publish"}, HTTP_REFERER=LIST)
    assert response.status_code == 302 and response["Location"] == LIST
    in_review.refresh_from_db()
    assert in_review.is_published
    assert in_review.state_changes.first().user == editor


def test_a_reporter_cannot_press_an_editors_button_by_a_crafted_post(in_review, reporter):
    mine = signed_in(reporter)
    response = mine.post(f"{LIST}{in_review.pk}/act/", {"move": "publish"}, follow=True)
    assert "không thể" in response.content.decode()
    in_review.refresh_from_db()
    assert in_review.status == Status.REVIEW
    assert mine.get(f"{LIST}{in_review.pk}/act/").status_code == 405


def test_perform_refuses_what_the_act_needs_and_leaves_the_story_as_it_was(in_review, editor):
    with pytest.raises(ValidationError):
        workflow.perform(in_review, "return", editor, note="  ")
    with pytest.raises(ValidationError):
        workflow.perform(in_review, "schedule", editor)
    with pytest.raises(PermissionDenied):
        workflow.perform(in_review, "submit", editor)  # already in review
    assert (in_review.status, in_review.published_at) == (Status.REVIEW, None)


def test_a_plain_save_with_a_note_keeps_the_status_and_logs_the_note(in_review, reporter):
    response = post_form(signed_in(reporter), change_url(in_review), note="Đã thêm ảnh.")
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert in_review.status == Status.REVIEW
    entry = in_review.state_changes.first()
    assert (entry.action, entry.note, entry.user) == (
        StateChange.Action.NOTE,
        "Đã thêm ảnh.",
        reporter,
    )
