"""What the readers' site keeps when a story changes: a renamed story's former
address answers with a permanent redirect; related news is ranked again
(related.py) when a story readers may see is saved or relinked; and the
outcomes a story reports are shown from when the first published story
reporting them goes live (``Outcome.shown_from``), set in the same transaction
as the change, so that an unpublished story's outcomes are hidden with it."""

from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from ..models import Article, FormerSlug, Outcome, OutcomeReport, TaggedArticle
from ..signals import story_deleted, story_saved
from . import related


@receiver(story_saved)
def keep_former_slug(sender, story, before, **kwargs):
    """A renamed story keeps its old address, answered with a permanent redirect."""
    stored = before and before["slug"]
    if stored != story.slug:
        taken = FormerSlug.objects.filter(slug=story.slug)
        if not getattr(story, "takes_over_slug", False):  # an editor's knowing choice
            taken = taken.filter(article=story)  # only this story's own, again
        taken.delete()
    if stored and stored != story.slug:
        FormerSlug.objects.update_or_create(
            slug=stored, defaults={"article": story, "until": timezone.now()}
        )


RANKED_BY = ("status", "published_at", "language")


@receiver(story_saved)
def rank_saved_story(
    sender: type[Article], story: Article, before: dict[str, Any] | None, **kwargs: Any
) -> None:
    """A story that is or was published, new or moved in what the ranking reads of
    its row (its status, time, language; its links rank it again themselves): its
    list, and those it may enter or leave. An edit of its text ranks nothing."""
    published = Article.Status.PUBLISHED
    if not (story.status == published or (before and before["status"] == published)):
        return
    if before is None or any(before[f] != getattr(story, f) for f in RANKED_BY):
        related.rank_later([story.pk])


@receiver(story_deleted)
def rank_without_deleted_story(sender: type[Article], story: Article, **kwargs: Any) -> None:
    """The lists a deleted story may be in are ranked again, without it."""
    if story.status == Article.Status.PUBLISHED:
        story.fetch_links(*related.LINKED)
        nearest = related.related_articles(story, related.NEIGHBOURS)
        related.rank_later([s.pk for s in nearest])


@receiver(m2m_changed, sender=Article.events.through)
@receiver(m2m_changed, sender=Article.organizations.through)
@receiver(m2m_changed, sender=Article.people.through)
def rank_relinked_story(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    if action.startswith("post_"):
        related.rank_later(pk_set or () if reverse else [instance.pk])


@receiver(post_save, sender=TaggedArticle)
@receiver(post_delete, sender=TaggedArticle)
def rank_retagged_story(
    sender: type[TaggedArticle], instance: TaggedArticle, **kwargs: Any
) -> None:
    related.rank_later([instance.content_object_id])


@receiver(story_saved)
def show_outcomes_of_saved_story(
    sender: type[Article], story: Article, before: dict[str, Any] | None, **kwargs: Any
) -> None:
    if before is None or any(before[f] != getattr(story, f) for f in ("status", "published_at")):
        Outcome.objects.filter(reported_by=story).show_from_reports()


@receiver(story_deleted)
def note_outcomes_of_deleted_story(sender: type[Article], story: Article, **kwargs: Any) -> None:
    story._reported = list(story.outcomes.values_list("pk", flat=True))  # type: ignore[attr-defined]


@receiver(post_delete, sender=Article)
def show_outcomes_without_deleted_story(
    sender: type[Article], instance: Article, **kwargs: Any
) -> None:
    if reported := getattr(instance, "_reported", None):
        Outcome.objects.filter(pk__in=reported).show_from_reports()


@receiver(m2m_changed, sender=Outcome.reported_by.through)
def show_relinked_outcomes(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    """From the outcome's side (``reverse`` False) or the story's (``story.outcomes``)."""
    if not reverse:
        if action.startswith("post_"):
            Outcome.objects.filter(pk=instance.pk).show_from_reports()
    elif action == "pre_clear":
        instance._reported = list(instance.outcomes.values_list("pk", flat=True))  # type: ignore[attr-defined]
    elif action.startswith("post_"):
        ids = pk_set if action != "post_clear" else getattr(instance, "_reported", ())
        Outcome.objects.filter(pk__in=ids or ()).show_from_reports()


@receiver(post_save, sender=OutcomeReport)
@receiver(post_delete, sender=OutcomeReport)
def show_outcome_of_changed_report(
    sender: type[OutcomeReport], instance: OutcomeReport, **kwargs: Any
) -> None:
    """A report added or taken away one row at a time (the outcome's page in the
    desk), not through ``reported_by``."""
    Outcome.objects.filter(pk=instance.outcome_id).show_from_reports()


@receiver(post_save, sender=Outcome)
def show_outcome_loaded_again(
    sender: type[Outcome], instance: Outcome, raw: bool, **kwargs: Any
) -> None:
    """An outcome loaded from a fixture again comes without ``shown_from`` (not in
    the file), and its reports, already there, change nothing to say so."""
    if raw:
        Outcome.objects.filter(pk=instance.pk).show_from_reports()
