"""What the newsroom's models share: slugs made from a name, natural keys so
fixtures load twice without duplicating, the validators of codes, and the rule
that what stories name cannot be deleted while they name it."""

import functools
import zoneinfo
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.signals import class_prepared
from django.dispatch import receiver
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from taggit.managers import _TaggableManager
from taggit.models import TaggedItemBase

from newsroom import shown

from ..text.sanitize import xml_safe
from ..text.slugs import unique_slug

country_code = RegexValidator(
    r"^[A-Z]{2}$", _("Mã quốc gia ISO 3166 gồm hai chữ in hoa, ví dụ VN.")
)


def validate_timezone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” không phải múi giờ IANA."), params={"value": value})


class CleanTags(_TaggableManager):
    """Tag names are cleaned as every stored text is (text/handlers.py) before taggit
    looks them up: ``LNG\x0b`` is the tag LNG, not a second one the database
    refuses (or, with a NUL, cannot even be asked about)."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        names = (xml_safe(tag).strip() if isinstance(tag, str) else tag for tag in tags)
        return super()._to_tag_model_instances([t for t in names if t != ""], tag_kwargs)


class SlugQuerySet(models.QuerySet):
    """Slugs are the natural keys, so fixtures load again without duplicating."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


SLUG_MARK = "slug-mark"  # stands for a row's slug in an address reversed once


@functools.cache
def _address_pattern(model, language: str) -> str:
    with translation.override(language):
        return reverse(f"articles:{model._meta.model_name}", kwargs={"slug": SLUG_MARK})


def surrogate_key(thing: models.Model) -> str:
    """How the edge cache names ``thing`` (see surrogates.py): ``article-12``."""
    return f"{thing._meta.model_name}-{thing.pk}"


def linked(thing: models.Model, url: str) -> str:
    """``url``, the address of ``thing``, noted as shown by the response being made."""
    shown.show(surrogate_key(thing))
    return url


def address(model, slug: str, language: str | None = None) -> str:
    """The page of ``model``'s row ``slug`` in ``language`` (the active one by
    default), without a ``reverse()`` per row: long lists (sitemaps, exports)
    would spend most of their time there."""
    pattern = _address_pattern(model, language or translation.get_language())
    return pattern.replace(SLUG_MARK, slug, 1)


class SluggedModel(models.Model):
    """A public thing with a URL: its slug is made from ``slug_source`` when left blank."""

    slug = models.SlugField(_("slug"), max_length=255, unique=True, blank=True)

    slug_source = "name"
    objects = SlugQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        """Its name, in English on the English site where it has an English form
        (``name_en``, ``title_en``)."""
        english = getattr(self, f"{self.slug_source}_en", "")
        if english and translation.get_language() == "en":
            return english
        return getattr(self, self.slug_source)

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.slug:
            self.slug = unique_slug(self, getattr(self, self.slug_source))
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return linked(self, address(type(self), self.slug))

    def natural_key(self):
        return (self.slug,)


def refuse_while_named(things) -> None:
    """Stories name organizations, people and events by plain many-to-many rows,
    which a deletion would drop without a word: refuse it while any story names
    one of ``things``, as a byline protects its author. Raised before Django's
    delete opens its transaction, as PROTECT is, so a caller inside its own
    transaction can catch the refusal and carry on."""
    things = list(things)
    if not things:
        return
    # By name, not by import: the stories module builds on this one.
    stories = apps.get_model("articles", "Article").objects.naming(*things)
    if stories := list(stories.distinct()[:21]):
        count = "more than 20" if len(stories) > 20 else len(stories)
        raise models.ProtectedError(
            f"{', '.join(map(str, things[:3]))}: named by {count} stories; unlink them first.",
            set(stories),
        )


class NamedByStoriesQuerySet(SlugQuerySet):
    def delete(self):
        refuse_while_named(self)
        return super().delete()


class NamedByStories(SluggedModel):
    """What a story can name (see ``refuse_while_named``)."""

    objects = NamedByStoriesQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        refuse_while_named([self])
        return super().delete(*args, **kwargs)


class ByNaturalKey(models.Manager):
    """Finds a row by the values of its model's ``natural_key_fields``."""

    def get_by_natural_key(self, *values):
        lookups = {}
        for path, value in zip(self.model.natural_key_fields, values, strict=True):
            if value is None:
                lookups[path.partition("__")[0]] = None  # no person, say
            else:
                lookups[path] = value
        return self.get(**lookups)


class NaturallyKeyed(models.Model):
    """A row with no slug of its own, known by where it stands: the values named
    by ``natural_key_fields`` (``event__slug``, ``position``) identify it in a
    fixture. The models those relations reach are dumped before it."""

    natural_key_fields: tuple[str, ...] = ()
    objects = ByNaturalKey()

    class Meta:
        abstract = True

    def natural_key(self) -> tuple:
        return tuple(_follow(self, path) for path in self.natural_key_fields)


def _follow(row, path: str):
    for name in path.split("__"):
        row = getattr(row, name)
        if row is None:
            return None
    return row


@receiver(class_prepared)
def _dump_what_natural_keys_reach_first(sender, **kwargs):
    """dumpdata orders models by ``natural_key.dependencies``: each model gets
    its own, the models its ``natural_key_fields`` go through."""
    if not issubclass(sender, NaturallyKeyed) or sender._meta.abstract:
        return
    relations = {path.partition("__")[0] for path in sender.natural_key_fields if "__" in path}

    def natural_key(self) -> tuple:
        return NaturallyKeyed.natural_key(self)

    targets = (sender._meta.get_field(name).remote_field.model for name in relations)
    natural_key.dependencies = sorted(target._meta.label_lower for target in targets)
    sender.natural_key = natural_key


class TaggedItem(NaturallyKeyed, TaggedItemBase):
    """Taggit's through rows, with natural keys so the fixtures load twice cleanly."""

    natural_key_fields = ("content_object__slug", "tag__name")

    class Meta:
        abstract = True
