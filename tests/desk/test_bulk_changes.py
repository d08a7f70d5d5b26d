"""Changes to many stories at once from the desk's list: each story through the
desk's rules, with its revision and its log entry, as a job whose progress the
desk can follow, going on from where it stopped if it is run again."""

import json

import pytest
from django.contrib.auth.models import User
from django.db import connection
from reversion.models import Version

from articles.desk import bulk_changes
from articles.models import Article, BulkChange, StateChange
from tests.factories import ArticleFactory
from tests.newsroom.test_jobs import needs_queue, queue, waiting, work  # noqa: F401  (queue: a fixture)

LIST = "/admin/articles/article/"
Status = Article.Status


def act(client, action: str, stories, follow=True, **extra):
    data = {"action": action, "_selected_action": [s.pk for s in stories], **extra}
    return client.post(LIST, data, follow=follow)


def said(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_publishing_many_records_each_story_s_move_and_revision(desk, editor):
    stories = ArticleFactory.create_batch(5, status=Status.REVIEW, published_at=None)
    response = act(desk, "publish", stories)
    assert "Đã xuất bản 5 bài." in said(response)
    change = BulkChange.objects.get()
    assert (change.total, change.done, change.changed, change.refused_count) == (5, 5, 5, 0)
    assert change.user == editor and change.finished_at is not None
    for story in stories:
        story.refresh_from_db()
        assert story.status == Status.PUBLISHED and story.published_at
        moves = StateChange.objects.filter(article=story).values_list("from_status", "to_status")
        assert list(moves) == [("review", "published")]
        (version,) = Version.objects.get_for_object(story)
        assert version.revision.user == editor and "Đã xuất bản" in version.revision.comment


def test_a_tag_is_added_to_each_story_with_a_revision_that_carries_it(desk):
    stories = ArticleFactory.create_batch(3, status=Status.PUBLISHED)
    response = act(desk, "add_tag", stories, tag="Năng lượng sạch")
    assert "Đã thêm thẻ cho 3 bài." in said(response)
    for story in stories:
        assert [t.name for t in Article.objects.get(pk=story.pk).tags.all()] == ["Năng lượng sạch"]
        (version,) = Version.objects.get_for_object(story)
        kept = {v.content_type.model for v in version.revision.version_set.all()}
        assert "taggedarticle" in kept  # restoring the revision keeps the tag


@pytest.mark.parametrize("tag", ["", "  ", "một, hai", "x" * 101])
def test_adding_a_tag_asks_for_one(desk, tag):
    story = ArticleFactory()
    response = act(desk, "add_tag", [story], tag=tag)
    assert response.status_code == 200 and "Hãy ghi một thẻ" in said(response)
    assert not BulkChange.objects.exists() and not story.tags.exists()


def test_the_desk_s_rules_judge_each_story_and_refusals_are_reported(client, reporter):
    mine = ArticleFactory(status=Status.DRAFT, published_at=None, created_by=reporter)
    out = ArticleFactory(status=Status.PUBLISHED, created_by=reporter)  # left the desk
    client.force_login(reporter)
    response = act(client, "add_tag", [mine, out], tag="điện gió")
    text = said(response)
    assert "Đã thêm thẻ cho 1 bài." in text and "1 bài không đổi" in text
    assert out.headline in text and "chính mình" in text
    assert list(mine.tags.names()) == ["điện gió"] and not out.tags.exists()
    change = BulkChange.objects.get()
    assert change.refused_count == 1 and change.refusals[0][0] == out.pk


def test_a_change_asked_by_someone_no_longer_allowed_changes_nothing(editor):
    ArticleFactory.create_batch(2, status=Status.REVIEW, published_at=None)
    editor.groups.clear()
    editor = User.objects.get(pk=editor.pk)  # permissions read again
    change = bulk_changes.start(editor, Article.objects.all(), to_status=Status.PUBLISHED)
    assert (change.changed, change.refused_count) == (0, 2)
    assert not Article.objects.published().exists()


def test_a_change_too_large_is_refused_with_a_reason(desk, monkeypatch):
    monkeypatch.setattr(bulk_changes, "MOST", 2)
    stories = ArticleFactory.create_batch(3, status=Status.REVIEW, published_at=None)
    response = act(desk, "archive", stories)
    assert "tối đa 2 bài" in said(response)
    assert not BulkChange.objects.exists()
    assert not Article.objects.filter(status=Status.ARCHIVED).exists()


def test_a_job_run_again_goes_on_from_the_last_batch_it_finished(editor, monkeypatch):
    monkeypatch.setattr(bulk_changes, "BATCH", 2)
    stories = ArticleFactory.create_batch(5, status=Status.REVIEW, published_at=None)
    change = BulkChange.objects.create(
        kind=BulkChange.Kind.MOVE, to_status=Status.ARCHIVED, user=editor,
        story_ids=[s.pk for s in stories], total=5,
    )  # fmt: skip
    real, calls = bulk_changes._apply, []

    def dies_in_the_second_batch(change, story):
        calls.append(story.pk)
        if len(calls) == 4:
            raise RuntimeError("worker killed")
        real(change, story)

    monkeypatch.setattr(bulk_changes, "_apply", dies_in_the_second_batch)
    with pytest.raises(RuntimeError):
        bulk_changes.run(change.pk)
    change.refresh_from_db()
    assert (change.done, change.changed, change.finished_at) == (2, 2, None)
    archived = set(Article.objects.filter(status=Status.ARCHIVED).values_list("pk", flat=True))
    assert archived == {stories[0].pk, stories[1].pk}  # the second batch rolled back whole
    monkeypatch.setattr(bulk_changes, "_apply", real)
    bulk_changes.run(change.pk)
    change.refresh_from_db()
    assert (change.done, change.changed) == (5, 5) and change.finished_at
    assert Article.objects.filter(status=Status.ARCHIVED).count() == 5
    assert StateChange.objects.filter(to_status=Status.ARCHIVED).count() == 5  # once each


def test_a_deleted_story_is_reported_not_fatal(editor):
    stories = ArticleFactory.create_batch(2, status=Status.REVIEW, published_at=None)
    change = BulkChange.objects.create(
        kind=BulkChange.Kind.MOVE, to_status=Status.PUBLISHED, user=editor,
        story_ids=[s.pk for s in stories], total=2,
    )  # fmt: skip
    gone = stories[0].pk
    stories[0].delete()
    bulk_changes.run(change.pk)
    change.refresh_from_db()
    assert (change.changed, change.refused_count) == (1, 1)
    assert change.refusals == [[gone, "", "bài đã bị xoá"]]


def test_the_progress_page_shows_each_change_to_who_may_see_it(client, editor, reporter, settings):
    settings.JOBS_QUEUE = True  # a worker has it: the page only shows how far it is
    unfinished = BulkChange.objects.create(
        kind=BulkChange.Kind.TAG, tag_name="thời sự", user=editor, story_ids=[1, 2, 3],
        total=3, done=1, changed=1,
    )  # fmt: skip
    client.force_login(editor)
    page = client.get(f"/admin/articles/bulkchange/{unfinished.pk}/change/").text
    assert '<progress value="1" max="3">' in page and 'http-equiv="refresh"' in page
    assert "Thêm thẻ “thời sự”: 3 bài" in page
    listing = client.get("/admin/articles/bulkchange/").text
    assert "1 / 3" in listing
    client.force_login(reporter)  # a reporter sees the changes they asked for, not others'
    assert client.get(f"/admin/articles/bulkchange/{unfinished.pk}/change/").status_code == 302
    assert "thời sự" not in client.get("/admin/articles/bulkchange/").text


@needs_queue
@pytest.mark.django_db(transaction=True)
def test_on_the_queue_the_desk_follows_the_job_to_its_end_and_ranks_once_a_batch(queue, client):  # noqa: F811
    client.force_login(User.objects.create_superuser("bientap", password="x"))
    stories = ArticleFactory.create_batch(3, status=Status.REVIEW, published_at=None)
    response = act(client, "publish", stories, follow=False)
    change = BulkChange.objects.get()
    assert response.status_code == 302
    assert response.url == f"/admin/articles/bulkchange/{change.pk}/change/"
    assert waiting("desk.bulk_change") == [("desk.bulk_change", "todo")]
    assert change.done == 0 and not Article.objects.published().exists()
    assert 'http-equiv="refresh"' in client.get(response.url).text
    work(queue, queues=["long"])
    change.refresh_from_db()
    assert (change.done, change.changed) == (3, 3) and change.finished_at
    # related news ranked for the batch in one job, on the lane of long jobs, and done
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT queue_name, args->>'ids', status FROM procrastinate_jobs "
            "WHERE task_name = 'related.rank'"
        )
        ranked = [("long", json.dumps(sorted(s.pk for s in stories)), "succeeded")]
        assert cursor.fetchall() == ranked
    assert all(s.related_ids == [] for s in Article.objects.filter(pk__in=[s.pk for s in stories]))
    assert Article.objects.published().count() == 3
    assert 'http-equiv="refresh"' not in client.get(response.url).text
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM articles_statechange WHERE to_status = 'published'")
        assert cursor.fetchone()[0] == 3


