"""Jobs (newsroom/jobs.py, each part's tasks.py in articles/): at once in-process by default; on
procrastinate's queue in PostgreSQL with JOBS_QUEUE, run by a worker, each
job giving one result however often it runs."""

import base64
import datetime
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path
from types import SimpleNamespace

import pytest
from asgiref.sync import async_to_sync
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone

from articles import search
from articles.desk import tasks as desk_tasks
from articles.freshness import edge, moments
from articles.freshness import tasks as freshness_tasks
from articles.models import Article, BulkChange, CopyFile
from newsroom import jobs
from newsroom.request_id import carried
from tests.desk.test_wire import FILE_000, FILE_001
from tests.factories import ArticleFactory, image_upload

COPY = "Tiêu đề của bài\n\nĐoạn mở đầu của bài, đủ dài để là một đoạn văn của bài báo.\n"


def stored(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


@pytest.mark.django_db
def test_a_job_runs_at_once_without_the_queue(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    story = ArticleFactory(image=image_upload(size=(1200, 800)), image_alt="Ảnh")
    assert set(story.image_renditions["webp"]) == {"480", "960", "1200"}
    assert all(
        name.startswith(f"renditions/{story.image.name}/")
        for name in story.image_renditions["webp"].values()
    )


asked: list[dict] = []


@jobs.task("tests.gathered")
def gathered_job(**kwargs) -> None:
    asked.append(kwargs)


def test_jobs_gathered_in_a_block_run_once_at_its_end_for_all_their_ids():
    """A change of many stories asks for one job per kind of work, not one per
    story: the ids are merged, jobs with other arguments stay apart, and jobs of
    other names are not held back."""
    asked.clear()
    with jobs.gathered("tests.gathered"):
        jobs.defer("tests.gathered", ids=[3, 1])
        jobs.defer("tests.gathered", ids=[1, 2])
        jobs.defer("tests.gathered", ids=[9], model="other")
        jobs.defer("tests.gathered", text="no ids")  # nothing to merge: runs now
        assert asked == [{"text": "no ids"}]
    assert sorted(asked[1:], key=str) == [{"ids": [1, 2, 3]}, {"ids": [9], "model": "other"}]
    asked.clear()
    jobs.defer("tests.gathered", ids=[4])  # outside a block: at once, as ever
    assert asked == [{"ids": [4]}]


@pytest.mark.django_db
def test_renditions_made_again_replace_themselves(settings, tmp_path):
    """A job run twice (retried, or left by a dead worker) leaves one set of
    copies, not a second with other names."""
    settings.MEDIA_ROOT = tmp_path
    story = ArticleFactory(image=image_upload(size=(1200, 800)), image_alt="Ảnh")
    files = stored(tmp_path)
    Article.objects.filter(pk=story.pk).update(image_renditions={"source": story.image.name})
    desk_tasks.renditions(story=story.pk, source=story.image.name)
    desk_tasks.renditions(story=story.pk, source=story.image.name)  # done: nothing more
    assert stored(tmp_path) == files
    story.refresh_from_db()
    assert set(story.image_renditions["webp"]) == {"480", "960", "1200"}


@pytest.mark.django_db
def test_renditions_of_a_replaced_picture_are_not_made(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    story = ArticleFactory(image=image_upload(size=(1200, 800)), image_alt="Ảnh")
    files = stored(tmp_path)
    desk_tasks.renditions(story=story.pk, source="articles/an-older-picture.png")
    assert stored(tmp_path) == files


@pytest.mark.django_db
def test_the_same_copy_imported_by_two_jobs_is_one_draft():
    data = base64.b64encode(COPY.encode()).decode()
    desk_tasks.import_wire(name="a.txt", data=data)
    desk_tasks.import_wire(name="a.txt", data=data)
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 1


def test_the_queue_needs_postgresql():
    env = {**os.environ, "DATABASE_URL": "sqlite:////tmp/x.sqlite3", "JOBS_QUEUE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**env, "DJANGO_SETTINGS_MODULE": "newsroom.settings"},
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0
    assert "JOBS_QUEUE needs PostgreSQL" in done.stderr


# On the queue: PostgreSQL only, and committed rows, as a worker sees them.

needs_queue = pytest.mark.postgres(reason="the job queue is PostgreSQL's (procrastinate)")


@pytest.fixture
def queue(settings, tmp_path):
    from procrastinate.contrib.django import app

    settings.JOBS_QUEUE = True
    settings.MEDIA_ROOT = tmp_path
    yield app
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM procrastinate_periodic_defers; DELETE FROM procrastinate_jobs; "
            "DELETE FROM procrastinate_workers"
        )


def waiting(name: str | None = None) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT task_name, status FROM procrastinate_jobs ORDER BY id")
        return [row for row in cursor.fetchall() if name in (None, row[0])]


def work(app, queues: list[str] | None = None) -> None:
    """A worker runs every job waiting (on ``queues``, or all), then stops (with a
    connection of its own, as ``manage.py procrastinate worker`` has)."""
    with app.replace_connector(app.connector.get_worker_connector()) as worker:
        worker.run_worker(
            queues=queues,
            wait=False,
            install_signal_handlers=False,
            listen_notify=False,
            delete_jobs="never",
        )


@needs_queue
@pytest.mark.django_db(transaction=True)
def test_a_picture_is_stored_with_the_save_and_its_renditions_made_by_the_worker(queue):
    story = ArticleFactory(image=image_upload(size=(1200, 800)), image_alt="Ảnh")
    assert "webp" not in story.image_renditions  # the page shows the original
    assert story.image_renditions["source"] == story.image.name
    story.headline = "Sửa tiêu đề"
    story.save()  # a second save while the job waits adds none
    assert waiting("images.picture_renditions") == [("images.picture_renditions", "todo")]
    work(queue)
    story.refresh_from_db()
    assert set(story.image_renditions["webp"]) == {"480", "960", "1200"}
    assert set(story.image_renditions["crop"]) == {"480", "960"}
    assert waiting("images.picture_renditions") == [("images.picture_renditions", "succeeded")]


@needs_queue
@pytest.mark.django_db(transaction=True)
def test_a_save_that_rolls_back_leaves_no_job(queue):
    with pytest.raises(RuntimeError), transaction.atomic():
        ArticleFactory(headline="Không lưu")
        raise RuntimeError
    assert waiting() == []


@needs_queue
@pytest.mark.django_db(transaction=True)
def test_search_is_indexed_by_the_worker(queue):
    story = ArticleFactory(headline="Tin cũ")
    story.headline = "Hội nghị thượng đỉnh ở Hà Nội"
    story.save()
    found = search.search(Article.objects.published(), "thuong dinh")
    assert story not in found  # not yet: the job waits
    assert waiting("search.index") == [("search.index", "todo")]
    work(queue)
    assert story in search.search(Article.objects.published(), "thuong dinh")


class Edge(http.server.BaseHTTPRequestHandler):
    purged: list[str] = []
    fail = 0

    def do_PURGE(self):
        if Edge.fail:
            Edge.fail -= 1
            self.send_response(503)
        else:
            # an edit's pages soft-purged, a withdrawn story's purged outright
            keys = self.headers[edge.PURGE_HEADER] or self.headers[edge.SOFT_PURGE_HEADER]
            Edge.purged.append(keys)
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@needs_queue
@pytest.mark.django_db(transaction=True)
def test_an_edge_purge_is_a_job_retried_until_the_edge_takes_it(queue, settings):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Edge)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EDGE_CACHE_URL = f"http://127.0.0.1:{server.server_port}/"
    Edge.purged, Edge.fail = [], 1
    try:
        story = ArticleFactory(headline="Tin mới")
        purges = len(waiting("edge.purge"))
        assert purges and set(waiting("edge.purge")) == {("edge.purge", "todo")}
        work(queue)  # the edge answers 503 to the first: it is retried later,
        assert Edge.purged == []  # and the others wait for it, purges keep their order
        with connection.cursor() as cursor:
            cursor.execute("UPDATE procrastinate_jobs SET scheduled_at = now()")
        work(queue)
    finally:
        server.shutdown()
    assert len(Edge.purged) == purges  # each once: none lost, none sent twice
    assert f"article-{story.pk}" in " ".join(Edge.purged).split()
    assert set(waiting("edge.purge")) == {("edge.purge", "succeeded")}


@needs_queue
@pytest.mark.django_db(transaction=True)
def test_the_job_of_a_dead_worker_runs_again_once(queue, settings):
    story = ArticleFactory(image=image_upload(size=(1200, 800)), image_alt="Ảnh")
    with connection.cursor() as cursor:  # a worker took the job, then died
        cursor.execute(
            "INSERT INTO procrastinate_workers (last_heartbeat) "
            "VALUES (now() - interval '1 minute') RETURNING id"
        )
        (dead,) = cursor.fetchone()
        cursor.execute(
            "UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s "
            "WHERE task_name = 'images.picture_renditions'",
            [dead],
        )
    # Every few seconds a worker looks for the jobs of silent ones (jobs.retry_stalled).
    assert async_to_sync(jobs.retry_stalled.func)(SimpleNamespace(app=queue), timestamp=0) == 1
    work(queue)
    story.refresh_from_db()
    assert set(story.image_renditions["webp"]) == {"480", "960", "1200"}
    assert waiting("images.picture_renditions") == [("images.picture_renditions", "succeeded")]
    assert len(stored(settings.MEDIA_ROOT)) == 6  # the original, three copies and two crops


@needs_queue
@pytest.mark.django_db(transaction=True)
def test_stalled_jobs_are_those_of_silent_workers(queue):
    ArticleFactory(headline="Tin")
    stalled = async_to_sync(jobs.retry_stalled.func)
    with connection.cursor() as cursor:
        cursor.execute("INSERT INTO procrastinate_workers DEFAULT VALUES RETURNING id")
        (alive,) = cursor.fetchone()
        cursor.execute("UPDATE procrastinate_jobs SET status = 'doing', worker_id = %s", [alive])
    assert stalled(SimpleNamespace(app=queue), timestamp=0) == 0
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE procrastinate_workers SET last_heartbeat = now() - interval '1 minute'"
        )
    assert stalled(SimpleNamespace(app=queue), timestamp=0) == len(waiting())
    assert {status for _, status in waiting()} == {"todo"}


@needs_queue
@pytest.mark.django_db(transaction=True)
def test_a_job_already_waiting_leaves_the_save_whole(queue):
    """The queue refuses a second waiting job with the same lock: the save that
    asked goes on, in the same transaction, and commits."""
    with transaction.atomic():
        story = ArticleFactory(headline="Một")
        story.headline = "Hai"
        story.save()  # its search job is already waiting
        story.headline = "Ba"
        story.save()
    assert Article.objects.get(pk=story.pk).headline == "Ba"
    assert waiting("search.index") == [("search.index", "todo")]


@needs_queue
@pytest.mark.django_db(transaction=True)
def test_the_desk_s_multi_file_import_is_a_job_on_the_long_lane(queue, client):
    """Files of copy are one import job, on the lane of long jobs: a worker of the
    default lane (purges, indexing, stories going live) never waits behind it."""
    client.force_login(User.objects.create_superuser("bientap", password="x"))
    files = [
        SimpleUploadedFile(path.name, path.read_bytes(), "text/plain")
        for path in (FILE_000, FILE_001, FILE_000)  # one of them twice
    ]
    response = client.post("/admin/articles/article/import/", {"files": files})
    change = BulkChange.objects.get()
    assert response.status_code == 302 and response["Location"] == change.get_absolute_url()
    assert waiting("desk.bulk_change") == [("desk.bulk_change", "todo")]
    assert not Article.objects.exists()
    work(queue, queues=["default"])  # the default lane's worker leaves it
    assert waiting("desk.bulk_change") == [("desk.bulk_change", "todo")]
    work(queue, queues=["long"])
    drafts = Article.objects.filter(wire_fingerprint__isnull=False)
    assert drafts.count() == 2 and {d.created_by.username for d in drafts} == {"bientap"}
    change.refresh_from_db()
    assert (change.done, change.changed, change.unchanged) == (3, 2, 1) and change.finished_at
    page = client.get(change.get_absolute_url()).text
    assert all(d.headline[:30] in page for d in drafts)
    assert not CopyFile.objects.exists()  # each file deleted once read


@pytest.mark.django_db
def test_a_scheduled_story_goes_live_at_its_moment_with_no_reader_asking(monkeypatch):
    """The periodic job (every 15 s on the worker) purges the listings it enters."""
    moment = timezone.now() + datetime.timedelta(minutes=5)
    story = ArticleFactory(status=Article.Status.PUBLISHED, published_at=moment)
    moments.schedule()  # a reader's page was made: it knows the moment to come
    purged = []
    monkeypatch.setattr(moments.store, "purge", lambda keys: purged.append(set(keys)))
    freshness_tasks.go_live(timestamp=0)
    assert purged == []  # not yet
    later = moment + datetime.timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    freshness_tasks.go_live(timestamp=0)
    assert len(purged) == 1 and {"home", f"article-{story.pk}"} <= purged[0]
    freshness_tasks.go_live(timestamp=0)  # once: the next run finds nothing new
    assert len(purged) == 1


@pytest.mark.django_db
def test_renditions_left_for_a_job_are_made_at_the_next_save_without_a_queue(settings, tmp_path):
    """A site that ran with the queue and runs without it: the job runs at once."""
    settings.MEDIA_ROOT = tmp_path
    story = ArticleFactory(image=image_upload(size=(1200, 800)), image_alt="Ảnh")
    Article.objects.filter(pk=story.pk).update(image_renditions={"source": story.image.name})
    story.refresh_from_db()
    story.save()
    story.refresh_from_db()
    assert set(story.image_renditions["webp"]) == {"480", "960", "1200"}


@needs_queue
@pytest.mark.django_db(transaction=True)
def test_a_job_carries_the_id_of_the_request_that_asked_for_it(queue):
    with carried("edge-abcdef12"):
        ArticleFactory(image=image_upload(size=(1200, 800)), image_alt="Ảnh")
    with connection.cursor() as cursor:
        cursor.execute("SELECT DISTINCT args->>'request_id' FROM procrastinate_jobs")
        assert cursor.fetchall() == [("edge-abcdef12",)]
    work(queue)  # and the jobs run with it: the task takes it
    assert set(waiting("images.picture_renditions")) == {("images.picture_renditions", "succeeded")}


@needs_queue
def test_the_worker_survives_its_database_restarting():
    """Procrastinate's worker stops itself when its listener loses the database (a
    primary restarted): ``jobs_worker`` starts it again, and it works on once the
    database is back, with nobody restarting it by hand."""
    import shutil
    import tempfile
    import time

    import psycopg

    from deploy.backup import Instance, free_port, postgres_bin
    from tests.tools import need

    need(
        (postgres_bin() / "initdb").exists(),
        "PostgreSQL's server programs are missing (apt-get install postgresql-15)",
    )
    need(os.geteuid() == 0, "the test starts PostgreSQL as its user: run as root")
    home = Path(tempfile.mkdtemp(prefix="toasoan-worker-", dir="/var/tmp"))
    home.chmod(0o755)  # PostgreSQL's user goes through
    database = Instance(home / "data", free_port())
    database.create({"fsync": "off"})
    database.start()
    worker = None
    try:
        env = {**os.environ, "DATABASE_URL": database.url(), "JOBS_QUEUE": "1", "DEBUG": "1"}
        manage = [sys.executable, "manage.py"]
        subprocess.run([*manage, "migrate", "procrastinate", "-v0"], env=env, check=True)
        worker = subprocess.Popen(  # both lanes, each in a process of its own
            [*manage, "jobs_worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

        def beating_since(moment: float) -> bool:
            """Both lanes' workers have said they are alive since ``moment``."""
            try:
                with psycopg.connect(database.url(), connect_timeout=2) as conn:
                    (beating,) = conn.execute(
                        "SELECT count(*) FROM procrastinate_workers"
                        " WHERE extract(epoch FROM last_heartbeat) > %s",
                        [moment],
                    ).fetchone()
            except psycopg.OperationalError:
                return False
            return beating == 2

        def wait_for(condition, seconds: float) -> bool:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                if condition():
                    return True
                time.sleep(0.5)
            return False

        assert wait_for(lambda: beating_since(0), 30), "the workers never started"
        database.stop()
        time.sleep(3)
        database.start()
        restarted = time.time()
        assert wait_for(lambda: beating_since(restarted + 1), 60), "no workers after the restart"
        assert worker.poll() is None  # the same command, still working
    finally:
        if worker is not None:
            worker.terminate()
            output = worker.communicate(timeout=30)[1]
            print(output[-3000:])
        database.stop()
        shutil.rmtree(home, ignore_errors=True)


@needs_queue
@pytest.mark.django_db(transaction=True)
def test_the_desk_lists_the_queue_in_its_words(queue, client):
    """The jobs waiting, in Vietnamese (articles/admin/jobs.py), not procrastinate's page."""
    from django.contrib.auth.models import User

    from newsroom import jobs

    jobs.defer("desk.notification_emails", ids=[1])
    client.force_login(User.objects.create_superuser("quantri", password="x"))
    page = client.get("/admin/procrastinate/procrastinatejob/").content.decode()
    assert "desk.notification_emails" in page and "chờ chạy" in page
    assert "Task Name" not in page and "Status" not in page
