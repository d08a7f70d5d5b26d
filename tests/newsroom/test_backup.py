"""``manage.py backup PATH``: the embedded default's database, copied with
SQLite's online-backup API, and its media. (PostgreSQL's backups, pgBackRest's,
are proven by ``make restore-drill``: deploy/backup.py.)"""

import json
import sqlite3

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import ArticleFactory

pytestmark = pytest.mark.tools

sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the command copies SQLite; PostgreSQL has pgBackRest"
)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_backup_copies_every_row_and_the_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    stories = ArticleFactory.create_batch(3, status="published")
    stories[0].headline = "Hợp tác năng lượng Việt Nam – Hoa Kỳ"
    stories[0].save()
    default_storage.save("images/anh.jpg", ContentFile(b"\xff\xd8 a picture"))

    call_command("backup", str(tmp_path / "backup"))

    copy = sqlite3.connect(tmp_path / "backup" / "db.sqlite3")
    headlines = {h for (h,) in copy.execute("SELECT headline FROM articles_article")}
    assert headlines == {s.headline for s in stories}
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    copy.close()
    assert (tmp_path / "backup/media/images/anh.jpg").read_bytes() == b"\xff\xd8 a picture"
    manifest = json.loads((tmp_path / "backup/manifest.json").read_text())
    assert manifest["rows"]["articles_article"] == 3
    assert manifest["media"] == {"files": 1, "versioned_bucket": False}


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_backup_holds_what_other_connections_committed(settings, tmp_path):
    """The copy is read through SQLite's backup API, not from the command's own
    connection's view: what another process (an app server) committed is in it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    ArticleFactory.create_batch(20, status="published")
    other = sqlite3.connect(connection.settings_dict["NAME"])
    other.execute("UPDATE articles_article SET headline = headline || ' (sửa)'")
    other.commit()
    other.close()
    call_command("backup", str(tmp_path / "b"))
    copy = sqlite3.connect(tmp_path / "b" / "db.sqlite3")
    edited = copy.execute(
        "SELECT count(*) FROM articles_article WHERE headline LIKE '%(sửa)'"
    ).fetchone()[0]
    copy.close()
    assert edited == 20


@sqlite_only
@pytest.mark.django_db
def test_backup_refuses_to_write_over_something(tmp_path):
    (tmp_path / "old").mkdir()
    (tmp_path / "old" / "db.sqlite3").write_text("an earlier backup")
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("backup", str(tmp_path / "old"))
    assert (tmp_path / "old" / "db.sqlite3").read_text() == "an earlier backup"


@sqlite_only
@pytest.mark.django_db
def test_backup_into_a_folder_it_cannot_make_says_so(tmp_path):
    (tmp_path / "a-file").write_text("")
    with pytest.raises(CommandError, match="cannot be made"):
        call_command("backup", str(tmp_path / "a-file" / "backup"))


@pytest.mark.postgres(reason="PostgreSQL's answer")
@pytest.mark.django_db
def test_backup_on_postgresql_points_to_pgbackrest(tmp_path):
    with pytest.raises(CommandError, match="pgBackRest"):
        call_command("backup", str(tmp_path / "b"))
    assert not (tmp_path / "b").exists()


@pytest.mark.postgres(reason="pgBackRest's drill runs with the PostgreSQL suite")
def test_the_restore_drill_passes(tmp_path):
    """``make restore-drill`` at a few stories: a primary of its own backed up by
    pgBackRest, restored to a moment after a marked write and to the end of its
    archive once killed; every table compared."""
    import os
    import shutil
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from tests.tools import ROOT, need

    need(
        shutil.which("pgbackrest") is not None, "pgBackRest is missing: apt-get install pgbackrest"
    )
    need(
        any(Path("/usr/lib/postgresql").glob("*/bin/initdb")),
        "PostgreSQL's server is missing: apt-get install postgresql-15",
    )
    need(os.geteuid() == 0, "the drill starts PostgreSQL as its user: run as root")
    work = Path(tempfile.mkdtemp(prefix="toasoan-drill-", dir="/var/tmp"))
    work.chmod(0o755)  # PostgreSQL's user goes through
    try:
        done = subprocess.run(
            [sys.executable, "deploy/restore_drill.py", "--stories", "40",
             "--work", str(work / "drill"), "--report", str(tmp_path / "report.md")],
            cwd=ROOT, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
    finally:
        shutil.rmtree(work, ignore_errors=True)
    assert done.returncode == 0, done.stdout + done.stderr
    report = (tmp_path / "report.md").read_text()
    assert "| 40 |" in report and "| pass |" in report
    assert " 0 | yes / yes |" in report  # no table differs; the mark in, the later write out
