"""The desk's log (StateChange, admin/desk_log.py): who published, unpublished,
corrected, deleted, restored or brought back which story and when, in one view
editors can filter by person and story, kept when the story is deleted."""

import pytest
from django.contrib.auth.models import Permission
from reversion.models import Version

from articles.desk import workflow
from articles.models import Article, StateChange
from tests.browser_form import post_form
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
Action, Status = StateChange.Action, Article.Status
ADMIN = "/admin/articles/article"
LOG = "/admin/articles/statechange/"


def as_user(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


def entries(**filters) -> list[tuple]:
    rows = StateChange.objects.filter(**filters).order_by("at", "pk")
    return list(rows.values_list("action", "user__username", "story_pk", "headline"))


def test_every_act_on_a_story_is_in_the_log_and_outlives_the_story(client, editor, reporter):
    mine = as_user(client.__class__, reporter)
    post_form(mine, f"{ADMIN}/add/", headline="Tin nhật ký", sapo="Sapo.", body="<p>Một.</p>")
    story = Article.objects.get(headline="Tin nhật ký")
    desk = as_user(client.__class__, editor)
    assert post_form(desk, f"{ADMIN}/{story.pk}/change/", move="publish").status_code == 302
    response = post_form(
        desk,
        f"{ADMIN}/{story.pk}/change/",
        **{
            "corrections-TOTAL_FORMS": "1",
            "corrections-0-kind": "correction",
            "corrections-0-note": "Sai tên người.",
            "corrections-0-at_0": "2025-05-22",
            "corrections-0-at_1": "09:15",
            "corrections-0-article": str(story.pk),
        },
    )
    assert response.status_code == 302
    older = Version.objects.get_for_object(story).last()
    post_form(desk, f"{ADMIN}/{story.pk}/change/", headline="Tin nhật ký, sửa")
    assert post_form(desk, f"{ADMIN}/{story.pk}/history/{older.pk}/").status_code == 302
    assert desk.post(f"{ADMIN}/{story.pk}/delete/", {"post": "yes"}).status_code == 302
    deleted = Version.objects.get_deleted(Article).get()
    assert post_form(desk, f"{ADMIN}/recover/{deleted.pk}/").status_code == 302

    log = entries(story_pk=story.pk)
    assert [(action, who) for action, who, *_ in log] == [
        (Action.MOVE, "phongvien"),  # written: "" → draft
        (Action.MOVE, "bientapvien"),  # published
        (Action.CORRECTION, "bientapvien"),
        (Action.RESTORE, "bientapvien"),  # the text only: the story stays published
        (Action.DELETION, "bientapvien"),
        (Action.RECOVERY, "bientapvien"),
        (Action.MOVE, "bientapvien"),  # "" → draft, as it came back
    ]
    assert StateChange.objects.get(action=Action.CORRECTION).note == "Đính chính: Sai tên người."
    deletion = StateChange.objects.get(action=Action.DELETION)
    assert deletion.headline == "Tin nhật ký" and deletion.story_pk == story.pk


def test_a_deleted_story_s_entries_stay_with_its_number_and_headline(editor):
    story = ArticleFactory(headline="Sẽ xoá", status=Status.DRAFT, published_at=None)
    workflow.transition(story, Status.PUBLISHED, editor)
    number = story.pk
    workflow.delete(story, editor)
    assert entries(story_pk=number) == [
        (Action.MOVE, "bientapvien", number, "Sẽ xoá"),
        (Action.DELETION, "bientapvien", number, "Sẽ xoá"),
    ]
    assert not StateChange.objects.exclude(article=None).filter(story_pk=number).exists()


def test_editors_read_the_log_by_person_and_story_and_nobody_edits_it(client, editor, reporter):
    one = ArticleFactory(
        headline="Bài một", status=Status.DRAFT, published_at=None, created_by=reporter
    )
    two = ArticleFactory(headline="Bài hai", status=Status.DRAFT, published_at=None)
    workflow.transition(one, Status.REVIEW, reporter)
    workflow.transition(two, Status.PUBLISHED, editor)
    number = two.pk
    workflow.delete(two, editor)

    desk = as_user(client.__class__, editor)
    page = desk.get(LOG).content.decode()
    assert "Bài một" in page and "Bài hai" in page and "đã xoá" in page
    by_reporter = desk.get(LOG, {"user__id__exact": reporter.pk}).content.decode()
    assert "Bài một" in by_reporter and "Bài hai" not in by_reporter
    by_story = desk.get(LOG, {"q": str(number)}).content.decode()
    assert "Bài hai" in by_story and "Bài một" not in by_story
    assert desk.get(LOG + "add/").status_code == 403
    entry = StateChange.objects.first()
    assert desk.post(f"{LOG}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    assert StateChange.objects.filter(pk=entry.pk).exists()

    assert as_user(client.__class__, reporter).get(LOG).status_code == 403


def test_whoever_is_given_the_right_reads_the_log_without_publishing(client, django_user_model):
    lawyer = django_user_model.objects.create_user("phapche", password="x", is_staff=True)
    assert as_user(client.__class__, lawyer).get(LOG).status_code == 403
    lawyer.user_permissions.add(Permission.objects.get(codename="read_desk_log"))
    assert as_user(client.__class__, lawyer).get(LOG).status_code == 200


def test_the_log_filters_by_year_and_person_and_pages_without_counting_it_whole(desk, editor):
    import datetime

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from articles.admin.desk_list import ArchivePaginator

    story = ArticleFactory(status=Status.REVIEW, published_at=None)
    workflow.transition(story, Status.PUBLISHED, editor)
    old = StateChange.objects.create(story_pk=story.pk, headline="Tin cũ", user=editor,
                                     at=timezone.now() - datetime.timedelta(days=800))  # fmt: skip
    with CaptureQueriesContext(connection) as captured:
        response = desk.get(LOG)
    cl = response.context["cl"]
    assert isinstance(cl.paginator, ArchivePaginator) and cl.result_count == 2
    counts = [
        q["sql"]
        for q in captured.captured_queries
        if "COUNT(" in q["sql"].upper() and "articles_statechange" in q["sql"]
    ]
    assert len(counts) == 1  # on PostgreSQL, one that stops at the exact count's limit
    assert "LIMIT" in counts[0].upper() or connection.vendor != "postgresql"
    assert "DISTINCT" not in " ".join(q["sql"] for q in captured.captured_queries)
    year = str(old.at.astimezone(timezone.get_current_timezone()).year)
    assert f"?nam={year}" in response.text
    assert [e.pk for e in desk.get(LOG, {"nam": year}).context["cl"].result_list] == [old.pk]
    by_editor = desk.get(LOG, {"user__id__exact": editor.pk}).context["cl"]
    assert by_editor.result_count == 2
