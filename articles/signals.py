"""Keep stored text fit for feeds and pages, and each story's search fields and
every cached page current when the story or anything it names changes."""

from django.apps import apps
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver
from django.utils import timezone

from newsroom import page_cache

from . import caching, search, suggest, surrogates, workflow
from .models import (
    Article,
    Author,
    BulkChange,
    Byline,
    CopyFile,
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


def strip_forbidden_characters(sender, instance, **kwargs):
    """Every text the newsroom stores reaches a feed, a sitemap, JSON or a page:
    none may hold a character XML 1.0 forbids (a reporter can type a vertical tab)."""
    for field in sender._meta.concrete_fields:
        # Derived fields (search_text) are made from the others, already clean.
        if field.editable and isinstance(field, models.CharField | models.TextField):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, xml_safe(value))


@receiver(pre_save, sender=Article)
def note_stored(sender, instance, **kwargs):
    """The story as the database has it, before this save: its address and its
    place in the listings (a restored revision saves raw, so this is a signal
    and not ``Article.save``)."""
    instance._stored = None
    if instance.pk is not None:
        fields = ("slug", *surrogates.PLACE)
        instance._stored = Article.objects.filter(pk=instance.pk).values(*fields).first()
    instance._stored_slug = instance._stored and instance._stored["slug"]


@receiver(post_save, sender=Correction)
def log_correction(sender, instance, created, raw=False, **kwargs):
    """Every correction or update, by whatever road, in the desk's log."""
    if created and not raw:
        text = f"{instance.get_kind_display()}: {instance.note}"
        workflow.note(instance.article, instance.by, StateChange.Action.CORRECTION, text)


@receiver(post_save, sender=Article)
def keep_former_slug(sender, instance, created, **kwargs):
    """A renamed story keeps its old address, answered with a permanent redirect."""
    stored = getattr(instance, "_stored_slug", None)
    if created or stored != instance.slug:
        taken = FormerSlug.objects.filter(slug=instance.slug)
        if not getattr(instance, "takes_over_slug", False):  # an editor's knowing choice
            taken = taken.filter(article=instance)  # only this story's own, again
        taken.delete()
    if stored and stored != instance.slug:
        FormerSlug.objects.update_or_create(
            slug=stored, defaults={"article": instance, "until": timezone.now()}
        )


@receiver(post_save, sender=Article)
def index_saved_story(sender, instance, **kwargs):
    search.index(instance)


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
    story = Article.objects.filter(
        pk=getattr(instance, "article_id", None) or getattr(instance, "content_object_id", None)
    ).first()
    if story:
        search.index(story)


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

# Every text stored is fit for XML; any change to the newsroom's content makes
# every cached page stale (see caching.py). The desk's records of its own work (its
# log, a change to many stories, the files of an import) are on no reader's page:
# writing them purges nothing.
DESK_RECORDS = (StateChange, BulkChange, CopyFile)
CONTENT = [
    m for m in apps.get_app_config("articles").get_models() if not issubclass(m, DESK_RECORDS)
]
for model in apps.get_app_config("articles").get_models():
    pre_save.connect(
        strip_forbidden_characters, sender=model, dispatch_uid=f"text-{model.__name__}"
    )
for model in CONTENT:
    post_save.connect(caching.bump, sender=model, dispatch_uid=f"pages-saved-{model.__name__}")
    post_delete.connect(caching.bump, sender=model, dispatch_uid=f"pages-gone-{model.__name__}")
for relation in (
    field
    for model in apps.get_app_config("articles").get_models()
    for field in model._meta.local_many_to_many
    if field.remote_field.through._meta.auto_created
):
    through = relation.remote_field.through
    m2m_changed.connect(caching.bump, sender=through, dispatch_uid=f"pages-{through.__name__}")


# The cached pages that showed what changed are dropped, here and at the edge (surrogates.py).
@receiver(post_save, sender=Article)
def purge_saved_story(sender, instance, **kwargs):
    stored = getattr(instance, "_stored", None)
    hard = surrogates.withdrawn(instance, stored)  # unpublished: gone from the edge outright
    page_cache.purge(surrogates.story_changed(instance, stored), hard=hard)


@receiver(pre_delete, sender=Article)
def purge_deleted_story(sender, instance, **kwargs):
    stored = {field: getattr(instance, field) for field in surrogates.PLACE}
    page_cache.purge(surrogates.story_changed(instance, stored, gone=True), hard=True)


def purge_row(sender, instance, **kwargs):
    page_cache.purge(surrogates.row_changed(instance))


def purge_links(sender, instance, action, model, pk_set, **kwargs):
    if action.startswith("post_"):
        own = {surrogates.key(instance)}
        if not isinstance(instance, Article):
            own = surrogates.row_changed(instance)
        page_cache.purge(own | surrogates.links_changed(instance, model, pk_set))


for model in CONTENT:
    if model is not Article:
        post_save.connect(purge_row, sender=model, dispatch_uid=f"edge-saved-{model.__name__}")
        post_delete.connect(purge_row, sender=model, dispatch_uid=f"edge-gone-{model.__name__}")
    for field in model._meta.local_many_to_many:
        if field.remote_field.through._meta.auto_created:
            through = field.remote_field.through
            m2m_changed.connect(
                purge_links, sender=through, dispatch_uid=f"edge-{through.__name__}"
            )
