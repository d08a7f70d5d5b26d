"""The edge cache in front of the app servers (Varnish with its xkey module,
``deploy/varnish/default.vcl``): surrogate keys and purges, the HTTP side.

While a reader response is made, what it shows is recorded (``show``: a
story, a section, a listing's membership) and sent as its ``xkey`` header; the
edge keeps the response under those keys. When something changes, the app names
its keys (``purge``) and the edge drops exactly the responses that showed it.
Purges are sent to ``EDGE_CACHE_URL`` once the transaction commits, so that a
save never waits on the edge: by the queue's worker (``jobs.py``) where there is
one, each purge a job written with the save and retried until the edge takes
it; by a background thread of this process otherwise, tried again, then
logged, and waited for when the process ends (a command, a script, a gunicorn
worker recycled or reloaded), so that no purge is lost with it. The app says
which keys mean what (``articles``): this layer knows nothing of stories.
Every purge is sent twice, the second ``AGAIN_SECONDS`` later, for the copies in
flight when the first arrived; a page made while something it shows was purged
is sent without its keys, so the edge does not keep it (``pages.py``).
"""

import atexit
import logging
import queue
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from newsroom import jobs, metrics, replicas
from newsroom.shown import is_recording, recording, show  # noqa: F401  (public here too)

HEADER = "xkey"
PURGE_HEADER = "xkey-purge"  # dropped outright: never served again, not even in an outage
SOFT_PURGE_HEADER = "xkey-softpurge"  # kept as a stale copy, served only while no app answers
# What the edge's VCL was written for (the desk's address, the session cookie's name),
# sent with each request it passes on: an app with other settings keeps nothing there.
DESK_HEADER = "X-Edge-Desk"
TEMPLATE = Path(__file__).resolve().parents[2] / "deploy/varnish/default.vcl"
_SAFE_NAME = re.compile(r"^[A-Za-z0-9._~/-]*$")
# Keys per purge request: one header line stays well under the edge's limit.
BATCH = 200
RETRIES = (0.5, 2, 8)  # seconds between attempts
# How long a process that ends waits for its purges still unsent (an edge that is down
# would otherwise hold it for every retry).
FLUSH_SECONDS = 15
# Each purge is sent again this long after: a copy an app server was sending the edge
# as the first arrived (made just before the change) would otherwise be kept for a day.
AGAIN_SECONDS = 3

log = logging.getLogger(__name__)


def label(response: HttpResponse, keys: Iterable[str]) -> HttpResponse:
    if keys:
        response[HEADER] = " ".join(sorted(keys))
    return response


def desk_marker() -> str:
    """The desk's address and the session cookie's name, as the VCL names them."""
    return f"/{settings.ADMIN_URL} {settings.SESSION_COOKIE_NAME}"


def vcl() -> str:
    """The edge's VCL (``deploy/varnish/default.vcl``) for this site's settings: the
    desk's address (``ADMIN_URL``) and the session cookie (``SESSION_COOKIE_NAME``)
    go to the app uncached, cookies and all (``manage.py edge_vcl``)."""
    admin, cookie = settings.ADMIN_URL, settings.SESSION_COOKIE_NAME
    if not (_SAFE_NAME.match(admin) and _SAFE_NAME.match(cookie)):
        raise ValueError("ADMIN_URL and SESSION_COOKIE_NAME: letters, digits, . _ ~ / - only")
    text = TEMPLATE.read_text()
    replaced = (
        ('is written for ADMIN_URL "admin/" and the cookie "sessionid"',
         f'is written for ADMIN_URL "{admin}" and the cookie "{cookie}"'),
        ('req.url ~ "^/admin/"', f'req.url ~ "^{re.escape("/" + admin)}"'),
        ('(^|;\\s*)sessionid=', f"(^|;\\s*){re.escape(cookie)}="),
        (f'set req.http.{DESK_HEADER} = "/admin/ sessionid";',
         f'set req.http.{DESK_HEADER} = "{desk_marker()}";'),
    )  # fmt: skip
    for old, new in replaced:
        if old not in text:
            raise ValueError(f"the VCL template no longer says {old}")
        text = text.replace(old, new)
    return text


