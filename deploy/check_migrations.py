"""Every new migration must work with the code before it, which keeps running on
the servers not yet deployed (README, "Deploys without downtime"): no column
renamed or dropped, none added NOT NULL without a database default, no table
renamed, nothing the old code still reads taken away in the same deploy.

Checked with django-migration-linter on the SQL each migration runs (on the
database of DATABASE_URL: PostgreSQL in CI). The migrations made before the rule
(``BEFORE_THE_RULE``, all deployed long since) are not checked; a new one that
breaks the rule fails, and is split instead: add, deploy, then remove.

    DATABASE_URL=postgres://… .venv/bin/python deploy/check_migrations.py [--all]
"""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = ["articles"]  # the project's own: the libraries' migrations are theirs
# Made before the rule, each deployed with its code at once.
BEFORE_THE_RULE = [
    "0005_search",
    "0011_countries_and_commitments",
    "0013_wire_import",
    "0015_shared_as",
    "0018_english_names",
    "0019_translations",
]


def lint(ignore: list[str]) -> bool:
    """True when every migration checked keeps the code before it working."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.db import connection
    from django_migration_linter import MigrationLinter

    if connection.vendor != "postgresql":
        # SQLite rebuilds a table for most changes: the rule is the production database's
        raise SystemExit("Checked on PostgreSQL: set DATABASE_URL=postgres://…")

    linter = MigrationLinter(
        str(ROOT), include_apps=APPS, ignore_name=ignore, no_cache=True, analyser_string=None
    )
    linter.lint_all_migrations()
    linter.print_summary()
    return not linter.has_errors


if __name__ == "__main__":
    sys.exit(0 if lint([] if "--all" in sys.argv else BEFORE_THE_RULE) else 1)
