"""End to end against the cluster ``make cluster`` runs (deploy/cluster.py), as
readers, a reporter and an editor use it over HTTP, then with one part at a
time stopped. ``make cluster-check``; never part of the suite."""

import re
import subprocess
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import requests

from tests.cluster.tools import (
    DOWN_NOTICE,
    EDGE,
    ENV,
    HOME,
    NODES,
    ROOT,
    STORE,
    get,
    part,
    picture,
    prometheus,
    save_form,
    sign_in,
    sql,
    story_row,
    unique,
    until,
    write_story,
)


@pytest.fixture(scope="module")
def published(reporter, editor):
    """A reporter writes with a picture, an editor publishes."""
    headline = f"Tin thử cụm máy {unique()}"
    assert write_story(reporter, headline, picture()).status_code == 302
    pk, slug, image, _ = story_row(headline)
    response = save_form(editor, f"/admin/articles/article/{pk}/change/", move="publish")
    assert response.status_code == 302, response.text[:2000]
    return {"pk": pk, "headline": headline, "path": f"/tin/{slug}/", "image": image}


def test_the_story_appears_through_the_edge_and_on_both_nodes(published):
    for base in (EDGE, *NODES):
        response = get(base + published["path"])
        assert response.status_code == 200 and published["headline"] in response.text, base


def test_its_picture_is_served_from_object_storage(published):
    page = get(EDGE + published["path"]).text
    source = f"{STORE}/{published['image']}"
    assert f'src="{source}"' in page
    response = get(source)
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"


def test_the_worker_makes_its_renditions_and_the_edge_is_purged(published):
    def renditions_shown():
        """the story's page, through the edge, offers the WebP renditions"""
        return (
            f'srcset="{STORE}/renditions/{published["image"]}/'
            in get(EDGE + published["path"]).text
        )

    until(renditions_shown, 60)
    for url in re.findall(
        rf"({STORE}/renditions/[^ \"]+\.webp)", get(EDGE + published["path"]).text
    ):
        assert get(url).headers["Content-Type"] == "image/webp"


def test_an_edit_is_seen_through_the_edge_at_once(published, editor):
    for _ in range(2):
        response = get(EDGE + "/")
    assert response.headers["X-Cache"] == "HIT"
    headline = f"Tin đã sửa {unique()}"
    change = f"/admin/articles/article/{published['pk']}/change/"
    assert save_form(editor, change, headline=headline).status_code == 302

    def shown():
        """the new headline on the home page and the story's, through the edge"""
        return all(headline in get(EDGE + path).text for path in ("/", published["path"]))

    until(shown, 10)
    published["headline"] = headline


# Faults: one part stopped at a time, and started again.


def searches(base: str, count: int) -> list[int]:
    """Readers' pages the caches cannot have: each reads the database."""
    return [get(f"{base}/tim-kiem/?q=hoa+ky+{unique()}").status_code for _ in range(count)]


def test_prometheus_scrapes_every_part_and_no_alert_fires(published):
    def all_up():
        """Prometheus scrapes both app servers, the worker and the edge's exporter"""
        targets = prometheus("targets")["activeTargets"]
        return len(targets) == 4 and all(t["health"] == "up" for t in targets)

    until(all_up, 60, 1)
    rules = [r["name"] for g in prometheus("rules")["groups"] for r in g["rules"]]
    assert {"ServerErrors", "ReplicaLagging", "JobBacklog", "EdgePurgesFailing"} <= set(rules)
    assert {"BackupTooOld", "WalArchiveFailing"} <= set(rules)

    def scraped(query: str):
        return prometheus("query", query=query)["result"]

    until(lambda: scraped("varnish_main_cache_hit"), 30, 1)
    until(lambda: scraped("toasoan_page_cache_requests_total"), 30, 1)
    assert {r["metric"]["instance"] for r in scraped("toasoan_replica_up == 1")} == {
        "127.0.0.1:8001",
        "127.0.0.1:8002",
    }
    (age,) = scraped("time() - max(toasoan_backup_last_success_timestamp_seconds)")
    assert float(age["value"][1]) < 3600  # the full backup make cluster took
    firing = [a["labels"]["alertname"] for a in prometheus("alerts")["alerts"]
              if a["state"] == "firing"]  # fmt: skip
    assert firing == []
    # Prometheus asks the app servers; readers asking the edge get nothing.
    assert requests.get(NODES[0] + "/metrics", timeout=10).status_code == 200
    assert requests.get(EDGE + "/metrics", timeout=10).status_code == 404


