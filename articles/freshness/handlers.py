"""What a change to the newsroom's content makes stale: the cached pages that
showed it are dropped, here and at the edge (surrogates.py), and a change that
may move the next scheduled moment has it read again (moments.py). The desk's
records of its own work (its log, a change to many stories, the files of an
import) are on no reader's page: writing them purges nothing; nor does counting
reads, whose list purges its own key when it changes (site/reads.py). A live
story's update purges its timeline alone, not the story's every listing."""

from typing import Any

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from ..models import (
    Article,
    BulkChange,
    CopyFile,
    LiveUpdate,
    MostRead,
    OutcomeReport,
    Pin,
    ReadCount,
    StateChange,
)
from ..signals import live_updated, story_deleted, story_saved
from . import moments, store, surrogates

DESK_RECORDS = (StateChange, BulkChange, CopyFile)
OWN_RULES = (ReadCount, MostRead, LiveUpdate)  # purged by rules of their own
CONTENT = [
    m
    for m in apps.get_app_config("articles").get_models()
    if not issubclass(m, DESK_RECORDS + OWN_RULES)
]


@receiver(story_saved)
def purge_saved_story(
    sender: type[Article], story: Article, before: dict[str, Any] | None, **kwargs: Any
) -> None:
    hard = surrogates.withdrawn(story, before)  # unpublished: gone from the edge outright
    store.purge(surrogates.story_changed(story, before), hard=hard)
    if before is None or any(before[f] != getattr(story, f) for f in ("status", "published_at")):
        moments.reschedule()


@receiver(story_deleted)
def purge_deleted_story(sender: type[Article], story: Article, **kwargs: Any) -> None:
    stored = {field: getattr(story, field) for field in surrogates.PLACE}
    store.purge(surrogates.story_changed(story, stored, gone=True), hard=True)
    moments.reschedule()


@receiver(live_updated)
@receiver(post_delete, sender=LiveUpdate)  # a story deleted with its updates, say
def purge_timeline(sender: type[models.Model], **kwargs: Any) -> None:
    """An update posted, corrected or removed: the story's timeline, wherever it is
    shown (its page, the fragment readers poll), and nothing else."""
    update = kwargs.get("update") or kwargs["instance"]
    store.purge({surrogates.live(update.article_id)})


@receiver(post_save, sender=Pin)
@receiver(post_delete, sender=Pin)
def reschedule_pins(sender: type[Pin], **kwargs: Any) -> None:
    """A pin's end is a moment the home page changes by itself."""
    moments.reschedule()


def purge_row(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    store.purge(surrogates.row_changed(instance))


def purge_links(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    model: type[models.Model],
    pk_set: set[Any] | None,
    **kwargs: Any,
) -> None:
    if action.startswith("post_"):
        own = {surrogates.key(instance)}
        if not isinstance(instance, Article):
            own = surrogates.row_changed(instance)
        store.purge(own | surrogates.links_changed(instance, model, pk_set))


for model in CONTENT:
    if model is not Article:
        post_save.connect(purge_row, sender=model, dispatch_uid=f"edge-saved-{model.__name__}")
        post_delete.connect(purge_row, sender=model, dispatch_uid=f"edge-gone-{model.__name__}")
    for field in model._meta.local_many_to_many:
        through: type[models.Model] = field.remote_field.through  # type: ignore[assignment]
        # the reports' rows too, added through ``reported_by`` as the plain ones are
        if through._meta.auto_created or through is OutcomeReport:
            m2m_changed.connect(
                purge_links, sender=through, dispatch_uid=f"edge-{through.__name__}"
            )
