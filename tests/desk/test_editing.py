"""Who is editing (articles/desk/editing.py): the list and the form say "Đang sửa:
<name>, từ 10:32" while someone else has the story open, the form's heartbeat
keeps it, it is gone within a minute of leaving, and "Vẫn sửa" goes on after a
warning; the stale save refusal stays as it was."""

import datetime

import pytest
from django.utils import timezone

from articles.desk import editing
from articles.models import EditingSession
from tests.browser_form import form_values, post_form
from tests.factories import ArticleFactory, signed_in

pytestmark = pytest.mark.django_db
LIST = "/admin/articles/article/"


@pytest.fixture
def story():
    return ArticleFactory(headline="Bài đang sửa")


def test_a_second_editor_is_warned_then_goes_on_with_van_sua(story, editor, django_user_model):
    editor.first_name, editor.last_name = "Lan", "Nguyễn"
    editor.save()
    first = signed_in(editor)
    assert first.get(f"{LIST}{story.pk}/change/").status_code == 200
    assert not EditingSession.objects.exists()  # the form's script says it is open
    first.post(f"{LIST}{story.pk}/editing/")
    since = timezone.localtime(EditingSession.objects.get(user=editor).since).strftime("%H:%M")
    chief = django_user_model.objects.create_superuser("tongbientap", password="x")
    second = signed_in(chief)
    warning = second.get(f"{LIST}{story.pk}/change/").content.decode()
    assert f"Đang sửa: Lan Nguyễn, từ {since}" in warning and "Vẫn sửa" in warning
    assert 'id="article_form"' not in warning
    form = second.get(f"{LIST}{story.pk}/change/", {"vansua": "1"}).content.decode()
    assert 'id="article_form"' in form and f"Đang sửa: Lan Nguyễn, từ {since}" in form
    second.post(f"{LIST}{story.pk}/editing/")
    listing = second.get(LIST).content.decode()
    assert f"Đang sửa: Lan Nguyễn, từ {since}" in listing
    theirs = first.get(LIST).content.decode()
    assert "Đang sửa: tongbientap" in theirs and "Đang sửa: Lan" not in theirs  # never oneself


def test_the_heartbeat_keeps_it_and_leaving_or_silence_ends_it(story, editor, reporter):
    desk = signed_in(editor)
    answer = desk.post(f"{LIST}{story.pk}/editing/")
    assert answer.status_code == 200 and answer.json() == {"others": []}
    assert [s.user for s in EditingSession.others_on(story, reporter)] == [editor]
    desk.post(f"{LIST}{story.pk}/editing/", {"leave": "1"})
    assert not EditingSession.objects.exists()
    editing.beat(story, editor)
    EditingSession.objects.update(seen_at=timezone.now() - datetime.timedelta(minutes=1))
    assert list(EditingSession.others_on(story, reporter)) == []  # gone within a minute
    assert signed_in(editor).get(f"{LIST}{story.pk}/editing/").status_code == 405


def test_one_returning_after_leaving_is_there_from_then(story, editor):
    editing.beat(story, editor)
    EditingSession.objects.update(
        since=timezone.now() - datetime.timedelta(hours=2),
        seen_at=timezone.now() - datetime.timedelta(hours=1),
    )
    editing.beat(story, editor)
    session = EditingSession.objects.get(article=story, user=editor)
    assert timezone.now() - session.since < datetime.timedelta(seconds=5)


def test_a_reporter_cannot_beat_on_someone_elses_story(story, reporter):
    assert signed_in(reporter).post(f"{LIST}{story.pk}/editing/").status_code == 403
    assert not EditingSession.objects.exists()


def test_the_stale_save_refusal_stays_after_van_sua(story, editor, django_user_model):
    first = signed_in(editor)
    chief = signed_in(django_user_model.objects.create_superuser("tongbientap", password="x"))
    first.post(f"{LIST}{story.pk}/editing/")
    url = f"{LIST}{story.pk}/change/?vansua=1"
    opened = chief.get(url).content.decode()
    saved = post_form(first, url, headline="Bản của người đầu")
    assert saved.status_code == 302
    data = form_values(opened)
    data["headline"] = ["Bản của người sau"]
    refused = chief.post(f"{LIST}{story.pk}/change/", data)
    assert refused.status_code == 200 and "đã lưu bài này lúc" in refused.content.decode()


def test_a_beat_crossing_the_leaving_never_fails(story, editor):
    """The form closed as its last beat went: the leaving deleted the row between
    the beat's read and its save (here, as a save begins), and the beat failed
    with a 500. It now writes in one statement, finding the row or starting it."""
    from django.db.models.signals import pre_save

    editing.beat(story, editor)

    def leave_meanwhile(sender, instance, **kwargs):
        editing.leave(story.pk, editor)

    pre_save.connect(leave_meanwhile, sender=EditingSession)
    try:
        editing.beat(story, editor)
    finally:
        pre_save.disconnect(leave_meanwhile, sender=EditingSession)
    assert EditingSession.objects.filter(article=story, user=editor).count() == 1


def test_a_beat_arriving_after_its_form_closed_brings_no_one_back(story, editor, reporter):
    """The form's last beat was on its way as it closed, and arrived after the
    leaving: it names its page, which is closed, so the next person to open the
    story is not told someone is on it. The same editor opening it again is."""
    desk = signed_in(editor)
    url = f"{LIST}{story.pk}/editing/"
    desk.post(url, {"page": "lan-mo-1"})
    desk.post(url, {"leave": "1", "page": "lan-mo-1"})
    desk.post(url, {"page": "lan-mo-1"})  # late
    assert list(EditingSession.others_on(story, reporter)) == []
    desk.post(url, {"page": "lan-mo-2"})  # opened again
    assert [s.user for s in EditingSession.others_on(story, reporter)] == [editor]


def test_a_page_token_of_any_shape_is_no_error(story, editor):
    """The token is the form's own, but any value posted is kept to what a cache
    key takes, and leaving still ends the session."""
    desk = signed_in(editor)
    url = f"{LIST}{story.pk}/editing/"
    hostile = "trang mở\x00\n" + "x" * 500
    assert desk.post(url, {"page": hostile}).status_code == 200
    assert desk.post(url, {"leave": "1", "page": hostile}).status_code == 200
    assert not EditingSession.objects.exists()
    assert desk.post(url, {"page": hostile}).status_code == 200  # late: the same page
    assert not EditingSession.objects.exists()
