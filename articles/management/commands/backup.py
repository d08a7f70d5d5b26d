"""A backup of the embedded default: the SQLite database copied with SQLite's
online-backup API (consistent while the site goes on writing), the media beside
it, and a manifest of what was copied. PostgreSQL is backed up by pgBackRest
(``make backup``, ``deploy/backup.py``), which also keeps the WAL between backups.
"""

import json
import shutil
import sqlite3
import time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from newsroom.storage import keep_versions


class Command(BaseCommand):
    help = "Back up the SQLite database and the media into PATH (a new or empty folder)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if connection.vendor != "sqlite":
            raise CommandError(
                f"The database is {connection.vendor}: it is backed up by pgBackRest "
                "(make backup, deploy/backup.py), not by this command."
            )
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise CommandError(f"{path} exists and is not an empty folder: give a new one.")
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise CommandError(f"{path} cannot be made: {error.strerror}") from None
        started = time.monotonic()
        target = path / "db.sqlite3"
        connection.ensure_connection()
        with sqlite3.connect(target) as copy:
            connection.connection.backup(copy)
            tables = {
                name: copy.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                for (name,) in copy.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
                )
            }
            (check,) = copy.execute("PRAGMA integrity_check").fetchone()
        copy.close()
        if check != "ok":
            raise CommandError(f"The copy in {target} fails SQLite's integrity check: {check}")
        media = self.copy_media(path / "media")
        manifest = {
            "taken_at": timezone.now().isoformat(),
            "database": target.name,
            "rows": tables,
            "media": media,
        }
        (path / "manifest.json").write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
        stories = tables.get("articles_article", 0)
        self.stdout.write(
            f"Backed up {stories} stories ({len(tables)} tables) and {media['files']} media "
            f"files into {path} in {time.monotonic() - started:.1f} s."
        )

    def copy_media(self, target: Path) -> dict:
        if keep_versions(default_storage):
            self.stdout.write("Media are in object storage, kept there with their versions.")
            return {"files": 0, "versioned_bucket": True}
        root = Path(settings.MEDIA_ROOT)
        if root.is_dir():
            shutil.copytree(root, target)
        files = sum(1 for f in target.rglob("*") if f.is_file()) if target.exists() else 0
        return {"files": files, "versioned_bucket": False}
