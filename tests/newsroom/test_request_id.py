"""One id per request (newsroom/request_id.py): said by every response, in the
logs, carried into jobs, shown on the 500 page; Sentry only with a DSN."""

import io
import json
import logging
import os
import subprocess
import sys

import pytest
from django.test import Client

from newsroom import jobs
from newsroom.request_id import HEADER, JsonFormatter, RequestIdFilter, carried, current


@pytest.mark.django_db
def test_every_response_says_its_id_and_a_valid_one_from_the_edge_is_kept(client):
    first, second = client.get("/healthz"), client.get("/healthz")
    assert len(first[HEADER]) == 32 and first[HEADER] != second[HEADER]
    assert client.get("/healthz", HTTP_X_REQUEST_ID="edge-123456")[HEADER] == "edge-123456"
    for hostile in ("<script>alert(1)</script>", "a b c d e f g h", "x" * 65, "short"):
        assert client.get("/healthz", HTTP_X_REQUEST_ID=hostile)[HEADER] != hostile


@pytest.fixture
def json_log():
    """What the django.request logger writes, as the production console does."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


@pytest.mark.django_db
@pytest.mark.urls("tests.error_urls")
def test_a_500_page_shows_the_id_the_json_log_carries(json_log):
    response = Client(raise_request_exception=False).get("/fails/")
    assert response.status_code == 500
    request_id = response[HEADER]
    assert f"<code>{request_id}</code>" in response.content.decode()
    entry = json.loads(json_log.getvalue().splitlines()[-1])
    assert entry["request_id"] == request_id and entry["level"] == "ERROR"
    assert "RuntimeError: hỏng" in entry["exception"]


seen = []


@jobs.task("tests.probe")
def probe() -> None:
    seen.append(current.get())


def test_a_job_runs_under_the_id_of_the_request_that_asked_for_it(settings):
    settings.JOBS_QUEUE = False
    seen.clear()
    probe(request_id="edge-987654")  # as the worker runs it, with the id it was given
    with carried("abcdef123456"):
        jobs.defer(probe)  # at once, in the request itself
    assert seen == ["edge-987654", "abcdef123456"]
    assert current.get() is None


SETUP = (
    "import sys, django; django.setup(); import sentry_sdk; "
    "print(sentry_sdk.get_client().is_active())"
)


@pytest.mark.parametrize("dsn, active", [("", "False"), ("http://key@127.0.0.1:9/1", "True")])
def test_error_reports_go_to_sentry_only_with_a_dsn(dsn, active):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "SENTRY_DSN": dsn}
    done = subprocess.run([sys.executable, "-c", SETUP], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr  # the settings start with the SDK installed
    assert done.stdout.strip() == active


@pytest.mark.django_db
def test_a_response_django_logs_after_the_middleware_carries_the_id(json_log, client):
    response = client.get("/khong-co-trang-nay/")  # a 404 is logged as the handler ends
    assert response.status_code == 404
    entry = json.loads(json_log.getvalue().splitlines()[-1])
    assert entry["request_id"] == response[HEADER] and entry["level"] == "WARNING"
