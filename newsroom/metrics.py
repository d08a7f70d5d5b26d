"""What the running site measures, for Prometheus at ``/metrics``.

django-prometheus gives request rates and latencies per view and per status
(its two middleware), on prometheus_client, whose multiprocess mode adds up a
gunicorn server's workers (``gunicorn.conf.py``); OpenTelemetry would need a
collector between the site and Prometheus for the same figures. What is the
newsroom's own is counted here (the page cache, the edge's purges, jobs, the
delay of scheduled stories) or read at each scrape (``State``: the job queue,
the replicas' lag, the WAL archive and the last backup).

``/metrics`` answers a request from this machine that no proxy forwarded (and
none at all behind ``BEHIND_TLS_PROXY``), or one with ``Authorization: Bearer
<METRICS_TOKEN>``; anyone else gets a 404.
"""

import hmac
import ipaddress
import json
import logging
import os
import subprocess
import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily

from newsroom import replicas

log = logging.getLogger(__name__)

PAGE_CACHE = Counter(
    "toasoan_page_cache_requests",
    "Readers' requests the app's page cache looked up, by whether a kept page answered",
    ["result"],
)
# The page cache's two answers, bound once: looked up on every reader's request.
PAGE_CACHE_HIT, PAGE_CACHE_MISS = PAGE_CACHE.labels("hit"), PAGE_CACHE.labels("miss")
EDGE_PURGES = Counter(
    "toasoan_edge_purge_requests", "PURGE requests sent to the edge, by result", ["result"]
)
JOB_RUNS = Counter(
    "toasoan_job_runs", "Jobs run, by task and result (a failed run is retried)", ["task", "result"]
)
SCHEDULED_DELAY = Histogram(
    "toasoan_scheduled_change_delay_seconds",
    "From a scheduled moment (a story going live, a pin ending) to the pages changing",
    buckets=(1, 2, 5, 10, 15, 20, 30, 60, 120, 300, 900),
)
BACKUP_INFO_SECONDS = 60  # pgbackrest info is a process of its own: not at every scrape


class State:
    """Read at each scrape, from where it is kept: the database, pgBackRest."""

    def __init__(self):
        self.backup = (0.0, None)  # (read at, last backup's end as a timestamp)

    def collect(self):
        if connection.vendor != "postgresql":
            return
        try:
            yield from self.jobs()
            yield from self.archive()
        except DatabaseError as error:
            log.warning("metrics: the database did not answer: %s", error)
        yield from self.replicas()
        yield from self.backups()

    def jobs(self):
        if not settings.JOBS_QUEUE:
            return
        waiting = GaugeMetricFamily(
            "toasoan_jobs", "Jobs in the queue, by task and status", labels=["task", "status"]
        )
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT task_name, status, count(*) FROM procrastinate_jobs GROUP BY 1, 2"
            )
            for task, status, count in cursor.fetchall():
                waiting.add_metric([task, status], count)
            # How long the job first due has waited for a worker, by lane; how many
            # workers said they were alive in the last 10 s: a worker down or stuck
            # shows in these within a scrape, whatever the backlog.
            cursor.execute(
                "SELECT j.queue_name, EXTRACT(EPOCH FROM now() - coalesce(j.scheduled_at, e.at))"
                " FROM (SELECT DISTINCT ON (queue_name) id, queue_name, scheduled_at"
                "       FROM procrastinate_jobs WHERE status = 'todo'"
                "       AND (scheduled_at IS NULL OR scheduled_at <= now())"
                "       ORDER BY queue_name, id) j"
                " LEFT JOIN LATERAL (SELECT min(at) AS at FROM procrastinate_events"
                "                    WHERE job_id = j.id) e ON true"
            )
            oldest = GaugeMetricFamily(
                "toasoan_jobs_oldest_waiting_seconds",
                "How long the job first due on each lane has waited for a worker",
                labels=["queue"],
            )
            for queue, seconds in cursor.fetchall():
                oldest.add_metric([queue], float(seconds or 0))
            cursor.execute(
                "SELECT count(*) FROM procrastinate_workers"
                " WHERE last_heartbeat > now() - interval '10 seconds'"
            )
            alive = GaugeMetricFamily(
                "toasoan_workers_alive", "Job workers that said they were alive in 10 s"
            )
            alive.add_metric([], cursor.fetchone()[0])
        yield waiting
        yield oldest
        yield alive

    def archive(self):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT archived_count, failed_count, "
                "EXTRACT(EPOCH FROM last_archived_time) FROM pg_stat_archiver"
            )
            archived, failed, last = cursor.fetchone()
        yield GaugeMetricFamily(
            "toasoan_wal_archived", "WAL segments archived since the statistics began", archived
        )
        yield GaugeMetricFamily(
            "toasoan_wal_archive_failures", "Failed attempts to archive a WAL segment", failed
        )
        if last is not None:
            yield GaugeMetricFamily(
                "toasoan_wal_archived_timestamp_seconds",
                "When the last WAL segment was archived",
                float(last),
            )

    def replicas(self):
        lag = GaugeMetricFamily(
            "toasoan_replica_lag_seconds", "How far each replica is behind", labels=["replica"]
        )
        up = GaugeMetricFamily(
            "toasoan_replica_up", "Whether each replica answers", labels=["replica"]
        )
        for alias in replicas.aliases():
            seconds = replicas.lag(alias)
            up.add_metric([alias], seconds is not None)
            if seconds is not None:
                lag.add_metric([alias], seconds)
        yield lag
        yield up

    def backups(self):
        if not os.environ.get("PGBACKREST_CONFIG"):
            return
        read_at, finished = self.backup
        if time.monotonic() - read_at > BACKUP_INFO_SECONDS or not read_at:
            finished = _last_backup()
            self.backup = (time.monotonic(), finished)
        if finished is not None:
            yield GaugeMetricFamily(
                "toasoan_backup_last_success_timestamp_seconds",
                "When the last backup in pgBackRest's repository ended",
                finished,
            )


