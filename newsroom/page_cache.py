"""Whole readers' pages from the cache: the HTTP side.

A page is kept under its address (which says its language) and whether the
reader takes it compressed, with the surrogate keys of what it shows
(``edge.py``) and the version each key had when it was made; a save purges the
keys of what it changed (``purge``, here and at the edge), and a page one of
whose keys has moved on is never served again. A version is the number of the
key's last purge: a page whose rendering overlapped a purge of one of its keys
is not kept, and a key the cache has lost counts as changed. A hit is one read
of the cache: the page is served without reading its keys' versions while no
purge at all has ended since they were last read for it.
It carries ``ETag`` and ``Last-Modified``, and a conditional GET gets a 304.
``PageCacheMiddleware``, near the top of the stack, keeps the response as the
middleware below it left it (compressed, with its headers) and serves it again
before any of them, URL resolution or the view run, in one cache read and no
SQL; ``cache_public_page`` marks the views whose pages may be kept. Signed-in
users (staff) bypass it and are told not to keep what they get; a page asked
for with a query parameter the site does not read (a tracking tag, a probe) is
rendered but not kept.

The app tells this layer, when it is ready, how to read the current
generation (when pages next change by themselves: a scheduled story) and which
query parameters its pages read (``configure``): the HTTP layer knows nothing
of stories.
"""

import functools
import hashlib
import re
import time
import uuid
from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from . import edge, metrics, replicas


@dataclass(frozen=True)
class Content:
    """What the content's owner tells this layer: ``generation(stored, read=False)``
    gives the current generation (a dict with ``due``, when pages next change by
    themselves) from the value kept under ``generation_key``; ``parameters`` are
    the query parameters readers' pages read."""

    generation_key: str
    generation: Callable[..., dict]
    parameters: frozenset[str]


_content: Content | None = None
PURGES = "pages:purges"  # how many purges have begun: each takes the next number
ENDED = "pages:ended"  # a new token each time one ends (its keys' versions written)
VERSION = "pages:key:"  # + a key: the number of its last purge
CHECKED = "pages:checked:"  # + a page's key: ENDED when its versions were last found current
_purged_here = 0  # purges this process has ended
# batched(): the keys purged inside the block, soft and hard
_pending: ContextVar[dict[bool, set[str]] | None] = ContextVar("purges_pending", default=None)
KEEP = "keep_for_readers"  # set on a response the middleware may keep (and marks)
# As the compressing middleware reads Accept-Encoding: its two answers are two pages.
_GZIP = re.compile(r"\bgzip\b")


def configure(generation_key: str, generation: Callable[..., dict], parameters) -> None:
    global _content
    _content = Content(generation_key, generation, frozenset(parameters))


def _is_signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


def _readers_request(request: HttpRequest) -> bool:
    """A request whose page may be kept, here or at the edge."""
    return request.method in ("GET", "HEAD") and _content.parameters.issuperset(request.GET)


def _cacheable(request: HttpRequest) -> bool:
    return (
        _readers_request(request) and bool(settings.PAGE_CACHE_SECONDS) and settings.CONTENT_CACHE
    )


def _keepable(response: HttpResponse) -> bool:
    """Not a page, a page that sets a cookie, or one its view said not to keep
    (filter values that name nothing: each would be an entry): never kept."""
    return (
        response.status_code == 200
        and not response.cookies
        and "no-store" not in response.get("Cache-Control", "")
    )


def _mark(response: HttpResponse, current: dict) -> HttpResponse:
    """Browsers may keep a page but must ask again (a 304 is cheap), and a
    signed-in reader's request (with its cookie) is another page."""
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, ("Cookie",))
    return _edge_age(response, current)


def _edge_age(response: HttpResponse, current: dict) -> HttpResponse:
    """An edge that the app purges (``EDGE_CACHE_URL``) may keep the page
    (``s-maxage``), at most until pages next change by themselves (a scheduled
    story goes live); no other shared cache may, since nothing would tell it of
    a change. Counted down again each time a kept page is served."""
    if settings.EDGE_CACHE_URL:
        seconds = settings.EDGE_CACHE_SECONDS
        if isinstance(current.get("due"), int | float):
            seconds = max(0, min(seconds, int(current["due"] - time.time())))
        patch_cache_control(response, s_maxage=seconds)
    return response


