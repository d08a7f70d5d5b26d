from django.utils.functional import SimpleLazyObject

from .caching import remember
from .models import Section


def navigation(request) -> dict[str, SimpleLazyObject]:
    """The sections in the site header: read when a template uses them, and kept
    until the content changes (so a story page stays within its query budget)."""
    return {"nav_sections": SimpleLazyObject(lambda: remember("nav", _sections))}


def _sections() -> list[Section]:
    return list(Section.objects.all())
