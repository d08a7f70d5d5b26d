"""The story budget (articles/desk/planning.py, admin/planning.py): a day's items
by section and by person, late ones in red, assignees told, a draft made from an
item in one click with its section, bylines and event, the item following its
story from planned to published, and the meetings nobody covers."""

import datetime

import pytest
from django.utils import timezone

from articles.desk import planning, workflow
from articles.models import Article, Event, Notification, PlannedStory
from tests.browser_form import post_form
from tests.factories import ArticleFactory, SectionFactory, signed_in

pytestmark = pytest.mark.django_db
BOARD = "/admin/articles/plannedstory/"
State = PlannedStory.State


@pytest.fixture
def meeting():
    return Event.objects.create(title="Gặp lãnh đạo SpaceX", start_date=timezone.localdate())


def test_an_editor_plans_an_item_and_the_reporter_is_told(editor, reporter, meeting):
    section = SectionFactory(name="Kinh tế")
    desk = signed_in(editor)
    today = timezone.localdate()
    response = post_form(
        desk,
        f"{BOARD}add/?ngay={today}",
        form_id="plannedstory_form",
        working_title="Bộ trưởng gặp SpaceX",
        section=str(section.pk),
        assignees=[str(reporter.pk)],
        expected_words="800",
        needs_pictures="on",
        event=str(meeting.pk),
        deadline_0=today.strftime("%d/%m/%Y"),
        deadline_1="16:00",
    )
    assert response.status_code == 302, response.context and response.context["errors"]
    item = PlannedStory.objects.get()
    assert (item.day, item.section, item.created_by, item.state) == (
        today,
        section,
        editor,
        State.ASSIGNED,
    )
    told = Notification.objects.get(recipient=reporter)
    assert (told.kind, told.plan) == (Notification.Kind.ASSIGNED, item)
    board = desk.get(BOARD).content.decode()
    assert "Bộ trưởng gặp SpaceX" in board and "Kinh tế" in board and "800 chữ" in board
    by_person = desk.get(BOARD, {"theo": "nguoi"}).content.decode()
    assert reporter.get_username() in by_person


def test_a_late_item_is_marked_and_a_filed_one_is_not(editor, reporter):
    past = timezone.now() - datetime.timedelta(hours=1)
    late = PlannedStory.objects.create(working_title="Trễ hạn", deadline=past)
    filed = PlannedStory.objects.create(
        working_title="Đã nộp",
        deadline=past,
        story=ArticleFactory(status=Article.Status.REVIEW, published_at=None),
    )
    assert late.is_late and not filed.is_late and filed.state == State.FILED
    board = signed_in(editor).get(BOARD).content.decode()
    assert board.count("is-late") == 1 and "1 mục đã quá hạn nộp." in board


def test_one_click_makes_the_draft_with_section_bylines_and_event(editor, reporter, meeting):
    section = SectionFactory(name="Thế giới")
    item = PlannedStory.objects.create(
        working_title="Tin gặp SpaceX", section=section, event=meeting
    )
    item.assignees.add(reporter)
    mine = signed_in(reporter)  # the assignee may start it
    response = mine.post(f"{BOARD}{item.pk}/draft/")
    story = Article.objects.get(headline="Tin gặp SpaceX")
    assert response.status_code == 302 and response["Location"].endswith(f"/{story.pk}/change/")
    assert (story.status, story.section, story.created_by) == (
        Article.Status.DRAFT,
        section,
        reporter,
    )
    assert [b.author.user for b in story.bylines.all()] == [reporter]
    assert list(story.events.all()) == [meeting]
    item.refresh_from_db()
    assert (item.story, item.state) == (story, State.WRITING)
    # pressed again: the same story, not a second
    mine.post(f"{BOARD}{item.pk}/draft/")
    assert Article.objects.filter(headline="Tin gặp SpaceX").count() == 1
    workflow.perform(story, "submit", reporter)
    item.refresh_from_db()
    assert item.state == State.FILED
    workflow.perform(story, "publish", editor)
    item.refresh_from_db()
    assert item.state == State.PUBLISHED


def test_only_editors_and_assignees_start_an_item(reporter, other_reporter):
    item = PlannedStory.objects.create(working_title="Không phải của bạn")
    item.assignees.add(reporter)
    signed_in(other_reporter).post(f"{BOARD}{item.pk}/draft/")
    assert not Article.objects.filter(headline="Không phải của bạn").exists()
    assert signed_in(other_reporter).get(f"{BOARD}{item.pk}/draft/").status_code == 405


def test_a_meeting_with_no_plan_nor_story_is_uncovered_on_the_board(editor, meeting):
    day = timezone.localdate()
    assert list(planning.uncovered_meetings(day)) == [meeting]
    board = signed_in(editor).get(BOARD).content.decode()
    assert "Gặp lãnh đạo SpaceX" in board and "Lên kế hoạch đưa tin" in board
    item = PlannedStory.objects.create(working_title="Đưa tin", event=meeting)
    assert list(planning.uncovered_meetings(day)) == []
    item.dropped = True
    item.save()
    assert list(planning.uncovered_meetings(day)) == [meeting]  # dropped: nobody covers it
    ArticleFactory().events.add(meeting)
    assert list(planning.uncovered_meetings(day)) == []


def test_the_board_of_another_day_and_a_bad_date(editor):
    PlannedStory.objects.create(
        working_title="Ngày mai", day=timezone.localdate() + datetime.timedelta(days=1)
    )
    desk = signed_in(editor)
    assert "Ngày mai" not in desk.get(BOARD).content.decode()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert "Ngày mai" in desk.get(BOARD, {"ngay": tomorrow}).content.decode()
    assert desk.get(BOARD, {"ngay": "not-a-date"}).status_code == 200


def test_reporters_read_the_plan_but_do_not_change_it(reporter):
    mine = signed_in(reporter)
    assert mine.get(BOARD).status_code == 200
    assert mine.get(f"{BOARD}add/").status_code == 403


def test_the_board_reads_a_fixed_number_of_queries(editor, reporter, django_assert_max_num_queries):
    desk = signed_in(editor)
    for n in range(3):
        PlannedStory.objects.create(working_title=f"Mục {n}").assignees.add(reporter)
    desk.get(BOARD)
    with django_assert_max_num_queries(14) as few:
        desk.get(BOARD)
    for n in range(20):
        item = PlannedStory.objects.create(
            working_title=f"Thêm {n}", section=SectionFactory(), story=ArticleFactory()
        )
        item.assignees.add(reporter)
    with django_assert_max_num_queries(len(few.captured_queries)):
        desk.get(BOARD)


def test_an_events_desk_page_and_the_board_agree_on_its_coverage(editor, meeting):
    desk = signed_in(editor)
    page = desk.get(f"/admin/articles/event/{meeting.pk}/change/").content.decode()
    assert "Chưa có bài, chưa ai được giao" in page
    PlannedStory.objects.create(working_title="Tin cuộc gặp", event=meeting)
    page = desk.get(f"/admin/articles/event/{meeting.pk}/change/").content.decode()
    assert "Tin cuộc gặp" in page and "Chưa có bài" not in page
    assert "Gặp lãnh đạo SpaceX" not in desk.get(BOARD).content.decode().split("chưa có người")[1]
