"""Whole readers' pages from the cache: the HTTP side.

A page is kept under its address (which says its language) and whether the
reader takes it compressed, with the surrogate keys of what it shows
(``edge.py``) and the version each key had when it was made (``store.py``); a
save purges the keys of what it changed (``store.purge``, here and at the
edge), and a page one of whose keys has moved on is never served again. A hit
is one read of the cache: the page is served without reading its keys'
versions while no purge at all has ended since they were last read for it.
It carries ``ETag`` and ``Last-Modified``, and a conditional GET gets a 304.
``PageCacheMiddleware``, near the top of the stack, keeps the response as the
middleware below it left it (compressed, with its headers) and serves it again
before any of them, URL resolution or the view run, in one cache read and no
SQL; ``cache_public_page`` marks the views whose pages may be kept. Signed-in
users (staff) bypass it and are told not to keep what they get; a page asked
for with a query parameter the site does not read (a tracking tag, a probe) is
rendered but not kept. Each lookup also reads when pages next change by
themselves (``moments.py``): an edge may keep a page until then at most.
"""

import functools
import re
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, quote_etag
from django.views.decorators.http import require_safe

from newsroom import metrics

from . import edge, moments, store
from .cache_keys import CHECKED, ENDED, PAGE, PURGES, SCHEDULE

# The query parameters readers' pages read: paging, search, the filters, the
# sitemaps' pages, as the site says at start-up (``read_parameters``). A page asked
# for with any other (a tracking tag, a probe) is rendered but not kept: anyone could
# make endless cache entries with them. Until told, no parameter is read.
_read: frozenset[str] = frozenset()
KEEP = "keep_for_readers"  # set on a response the middleware may keep (and marks)
# As the compressing middleware reads Accept-Encoding: its two answers are two pages.
_GZIP = re.compile(r"\bgzip\b")


def _is_signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


def read_parameters(names: Iterable[str]) -> None:
    """Say which query parameters readers' pages read (the site's, once, at start-up):
    a page asked for with any other is made but kept neither here nor at the edge,
    so that no tracking tag or probe fills the cache."""
    global _read
    _read = frozenset(names)


def _readers_request(request: HttpRequest) -> bool:
    """A request whose page may be kept, here or at the edge."""
    return request.method in ("GET", "HEAD") and _read.issuperset(request.GET)


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


def _mark(response: HttpResponse, current: dict[str, Any]) -> HttpResponse:
    """Browsers may keep a page but must ask again (a 304 is cheap), and a
    signed-in reader's request (with its cookie) is another page."""
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    patch_vary_headers(response, ("Cookie",))
    return _edge_age(response, current)


def _edge_age(response: HttpResponse, current: dict[str, Any]) -> HttpResponse:
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


class Lookup:
    """The reads of the cache for a request: the next scheduled moment, the counts of purges
    and the page together; the versions of the page's keys only if a purge has
    ended since they were last found current."""

    def __init__(self, request: HttpRequest):
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        compressed = bool(_GZIP.search(request.headers.get("Accept-Encoding", "")))
        self.key = PAGE + store.digest(f"{address}|{compressed}")
        checked = CHECKED + self.key
        found = cache.get_many([SCHEDULE, PURGES, ENDED, self.key, checked])
        purged_before = store.purged_here()
        self.current = moments.schedule(found.get(SCHEDULE), read=False)
        self.started = found.get(PURGES, 0)  # before the page is made, if it must be
        self.page = None
        entry = found.get(self.key)
        self.previous = entry[1] if entry else 0  # when the copy kept was made
        if not entry:
            return
        versions, self.changed, self.etag, page = entry
        # Reading the schedule may itself purge (a scheduled story went live).
        ended = found.get(ENDED)
        if ended is None or found.get(checked) != ended or store.purged_here() != purged_before:
            now, token = store.versions_now(versions)
            if not store.unchanged(versions, now):  # then the page is as good as none
                return
            if token is not None:
                cache.set(checked, token, settings.PAGE_CACHE_SECONDS)
        self.page = page

    def response(self, request: HttpRequest) -> HttpResponse | None:
        """The cached page, or a 304 if the reader's copy is current; None without
        a page: that the address is a page at all (not a 404) is only known once
        there is one."""
        return None if self.page is None else self.answer(request, self.page)

    def answer(self, request: HttpRequest, page: HttpResponse) -> HttpResponse:
        """``page``, or a 304 if the reader's copy is current."""
        not_modified = get_conditional_response(request, etag=self.etag, last_modified=self.changed)
        if not_modified is not None:
            return self.mark(not_modified)
        return _edge_age(page, self.current)  # marked when it was kept

    def store(self, response: HttpResponse) -> bool:
        """Keep ``response`` if it is ``_keepable`` and none of what it shows was
        purged while it was being made."""
        if not _keepable(response):
            return False
        made = store.versions_since(response.get(edge.HEADER, "").split(), self.started)
        if made is None:  # it may show what was just purged: not for the edge either
            del response[edge.HEADER]
            return False
        versions, checked = made
        # Whole seconds, and later than any copy of this page made before it.
        self.changed = max(int(time.time()), self.previous + 1)
        shown = sorted(versions.items())
        self.etag = quote_etag(store.digest(f"{self.key}|{self.changed}|{shown}"))
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

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
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
                return lookup.answer(request, response)
            return _mark(response, lookup.current)
        response = self.get_response(request)
        if getattr(response, KEEP, False):
            return _mark(response, moments.schedule())
        return response


def cache_public_page(view: Callable[..., Any]) -> Callable[..., HttpResponse]:
    """Let ``PageCacheMiddleware`` keep ``view``'s pages for readers, and the edge
    too; signed-in users always get a fresh page. Readers' pages are read only:
    another method than GET or HEAD would render past the cache."""

    @require_safe
    @functools.wraps(view)
    def cached_view(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
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
