"""One id per request, from the edge to the logs, the jobs it asks for, an error
report and the error page, so an editor can quote it and anyone can follow it.

The edge's id (``X-Request-ID``, deploy/varnish/default.vcl) is taken when it
looks like one, a new one made otherwise; every response says it. Each log
record carries it (``RequestIdFilter``), and ``JsonFormatter`` writes a record as
one line of JSON, for a log collector. A job deferred during a request runs
with the request's id (``jobs.py``); a 500 page shows it (``server_error``), and
an error report to Sentry is tagged with it.
"""

import json
import logging
import re
import traceback
import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.template import loader

HEADER = "X-Request-ID"
_VALID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")  # nothing a log line or a page must escape
current: ContextVar[str | None] = ContextVar("request_id", default=None)


@contextmanager
def carried(request_id: str | None):
    """Work done for a request elsewhere (a job) under the request's id."""
    token = current.set(request_id)
    try:
        yield
    finally:
        current.reset(token)


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        request.id = given if _VALID.match(given) else uuid.uuid4().hex
        token = current.set(request.id)
        try:
            if settings.SENTRY_DSN:
                import sentry_sdk

                sentry_sdk.get_isolation_scope().set_tag("request_id", request.id)
            response = self.get_response(request)
        finally:
            current.reset(token)
        response[HEADER] = request.id
        return response


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        # django.request logs a response after the middleware has let go of it,
        # with the request attached: its id is there.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "id", None) or current.get()
        return True


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time, level, logger, message, request id, and
    the traceback of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        if record.exc_info:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, with the id to quote (rendered without the request's
    context: whatever failed may fail again)."""
    page = loader.get_template("500.html").render({"request_id": getattr(request, "id", None)})
    return HttpResponseServerError(page)