class EdgeSettingsMiddleware:
    """A page asked for by an edge whose VCL was written for another desk address
    or session cookie is not kept there (no ``xkey``), and the error is logged: such
    an edge would send the desk's requests through the cache without cookies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.warned = False

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        given = request.headers.get(DESK_HEADER)
        if given is not None and given != desk_marker() and HEADER in response:
            del response[HEADER]
            if not self.warned:
                self.warned = True
                log.error(
                    "the edge's VCL was written for %r, this site is %r: nothing is kept "
                    "there until it is written again (manage.py edge_vcl)",
                    given,
                    desk_marker(),
                )
        return response


def purge(keys: Iterable[str], *, hard: bool = False) -> None:
    """Have the edge drop every response that showed any of ``keys``, once the
    current transaction commits (nothing, if it rolls back): as stale copies it
    serves only while no app server answers (an edit), or outright (``hard``: a
    story withdrawn, which no reader may be shown again, even in an outage)."""
    keys = set(keys)
    if not keys or not settings.EDGE_CACHE_URL:
        return
    if jobs.queued():
        # the edge's purges one after another, in the order they were asked for
        jobs.defer("edge.purge", keys=sorted(keys), hard=hard, lock="edge-purge")
        if AGAIN_SECONDS:  # once more, in no order: a lock would hold up those after it
            jobs.defer("edge.purge", keys=sorted(keys), hard=hard, delay=AGAIN_SECONDS)
    else:
        transaction.on_commit(lambda: _sender.put(keys, hard=hard, again=AGAIN_SECONDS))


def send_purge(keys: list[str], hard: bool = True) -> None:
    """Send a purge now (the job ``edge.purge``, ``freshness/tasks.py``)."""
    replicas.record_write()  # the worker may come before the save's own process does
    _send(set(keys), hard=hard)


def wait(timeout: float | None = None) -> bool:
    """Until every purge asked for so far has been sent (or given up on), or
    ``timeout`` seconds have passed: whether none is left."""
    return _sender.join(timeout)


def flush() -> None:
    """This process ends: its purges still unsent go first, for a while."""
    if not wait(FLUSH_SECONDS):
        log.error("edge purges left unsent as the process ended")


def _send(keys: set[str], *, hard: bool = True) -> bool:
    ordered = sorted(keys)
    header = PURGE_HEADER if hard else SOFT_PURGE_HEADER
    for start in range(0, len(ordered), BATCH):
        request = urllib.request.Request(
            settings.EDGE_CACHE_URL,
            method="PURGE",
            headers={header: " ".join(ordered[start : start + BATCH])},
        )
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                response.read()
        except (OSError, urllib.error.URLError):
            metrics.EDGE_PURGES.labels("failed").inc()
            raise
        metrics.EDGE_PURGES.labels("sent").inc()
    return True


class Sender:
    """One thread that sends what has been asked, merging the purges of saves
    that came while it was sending (an import of a hundred stories is a few
    requests, not a hundred)."""

    def __init__(self) -> None:
        self.queue: queue.Queue[tuple[set[str], bool]] = queue.Queue()
        self.thread: threading.Thread | None = None
        self.lock = threading.Lock()

    def put(self, keys: set[str], hard: bool = True, again: float = 0) -> None:
        """Send a purge of ``keys``; and once more ``again`` seconds later, if given."""
        if again:
            timer = threading.Timer(again, self.put, (keys, hard))
            timer.daemon = True
            timer.start()
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                if self.thread is None:  # daemon threads still run while atexit's do
                    atexit.register(flush)
                self.thread = threading.Thread(target=self.run, name="edge-purges", daemon=True)
                self.thread.start()
        self.queue.put((keys, hard))

    def join(self, timeout: float | None = None) -> bool:
        deadline = None if timeout is None else time.monotonic() + timeout
        with self.queue.all_tasks_done:
            while self.queue.unfinished_tasks:
                left = None if deadline is None else deadline - time.monotonic()
                if left is not None and left <= 0:
                    return False
                self.queue.all_tasks_done.wait(left)
        return True

    def run(self) -> None:
        while True:
            batches = [self.queue.get()]
            while not self.queue.empty():
                batches.append(self.queue.get_nowait())
            hard = set().union(*(keys for keys, hard in batches if hard))
            soft = set().union(*(keys for keys, hard in batches if not hard)) - hard
            try:
                for keys, is_hard in ((hard, True), (soft, False)):
                    if keys:
                        self.deliver(keys, hard=is_hard)
            finally:
                for _ in batches:
                    self.queue.task_done()

    def deliver(self, keys: set[str], *, hard: bool = True) -> None:
        for pause in (*RETRIES, None):
            try:
                _send(keys, hard=hard)
                return
            except (OSError, urllib.error.URLError) as error:
                if pause is None:
                    log.error("edge purge failed, %d keys: %s", len(keys), error)
                    return
                time.sleep(pause)


_sender = Sender()
