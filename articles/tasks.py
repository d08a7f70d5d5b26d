"""Every job of the newsroom, declared here once (the queue is ``newsroom/jobs.py``):
a story's picture renditions, copy from the wire, scheduled stories going live
at their moment, changes to many stories, search indexing and the edge's purges.
Whoever asks for one names it (``jobs.defer("search.index", ...)``): a model
need not import this module.

Each reads what it works on when it runs and does nothing already done, so a
job run twice (retried, or left by a dead worker) gives one result.
"""

import base64
import logging

from django.apps import apps
from django.contrib.auth import get_user_model
from procrastinate.contrib.django import app

from newsroom import jobs

from . import bulk_changes, search
from .freshness import edge, moments, store, surrogates
from .images import discard, files_of, make_renditions
from .imports import import_copy
from .models import Article, Organization

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


@jobs.task("wire.import", queue=jobs.LONG)
def import_wire(name: str, data: str, outlet: int | None = None, user: int | None = None) -> None:
    """One file of copy (base64) as a draft: the same text twice is one draft. (The
    desk imports through ``desk.bulk_change`` now; kept for jobs already waiting.)"""
    source = Organization.objects.filter(pk=outlet).first() if outlet else None
    by = get_user_model().objects.filter(pk=user).first() if user else None
    result = import_copy(name, base64.b64decode(data), outlet=source, user=by)
    if result.error:
        log.warning("wire file %s not imported: %s", name, result.error)


@app.periodic(cron="* * * * * */15", periodic_id="stories-go-live")
@jobs.task("stories.go_live", queueing_lock="stories-go-live")
def go_live(timestamp: int) -> None:
    """A scheduled story goes live at its moment, its listings and the edge
    purged, with no reader needing to ask first (``moments.schedule``)."""
    moments.schedule()


@jobs.task("search.index")
def index_stories(model: str, ids: list[int]) -> None:
    """Stories' search fields, read as they are when it runs: run twice, the same fields."""
    search.index_many(apps.get_model(model).objects.filter(pk__in=ids))


@jobs.task("edge.purge")
def purge_edge(keys: list[str], hard: bool = True) -> None:
    """A purge sent to the edge, retried until it takes it (freshness/edge.py)."""
    edge.send_purge(keys, hard)


@jobs.task("desk.bulk_change", queue=jobs.LONG)
def bulk_change(change: int) -> None:
    """Many stories moved or tagged at once, from the desk's list, or files of copy
    made drafts (``bulk_changes``)."""
    bulk_changes.run(change)
