"""When readers' pages change by themselves: a scheduled story goes live, or
a front-page pin ends.

Everything kept for readers (whole pages, their pieces) is keyed by what it
shows (``surrogates.py``) and purged when that changes; no save starts the
whole site again. Time alone changes pages at scheduled moments: the next one
is kept in the cache (``SCHEDULE``) and read with every page looked up.
Once it has passed, whichever comes first (a reader's request, a save, the
periodic job ``stories.go_live``) purges the listings of the stories that went
live and the home page's pins, and the next moment is read again. A save that
may move a moment (a story's status or time, a pin) has it read again.
"""

import datetime
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from newsroom import metrics

from ..models import Article, Pin
from . import store, surrogates
from .cache_keys import SCHEDULE

UNKNOWN = "unknown"


def _moment_passed() -> dict[str, Any]:
    """A schedule to be read again, once the moment the one kept was for, if it
    has passed, has purged what changed at it."""
    previous = cache.get(SCHEDULE) or {"due": None}
    now = timezone.now().timestamp()
    if isinstance(previous["due"], int | float) and now >= previous["due"]:
        # whichever comes first, a request, a save or the periodic job, tells the pages
        metrics.SCHEDULED_DELAY.observe(now - previous["due"])
        store.purge(_went_live(since=previous["due"]))
    return {"due": UNKNOWN}


def _read_again() -> None:
    cache.set(SCHEDULE, _moment_passed(), None)


def reschedule(**kwargs: Any) -> None:
    """Have the next scheduled moment read again: a save may have moved it.

    Again when the surrounding transaction commits, so that a moment read by
    another request between this call and the commit is not kept either.
    """
    _read_again()
    if connection.in_atomic_block:
        transaction.on_commit(_read_again)


def schedule(stored: dict[str, Any] | None = None, *, read: bool = True) -> dict[str, Any]:
    """When pages next change by themselves (``due``: a timestamp, or None), after
    purging what changed at a moment that has passed.

    ``stored`` is the value already read from the cache, if the caller read it
    along with something else (one round trip to Redis instead of two).
    """
    current = cache.get(SCHEDULE) if read else stored
    now = timezone.now().timestamp()
    if current is None or (current["due"] not in (UNKNOWN, None) and now >= current["due"]):
        current = _moment_passed()
    if current["due"] == UNKNOWN:
        current["due"] = _next_scheduled()
        cache.set(SCHEDULE, current, None)
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
