"""Deploys without downtime: each new migration must work with the code before
it (deploy/check_migrations.py, run in CI); the check itself bites."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.tools,
    pytest.mark.postgres(reason="the rule is checked on PostgreSQL, as in CI"),
]
SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "check_migrations.py"


def check(*args: str) -> subprocess.CompletedProcess:
    """The script on the test database (it reads which migrations are applied)."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_migrations_since_the_rule_keep_the_code_before_them_working(db):
    done = check()
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Erroneous migrations: 0/" in done.stdout


def test_a_migration_that_renames_and_drops_columns_is_refused(db):
    """Without the list of migrations made before the rule, the check fails on
    the one that renamed and dropped the country columns."""
    done = check("--all")
    assert done.returncode == 1
    assert "(articles, 0011_countries_and_commitments)... ERR" in done.stdout
    assert "RENAMING columns" in done.stdout and "DROPPING columns" in done.stdout
