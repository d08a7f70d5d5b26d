"""Every SQL statement of a request is bounded in time on PostgreSQL: readers'
below the worker's own limit, the desk's longer, jobs' longer still, and one that
runs past its limit is stopped in the database and answered with a clear 503."""

import time

import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]
postgres_only = pytest.mark.postgres(reason="statement_timeout is PostgreSQL's")


@postgres_only
def test_readers_and_the_desk_each_get_their_own_limit(client, settings):
    settings.READER_STATEMENT_TIMEOUT, settings.DESK_STATEMENT_TIMEOUT = 4_000, 9_000
    assert client.get("/limit/").content == b"4s"
    assert client.get(f"/{settings.ADMIN_URL}limit/").content == b"9s"
    assert client.get("/limit/").content == b"4s"  # the same connection, set back


@postgres_only
@pytest.mark.django_db(transaction=True)  # as in production: the request's own autocommit
def test_a_statement_past_its_limit_is_stopped_and_answered_with_a_503(client, settings):
    settings.READER_STATEMENT_TIMEOUT = 200
    started = time.monotonic()
    response = client.get("/slow/")
    assert time.monotonic() - started < 3  # stopped, not waited for (pg_sleep(5))
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert "Trang này đang mất quá lâu" in response.content.decode()
    with connection.cursor() as cursor:  # nothing left running in the database
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(5)'"
            " AND state = 'active'"
        )
        assert cursor.fetchone()[0] == 0


@postgres_only
@pytest.mark.django_db(transaction=True)  # a new connection, outside the test's transaction
def test_the_job_worker_gets_the_jobs_limit(settings):
    from newsroom import timeouts

    settings.JOBS_STATEMENT_TIMEOUT = 123_000
    timeouts.for_jobs()
    try:
        connection.close()
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "123s"
    finally:
        timeouts._process_limit_ms = None
        connection.close()


def test_commands_keep_no_limit_and_sqlite_is_left_alone(client):
    """Outside requests (migrations, loads) nothing is set; SQLite has no such limit."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "0"
    else:
        assert client.get("/tin-moi/").status_code == 200


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_api_answers_a_statement_past_its_limit_with_a_503(client, settings, monkeypatch):
    from articles.site import api

    def slow(*args, **kwargs):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(5)")

    monkeypatch.setattr(api, "_stories", slow)
    settings.READER_STATEMENT_TIMEOUT = 200
    response = client.get("/api/stories")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "too long" in response.json()["detail"]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_a_save_while_the_database_is_out_of_reach_is_a_503_that_keeps_the_text(
    client, settings, monkeypatch, language
):
    """The primary restarting under a save: the desk says saving is paused, with a
    503 and Retry-After, and shows back what was typed, in the desk's language."""
    from django.contrib.auth.models import User
    from django.db import OperationalError

    from articles.desk.forms import ArticleForm

    client.force_login(User.objects.create_superuser("bientap", password="x"))
    if language == "en":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def down(*args, **kwargs):
        raise OperationalError("connection failed: the database system is shutting down")

    monkeypatch.setattr(ArticleForm, "_check_not_stale", down)  # the form reads: no database
    typed = {"headline": "Tin gõ dở <b>đậm</b>", "sapo": "Sapo chưa lưu.", "password": "x"}
    response = client.post(f"/{settings.ADMIN_URL}articles/article/add/", typed)
    page = response.content.decode()
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Tin gõ dở &lt;b&gt;đậm&lt;/b&gt;" in page and "Sapo chưa lưu." in page
    assert 'name="password"' not in page and ">x<" not in page
    said = {"vi": "Cơ sở dữ liệu đang tạm ngừng", "en": "The database is paused"}
    assert said[language] in page


@pytest.mark.urls("newsroom.urls")
def test_the_database_out_of_reach_before_the_view_is_a_503_too(client, monkeypatch):
    """The page cache reads what is scheduled next before any view runs: the
    database failing there is the same 503 as in a view, not a 500."""
    from django.db import OperationalError

    from articles.freshness import moments

    def down(*args, **kwargs):
        raise OperationalError("connection failed: the database system is starting up")

    monkeypatch.setattr(moments, "_next_scheduled", down)
    moments.reschedule()  # what is scheduled next must be read again
    client.raise_request_exception = False  # answered as a server would
    response = client.get("/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    monkeypatch.undo()
    assert client.get("/").status_code == 200
