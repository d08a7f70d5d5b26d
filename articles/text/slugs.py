"""Vietnamese folded to plain letters: for slugs, and for search.

Django's ``slugify`` decomposes accents away but drops ``đ``/``Đ`` (they are
letters of their own, not ``d`` plus a mark), so ``Đầu tư`` would become
``au-tu``: fold them first. Search folds text the same way, keeping one
character for one, so that a match in the folded text is a match in the text.
"""

import unicodedata

from django.db import models
from django.utils.text import slugify

_LETTERS = str.maketrans({"đ": "d", "Đ": "D"})


def _fold_char(char: str) -> str:
    base = "".join(
        c for c in unicodedata.normalize("NFD", char.lower()) if not unicodedata.combining(c)
    )
    return "d" if base == "đ" else (base[:1] or char)


class _Folded(dict):
    """Each character's folded form, worked out the first time it is seen: a
    text has a few thousand distinct characters, and ``str.translate`` looks
    each up without a Python call per character."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = _fold_char(chr(code))
        return folded


_FOLDED = _Folded()


def fold(text: str) -> str:
    """``Đường Hoa Kỳ`` -> ``duong hoa ky``, one character for one, so positions agree."""
    return unicodedata.normalize("NFC", text or "").translate(_FOLDED)


def vi_slugify(value: str) -> str:
    """``Nguyễn Hồng Diên`` -> ``nguyen-hong-dien``; ``Đầu tư`` -> ``dau-tu``."""
    return slugify(unicodedata.normalize("NFC", str(value)).translate(_LETTERS))


def unique_slug(instance: models.Model, text: str, field: str = "slug") -> str:
    """A slug for ``text`` that no other row of the instance's model uses."""
    max_length = instance._meta.get_field(field).max_length
    base = vi_slugify(text)[:max_length].strip("-") or instance._meta.model_name
    others = type(instance)._default_manager.all()
    if instance.pk is not None:
        others = others.exclude(pk=instance.pk)
    taken = set(others.filter(**{f"{field}__startswith": base}).values_list(field, flat=True))
    if reserved := getattr(instance, "reserved_slugs", None):
        taken |= reserved(base)
    slug, n = base, 2
    while slug in taken:
        suffix = f"-{n}"
        slug = base[: max_length - len(suffix)].rstrip("-") + suffix
        n += 1
    return slug
