"""A change asked of many stories at once: each story moved (or tagged, or
each file of copy read into a draft) by a job through the desk's rules
(``workflow``), with its revision and its entry in the desk's log, the work's
progress kept on a ``BulkChange`` the desk can watch. A job run again (retried,
or left by a dead worker) goes on from the last batch it finished: each batch
and its progress commit together.

Without a queue there is no worker: the request that asks, and each refresh of
the change's progress page, do the next batches for ``settings.BULK_CHANGE_SECONDS``,
so no request outlives its worker's time limit however many stories are asked."""

import time

import reversion
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from newsroom import jobs

from .. import search
from ..freshness import store
from ..models import Article, BulkChange, CopyFile
from . import workflow
from .imports import import_copy

BATCH = 100
# At most this many stories in one change: past it, the desk narrows the list first.
MOST = 100_000


def start(user, stories: QuerySet, *, to_status: str = "", tag: str = "") -> BulkChange:
    """Ask for ``stories`` to move to ``to_status`` (or be given ``tag``) for
    ``user``: the job starts now, or runs here where there is no queue."""
    ids = list(stories.order_by().values_list("pk", flat=True)[: MOST + 1])
    if len(ids) > MOST:
        raise ValueError(_("Mỗi lần chỉ đổi được tối đa %(most)s bài: hãy lọc bớt danh sách.")
                         % {"most": number_format(MOST, force_grouping=True)})  # fmt: skip
    kind = BulkChange.Kind.TAG if tag else BulkChange.Kind.MOVE
    change = BulkChange.objects.create(
        kind=kind,
        to_status=to_status,
        tag_name=tag,
        user=user,
        story_ids=sorted(ids),
        total=len(ids),
    )
    return _begin(change)


def start_import(user, files: list[tuple[str, bytes]], outlet=None) -> BulkChange:
    """Files of copy (name, bytes) to be made drafts for ``user``, one at a time,
    kept until read: the job starts now, or goes on at each look at its page."""
    with transaction.atomic():
        change = BulkChange.objects.create(
            kind=BulkChange.Kind.IMPORT, user=user, outlet=outlet, total=len(files)
        )
        CopyFile.objects.bulk_create(
            CopyFile(change=change, position=n, name=name[:255], data=data)
            for n, (name, data) in enumerate(files)
        )
    return _begin(change)


def _begin(change: BulkChange) -> BulkChange:
    if jobs.queued():
        jobs.defer("desk.bulk_change", lock=f"bulk-change-{change.pk}", change=change.pk)
    else:
        go_on(change.pk)
    change.refresh_from_db()
    return change


def go_on(pk: int) -> None:
    """Without a queue: the next batches of change ``pk``, for as long as one
    request may spend on them (the progress page asks again)."""
    run(pk, seconds=settings.BULK_CHANGE_SECONDS)


def run(pk: int, seconds: float | None = None) -> None:
    """Make the change ``pk`` asked for, batch by batch, until it is done, or
    until ``seconds`` have passed (at least one batch is done)."""
    deadline = None if seconds is None else time.monotonic() + seconds
    while True:
        # what each story's move asks once committed (related news ranked again), one job a batch
        with jobs.gathered("related.rank", queue=jobs.LONG):
            if not _batch(pk):
                return
        if deadline is not None and time.monotonic() >= deadline:
            return


@transaction.atomic
def _batch(pk: int) -> bool:
    """The next batch of change ``pk``, read and locked afresh (two refreshes of its
    page, or a job and a page, never do one batch twice); False when none is left."""
    change = BulkChange.objects.select_for_update().filter(pk=pk, finished_at=None).first()
    if change is None:
        return False
    if change.done >= change.total:
        change.finished_at = timezone.now()
        change.save(update_fields=["finished_at"])
        return False
    if change.kind == BulkChange.Kind.IMPORT:
        _import_next(change)
    else:
        _change_next(change)
    return True


def _import_next(change: BulkChange) -> None:
    """The next file of copy read into a draft (or found already imported, or
    refused with the reason), then deleted: one file a batch, each a few tenths
    of a second at most (wire.py reads a bounded text)."""
    copy = CopyFile.objects.filter(change=change, position=change.done).first()
    if copy is None:
        change.refuse(None, "", _("tệp không còn"))
    elif change.user is None:
        change.refuse(None, copy.name, _("người yêu cầu không còn"))
    else:
        result = import_copy(copy.name, bytes(copy.data), outlet=change.outlet, user=change.user)
        if result.error:
            change.refuse(None, copy.name, result.error)
        else:
            change.story_ids.append(result.article.pk)
            if result.created:
                change.changed += 1
            else:
                change.unchanged += 1
        copy.delete()
    change.done += 1
    change.save(update_fields=["done", "changed", "unchanged", "refused_count", "refusals",
                               "story_ids"])  # fmt: skip


def _change_next(change: BulkChange) -> None:
    ids = change.story_ids[change.done : change.done + BATCH]
    # What each story's revision and purge read, as it was before the change: a tag
    # added is saved (and kept in the revision) on its own.
    read = ("countries", "organizations", "people", "events", "authors", "tags")
    read += ("bylines__author", "taggedarticle_set__tag")
    stories = Article.objects.select_related("section").prefetch_related(*read).in_bulk(ids)
    # each story indexed once, and the pages they are on purged once, at the batch's end
    with search.batched(), store.batched():
        for pk in ids:
            story = stories.get(pk)
            if story is None:
                change.refuse(pk, "", _("bài đã bị xoá"))
                continue
            if _already_so(change, story):
                change.unchanged += 1
                continue
            try:
                with reversion.create_revision():
                    reversion.set_user(change.user)
                    reversion.set_comment(str(change))
                    _apply(change, story)
                change.changed += 1
            except PermissionDenied as refusal:
                change.refuse(pk, story.headline, str(refusal))
    change.done += len(ids)
    change.save(update_fields=["done", "changed", "unchanged", "refused_count", "refusals"])


def _already_so(change: BulkChange, story: Article) -> bool:
    """The story is already as asked: it is left alone, its dates and revisions
    untouched, and counted apart from those changed."""
    if change.kind == BulkChange.Kind.TAG:
        asked = change.tag_name.casefold()
        return any(link.tag.name.casefold() == asked for link in story.taggedarticle_set.all())
    return story.status == change.to_status


def _apply(change: BulkChange, story: Article) -> None:
    if change.user is None:
        raise PermissionDenied(_("người yêu cầu không còn"))
    if change.kind == BulkChange.Kind.TAG:
        workflow.add_tag(story, change.tag_name, change.user)
    else:
        workflow.transition(story, change.to_status, change.user)
