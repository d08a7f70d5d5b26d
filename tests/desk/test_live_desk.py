"""Live coverage at the desk (admin/live.py, workflow.post_update): updates posted
from their own short form to a live story, by whoever may; a posted update
corrected says so; every post in the desk's log."""

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from articles.desk import workflow
from articles.models import Article, Author, LiveUpdate, StateChange
from tests.browser_form import post_form
from tests.factories import ArticleFactory, signed_in

pytestmark = pytest.mark.django_db
ADD = f"/{settings.ADMIN_URL}articles/liveupdate/add/"


def live_story(**fields) -> Article:
    started = timezone.now() - datetime.timedelta(hours=1)
    return ArticleFactory(live_from=started, **fields)


def test_an_editor_posts_an_update_from_the_story_s_form(editor):
    story = live_story(headline="Trực tiếp chuyến công tác")
    desk = signed_in(editor)
    form = desk.get(f"/{settings.ADMIN_URL}articles/article/{story.pk}/change/").content.decode()
    assert f"{ADD}?article={story.pk}" in form  # "Viết cập nhật" beside the publication
    response = post_form(desk, f"{ADD}?article={story.pk}", "liveupdate_form",
                         body="Bộ trưởng tới Washington.", key_moment="on")  # fmt: skip
    assert response.status_code == 302
    update = LiveUpdate.objects.get()
    assert (update.article, update.written_by, update.key_moment) == (story, editor, True)
    entry = StateChange.objects.filter(article=story, action=StateChange.Action.LIVE).get()
    assert entry.user == editor and entry.note == "Bộ trưởng tới Washington."
    page = desk.get(f"/{settings.ADMIN_URL}articles/liveupdate/?article__id__exact={story.pk}")
    assert "Bộ trưởng tới Washington." in page.content.decode()


def test_a_story_not_live_takes_no_update(editor):
    story = ArticleFactory()
    ended = live_story(live_until=timezone.now())
    desk = signed_in(editor)
    for other in (story, ended):
        response = post_form(desk, f"{ADD}?article={other.pk}", "liveupdate_form", body="Tin")
        assert response.status_code == 200
        assert "không đang tường thuật trực tiếp" in response.content.decode()
    assert not LiveUpdate.objects.exists()


def test_reporters_post_to_their_own_live_story_only(reporter, other_reporter):
    Author.objects.create(name="Phóng viên A", slug="pv-a", user=reporter)
    own = live_story(status=Article.Status.PUBLISHED)
    own.bylines.create(author=Author.objects.get(user=reporter))
    others = live_story()
    desk = signed_in(reporter)
    assert (
        post_form(desk, f"{ADD}?article={own.pk}", "liveupdate_form", body="Tại chỗ").status_code
        == 302
    )
    refused = post_form(desk, f"{ADD}?article={others.pk}", "liveupdate_form", body="Không")
    assert refused.status_code == 200 and not LiveUpdate.objects.filter(article=others).exists()
    with pytest.raises(workflow.PermissionDenied):
        workflow.post_update(LiveUpdate(article=others, body="Không"), reporter)


def test_a_posted_update_corrected_says_what_was_corrected(editor, client):
    story = live_story()
    update = workflow.post_update(LiveUpdate(article=story, body="Ký 3 thoả thuận."), editor)
    desk = signed_in(editor)
    address = f"/{settings.ADMIN_URL}articles/liveupdate/{update.pk}/change/"
    silent = post_form(desk, address, "liveupdate_form", body="Ký 4 thoả thuận.")
    assert silent.status_code == 200 and "Ghi điều đã sửa" in silent.content.decode()
    said = post_form(desk, address, "liveupdate_form", body="Ký 4 thoả thuận.",
                     correction="Số thoả thuận là 4, không phải 3.")  # fmt: skip
    assert said.status_code == 302
    update.refresh_from_db()
    assert update.corrected_at is not None and update.body == "Ký 4 thoả thuận."
    page = client.get(story.get_absolute_url()).content.decode()
    assert "Đính chính lúc" in page and "Số thoả thuận là 4, không phải 3." in page
    notes = StateChange.objects.filter(action=StateChange.Action.LIVE).values_list(
        "note", flat=True
    )
    assert "Đính chính cập nhật: Số thoả thuận là 4, không phải 3." in notes


def test_an_update_removed_leaves_the_page_and_the_log_says_so(editor, client):
    story = live_story()
    update = workflow.post_update(LiveUpdate(article=story, body="Tin nhầm bài."), editor)
    assert "Tin nhầm bài." in client.get(story.get_absolute_url()).content.decode()
    desk = signed_in(editor)
    address = f"/{settings.ADMIN_URL}articles/liveupdate/{update.pk}/delete/"
    assert desk.post(address, {"post": "yes"}).status_code == 302
    assert "Tin nhầm bài." not in client.get(story.get_absolute_url()).content.decode()
    assert StateChange.objects.filter(note="Gỡ cập nhật: Tin nhầm bài.").exists()


def test_live_coverage_starts_and_ends_now_or_before(editor):
    story = ArticleFactory()
    desk = signed_in(editor)
    address = f"/{settings.ADMIN_URL}articles/article/{story.pk}/change/"
    later = timezone.localtime() + datetime.timedelta(hours=3)
    response = post_form(desk, address, live_from_0=later.strftime("%d/%m/%Y"),
                         live_from_1=later.strftime("%H:%M:%S"))  # fmt: skip
    assert "Chỉ bắt đầu trực tiếp từ bây giờ trở về trước." in response.content.decode()
    now = timezone.localtime() - datetime.timedelta(minutes=5)
    post_form(desk, address, live_from_0=now.strftime("%d/%m/%Y"),
              live_from_1=now.strftime("%H:%M:%S"))  # fmt: skip
    story.refresh_from_db()
    assert story.is_live
