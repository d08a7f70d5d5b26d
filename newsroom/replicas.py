"""Readers' queries on the read replicas (``DATABASE_REPLICA_URLS``), everything
else on the primary.

A reader's request (a GET or HEAD with no session: ``ReplicaMiddleware``)
reads from a replica; writes, the desk, signed-in users, the worker and
commands use the primary, so an editor always reads what they just wrote.
A replica is used only while it answers, lags the primary by at most
``REPLICA_MAX_LAG`` seconds, and has replayed the last change of content
committed on the primary: every change records the primary's WAL position
(``written``, kept in the shared cache) before the pages that showed it are
purged, so a page made again after a purge never comes from a replica that
has not seen the change (a story unpublished there is not shown again).
What this process learned of a replica is kept for ``RECHECK`` seconds.
"""

import logging
import random
import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

log = logging.getLogger(__name__)
PRIMARY = "default"
WRITTEN = "db:written"  # the primary's WAL position after the last change of content
RECHECK = 1.0  # seconds
_readers: ContextVar[bool] = ContextVar("readers", default=False)
_chosen: ContextVar[str | None] = ContextVar("replica", default=None)
# alias -> (checked at, replayed WAL position as a number, or None: down or lagging)
_state: dict[str, tuple[float, int | None]] = {}


def aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def _lsn(text: str | None) -> int | None:
    if not text:
        return None
    high, low = text.split("/")
    return (int(high, 16) << 32) + int(low, 16)


# Seconds behind: none while it has replayed all it received (an idle primary
# sends nothing, and the last replayed transaction's age is then no lag).
_LAG = (
    "CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0"
    " ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END"
)


def lag(alias: str) -> float | None:
    """Seconds ``alias`` is behind the primary (NaN before it has replayed
    anything), None while it does not answer: for the metrics."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(f"SELECT {_LAG}")
            (seconds,) = cursor.fetchone()
    except DatabaseError:
        connections[alias].close()
        return None
    return float("nan") if seconds is None else float(seconds)


def _replayed(alias: str, *, fresh: bool = False) -> int | None:
    """Where ``alias`` has replayed the primary's WAL to; None while it is down
    or lags more than ``REPLICA_MAX_LAG`` seconds."""
    checked, position = _state.get(alias, (0.0, None))
    if not fresh and time.monotonic() - checked < RECHECK:
        return position
    position = None
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute(f"SELECT pg_last_wal_replay_lsn()::text, {_LAG}")
            replayed, lag = cursor.fetchone()
        if lag is not None and lag <= settings.REPLICA_MAX_LAG:
            position = _lsn(replayed)
        else:
            log.warning("replica %s lags %s s: skipped", alias, lag)
    except DatabaseError as error:
        log.warning("replica %s unavailable: %s", alias, error)
        connections[alias].close()
    _state[alias] = (time.monotonic(), position)
    return position


def choose() -> str:
    """A replica that has seen the last change, or the primary: also while the
    last change is not known (the cache emptied or down), since then no replica
    can be judged, until the next change is recorded."""
    written = _lsn(cache.get(WRITTEN))
    if written is None:
        return PRIMARY
    candidates = aliases()
    random.shuffle(candidates)
    for alias in candidates:
        replayed = _replayed(alias)
        if replayed is not None and replayed < written:
            replayed = _replayed(alias, fresh=True)  # it may have caught up since
        if replayed is not None and replayed >= written:
            return alias
    return PRIMARY


def record_write() -> None:
    """Note the primary's WAL position: call once a change of content has
    committed, before the pages that showed it are purged."""
    if not aliases() or connections[PRIMARY].vendor != "postgresql":
        return
    with connections[PRIMARY].cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()::text")
        (position,) = cursor.fetchone()
    cache.set(WRITTEN, position, None)


class ReplicaRouter:
    def db_for_read(self, model, **hints) -> str:
        if not _readers.get() or not aliases():
            return PRIMARY
        chosen = _chosen.get()
        if chosen is None:
            chosen = choose()
            _chosen.set(chosen)
        return chosen

    def db_for_write(self, model, **hints) -> str:
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # one database, whichever copy a row was read from

    def allow_migrate(self, db: str, app_label: str, **hints) -> bool:
        return db == PRIMARY


def is_readers(request: HttpRequest) -> bool:
    """A reader's request: one that writes nothing and carries no session (whoever
    is signed in has one), so that what it shows may be read from a replica."""
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


class ReplicaMiddleware:
    """Marks a reader's request as one the replicas may answer, before the page
    cache (whose reads are the reader's too); the choice is made at its first
    query. With the primary down, readers' pages still come from a replica that
    has seen the last change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        readers = is_readers(request)
        marked, chosen = _readers.set(readers), _chosen.set(None)
        try:
            return self.get_response(request)
        finally:
            _readers.reset(marked)
            _chosen.reset(chosen)

    def process_exception(self, request: HttpRequest, exception: Exception):
        """A replica that fails in the middle of a reader's request (it stopped
        since it was last checked): the request is answered again from the
        primary, and the replica left alone until it is checked again."""
        replica = _chosen.get()
        if not isinstance(exception, DatabaseError) or replica in (None, PRIMARY):
            return None
        log.warning("replica %s failed mid-request: %s", replica, exception)
        _state[replica] = (time.monotonic(), None)
        connections[replica].close()
        _chosen.set(PRIMARY)
        return self.get_response(request)
