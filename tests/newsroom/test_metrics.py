"""``/metrics`` (newsroom/metrics.py): Prometheus' format, for this machine or a
bearer of ``METRICS_TOKEN``, never for readers; what the newsroom counts."""

import datetime
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from articles.freshness import edge, moments, tasks
from articles.models import Article
from tests.factories import ArticleFactory
from tests.newsroom.test_production import manage, production_env
from tests.varnish import free_port

BIN = os.path.dirname(sys.executable)


def samples(text: str) -> dict[tuple[str, tuple], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: dict, name: str, **labels) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


def grew(before: dict, after: dict, name: str, **labels) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def scrape(client) -> dict:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "no-cache" in response["Cache-Control"]
    return samples(response.content.decode())


@pytest.mark.django_db
def test_metrics_answer_this_machine(client):
    found = scrape(client)  # the test client comes from 127.0.0.1, unproxied
    assert any(name.startswith("django_http_requests") for name, _ in found)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "headers",
    [
        {"REMOTE_ADDR": "203.0.113.7"},  # a reader
        {"REMOTE_ADDR": "2001:db8::7"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"},  # through the edge
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_FORWARDED": "for=203.0.113.7"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_REAL_IP": "203.0.113.7"},
        # any header by which a local proxy names its client counts as forwarding
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_TRUE_CLIENT_IP": "203.0.113.7"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_CLIENT_IP": "203.0.113.7"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_CF_CONNECTING_IP": "203.0.113.7"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_HOST": "news.example.org"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_VIA": "1.1 varnish"},
        {"REMOTE_ADDR": "not an address"},
        {"REMOTE_ADDR": "203.0.113.7", "HTTP_AUTHORIZATION": "Bearer "},  # no token set
    ],
)
def test_metrics_are_a_404_to_readers(client, headers):
    response = client.get("/metrics", **headers)
    assert response.status_code == 404
    assert b"django_http" not in response.content


@pytest.mark.django_db
def test_behind_the_tls_proxy_only_the_token_opens_them(client, settings):
    """A proxy on this machine that forwards no header would make every reader
    look local: behind one, loopback alone is not enough."""
    settings.BEHIND_TLS_PROXY = True
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = "mot-chuoi-bi-mat-dai"
    opened = client.get("/metrics", HTTP_AUTHORIZATION="Bearer mot-chuoi-bi-mat-dai")
    assert opened.status_code == 200


@pytest.mark.django_db
def test_metrics_answer_the_bearer_of_the_token(client, settings):
    settings.METRICS_TOKEN = "mot-chuoi-bi-mat-dai"
    reader = {"REMOTE_ADDR": "203.0.113.7"}
    assert client.get("/metrics", **reader).status_code == 404
    wrong = client.get("/metrics", HTTP_AUTHORIZATION="Bearer mot-chuoi-khac", **reader)
    assert wrong.status_code == 404
    plain = client.get("/metrics", HTTP_AUTHORIZATION="mot-chuoi-bi-mat-dai", **reader)
    assert plain.status_code == 404
    right = client.get("/metrics", HTTP_AUTHORIZATION="Bearer mot-chuoi-bi-mat-dai", **reader)
    assert right.status_code == 200 and b"django_http" in right.content


@pytest.mark.django_db
def test_requests_are_counted_per_view_with_their_latency(client):
    story = ArticleFactory(status=Article.Status.PUBLISHED)
    count = "django_http_requests_latency_seconds_by_view_method_count"
    statuses = "django_http_responses_total_by_status_view_method_total"
    view = {"view": "articles:article", "method": "GET"}
    before = scrape(client)
    for _ in range(3):
        assert client.get(story.get_absolute_url(), HTTP_COOKIE="sessionid=x").status_code == 200
    after = scrape(client)
    assert grew(before, after, count, **view) == 3  # each timed
    assert grew(before, after, statuses, status="200", **view) == 3
    assert client.get("/tin/khong-co-tin-nay/").status_code == 404
    later = scrape(client)
    assert grew(after, later, statuses, status="404", **view) == 1


@pytest.mark.django_db
def test_page_cache_hits_and_misses_are_counted(client, settings):
    settings.PAGE_CACHE = True
    story = ArticleFactory(status=Article.Status.PUBLISHED)
    before = scrape(client)
    client.get(story.get_absolute_url())  # made and kept
    client.get(story.get_absolute_url())  # served as kept
    after = scrape(client)
    name = "toasoan_page_cache_requests_total"
    for result in ("hit", "miss"):
        assert grew(before, after, name, result=result) == 1


