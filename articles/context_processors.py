from django.conf import settings
from django.utils.functional import SimpleLazyObject

from newsroom import edge

from . import surrogates
from .caching import DAY, generation, remember
from .models import Section


def navigation(request) -> dict:
    """The sections in the site header, read when a template uses them and kept
    until the content changes (so a story page stays within its query budget);
    and what ``{% cache %}`` fragments need to be dropped when content changes."""
    return {
        "nav_sections": SimpleLazyObject(menu_sections),
        "content_version": SimpleLazyObject(lambda: generation()["token"]),
        "fragment_seconds": DAY if settings.CONTENT_CACHE else 0,
    }


def menu_sections() -> list[Section]:
    """The sections in their order, kept until the content changes."""
    edge.show(surrogates.everything(Section))
    return remember("nav", lambda: list(Section.objects.all()))
