"""The restore drill (``make restore-drill``): proof that pgBackRest's backups
(deploy/backup.py) bring the archive back, and how fast and how whole.

    python deploy/restore_drill.py [--stories 1000 100000] [--work DIR] [--report FILE]

For each size it makes a primary of its own (a PostgreSQL cluster on a free port,
archiving into a repository of its own under ``/var/tmp/toasoan-drill``), loads
N stories, edits some through the desk's rules (revisions, the desk's log), takes
a full backup, edits more while the desk goes on writing and a mark is made, then
restores the latest backup into a scratch cluster to a moment a few seconds after
the mark and checks that every table matches the source at that moment (row
counts and an md5 of every row's text). Then it kills the primary while it is
written and restores again to the end of what was archived: how much was lost is
the RPO; how long each restore took until the database answered is the RTO.
Results: ``bench/results/restore-drill-latest.md``.
"""

import argparse
import datetime
import hashlib
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
from backup import (
    ARCHIVE_TIMEOUT,
    PY,
    ROOT,
    Instance,
    Repository,
    archive_settings,
    free_port,
    write_config,
)

WORK = Path("/var/tmp/toasoan-drill")
# What the report names, of the tables compared (the drill compares them all).
KEY_TABLES = {
    "stories": "articles_article",
    "revisions": "reversion_version",
    "organizations": "articles_organization",
    "people": "articles_person",
    "events": "articles_event",
    "outcomes": "articles_outcome",
    "tags": "articles_tag",
    "tagged": "articles_taggedarticle",
}
RESULTS = ROOT / "bench" / "results" / "restore-drill-latest.md"


def checksums(url: str) -> dict[str, tuple[int, str]]:
    """Every table of the database: its row count and an md5 over the text of its
    rows (sorted, so the order the rows are stored in does not count)."""
    result = {}
    with psycopg.connect(url) as conn:
        tables = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
        ).fetchall()
        for (table,) in tables:
            count, digest = conn.execute(
                f"SELECT count(*), md5(coalesce(string_agg(md5(t::text), '' "
                f"ORDER BY md5(t::text)), '')) FROM \"{table}\" t"
            ).fetchone()
            result[table] = (count, digest)
    return result


class Writer(threading.Thread):
    """The desk at work: an edit to a story and a tick every 50 ms, each committed
    on its own, the database's time of each kept (``last``); ``paused`` holds it."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.last, self.count, self.failed = url, None, 0, None
        self.paused, self.stopped = threading.Lock(), threading.Event()

    def run(self) -> None:
        try:
            with psycopg.connect(self.url, autocommit=True) as conn:
                while not self.stopped.is_set():
                    with self.paused:
                        conn.execute(
                            "UPDATE articles_article SET body = body || '<p>Cập nhật.</p>', "
                            "updated_at = clock_timestamp() WHERE id = "
                            "(SELECT id FROM articles_article ORDER BY random() LIMIT 1)"
                        )
                        (self.last,) = conn.execute(
                            "INSERT INTO drill_tick DEFAULT VALUES RETURNING at"
                        ).fetchone()
                        self.count += 1
                    time.sleep(0.05)
        except psycopg.OperationalError as error:  # the primary killed under it
            self.failed = error


def desk_edits(url: str, count: int, note: str) -> None:
    """``count`` stories edited through the desk's rules, as an editor in the
    admin would: each a revision (django-reversion) and an entry in the desk's log."""
    env = {**os.environ, "DATABASE_URL": url, "JOBS_QUEUE": "0", "REDIS_URL": ""}
    command = [PY, __file__, "--edit", str(count), "--note", note]
    subprocess.run(command, cwd=ROOT, env=env, check=True)


