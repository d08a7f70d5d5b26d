"""Comparing two saved revisions of a story, field by field."""

import datetime
import difflib
import re

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Version

from ..models import Article

COMPARED = [
    "headline", "slug", "sapo", "body", "status", "published_at", "section",
    "image", "image_alt", "image_caption", "image_credit",
    "source_outlet", "source_url", "source_published_at",
    "organizations", "people", "events",
]  # fmt: skip


def _lines(value) -> list[str]:
    """Text broken where a reader sees breaks, so a diff shows paragraphs."""
    text = "" if value is None else str(value)
    return re.sub(r"(</(?:p|h[2-4]|li|blockquote|figure)>)", r"\1\n", text).splitlines() or [""]


def _diff(old, new) -> SafeString:
    rows = []
    for line in difflib.ndiff(_lines(old), _lines(new)):
        mark, text = line[:1], escape(line[2:])
        if mark == "-":
            rows.append(f'<del class="diff-removed">{text}</del>')
        elif mark == "+":
            rows.append(f'<ins class="diff-added">{text}</ins>')
        elif mark == " ":
            rows.append(f"<span>{text}</span>")
    return mark_safe("<br>".join(rows))


def _shown(field, value) -> str:
    """A stored value as the desk reads it: a status by its label, a time in
    Vietnam time, linked things by their names, one to a line."""
    if value in (None, "", [], ()):
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%H:%M, %d/%m/%Y")
    if field.is_relation:
        ids = value if isinstance(value, list | set | tuple) else [value]
        found = {o.pk: str(o) for o in field.related_model._default_manager.filter(pk__in=ids)}
        return "\n".join(sorted(found.get(pk, f"#{pk}") for pk in ids))
    return str(value)


def compare(older: Version, newer: Version) -> list[dict]:
    """The fields that differ between two versions of one story, with their diff."""
    old, new = older.field_dict, newer.field_dict
    changes = []
    for name in COMPARED:
        field = Article._meta.get_field(name)
        before, after = old.get(field.attname), new.get(field.attname)  # section_id, …
        if isinstance(before, list | set | tuple):
            before, after = sorted(before or ()), sorted(after or ())
        if before != after:
            changes.append(
                {
                    "label": field.verbose_name,
                    "diff": _diff(_shown(field, before), _shown(field, after)),
                }
            )
    return changes
