"""What the readers' site keeps when a story changes: a renamed story's former
address answers with a permanent redirect, and related news is ranked again
(related.py) when a story readers may see is saved or relinked."""

from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from ..models import Article, FormerSlug, TaggedArticle
from ..signals import story_saved
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


@receiver(story_saved)
def rank_saved_story(
    sender: type[Article], story: Article, before: dict[str, Any] | None, **kwargs: Any
) -> None:
    """A story that is or was published: its list, and those it may enter or leave."""
    published = Article.Status.PUBLISHED
    if story.status == published or (before and before["status"] == published):
        related.rank_later([story.pk])


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