@contextmanager
def batched():
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


def purge(keys, *, hard: bool = False) -> None:
    """Drop every page that shows any of ``keys``, here and at the edge. Here at
    once and again when the transaction commits, so that a page another request
    renders in between, from what the database held before, is not kept either.
    At the edge an edit's pages stay as stale copies, for when no app server
    answers; ``hard`` (a story withdrawn) drops them outright (edge.py)."""
    keys = set(keys)
    if not keys:
        return
    pending = _pending.get()
    if pending is not None:
        pending[hard] |= keys
        return
    # The replicas are told the change's place in the primary's log before the
    # pages are dropped, once it is committed (replicas.py).
    if not connection.in_atomic_block:
        replicas.record_write()
    _forget(keys)
    if connection.in_atomic_block:
        transaction.on_commit(replicas.record_write)
        transaction.on_commit(lambda: _forget(keys))
    edge.purge(keys, hard=hard)


def _forget(keys: set[str]) -> None:
    """Versions first, then a new ``ENDED`` token: a reader that sees the token
    reads versions that already show this purge."""
    cache.add(PURGES, 0, None)
    number = cache.incr(PURGES)
    cache.set_many({VERSION + key: number for key in keys}, None)
    cache.set(ENDED, uuid.uuid4().hex, None)
    global _purged_here
    _purged_here += 1


def versions_now(keys) -> tuple[dict[str, int | None], str | None]:
    """The versions of ``keys`` now (None: lost), and the ``ENDED`` token they
    hold as of (None if no purge has ended yet)."""
    now = cache.get_many([ENDED, *(VERSION + key for key in keys)])
    if now.get(ENDED) is None:  # no purge yet, or the token was lost
        cache.add(ENDED, uuid.uuid4().hex, None)
    return {key: now.get(VERSION + key) for key in keys}, now.get(ENDED)


def unchanged(versions: dict[str, int], now: dict[str, int | None]) -> bool:
    """None of the keys was purged (or lost) since it had its version."""
    return all(now.get(key) == version for key, version in versions.items())


def versions_since(keys, started: int) -> tuple[dict[str, int], str | None] | None:
    """The versions of ``keys`` for what shows them, made since purge number
    ``started`` began, and the ``ENDED`` token they are current as of; None if
    one of them was purged while it was being made: it must not be kept."""
    found = cache.get_many([ENDED, *(VERSION + key for key in keys)])
    versions = {key: found.get(VERSION + key) for key in keys}
    # Current as of the token read with the versions, if they were all there.
    checked = None if None in versions.values() else found.get(ENDED)
    for key in [key for key, version in versions.items() if version is None]:
        # Never purged, or lost: from now on, as of no purge (unless a purge came first).
        versions[key] = 0 if cache.add(VERSION + key, 0, None) else cache.get(VERSION + key)
    if any(version is None or version > started for version in versions.values()):
        return None
    return versions, checked


