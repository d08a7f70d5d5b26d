"""A database that does not answer in time, or at all: a 503 that says so, never a 500.

A statement stopped by its time limit (``timeouts.py``), or a database that cannot
be reached (the primary restarting, the network lost), ends the request with a
503 and ``Retry-After``: at the edge that is the mark to serve the copy it keeps
(stale if error, deploy/varnish/default.vcl). What an editor had just typed is
shown back on the page, to copy, since it could not be saved.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader

from . import request_id, timeouts

RETRY_AFTER_SECONDS = 30
# What a form sends that is no one's typing.
NOT_TYPED = ("csrfmiddlewaretoken", "edit_token", "password")
KEPT_FIELDS, KEPT_CHARACTERS = 50, 200_000


def is_unavailable(error: BaseException) -> bool:
    """Whether ``error`` is the database stopping a statement, or not answering."""
    return isinstance(error, OperationalError | InterfaceError)


def typed(request: HttpRequest) -> list[tuple[str, str]]:
    """The text fields of the form ``request`` sent, as typed."""
    if request.method != "POST":
        return []
    fields = [
        (name, value)
        for name, value in request.POST.items()
        if value.strip()
        and not any(word in name for word in NOT_TYPED)
        and not name.endswith(("_FORMS", "-id", "-DELETE"))
    ]
    return [(name, value[:KEPT_CHARACTERS]) for name, value in fields[:KEPT_FIELDS]]


def unavailable(request: HttpRequest, error: BaseException) -> HttpResponse:
    page = loader.get_template("503.html").render(
        {
            "request_id": getattr(request, "id", None),
            "down": not timeouts.is_timeout(error),
            "typed": typed(request),
        }
    )  # without the request's context processors: they would ask the database again
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        return unavailable(request, exception) if is_unavailable(exception) else None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the database failing outside a view (the page cache's reads,
    a middleware's) is a 503 too; any other error the 500 page."""
    error = sys.exc_info()[1]
    if error is not None and is_unavailable(error):
        return unavailable(request, error)
    return request_id.server_error(request)