def test_a_batch_purges_readers_pages_once_and_readers_see_the_change(desk, client, monkeypatch):
    from articles.freshness import store

    stories = ArticleFactory.create_batch(3, status=Status.REVIEW, published_at=None)
    purged = []
    real = store._forget
    monkeypatch.setattr(store, "_forget", lambda keys: (purged.append(keys), real(keys)))
    act(desk, "publish", stories)
    assert len(purged) == 1  # the whole batch's pages, at once
    assert {"home", *(f"article-{s.pk}" for s in stories)} <= purged[0]
    client.logout()
    for story in stories:
        story.refresh_from_db()
        assert client.get(story.get_absolute_url()).status_code == 200


def test_publishing_stories_already_published_leaves_them_and_their_dates_alone(desk, seed):
    """A seed story with no stated time stays without one; stories already published
    are counted apart, not as published by this change."""
    timeless = Article.objects.published().filter(published_at=None).get()
    dated = ArticleFactory(status=Status.PUBLISHED)
    waiting = ArticleFactory(status=Status.REVIEW, published_at=None)
    before = {s.pk: (s.published_at, s.updated_at) for s in (timeless, dated)}
    response = act(desk, "publish", [timeless, dated, waiting])
    text = said(response)
    assert "Đã xuất bản 1 bài." in text and "2 bài vốn đã như vậy" in text
    for story in (timeless, dated):
        story.refresh_from_db()
        assert (story.published_at, story.updated_at) == before[story.pk]
        assert not Version.objects.get_for_object(story).exists()
    change = BulkChange.objects.get()
    assert (change.changed, change.unchanged, change.refused_count) == (1, 2, 0)


