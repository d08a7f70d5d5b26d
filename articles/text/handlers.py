"""Text fit for every place it goes: every text the newsroom stores reaches a
feed, a sitemap, JSON or a page."""

from django.apps import apps
from django.db import models
from django.db.models.signals import pre_save

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


for model in apps.get_app_config("articles").get_models():
    pre_save.connect(
        strip_forbidden_characters, sender=model, dispatch_uid=f"text-{model.__name__}"
    )
