"""How long one SQL statement may run on PostgreSQL, by who asked for it.

A statement the planner gets wrong (no statistics yet, an odd search) must not
outlive the worker that waits for it: gunicorn kills the worker at its timeout,
but PostgreSQL would go on running the query, and such queries pile up. So each
request's statements get ``statement_timeout``: readers' pages
``READER_STATEMENT_TIMEOUT``, the desk (``ADMIN_URL``) ``DESK_STATEMENT_TIMEOUT``,
both below the worker's own limit; the job worker ``JOBS_STATEMENT_TIMEOUT``.
Commands (migrations, loads, backups) keep PostgreSQL's default: none.

The limit is set before a request's first statement on each connection (a
persistent connection may come from a desk request with a longer one), on the
driver's own cursor, so that it is not counted among the page's queries. A
statement stopped by it is answered with a 503 that says so and when to try
again, not with a 500.
"""

from contextlib import ExitStack, suppress

from django.conf import settings
from django.db import OperationalError, connections
from django.db.backends.signals import connection_created
from django.http import HttpRequest

_process_limit_ms: int | None = None  # for connections outside requests: the job worker's


def for_jobs() -> None:
    """This process runs jobs: its connections get the jobs' limit."""
    global _process_limit_ms
    _process_limit_ms = settings.JOBS_STATEMENT_TIMEOUT


def request_limit(request: HttpRequest) -> int:
    """The limit in milliseconds for ``request``'s statements."""
    if request.path_info.startswith(f"/{settings.ADMIN_URL}"):
        return settings.DESK_STATEMENT_TIMEOUT
    return settings.READER_STATEMENT_TIMEOUT


def _set_limit(connection, limit_ms: int) -> None:
    with connection.connection.cursor() as cursor:
        cursor.execute(f"SET statement_timeout = {int(limit_ms)}")


class _Limited:
    """An execute wrapper: before the request's first statement on a connection
    (a reconnect makes a new one), that connection's limit is set."""

    def __init__(self, limit_ms: int):
        self.limit_ms, self.set_on = limit_ms, {}

    def __call__(self, execute, sql, params, many, context):
        connection = context["connection"]
        if id(connection.connection) not in self.set_on:
            self.set_on[id(connection.connection)] = connection
            # in an aborted transaction this fails, and the statement itself will say so
            with suppress(Exception):
                _set_limit(connection, self.limit_ms)
        return execute(sql, params, many, context)

    def lift(self) -> None:
        """The request is over: its connections back to their session's own limit,
        for whatever uses them next outside a request."""
        for key, connection in self.set_on.items():
            if connection.connection is not None and id(connection.connection) == key:
                with suppress(Exception), connection.connection.cursor() as cursor:
                    cursor.execute("RESET statement_timeout")


def is_timeout(error: BaseException) -> bool:
    """Whether ``error`` is a statement stopped by its time limit."""
    return isinstance(error, OperationalError) and type(error.__cause__).__name__ in (
        "QueryCanceled",
        "QueryCanceledError",
    )


class StatementTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        aliases = [a for a in connections if connections[a].vendor == "postgresql"]
        if not aliases:
            return self.get_response(request)
        limited = _Limited(request_limit(request))
        with ExitStack() as stack:
            stack.callback(limited.lift)
            for alias in aliases:
                stack.enter_context(connections[alias].execute_wrapper(limited))
            return self.get_response(request)


def _on_connect(sender, connection, **kwargs) -> None:
    if _process_limit_ms is not None and connection.vendor == "postgresql":
        _set_limit(connection, _process_limit_ms)


connection_created.connect(_on_connect, dispatch_uid="statement-timeout-on-connect")