def _last_backup() -> float | None:
    try:
        output = subprocess.run(
            ["pgbackrest", "--stanza=toasoan", "--output=json", "info"],
            capture_output=True, text=True, timeout=20, check=True,
        ).stdout  # fmt: skip
        backups = json.loads(output)[0]["backup"]
    except (OSError, subprocess.SubprocessError, ValueError, LookupError) as error:
        log.warning("metrics: pgbackrest info failed: %s", error)
        return None
    return max((b["timestamp"]["stop"] for b in backups), default=None)


_state = CollectorRegistry(auto_describe=False)
_state.register(State())


def _collected() -> bytes:
    if "PROMETHEUS_MULTIPROC_DIR" in os.environ:  # a gunicorn server's workers, added up
        workers = CollectorRegistry()
        multiprocess.MultiProcessCollector(workers)
        return generate_latest(workers) + generate_latest(_state)
    return generate_latest(REGISTRY) + generate_latest(_state)


def allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    try:
        loopback = ipaddress.ip_address(request.META.get("REMOTE_ADDR", "")).is_loopback
    except ValueError:
        return False
    # The edge and other proxies on this machine speak for readers elsewhere; behind
    # the TLS proxy, any request may be a reader's relayed (a proxy that sends none
    # of these headers): there only the token opens it.
    proxied = settings.BEHIND_TLS_PROXY or any(map(names_a_client, request.headers))
    return loopback and not proxied


def names_a_client(header: str) -> bool:
    """Whether a request header is one a proxy sets to speak for someone else:
    ``Forwarded`` and every ``X-Forwarded-*``, ``Via``, and any header naming an
    address (``X-Real-IP``, ``True-Client-IP``, ``X-Client-IP``, ``CF-Connecting-IP``…)."""
    name = header.lower()
    return "forwarded" in name or name == "via" or name.endswith(("-ip", "_ip", "-addr"))


@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not allowed(request):
        raise Http404
    return HttpResponse(_collected(), content_type=CONTENT_TYPE_LATEST)


def serve_worker(port: int) -> None:
    """A job worker's own counters (purges, jobs run), on 127.0.0.1:``port``."""
    from prometheus_client import start_http_server

    start_http_server(port, addr="127.0.0.1")
