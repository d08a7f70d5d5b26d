"""Whole-page caching for readers, fresh the moment anything changes.

A newsroom page shows many stories and each story shows on many pages (the
home page, its section, tags, entities, related news on other stories, feeds,
sitemaps). Working out which pages one edit touches is error-prone, so every
cached page is keyed on one *generation* token instead, and any save or delete
of a story or of anything stories name starts a new generation: every page is
fresh at once, and the old entries simply age out of the cache.

The generation also carries the time of the change (``Last-Modified``) and
the time the next scheduled story goes live, when a new generation starts by
itself, since nothing is saved at that moment. Conditional GETs are answered
with 304 before the page is even looked up. Signed-in users (the newsroom's
staff) bypass the cache entirely and are told not to keep what they get.

Pages are cached whole (per view, not per template fragment): a reader's page
depends only on its address and language, and a hit then costs two cache reads
and no SQL at all.
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
)
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

from .models import Article

GENERATION_KEY = "pages:generation"
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


def cache_public_page(view):
    """Serve ``view`` from the page cache to readers; always fresh to signed-in users."""

    @functools.wraps(view)
    def cached_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if _is_signed_in(request):
            response = view(request, *args, **kwargs)
            add_never_cache_headers(response)
            return response
        seconds = settings.PAGE_CACHE_SECONDS
        if request.method not in ("GET", "HEAD") or not (seconds and settings.CONTENT_CACHE):
            return view(request, *args, **kwargs)
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        key = "page:" + _digest(f"{get_language()}|{address}")
        found = cache.get_many([GENERATION_KEY, key])
        current = generation(found.get(GENERATION_KEY), read=False)
        etag = quote_etag(_digest(f"{current['token']}|{key}"))
        not_modified = get_conditional_response(
            request, etag=etag, last_modified=current["changed"]
        )
        if not_modified is not None:
            return _mark(not_modified, etag, current)
        token, response = found.get(key) or (None, None)
        if token != current["token"]:  # none yet, or from an earlier generation
            response = view(request, *args, **kwargs)
            if hasattr(response, "render"):
                response.render()
            if response.status_code != 200 or response.cookies:
                return response
            cache.set(key, (current["token"], response), seconds)
        return _mark(response, etag, current)

    return cached_view


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def _mark(response: HttpResponse, etag: str, current: dict) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(current["changed"])
    # Browsers and proxies may keep it, but must ask again (a 304 is cheap).
    patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response