def edit(count: int, note: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import reversion
    from django.contrib.auth.models import User

    from articles.desk import workflow
    from articles.models import Article

    editor, _ = User.objects.get_or_create(
        username="dien-tap", defaults={"is_staff": True, "is_superuser": True}
    )
    for story in Article.objects.order_by("?")[:count]:
        with reversion.create_revision():
            reversion.set_user(editor)
            reversion.set_comment(note)
            story.sapo = f"{story.sapo} ({note})"
            story.status = Article.Status.PUBLISHED
            workflow.save(story, editor)
            story.tags.add("Diễn tập")


def wait_archived(url: str) -> None:
    """Until the WAL segment holding everything so far is in the repository."""
    with psycopg.connect(url, autocommit=True) as conn:
        (segment,) = conn.execute("SELECT pg_walfile_name(pg_switch_wal())").fetchone()
        for _ in range(600):
            (done,) = conn.execute("SELECT last_archived_wal FROM pg_stat_archiver").fetchone()
            if done and done >= segment:
                return
            time.sleep(0.1)
    raise RuntimeError(f"WAL segment {segment} was not archived in 60 s")


def restore_and_time(
    repository: Repository, scratch: Instance, target: datetime.datetime | None
) -> float:
    """Seconds from the restore's start until the scratch cluster answers, promoted."""
    started = time.monotonic()
    scratch.folder.mkdir(parents=True)
    shutil.chown(scratch.folder, "postgres", "postgres")
    scratch.folder.chmod(0o700)
    repository.restore(scratch.folder, target)
    # Its own port and socket, and no archiving into the source's repository.
    scratch.start("-c archive_mode=off")
    with psycopg.connect(scratch.url(), autocommit=True) as conn:
        for _ in range(36000):
            if not conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
                break
            time.sleep(0.1)
    return time.monotonic() - started


def drill(stories: int, work: Path = WORK) -> dict:
    print(f"== restore drill at {stories} stories ({work})", flush=True)
    teardown(work)
    work.mkdir(parents=True)
    shutil.chown(work, "postgres", "postgres")
    config = work / "pgbackrest.conf"
    source = Instance(work / "source", free_port())
    write_config(config, work / "repo", source)
    repository = Repository(config)
    source.create(
        archive_settings(config)
        | {"shared_buffers": "'256MB'", "max_wal_size": "'4GB'", "max_wal_senders": "0"}
    )
    source.start()
    with psycopg.connect(source.url(), autocommit=True) as conn:
        conn.execute("CREATE DATABASE toasoan")
    url = source.url("toasoan")
    env = {**os.environ, "DATABASE_URL": url, "JOBS_QUEUE": "0", "REDIS_URL": ""}
    manage = [PY, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "loaddata", "seed", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run(
        [*manage, "seed_demo", "--stories", str(stories - 2)],  # and the two seed stories
        cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE drill_tick (n serial PRIMARY KEY, at timestamptz "
                     "NOT NULL DEFAULT clock_timestamp())")  # fmt: skip
        (size,) = conn.execute("SELECT pg_database_size('toasoan')").fetchone()
    desk_edits(url, 100, "trước bản sao")
    repository.run("stanza-create", stdout=subprocess.DEVNULL)
    repository.run("check", stdout=subprocess.DEVNULL)

    started = time.monotonic()
    repository.backup("full")
    backup_seconds = time.monotonic() - started
    print(f"  full backup of {size / 2**20:.0f} MB in {backup_seconds:.1f} s", flush=True)

    desk_edits(url, 100, "sau bản sao")  # in the WAL replayed, not in the base copy
    writer = Writer(url)
    writer.start()
    time.sleep(2)
    token = hashlib.sha1(os.urandom(8)).hexdigest()[:8]
    with psycopg.connect(url, autocommit=True) as conn:
        (marked_at,) = conn.execute(
            "INSERT INTO articles_tag (name, slug) VALUES (%s, %s) RETURNING clock_timestamp()",
            (f"Dấu diễn tập {token}", f"dau-dien-tap-{token}"),
        ).fetchone()
        time.sleep(3)  # the desk goes on writing
        with writer.paused:
            (target,) = conn.execute("SELECT clock_timestamp()").fetchone()
            time.sleep(0.2)
            expected = checksums(url)  # nothing writes: the source as it was at `target`
        conn.execute(
            "INSERT INTO articles_tag (name, slug) VALUES (%s, %s)",
            (f"Sau mốc {token}", f"sau-moc-{token}"),
        )
    time.sleep(2)
    wait_archived(url)

    scratch = Instance(work / "scratch", free_port())
    rto_pitr = restore_and_time(repository, scratch, target)
    restored = checksums(scratch.url("toasoan"))
    mismatched = sorted(t for t in expected.keys() | restored.keys()
                        if expected.get(t) != restored.get(t))  # fmt: skip
    with psycopg.connect(scratch.url("toasoan")) as conn:
        tags = {n for (n,) in conn.execute("SELECT name FROM articles_tag WHERE name LIKE %s",
                                           (f"%{token}",))}  # fmt: skip
    scratch.stop()
    shutil.rmtree(scratch.folder)
    print(f"  restored to {target:%H:%M:%S.%f} ({(target - marked_at).total_seconds():.1f} s "
          f"after the mark) in {rto_pitr:.1f} s: {len(expected)} tables, "
          f"{len(mismatched)} differ", flush=True)  # fmt: skip

    # The primary lost while the desk writes: what the repository still has.
    time.sleep(3 + ARCHIVE_TIMEOUT * os.urandom(1)[0] / 255)
    if not writer.is_alive():  # else the last write kept would not be the last made
        raise RuntimeError(f"the writer stopped before the primary was killed: {writer.failed}")
    source.kill()
    writer.stopped.set()
    writer.join(5)
    last_written = writer.last
    rto_latest = restore_and_time(repository, scratch, None)
    with psycopg.connect(scratch.url("toasoan")) as conn:
        (last_restored,) = conn.execute("SELECT max(at) FROM drill_tick").fetchone()
    scratch.stop()
    rpo = (last_written - last_restored).total_seconds()
    print(f"  primary killed: restored to the end of the archive in {rto_latest:.1f} s; "
          f"lost {rpo:.1f} s of writes", flush=True)  # fmt: skip
    stories_restored = restored.get("articles_article", (0, ""))[0]
    result = {
        "stories": stories,
        "stories_restored": stories_restored,
        "database_mb": round(size / 2**20),
        "backup_s": round(backup_seconds, 1),
        "target_after_mark_s": round((target - marked_at).total_seconds(), 1),
        "tables": len(expected),
        "rows": {name: expected.get(table, (0,))[0] for name, table in KEY_TABLES.items()},
        "mismatched": mismatched,
        "mark_restored": f"Dấu diễn tập {token}" in tags,
        "after_target_absent": f"Sau mốc {token}" not in tags,
        "rto_pitr_s": round(rto_pitr, 1),
        "rto_latest_s": round(rto_latest, 1),
        "rpo_s": round(rpo, 1),
        "writes": writer.count,
    }
    result["passed"] = (
        not mismatched
        and result["mark_restored"]
        and result["after_target_absent"]
        and stories_restored == stories
        and rpo <= ARCHIVE_TIMEOUT + 5
    )
    teardown(work)
    return result


def teardown(work: Path) -> None:
    for name in ("source", "scratch"):
        Instance(work / name, 0).stop()
    shutil.rmtree(work, ignore_errors=True)


def report(results: list[dict]) -> str:
    rows = "".join(
        f"| {r['stories']:,} | {r['database_mb']} | {r['backup_s']} | {r['tables']} | "
        f"{len(r['mismatched'])} | {'yes' if r['mark_restored'] else 'NO'} / "
        f"{'yes' if r['after_target_absent'] else 'NO'} | {r['rto_pitr_s']} | "
        f"{r['rto_latest_s']} | {r['rpo_s']} | {'pass' if r['passed'] else 'FAIL'} |\n"
        for r in results
    )
    return (
        f"# Restore drill, {time.strftime('%Y-%m-%d %H:%M')}\n\n"
        "`make restore-drill` (deploy/restore_drill.py): pgBackRest full backup, WAL archived with "
        f"archive_timeout = {ARCHIVE_TIMEOUT} s; restored into a scratch cluster.\n\n"
        "| stories | database MB | full backup s | tables compared | differing | mark in / "
        "later write out | RTO to a moment s | RTO to the end s | RPO (lost) s | |\n"
        "| ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- |\n"
        + rows
        + "\nRows compared (of every table; these by name):\n\n"
        + "".join(
            f"- {r['stories']:,} stories: "
            + ", ".join(f"{n:,} {name}" for name, n in r["rows"].items())
            + "\n"
            for r in results
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--stories", type=int, nargs="+", default=[1000, 100000])
    parser.add_argument("--work", type=Path, default=WORK, help="emptied, then removed")
    parser.add_argument("--report", type=Path, default=RESULTS)
    parser.add_argument("--edit", type=int, help=argparse.SUPPRESS)  # the desk, in its own process
    parser.add_argument("--note", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.edit is not None:
        edit(args.edit, args.note)
        return
    results = [drill(n, args.work.resolve()) for n in args.stories]
    text = report(results)
    args.report.write_text(text)
    print("\n" + text)
    sys.exit(0 if all(r["passed"] for r in results) else 1)


if __name__ == "__main__":
    main()