def test_a_backup_of_the_cluster_restores_to_a_moment_after_a_marked_write(published):
    import sys

    sys.path.insert(0, str(ROOT / "deploy"))
    from backup import Instance, Repository, free_port
    from restore_drill import restore_and_time, wait_archived

    config = ENV["PGBACKREST_CONFIG"]
    done = subprocess.run(
        ["make", "backup", f"PGBACKREST_CONFIG={config}"], cwd=ROOT,
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    repository = Repository(Path(config))
    kinds = [b["type"] for b in repository.info()["backup"]]
    assert kinds[0] == "full" and kinds[-1] == "diff"
    mark = f"Dấu sao lưu {uuid.uuid4().hex[:8]}"
    sql("INSERT INTO articles_tag (name, slug) VALUES (%s, %s) RETURNING id", mark, mark)
    time.sleep(2)
    ((target, stories),) = sql("SELECT clock_timestamp(), count(*) FROM articles_article")
    time.sleep(1)
    later = f"Sau dấu {uuid.uuid4().hex[:8]}"
    sql("INSERT INTO articles_tag (name, slug) VALUES (%s, %s) RETURNING id", later, later)
    wait_archived(ENV["DATABASE_URL"])
    scratch = Instance(Path("/var/tmp/toasoan-cluster/restored"), free_port())
    try:
        restore_and_time(repository, scratch, target)
        url = scratch.url(ENV["DATABASE_URL"].rsplit("/", 1)[1])
        with psycopg.connect(url) as restored:
            tags = {n for (n,) in restored.execute("SELECT name FROM articles_tag")}
            (count,) = restored.execute("SELECT count(*) FROM articles_article").fetchone()
    finally:
        scratch.stop()
        subprocess.run(["rm", "-rf", str(scratch.folder), str(scratch.socket)], check=True)
    assert mark in tags and later not in tags
    assert count == stories


def test_the_replica_stops_and_reads_fall_back_to_the_primary(published):
    part("stop", "replica")
    try:
        for base in NODES:
            assert set(searches(base, 10)) == {200}
            assert get(base + published["path"]).status_code == 200
    finally:
        part("start", "replica")
    assert set(searches(EDGE, 5)) == {200}


def test_one_app_node_stops_and_the_edge_routes_around_it():
    part("stop", "app2")
    try:
        assert set(searches(EDGE, 40)) == {200}  # not one failed reader request
        assert get(EDGE + "/").status_code == 200
    finally:
        part("start", "app2")
    assert set(searches(NODES[1], 3)) == {200}


def test_redis_stops_pages_render_uncached_and_sign_in_throttling_holds(published):
    username, password = f"khach{unique()}", f"mk-{uuid.uuid4().hex}"
    manage = [str(ROOT / ".venv/bin/python"), "manage.py"]
    subprocess.run(
        [*manage, "createsuperuser", "--noinput", "--username", username, "--email", ""],
        cwd=ROOT,
        env={**ENV, "PATH": "/usr/bin:/bin", "DJANGO_SUPERUSER_PASSWORD": password},
        check=True,
        capture_output=True,
    )
    part("stop", "redis")
    try:
        for base in NODES:
            for path in ("/", published["path"], "/tin-moi/", "/rss/", f"/tim-kiem/?q={unique()}"):
                assert get(base + path).status_code == 200, base + path
        # Attempts are counted in PostgreSQL (django-axes), not in Redis: the lock holds.
        for _ in range(5):
            sign_in(username, "sai-mat-khau", base=NODES[0])
        locked = sign_in(username, password, base=NODES[0])
        assert locked.get(NODES[0] + "/admin/", allow_redirects=False).status_code == 302
    finally:
        part("start", "redis")
    assert get(NODES[0] + "/").status_code == 200


def test_object_storage_stops_uploads_are_refused_and_nothing_stored_is_lost(published, reporter):
    part("stop", "store")
    try:
        response = write_story(reporter, f"Tin khi kho ảnh tắt {unique()}", picture())
        assert response.status_code == 200 and DOWN_NOTICE in response.text
        for base in (EDGE, *NODES):
            assert get(base + published["path"]).status_code == 200
    finally:
        part("start", "store")
    response = get(f"{STORE}/{published['image']}")
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"


def test_the_worker_dies_in_the_middle_of_a_job_is_back_by_itself_and_runs_it_once(reporter):
    headline = f"Tin ảnh lớn {unique()}"
    assert write_story(reporter, headline, picture((6000, 4000))).status_code == 302
    _, _, image, _ = story_row(headline)

    def taken():
        """the worker has begun the picture's renditions"""
        return sql(
            "SELECT 1 FROM procrastinate_jobs WHERE task_name = 'images.renditions'"
            " AND status = 'doing' AND args->>'source' = %s",
            image,
        )

    until(taken, 30, every=0.02)
    before = (HOME / "worker-long.main.pid").read_text()
    part("kill", "worker-long")  # SIGKILL: no chance to finish or to give the job back
    assert "webp" not in story_row(headline)[3]

    def made():
        """its renditions made, by the long lane's worker started again by itself"""
        return "webp" in story_row(headline)[3]

    until(made, 60)
    renditions = story_row(headline)[3]["webp"]
    assert set(renditions) == {"480", "960", "1600"}
    for name in renditions.values():
        assert get(f"{STORE}/{name}").status_code == 200
    assert (HOME / "worker-long.main.pid").read_text() != before
    log = (HOME / "worker-long.log").read_text(errors="replace")
    job = rf"Job images\.renditions\[\d+\]\([^)]*'{re.escape(image)}'[^)]*\)"
    assert len(re.findall(rf"Starting job {job[4:]}", log)) == 2  # begun, killed, begun again
    assert len(re.findall(rf"{job} ended with status: Success", log)) == 1
