"""gunicorn settings for production, from the environment."""

import multiprocessing
import os
import tempfile
from pathlib import Path

bind = os.environ.get("BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
keepalive = 5
# Recycle each worker now and then (0: never). At a thousand requests a second,
# a few thousand would restart a worker every few seconds.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "50000"))
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
wsgi_app = "newsroom.wsgi:application"

# prometheus_client adds up the workers' figures for /metrics (newsroom/metrics.py)
# from files in a folder of this server's own, emptied when it starts.
os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", tempfile.mkdtemp(prefix="toasoan-metrics-"))


def on_starting(server):
    for stale in Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).glob("*.db"):
        stale.unlink()


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def worker_exit(server, worker):
    """A worker that ends (recycled by max_requests, a reload, a stop) sends the
    edge's purges its saves asked for first (articles/freshness/edge.py)."""
    from articles.freshness import edge

    edge.flush()
