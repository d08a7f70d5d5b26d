"""Whole-page caching for readers, fresh the moment anything changes.

A newsroom page shows many stories and each story shows on many pages (the
home page, its section, tags, entities, related news on other stories, feeds,
sitemaps). Working out which pages one edit touches is error-prone, so each
cached page records the *generation* it was rendered in, and any save or
delete of a story or of anything stories name starts a new generation: a page
of an earlier one is never served again, so every page is fresh at once, and
the old entries simply age out of the cache.

The generation also carries the time of the change (``Last-Modified``) and
the time the next scheduled story goes live, when a new generation starts by
itself, since nothing is saved at that moment. Conditional GETs are answered
with 304. Signed-in users (the newsroom's staff) bypass the cache entirely and
are told not to keep what they get.

Pages are cached whole (per view, not per template fragment): a reader's page
depends only on its address and language. ``cache_public_page`` marks the
views whose pages may be kept; ``PageCacheMiddleware`` serves them before URL
resolution and the view, in one cache read (generation and page together) and
no SQL. Pieces derived from content that many pages share (the section menu,
the filter form) are kept by generation too, with ``remember`` and
``{% cache %}``.
"""

import functools
import hashlib
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from .kinds import KINDS
from .models import Article

GENERATION_KEY = "pages:generation"
# The query parameters readers' pages read: paging, search, the filters, the
# sitemaps' pages. A page asked for with any other (a tracking tag, a probe) is
# rendered but not kept: anyone could make endless cache entries with them.
QUERY_PARAMETERS = frozenset(
    {"page", "p", "q", "date_after", "date_before", *(kind.name for kind in KINDS)}
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
    upcoming = (
        Article.objects.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return upcoming.timestamp() if upcoming else None


def remember(name: str, compute: Callable[[], T]) -> T:
    """A value derived from content (the section menu, say), kept until the content changes."""
    if not settings.CONTENT_CACHE:
        return compute()
    return cache.get_or_set(f"{name}:{generation()['token']}", compute, DAY)


def _is_signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and bool(settings.PAGE_CACHE_SECONDS)
        and settings.CONTENT_CACHE
        and QUERY_PARAMETERS.issuperset(request.GET)
    )


class Lookup:
    """One read of the cache for a request: the generation and the page together."""

    def __init__(self, request: HttpRequest):
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        self.key = "page:" + _digest(f"{get_language()}|{address}")
        found = cache.get_many([GENERATION_KEY, self.key])
        self.current = generation(found.get(GENERATION_KEY), read=False)
        self.etag = quote_etag(_digest(f"{self.current['token']}|{self.key}"))
        token, page = found.get(self.key) or (None, None)
        # A page from an earlier generation is as good as none.
        self.page = page if token == self.current["token"] else None

    def response(self, request: HttpRequest, page: HttpResponse | None = None):
        """``page`` (by default the cached one, if any) or a 304 if the reader's
        copy is current; None without a page: that the address is a page at all
        (not a 404) is only known once there is one."""
        page = page if page is not None else self.page
        if page is None:
            return None
        not_modified = get_conditional_response(
            request, etag=self.etag, last_modified=self.current["changed"]
        )
        return self.mark(not_modified) if not_modified is not None else page

    def store(self, response: HttpResponse) -> bool:
        """Keep ``response`` unless it is not a page, sets a cookie, or its view said
        ``no-store`` (filter values that name nothing: each would be an entry)."""
        if (
            response.status_code != 200
            or response.cookies
            or "no-store" in response.get("Cache-Control", "")
        ):
            return False
        self.mark(response)
        cache.set(self.key, (self.current["token"], response), settings.PAGE_CACHE_SECONDS)
        return True

    def mark(self, response: HttpResponse) -> HttpResponse:
        response["ETag"] = self.etag
        response["Last-Modified"] = http_date(self.current["changed"])
        # Browsers and proxies may keep it, but must ask again (a 304 is cheap),
        # and a signed-in reader's request (with its cookie) is another page.
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        patch_vary_headers(response, ("Cookie",))
        return response


class PageCacheMiddleware:
    """Serves cached pages before URL resolution, CSRF, authentication and the
    view: a hit costs little more than Django's bare request cycle. A request
    carrying a session cookie (staff) goes on to the view, which decides."""

    def __init__(self, get_response):
        self.get_response = get_response
        prefixes = ("healthz", "api/", settings.ADMIN_URL, settings.STATIC_URL, settings.MEDIA_URL)
        self.never = tuple(f"/{prefix.lstrip('/')}" for prefix in prefixes)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            _cacheable(request)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and not request.path_info.startswith(self.never)
        ):
            lookup = Lookup(request)
            if (response := lookup.response(request)) is not None:
                return response
            request.page_lookup = lookup
        return self.get_response(request)


def cache_public_page(view):
    """Keep ``view``'s pages for readers (served by ``PageCacheMiddleware``, or
    here without it); signed-in users always get a fresh page. Readers' pages
    are read only: another method than GET or HEAD would render past the cache."""

    @require_safe
    @functools.wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if _is_signed_in(request):
            response = _rendered(view(request, *args, **kwargs))
            add_never_cache_headers(response)
            return response
        if not _cacheable(request):
            return _rendered(view(request, *args, **kwargs))
        lookup = getattr(request, "page_lookup", None) or Lookup(request)
        if (response := lookup.response(request)) is not None:
            return response
        page = _rendered(view(request, *args, **kwargs))
        return lookup.response(request, page) if lookup.store(page) else page

    return cached_view


def _rendered(response: HttpResponse) -> HttpResponse:
    """The response with its content in one piece. A feed is written in thousands
    of small pieces, and the server would send (and the cache pickle) each alone."""
    if hasattr(response, "render"):
        response.render()
    if not response.streaming:
        response.content = response.content
    return response


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
