"""Whole readers' pages from the cache: the HTTP side.

A page is kept under its address and language with the content *generation*
it was rendered in (see ``articles/caching.py``, which says what the content
is and when it changes), and a page of an earlier generation is never served.
It carries ``ETag`` and ``Last-Modified``, and a conditional GET gets a 304.
``PageCacheMiddleware`` serves kept pages before URL resolution and the view,
in one cache read and no SQL; ``cache_public_page`` marks the views whose
pages may be kept. Signed-in users (staff) bypass it and are told not to keep
what they get; a page asked for with a query parameter the site does not
read (a tracking tag, a probe) is rendered but not kept.

The app tells this layer, when it is ready, how to read the current
generation and which query parameters its pages read (``configure``): the
HTTP layer knows nothing of stories.
"""

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

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
from django.utils.translation import get_language
from django.views.decorators.http import require_safe


@dataclass(frozen=True)
class Content:
    """What the content's owner tells this layer: ``generation(stored, read=False)``
    gives the current generation (a dict with ``token`` and ``changed``) from the
    value kept under ``generation_key``; ``parameters`` are the query parameters
    readers' pages read."""

    generation_key: str
    generation: Callable[..., dict]
    parameters: frozenset[str]


_content: Content | None = None


def configure(generation_key: str, generation: Callable[..., dict], parameters) -> None:
    global _content
    _content = Content(generation_key, generation, frozenset(parameters))


def _is_signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user and user.is_authenticated)


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and bool(settings.PAGE_CACHE_SECONDS)
        and settings.CONTENT_CACHE
        and _content.parameters.issuperset(request.GET)
    )


class Lookup:
    """One read of the cache for a request: the generation and the page together."""

    def __init__(self, request: HttpRequest):
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        self.key = "page:" + _digest(f"{get_language()}|{address}")
        found = cache.get_many([_content.generation_key, self.key])
        self.current = _content.generation(found.get(_content.generation_key), read=False)
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
