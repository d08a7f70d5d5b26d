"""The content's generations: when every cached page (and piece of one) stops
being current.

A newsroom page shows many stories and each story shows on many pages (the
home page, its section, tags, entities, related news on other stories, feeds,
sitemaps). Working out which pages one edit touches is error-prone, so each
cached page records the *generation* it was rendered in, and any save or
delete of a story or of anything stories name starts a new generation
(signals.py calls ``bump``): a page of an earlier one is never served again,
so every page is fresh at once, and the old entries simply age out.

The generation also carries the time of the change (``Last-Modified``) and
the time the next scheduled story goes live, when a new generation starts by
itself, since nothing is saved at that moment. Pieces derived from content
that many pages share (the section menu, the filter form) are kept by
generation too, with ``remember`` and ``{% cache %}``. How whole pages are
kept and served is the HTTP layer's: ``newsroom/page_cache.py``, which this
app configures when it is ready (apps.py).
"""

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from .kinds import KINDS
from .models import Article, Pin

GENERATION_KEY = "pages:generation"
# The query parameters readers' pages read: paging, search, the filters, the
# sitemaps' pages. A page asked for with any other (a tracking tag, a probe) is
# rendered but not kept: anyone could make endless cache entries with them.
QUERY_PARAMETERS = frozenset(
    {
        *("page", "p", "q", "date_after", "date_before"),
        *("kind", "status"),  # the commitments tracker's
        *(kind.name for kind in KINDS),
    }
)
UNKNOWN = "unknown"
DAY = 24 * 60 * 60
T = TypeVar("T")


def _new_generation() -> dict:
    # Last-Modified has whole seconds: a later generation must never share one
    # with an earlier, or an If-Modified-Since would match a stale copy.
    previous = cache.get(GENERATION_KEY) or {"changed": 0}
    changed = max(int(timezone.now().timestamp()), previous["changed"] + 1)
    return {"token": uuid.uuid4().hex, "changed": changed, "due": UNKNOWN}


def _start_generation() -> None:
    cache.set(GENERATION_KEY, _new_generation(), None)


def bump(**kwargs) -> None:
    """Start a new generation: every cached page is stale from now on.

    Again when the surrounding transaction commits, so that a page rendered by
    another request between this call and the commit is not kept either.
    """
    _start_generation()
    if connection.in_atomic_block:
        transaction.on_commit(_start_generation)


def generation(stored: dict | None = None, *, read: bool = True) -> dict:
    """The current generation, starting a new one when a scheduled story has gone live.

    ``stored`` is the value already read from the cache, if the caller read it
    along with something else (one round trip to Redis instead of two).
    """
    current = cache.get(GENERATION_KEY) if read else stored
    now = timezone.now().timestamp()
    if current is None or (current["due"] not in (UNKNOWN, None) and now >= current["due"]):
        current = _new_generation()
    if current["due"] == UNKNOWN:
        current["due"] = _next_scheduled()
        cache.set(GENERATION_KEY, current, None)
    return current


def _next_scheduled() -> float | None:
    """When pages next change by themselves: a scheduled story goes live, or a
    front-page pin ends."""
    upcoming = (
        Article.objects.scheduled()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    ending = (
        Pin.objects.filter(until__gt=timezone.now())
        .order_by("until")
        .values_list("until", flat=True)
        .first()
    )
    moments = [m.timestamp() for m in (upcoming, ending) if m]
    return min(moments) if moments else None


def remember(name: str, compute: Callable[[], T]) -> T:
    """A value derived from content (the section menu, say), kept until the content changes."""
    if not settings.CONTENT_CACHE:
        return compute()
    return cache.get_or_set(f"{name}:{generation()['token']}", compute, DAY)
