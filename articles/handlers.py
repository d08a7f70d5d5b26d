"""What the newsroom keeps current when its content changes, other than the
readers' pages (``freshness/handlers.py``): stored text fit for feeds and
pages, a renamed story's former address, the desk's log, each story's search
fields and the story form's matcher of names."""

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from . import search, suggest, workflow
from .models import (
    Article,
    Author,
    Byline,
    Correction,
    Country,
    CountryAlias,
    Event,
    FormerSlug,
    Organization,
    OrganizationAlias,
    Person,
    PersonAlias,
    StateChange,
    Tag,
    TaggedArticle,
)
from .sanitize import xml_safe
from .signals import story_moved, story_saved


def strip_forbidden_characters(sender, instance, **kwargs):
    """Every text the newsroom stores reaches a feed, a sitemap, JSON or a page:
    none may hold a character XML 1.0 forbids (a reporter can type a vertical tab)."""
    for field in sender._meta.concrete_fields:
        # Derived fields (search_text) are made from the others, already clean.
        if field.editable and isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, xml_safe(value))


for model in apps.get_app_config("articles").get_models():
    pre_save.connect(
        strip_forbidden_characters, sender=model, dispatch_uid=f"text-{model.__name__}"
    )


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


# -- the desk's log


@receiver(story_moved)
def log_move(sender, story, from_status, user, **kwargs):
    workflow.note(story, user, StateChange.Action.MOVE, from_status=from_status or "")


@receiver(post_save, sender=Correction)
def log_correction(sender, instance, created, raw=False, **kwargs):
    """Every correction or update, by whatever road, in the desk's log."""
    if created and not raw:
        text = f"{instance.get_kind_display()}: {instance.note}"
        workflow.note(instance.article, instance.by, StateChange.Action.CORRECTION, text)


# -- search


@receiver(story_saved)
def index_saved_story(sender, story, **kwargs):
    search.index(story)


@receiver(m2m_changed, sender=Article.countries.through)
@receiver(m2m_changed, sender=Article.organizations.through)
@receiver(m2m_changed, sender=Article.people.through)
def index_relinked_story(sender, instance, action, reverse, pk_set, **kwargs):
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
def index_story_of_link(sender, instance, **kwargs):
    pk = getattr(instance, "article_id", None) or getattr(instance, "content_object_id", None)
    if pk is not None:
        search.index_by_pk(Article, pk)


@receiver(post_save, sender=Country)
@receiver(post_save, sender=Organization)
@receiver(post_save, sender=Person)
@receiver(post_save, sender=Author)
@receiver(post_save, sender=Tag)
def index_stories_naming(sender, instance, raw=False, created=False, **kwargs):
    if created:
        return  # nothing names it yet
    search.refresh(Article.objects.naming(instance))


@receiver(post_save, sender=CountryAlias)
@receiver(post_delete, sender=CountryAlias)
@receiver(post_save, sender=OrganizationAlias)
@receiver(post_delete, sender=OrganizationAlias)
@receiver(post_save, sender=PersonAlias)
@receiver(post_delete, sender=PersonAlias)
def index_stories_of_alias(sender, instance, **kwargs):
    """The stories naming what the alias names: found by the new name, not by the old."""
    owner = next(field for field in sender._meta.concrete_fields if field.is_relation)
    named = owner.related_model(pk=getattr(instance, owner.attname))
    search.refresh(Article.objects.naming(named))


# The story form's matcher of names (suggest.py) is rebuilt only when a name changes.
for model in (Country, CountryAlias, Organization, OrganizationAlias, Person, PersonAlias, Event):
    for signal in (post_save, post_delete):
        signal.connect(suggest.names_changed, sender=model, dispatch_uid=f"names-{model.__name__}")