class Lookup:
    """The reads of the cache for a request: the generation, the counts of purges
    and the page together; the versions of the page's keys only if a purge has
    ended since they were last found current."""

    def __init__(self, request: HttpRequest):
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        compressed = bool(_GZIP.search(request.headers.get("Accept-Encoding", "")))
        self.key = "page:v3:" + digest(f"{address}|{compressed}")
        checked = CHECKED + self.key
        found = cache.get_many([_content.generation_key, PURGES, ENDED, self.key, checked])
        purged_before = _purged_here
        self.current = _content.generation(found.get(_content.generation_key), read=False)
        self.started = found.get(PURGES, 0)  # before the page is made, if it must be
        self.page = None
        entry = found.get(self.key)
        self.previous = entry[1] if entry else 0  # when the copy kept was made
        if not entry:
            return
        versions, self.changed, self.etag, page = entry
        # Reading the generation may itself purge (a scheduled story went live).
        ended = found.get(ENDED)
        if ended is None or found.get(checked) != ended or _purged_here != purged_before:
            now, token = versions_now(versions)
            if not unchanged(versions, now):  # then the page is as good as none
                return
            if token is not None:
                cache.set(checked, token, settings.PAGE_CACHE_SECONDS)
        self.page = page

    def response(self, request: HttpRequest, page: HttpResponse | None = None):
        """``page`` (by default the cached one, if any) or a 304 if the reader's
        copy is current; None without a page: that the address is a page at all
        (not a 404) is only known once there is one."""
        page = page if page is not None else self.page
        if page is None:
            return None
        not_modified = get_conditional_response(request, etag=self.etag, last_modified=self.changed)
        if not_modified is not None:
            return self.mark(not_modified)
        return _edge_age(page, self.current)  # marked when it was kept

    def store(self, response: HttpResponse) -> bool:
        """Keep ``response`` if it is ``_keepable`` and none of what it shows was
        purged while it was being made."""
        if not _keepable(response):
            return False
        made = versions_since(response.get(edge.HEADER, "").split(), self.started)
        if made is None:  # it may show what was just purged: not for the edge either
            del response[edge.HEADER]
            return False
        versions, checked = made
        # Whole seconds, and later than any copy of this page made before it.
        self.changed = max(int(time.time()), self.previous + 1)
        self.etag = quote_etag(digest(f"{self.key}|{self.changed}|{sorted(versions.items())}"))
        self.mark(response)
        entry = (versions, self.changed, self.etag, response)
        cache.set_many({self.key: entry, CHECKED + self.key: checked}, settings.PAGE_CACHE_SECONDS)
        return True

    def mark(self, response: HttpResponse) -> HttpResponse:
        response["ETag"] = self.etag
        response["Last-Modified"] = http_date(self.changed)
        return _mark(response, self.current)


class PageCacheMiddleware:
    """Serves kept pages before compression, the other middleware, URL
    resolution and the view, and keeps the pages ``cache_public_page`` marked,
    as they leave the middleware below. A request carrying a session cookie
    (staff) goes on to the view, which decides."""

    def __init__(self, get_response):
        self.get_response = get_response
        prefixes = (
            "healthz",
            "metrics",
            "api/",
            settings.ADMIN_URL,
            settings.STATIC_URL,
            settings.MEDIA_URL,
        )
        self.never = tuple(f"/{prefix.lstrip('/')}" for prefix in prefixes)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.respond(request)
        if not settings.EDGE_CACHE_URL:  # what a page shows is only an edge's business
            response.headers.pop(edge.HEADER, None)
        return response

    def respond(self, request: HttpRequest) -> HttpResponse:
        if (
            _cacheable(request)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path_info.startswith(self.never)
        ):
            lookup = Lookup(request)
            if (response := lookup.response(request)) is not None:
                metrics.PAGE_CACHE_HIT.inc()
                return response
            metrics.PAGE_CACHE_MISS.inc()
            response = self.get_response(request)
            if not getattr(response, KEEP, False):
                return response
            if lookup.store(response):  # marked as it is kept
                return lookup.response(request, response)
            return _mark(response, lookup.current)
        response = self.get_response(request)
        if getattr(response, KEEP, False):
            return _mark(response, _content.generation())
        return response


def cache_public_page(view):
    """Let ``PageCacheMiddleware`` keep ``view``'s pages for readers, and the edge
    too; signed-in users always get a fresh page. Readers' pages are read only:
    another method than GET or HEAD would render past the cache."""

    @require_safe
    @functools.wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if _is_signed_in(request):
            response = _rendered(view(request, *args, **kwargs))
            add_never_cache_headers(response)
            return response
        if not _readers_request(request):
            return _rendered(view(request, *args, **kwargs))
        with edge.recording() as shown:
            page = _rendered(view(request, *args, **kwargs))
        if not _keepable(page):
            return page
        edge.label(page, shown)
        setattr(page, KEEP, True)  # the middleware keeps and marks it
        return page

    return cached_view


def _rendered(response: HttpResponse) -> HttpResponse:
    """The response with its content in one piece. A feed is written in thousands
    of small pieces, and the server would send (and the cache pickle) each alone."""
    if hasattr(response, "render"):
        response.render()
    if not response.streaming:
        response.content = response.content
    return response


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