@pytest.mark.django_db
def test_purges_sent_and_failed_are_counted(client, settings):
    name = "toasoan_edge_purge_requests_total"
    before = scrape(client)
    settings.EDGE_CACHE_URL = f"http://127.0.0.1:{free_port()}/"  # nothing listens
    with pytest.raises((OSError, urllib.error.URLError)):
        edge._send({"home"})
    after = scrape(client)
    assert grew(before, after, name, result="failed") == 1
    assert grew(before, after, name, result="sent") == 0


@pytest.mark.django_db
def test_jobs_run_and_the_delay_of_a_scheduled_story_are_counted(client, monkeypatch):
    moment = timezone.now() + datetime.timedelta(minutes=5)
    ArticleFactory(status=Article.Status.PUBLISHED, published_at=moment)
    moments.schedule()
    before = scrape(client)
    later = moment + datetime.timedelta(seconds=7)
    monkeypatch.setattr(timezone, "now", lambda: later)
    tasks.go_live(timestamp=0)  # the periodic job, run in this process
    after = scrape(client)
    runs = "toasoan_job_runs_total"
    assert grew(before, after, runs, task="stories.go_live", result="succeeded") == 1
    delay = "toasoan_scheduled_change_delay_seconds"
    assert grew(before, after, delay + "_count") == 1
    assert 6.9 <= grew(before, after, delay + "_sum") <= 7.5
    assert grew(before, after, delay + "_bucket", le="5.0") == 0


@pytest.mark.postgres(reason="the queue and WAL are PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_the_queue_and_the_wal_archive_are_read_at_each_scrape(client, settings):
    settings.JOBS_QUEUE = True
    from newsroom import jobs

    try:
        jobs.defer("wire.import", name="a.txt", data="Tin một")
        jobs.defer("wire.import", name="b.txt", data="Tin hai")
        found = scrape(client)
        assert value(found, "toasoan_jobs", task="wire.import", status="todo") == 2
        assert ("toasoan_wal_archive_failures", ()) in found
        # no worker here: the imports' lane has a job waiting, and no worker is alive
        oldest = ("toasoan_jobs_oldest_waiting_seconds", (("queue", "long"),))
        assert oldest in found and 0 <= found[oldest] < 60
        assert found[("toasoan_workers_alive", ())] == 0
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM procrastinate_jobs")


def test_gunicorn_s_workers_are_added_up(tmp_path):
    """Each worker counts in files of its own, kept when it is replaced: with a
    worker replaced every 2 requests, 6 requests are all in the sum."""
    env = production_env(
        tmp_path, WEB_CONCURRENCY="2", PORT=str(free_port()), GUNICORN_MAX_REQUESTS="2",
        GUNICORN_ACCESS_LOG="/dev/null",
    )  # fmt: skip
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    manage(env, "migrate", "-v0")
    server = subprocess.Popen(
        [os.path.join(BIN, "gunicorn"), "-c", "gunicorn.conf.py"],
        env=env, cwd=django_settings.BASE_DIR,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        # Ready when it listens: a request given up on by a busy machine's client
        # would still be counted by the server.
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", int(env["PORT"])), timeout=1).close()
                break
            except OSError:
                time.sleep(0.1)
        for _ in range(6):
            urllib.request.urlopen(base + "/healthz", timeout=60).read()
        text = urllib.request.urlopen(base + "/metrics", timeout=5).read().decode()
    finally:
        server.terminate()
        server.wait(20)
    found = samples(text)
    total = "django_http_requests_total_by_view_transport_method_total"
    assert value(found, total, view="health", transport="http", method="GET") == 6


def test_the_job_worker_serves_its_own_figures(monkeypatch):
    """``manage.py jobs_worker --metrics-port``: procrastinate's worker, its counters
    (jobs, purges: the app servers cannot see them) on 127.0.0.1."""
    from django.core.management import call_command

    from articles.management.commands import jobs_worker
    from newsroom import timeouts

    ran = []
    monkeypatch.setattr(jobs_worker, "call_command", lambda *args: ran.append(args))
    monkeypatch.setattr(timeouts, "_process_limit_ms", None)  # put back after
    port = free_port()
    call_command("jobs_worker", "--metrics-port", str(port), "--queue", "default")
    assert ran == [("procrastinate", "worker", "--queues", "default", "--name", "default")]
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    assert "toasoan_job_runs_total" in text and "toasoan_edge_purge_requests_total" in text
