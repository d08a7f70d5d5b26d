"""The content's generations: when the pieces of pages kept in the cache stop
being current, and when pages change by themselves.

Whole pages are kept by the surrogate keys of what they show and purged by
key when it changes (``surrogates.py``, ``newsroom/page_cache.py``). Small
pieces many pages share (the section menu, the filter form and its lists) are
kept by *generation*, with ``remember`` and ``{% cache %}``: any save or delete
of the newsroom's content starts a new one (signals.py calls ``bump``), and
they are made again on the next request.

The generation also carries the time the next scheduled story goes live or a
front-page pin ends, when nothing is saved: at that moment a new generation
starts by itself and the listings of the stories that went live are purged.
How whole pages are kept and served is the HTTP layer's, which this app
configures when it is ready (apps.py).
"""

import datetime
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from newsroom import metrics, page_cache

from . import surrogates
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
    previous = cache.get(GENERATION_KEY) or {"due": None}
    now = timezone.now().timestamp()
    if isinstance(previous["due"], int | float) and now >= previous["due"]:
        # whichever comes first, a request, a save or the periodic job, tells the pages
        metrics.SCHEDULED_DELAY.observe(now - previous["due"])
        page_cache.purge(_went_live(since=previous["due"]))
    return {"token": uuid.uuid4().hex, "due": UNKNOWN}


def _start_generation() -> None:
    cache.set(GENERATION_KEY, _new_generation(), None)


def bump(**kwargs) -> None:
    """Start a new generation: every kept piece is stale from now on.

    Again when the surrounding transaction commits, so that a piece made by
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


def _went_live(since: float) -> set[str]:
    """The keys of what changed by itself at a scheduled moment: the stories that
    went live since then and their listings, and the home page's pins."""
    went_live = Article.objects.published().filter(
        published_at__gte=datetime.datetime.fromtimestamp(since, datetime.UTC)
    )
    keys = {surrogates.HOME}
    for story in went_live:
        keys |= surrogates.story_changed(story, None)
    return keys


def remember(name: str, compute: Callable[[], T]) -> T:
    """A value derived from content (the section menu, say), kept until the content changes."""
    if not settings.CONTENT_CACHE:
        return compute()
    return cache.get_or_set(f"{name}:{generation()['token']}", compute, DAY)
