"""Pruning old revisions (manage.py prune_revisions): drafts' old revisions go,
each story's newest and every revision of a published text stay."""

import datetime
import io

import pytest
import reversion
from django.core.management import CommandError, call_command
from django.utils import timezone
from reversion.models import Revision, Version

from articles.models import Article
from tests.factories import ArticleFactory

Status = Article.Status


def saved(story, status: str, days_ago: int) -> int:
    """A revision of ``story`` saved ``days_ago`` days ago with ``status``."""
    story.status = status
    with reversion.create_revision():
        story.save()
    revision = Revision.objects.order_by("-pk").first()
    when = timezone.now() - datetime.timedelta(days=days_ago)
    Revision.objects.filter(pk=revision.pk).update(date_created=when)
    return revision.pk


def prune(*args) -> str:
    out = io.StringIO()
    call_command("prune_revisions", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_old_draft_revisions_go_and_the_published_history_stays():
    story = ArticleFactory(status=Status.DRAFT, published_at=None)
    first = saved(story, Status.DRAFT, 800)
    second = saved(story, Status.REVIEW, 700)
    published = saved(story, Status.PUBLISHED, 600)
    corrected = saved(story, Status.PUBLISHED, 500)
    pulled = saved(story, Status.DRAFT, 10)
    other = ArticleFactory()
    lone = saved(other, Status.DRAFT, 900)  # a story's only revision: its newest

    assert "2 revisions would be deleted" in prune("--days", "365", "--keep", "2", "--dry-run")
    assert Revision.objects.count() == 6
    assert "Deleted 2 revisions" in prune("--days", "365", "--keep", "2")
    assert set(Revision.objects.values_list("pk", flat=True)) == {
        published,
        corrected,
        pulled,
        lone,
    }
    assert first not in Version.objects.values_list("revision_id", flat=True)
    assert second not in Version.objects.values_list("revision_id", flat=True)
    assert "Deleted 0 revisions" in prune("--days", "365", "--keep", "2")  # twice: once


@pytest.mark.django_db
def test_recent_revisions_are_kept_whatever_their_number():
    story = ArticleFactory(status=Status.DRAFT, published_at=None)
    for _ in range(5):
        saved(story, Status.DRAFT, 3)
    assert "Deleted 0 revisions" in prune("--days", "30", "--keep", "1")
    assert Revision.objects.count() == 5


@pytest.mark.django_db
@pytest.mark.parametrize("args", [("--days", "0"), ("--keep", "0"), ("--keep", "-3")])
def test_a_senseless_window_is_refused(args):
    with pytest.raises(CommandError, match="at least 1"):
        prune(*args)


@pytest.mark.django_db
def test_old_sign_in_records_go_as_the_readme_says():
    from axes.models import AccessLog

    def signed_in(days_ago: int) -> AccessLog:
        record = AccessLog.objects.create(
            username="phongvien", ip_address="10.0.0.1", user_agent="", http_accept="",
            path_info="/admin/login/",
        )  # fmt: skip
        when = timezone.now() - datetime.timedelta(days=days_ago)
        AccessLog.objects.filter(pk=record.pk).update(attempt_time=when)
        return record

    old, recent = signed_in(200), signed_in(10)
    call_command("axes_reset_logs", "--age", "90", stdout=io.StringIO())
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk != recent.pk
