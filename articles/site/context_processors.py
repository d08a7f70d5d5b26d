"""The section menu in every reader page's header, read only when a template uses it."""

from django.utils.functional import SimpleLazyObject

from ..freshness import edge, pieces, surrogates
from ..models import Section


def navigation(request) -> dict:
    """The sections in the site header, read when a template uses them and kept
    until one of them changes (so a story page stays within its query budget)."""
    return {"nav_sections": SimpleLazyObject(menu_sections)}


def menu_sections() -> list[Section]:
    """The sections in their order, kept until one of them changes."""
    return pieces.kept("nav", _sections, shared=True)


def _sections() -> list[Section]:
    edge.show(surrogates.everything(Section))
    return list(Section.objects.all())
