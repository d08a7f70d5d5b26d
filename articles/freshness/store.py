"""The version store: what has been purged, and when, for everything kept
for readers (whole pages, ``pages.py``; their pieces, ``pieces.py``).

A version is the number of a surrogate key's last purge (``surrogates.py``
names the keys). Whatever is kept is kept with the version each of its keys
had when it was made, and is current while none of them has moved on: a key
the cache has lost counts as changed, and a thing whose making overlapped a
purge of one of its keys is not kept. ``purge`` is the one way anything kept
is dropped, here and at the edge (``edge.py``).
"""

import hashlib
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.cache import cache
from django.db import connection, transaction

from newsroom import replicas

from . import edge
from .cache_keys import ENDED, PURGES, VERSION

_purged_here = 0  # purges this process has ended
# batched(): the keys purged inside the block, soft and hard
_pending: ContextVar[dict[bool, set[str]] | None] = ContextVar("purges_pending", default=None)


def purged_here() -> int:
    """How many purges this process has ended: a read that purges (a scheduled
    moment passed) is told apart from one that does not."""
    return _purged_here


@contextmanager
def batched() -> Iterator[None]:
    """Purge once, at the block's end, every key purged inside it: a change to
    many stories would otherwise purge the front page once per story."""
    pending: dict[bool, set[str]] = {False: set(), True: set()}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
        purge(pending[True], hard=True)
        purge(pending[False] - pending[True])


def purge(keys: Iterable[str], *, hard: bool = False) -> None:
    """Drop every page that shows any of ``keys``, here and at the edge. Here at
    once and again when the transaction commits, so that a page another request
    renders in between, from what the database held before, is not kept either.
    At the edge an edit's pages stay as stale copies, for when no app server
    answers; ``hard`` (a story withdrawn) drops them outright (edge.py)."""
    dropped = set(keys)
    if not dropped:
        return
    pending = _pending.get()
    if pending is not None:
        pending[hard] |= dropped
        return
    # The replicas are told the change's place in the primary's log before the
    # pages are dropped, once it is committed (replicas.py).
    if not connection.in_atomic_block:
        replicas.record_write()
    _forget(dropped)
    if connection.in_atomic_block:
        transaction.on_commit(replicas.record_write)
        transaction.on_commit(lambda: _forget(dropped))
    edge.purge(dropped, hard=hard)


def _forget(keys: set[str]) -> None:
    """Versions first, then a new ``ENDED`` token: a reader that sees the token
    reads versions that already show this purge."""
    cache.add(PURGES, 0, None)
    number = cache.incr(PURGES)
    cache.set_many({VERSION + key: number for key in keys}, None)
    cache.set(ENDED, uuid.uuid4().hex, None)
    global _purged_here
    _purged_here += 1


def versions_now(keys: Iterable[str]) -> tuple[dict[str, int | None], str | None]:
    """The versions of ``keys`` now (None: lost), and the ``ENDED`` token they
    hold as of (None if no purge has ended yet)."""
    now = cache.get_many([ENDED, *(VERSION + key for key in keys)])
    if now.get(ENDED) is None:  # no purge yet, or the token was lost
        cache.add(ENDED, uuid.uuid4().hex, None)
    return {key: now.get(VERSION + key) for key in keys}, now.get(ENDED)


def unchanged(versions: dict[str, int], now: dict[str, int | None]) -> bool:
    """None of the keys was purged (or lost) since it had its version."""
    return all(now.get(key) == version for key, version in versions.items())


def versions_since(keys: Iterable[str], started: int) -> tuple[dict[str, int], str | None] | None:
    """The versions of ``keys`` for what shows them, made since purge number
    ``started`` began, and the ``ENDED`` token they are current as of; None if
    one of them was purged while it was being made: it must not be kept."""
    found = cache.get_many([ENDED, *(VERSION + key for key in keys)])
    versions: dict[str, int | None] = {key: found.get(VERSION + key) for key in keys}
    # Current as of the token read with the versions, if they were all there.
    checked = None if None in versions.values() else found.get(ENDED)
    for key in [key for key, version in versions.items() if version is None]:
        # Never purged, or lost: from now on, as of no purge (unless a purge came first).
        versions[key] = 0 if cache.add(VERSION + key, 0, None) else cache.get(VERSION + key)
    kept = {key: version for key, version in versions.items() if version is not None}
    if len(kept) < len(versions) or any(version > started for version in kept.values()):
        return None
    return kept, checked


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
