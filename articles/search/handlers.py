"""Each story's search fields kept current: when it is saved, when its links
change, and when anything it names is renamed or given another name."""

from typing import Any

from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from .. import search
from ..models import (
    Article,
    Author,
    Byline,
    Country,
    CountryAlias,
    Organization,
    OrganizationAlias,
    Person,
    PersonAlias,
    Tag,
    TaggedArticle,
)
from ..signals import story_saved


@receiver(story_saved)
def index_saved_story(sender: type[Article], story: Article, **kwargs: Any) -> None:
    search.index(story)


@receiver(m2m_changed, sender=Article.countries.through)
@receiver(m2m_changed, sender=Article.organizations.through)
@receiver(m2m_changed, sender=Article.people.through)
def index_relinked_story(
    sender: type[models.Model],
    instance: Article,
    action: str,
    reverse: bool,
    pk_set: set[int] | None,
    **kwargs: Any,
) -> None:
    if not action.startswith("post_"):
        return
    if reverse:
        search.refresh(Article.objects.filter(pk__in=pk_set or ()))
    else:
        search.index(instance)


@receiver(post_save, sender=Byline)
@receiver(post_delete, sender=Byline)
@receiver(post_save, sender=TaggedArticle)
@receiver(post_delete, sender=TaggedArticle)
def index_story_of_link(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    pk = getattr(instance, "article_id", None) or getattr(instance, "content_object_id", None)
    if pk is not None:
        search.index_by_pk(Article, pk)


@receiver(post_save, sender=Country)
@receiver(post_save, sender=Organization)
@receiver(post_save, sender=Person)
@receiver(post_save, sender=Author)
@receiver(post_save, sender=Tag)
def index_stories_naming(
    sender: type[models.Model],
    instance: models.Model,
    raw: bool = False,
    created: bool = False,
    **kwargs: Any,
) -> None:
    if created:
        return  # nothing names it yet
    search.refresh(Article.objects.naming(instance))


@receiver(post_save, sender=CountryAlias)
@receiver(post_delete, sender=CountryAlias)
@receiver(post_save, sender=OrganizationAlias)
@receiver(post_delete, sender=OrganizationAlias)
@receiver(post_save, sender=PersonAlias)
@receiver(post_delete, sender=PersonAlias)
def index_stories_of_alias(
    sender: type[models.Model], instance: models.Model, **kwargs: Any
) -> None:
    """The stories naming what the alias names: found by the new name, not by the old."""
    owner = next(field for field in sender._meta.concrete_fields if field.is_relation)
    named_model: type[models.Model] = owner.related_model  # type: ignore[assignment]
    named = named_model(pk=getattr(instance, owner.attname))
    search.refresh(Article.objects.naming(named))
