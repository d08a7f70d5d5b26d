"""Readers' queries on read replicas (newsroom/replicas.py): the router's choices,
and against a real streaming replica of the test database (deploy/replica.sh,
PostgreSQL only; skipped with the reason where pg_basebackup is missing,
required in CI)."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.db import OperationalError, connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.desk import workflow
from articles.freshness import moments
from articles.models import Article
from newsroom import replicas
from tests.factories import ArticleFactory
from tests.tools import need

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "replica.sh"
ALIAS = "replica_0"


def test_without_replicas_everything_reads_the_primary():
    router = replicas.ReplicaRouter()
    assert router.db_for_read(Article) == "default"
    assert router.db_for_write(Article) == "default"
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate(ALIAS, "articles")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def replica_script(*args) -> None:
    subprocess.run([str(SCRIPT), *map(str, args)], check=True, capture_output=True, timeout=120)


@pytest.fixture(scope="module")
def replica(django_db_setup):
    if connection.vendor != "postgresql":
        pytest.skip("read replicas are PostgreSQL's")
    need(
        shutil.which("pg_basebackup") or Path("/usr/lib/postgresql/15/bin/pg_basebackup").exists(),
        "pg_basebackup is missing: apt-get install postgresql-15",
    )
    parent = tempfile.mkdtemp(prefix="toasoan-replica-")
    os.chmod(parent, 0o755)  # the server runs as postgres
    folder, port = Path(parent) / "data", free_port()
    replica_script("up", folder, port)
    config = {**connection.settings_dict, "PORT": port, "TEST": {"MIRROR": None}}
    django_settings.DATABASES[ALIAS] = config
    connections.settings[ALIAS] = config
    try:
        yield SimpleReplica(folder, port)
    finally:
        replica_script("down", folder)
        shutil.rmtree(parent, ignore_errors=True)
        connections[ALIAS].close()
        # The connection is made again from the settings next time: the module's
        # tests, spread over workers, may bring the fixture up again on another port.
        del connections[ALIAS]
        connections.settings.pop(ALIAS, None)
        django_settings.DATABASES.pop(ALIAS, None)


class SimpleReplica:
    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port

    def sql(self, statement: str):
        with connections[ALIAS].cursor() as cursor:
            cursor.execute(statement)

    def running(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2):
                return True
        except OSError:
            return False

    def log_tail(self) -> str:
        log = self.folder / "log"
        return log.read_text(errors="replace")[-3000:] if log.exists() else "(no log)"

    def caught_up(self) -> None:
        """Until it has replayed all the primary has written."""
        replicas.record_write()
        for _ in range(100):
            replicas._state.clear()
            if replicas.choose() == ALIAS:
                return
            time.sleep(0.05)
        state = "running" if self.running() else "not running"
        raise AssertionError(f"the replica did not catch up ({state}):\n{self.log_tail()}")


@pytest.fixture
def fresh(replica):
    replicas._state.clear()
    yield replica
    replicas._state.clear()


def reader_get(client, url: str, *, replica_up: bool = True):
    """The response, and how many queries the replica and the primary answered."""
    watched = [connection] + ([connections[ALIAS]] if replica_up else [])
    captured = [CaptureQueriesContext(c) for c in watched]
    for capture in captured:
        capture.__enter__()
    response = client.get(url)
    for capture in captured:
        capture.__exit__(None, None, None)
    on_primary, *on_replica = [len(c) for c in captured]
    return response, sum(on_replica), on_primary


db = pytest.mark.django_db(transaction=True, databases=["default", ALIAS])


@db
def test_a_published_story_is_read_from_the_replica(fresh, client):
    story = ArticleFactory(headline="Tin từ bản sao", status=Article.Status.PUBLISHED)
    fresh.caught_up()
    response, on_replica, on_primary = reader_get(client, story.get_absolute_url())
    assert response.status_code == 200 and "Tin từ bản sao" in response.text
    assert on_replica > 0 and on_primary == 0
    replicas.cache.delete(replicas.WRITTEN)  # the cache emptied: no change known
    assert replicas.choose() == "default"  # no replica can be judged: the primary


@db
def test_a_lagging_replica_never_shows_a_hidden_story(fresh, client, settings):
    settings.CONTENT_CACHE = False
    story = ArticleFactory(headline="Sắp gỡ", status=Article.Status.PUBLISHED)
    fresh.caught_up()
    fresh.sql("SELECT pg_wal_replay_pause()")
    try:
        editor = User.objects.create_superuser("bientap", password="x")
        workflow.transition(story, Article.Status.DRAFT, editor)  # unpublished on the primary
        response, on_replica, _ = reader_get(client, story.get_absolute_url())
        assert response.status_code == 404
        assert on_replica <= 1  # at most its position read: nothing of the story
    finally:
        fresh.sql("SELECT pg_wal_replay_resume()")
    fresh.caught_up()
    response, on_replica, on_primary = reader_get(client, story.get_absolute_url())
    assert response.status_code == 404 and on_replica > 0 and on_primary == 0


def primary_down(execute, sql, params, many, context):
    raise OperationalError("connection failed: the database system is shutting down")


@db
def test_with_the_primary_down_readers_pages_are_made_from_the_replica(fresh, client):
    """The page cache's reads included (what is scheduled next): not one statement
    for the primary, whose outage is a 503 only to the desk."""
    story = ArticleFactory(headline="Đọc khi bản chính tắt", status=Article.Status.PUBLISHED)
    moments.reschedule()  # a change: what is scheduled next is read again
    fresh.caught_up()
    editor = Client()
    editor.force_login(User.objects.create_superuser("bientap", password="x"))
    with connection.execute_wrapper(primary_down):
        for url in (story.get_absolute_url(), "/", "/tin-moi/"):
            response, on_replica, on_primary = reader_get(client, url)
            assert response.status_code == 200, url
            assert "Đọc khi bản chính tắt" in response.text and on_primary == 0, url
        response, on_replica, on_primary = reader_get(client, "/tim-kiem/?q=hoa+ky")
        assert response.status_code == 200 and on_replica > 0 and on_primary == 0
        desk = editor.get(f"/{django_settings.ADMIN_URL}articles/article/")
        assert desk.status_code == 503 and desk["Retry-After"] == "30"


@db
def test_a_signed_in_editor_reads_their_own_writes_from_the_primary(fresh, client):
    story = ArticleFactory(headline="Bản cũ", status=Article.Status.PUBLISHED)
    fresh.caught_up()
    client.force_login(User.objects.create_superuser("bientap", password="x"))
    fresh.sql("SELECT pg_wal_replay_pause()")
    try:
        Article.objects.filter(pk=story.pk).update(headline="Bản mới")  # no signal, no purge
        response, on_replica, _ = reader_get(client, story.get_absolute_url())
    finally:
        fresh.sql("SELECT pg_wal_replay_resume()")
    assert "Bản mới" in response.text and on_replica == 0


@db
def test_a_replica_that_stops_is_skipped_without_an_error(fresh, client, settings):
    settings.CONTENT_CACHE = False
    story = ArticleFactory(headline="Vẫn đọc được", status=Article.Status.PUBLISHED)
    fresh.caught_up()
    assert reader_get(client, story.get_absolute_url())[1] > 0  # on the replica, connected
    replica_script("stop", fresh.folder)
    try:
        # known good a moment ago: the request fails on it, and is answered from the primary
        url = story.get_absolute_url()
        response, _, on_primary = reader_get(client, url, replica_up=False)
        assert response.status_code == 200 and on_primary > 0
        response, _, on_primary = reader_get(
            client, "/", replica_up=False
        )  # and it is skipped from then on
        assert response.status_code == 200 and on_primary > 0
    finally:
        replica_script("start", fresh.folder, fresh.port)
    fresh.caught_up()


@db
def test_a_replica_lagging_more_than_the_limit_is_skipped(fresh, settings):
    """Whatever the last recorded change: a replica seconds behind is not read."""
    settings.REPLICA_MAX_LAG = 0.5
    fresh.caught_up()
    fresh.sql("SELECT pg_wal_replay_pause()")
    try:
        ArticleFactory(headline="Ghi mới trên bản chính")  # WAL the replica receives, not replays
        # the change recorded as one the replica has seen: only the lag decides
        with connections[ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn()::text")
            replicas.cache.set(replicas.WRITTEN, cursor.fetchone()[0])
        time.sleep(1.5)
        replicas._state.clear()
        assert replicas.choose() == "default"
    finally:
        fresh.sql("SELECT pg_wal_replay_resume()")
    fresh.caught_up()
    assert replicas.choose() == ALIAS


@db
def test_metrics_say_each_replica_s_lag_and_whether_it_answers(fresh, client):
    from tests.newsroom.test_metrics import scrape, value

    fresh.caught_up()
    found = scrape(client)
    assert value(found, "toasoan_replica_up", replica=ALIAS) == 1
    assert 0 <= value(found, "toasoan_replica_lag_seconds", replica=ALIAS) < 5
    replica_script("stop", fresh.folder)
    try:
        found = scrape(client)
        assert value(found, "toasoan_replica_up", replica=ALIAS) == 0
        assert ("toasoan_replica_lag_seconds", (("replica", ALIAS),)) not in found
    finally:
        replica_script("start", fresh.folder, fresh.port)
    fresh.caught_up()
