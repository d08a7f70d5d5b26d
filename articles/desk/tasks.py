"""The desk's jobs (the queue is ``newsroom/jobs.py``): a story's picture
renditions, made after the save that stored it; copy from the wire made drafts;
changes to many stories at once. Each reads what it works on when it
runs and does nothing already done: run twice, one result."""

import base64
import logging

from django.contrib.auth import get_user_model

from newsroom import jobs

from ..freshness import store, surrogates
from ..media.images import discard, files_of, make_crops, make_renditions
from ..models import Article, Organization, Picture
from . import bulk_changes, notifications
from .imports import import_copy

log = logging.getLogger(__name__)


@jobs.task("images.renditions", queue=jobs.LONG)
def renditions(story: int, source: str) -> None:
    """The WebP copies of a story's picture, stored under names of their own
    (``images.rendition_name``): made again, they replace themselves."""
    article = Article.objects.filter(pk=story, image=source).first()
    if article is None or "webp" in article.image_renditions:
        return  # another picture since, or already made
    made = make_renditions(article.image)
    if not Article.objects.filter(pk=story, image=source).update(image_renditions=made):
        discard(files_of(made)[1:])  # replaced while they were made: not the original
        return
    place = {field: getattr(article, field) for field in surrogates.PLACE}
    store.purge(surrogates.story_changed(article, place))


@jobs.task("images.picture_renditions", queue=jobs.LONG)
def picture_renditions(picture: int, source: str) -> None:
    """The WebP copies of a library picture and its crops around its focal point,
    made once, and lent to the stories it leads, whose pages are purged; the crops
    of a focal point since moved are removed. Run again, one result."""
    found = Picture.objects.filter(pk=picture, file=source).first()
    if found is None:
        return  # another file since
    before = found.renditions
    made = before
    if not found.has_renditions:
        if before.get("source") == source and "webp" in before:  # a focal point moved
            made = {**before, **make_crops(found.file, found.focus)}
        else:
            made = make_renditions(found.file, found.focus)
        moved = Picture.objects.filter(
            pk=picture, file=source, focal_x=found.focal_x, focal_y=found.focal_y
        )
        if not moved.update(renditions=made):
            # Replaced or moved while they were made: its crops (the copies' names
            # are the file's own, and the file it had is another's now or theirs).
            discard(made["crop"].values())
            return
        discard(set(before.get("crop", {}).values()) - set(made["crop"].values()))
    stale = Article.objects.filter(lead_picture=picture, image=source).exclude(
        image_renditions=made
    )
    shown = list(stale)
    stale.update(image_renditions=made)
    with store.batched():
        for story in shown:
            place = {field: getattr(story, field) for field in surrogates.PLACE}
            store.purge(surrogates.story_changed(story, place))


@jobs.task("wire.import", queue=jobs.LONG)
def import_wire(name: str, data: str, outlet: int | None = None, user: int | None = None) -> None:
    """One file of copy (base64) as a draft: the same text twice is one draft. (The
    desk imports through ``desk.bulk_change`` now; kept for jobs already waiting.)"""
    source = Organization.objects.filter(pk=outlet).first() if outlet else None
    by = get_user_model().objects.filter(pk=user).first() if user else None
    result = import_copy(name, base64.b64decode(data), outlet=source, user=by)
    if result.error:
        log.warning("wire file %s not imported: %s", name, result.error)


@jobs.task("desk.bulk_change", queue=jobs.LONG)
def bulk_change(change: int) -> None:
    """Many stories moved or tagged at once, from the desk's list, or files of copy
    made drafts (``bulk_changes``)."""
    bulk_changes.run(change)


@jobs.task("desk.notification_emails")
def notification_emails(ids: list[int] | None = None) -> None:
    """The e-mails of notifications just made, each sent once (``notifications``)."""
    notifications.send_emails(ids)