def test_an_archived_story_published_again_keeps_its_unstated_time(desk, seed):
    timeless = Article.objects.published().filter(published_at=None).get()
    act(desk, "archive", [timeless])
    act(desk, "publish", [Article.objects.get(pk=timeless.pk)])
    timeless.refresh_from_db()
    assert timeless.status == Status.PUBLISHED and timeless.published_at is None


def test_without_a_queue_a_large_change_goes_on_at_each_look_at_its_page(
    desk, settings, monkeypatch
):
    """No worker: the request does what fits in its time and shows the change's
    progress page, whose every refresh does the next part, to the end; the change
    is recorded from the first request, never half."""
    settings.BULK_CHANGE_SECONDS = 0  # one batch a request
    monkeypatch.setattr(bulk_changes, "BATCH", 4)
    stories = ArticleFactory.create_batch(10, status=Status.DRAFT, published_at=None)
    response = act(desk, "add_tag", stories, follow=False, tag="Dài hơi")
    change = BulkChange.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{change.pk}/change/")
    assert (change.done, change.total, change.finished_at) == (4, 10, None)
    page = desk.get(response["Location"])
    assert page.status_code == 200 and 'http-equiv="refresh" content="1"' in page.content.decode()
    assert "8 / 10" in page.content.decode()
    page = desk.get(response["Location"])
    change.refresh_from_db()
    assert (change.done, change.changed) == (10, 10)
    desk.get(response["Location"])  # the look that finds nothing left marks it done
    change.refresh_from_db()
    assert change.finished_at is not None
    assert 'http-equiv="refresh"' not in desk.get(response["Location"]).content.decode()
    assert all(s.tags.filter(name="Dài hơi").exists() for s in stories)


def test_a_change_that_fits_one_request_is_done_before_the_page_answers(desk, settings):
    settings.BULK_CHANGE_SECONDS = 60
    stories = ArticleFactory.create_batch(3, status=Status.REVIEW, published_at=None)
    response = act(desk, "archive", stories)
    assert "Đã lưu trữ 3 bài." in said(response)
    assert BulkChange.objects.get().finished_at is not None
