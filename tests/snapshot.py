"""Rows a fixture writes, recorded once and written again for each later test.

The first test that asks for a fixture loads it as the project would (``loaddata``
with every signal handler running) and records each row that loading added, in
every table. Later tests in the same transaction-wrapped state get those rows
inserted directly, in a savepoint; should that fail (a row a test made first holds
the same key), the fixture is loaded the slow way instead. A test that changed the
rows the record depends on (a flush) calls ``forget``."""

from collections.abc import Callable

from django.db import connection, transaction
from django.db.utils import DatabaseError

_recorded: dict[str, tuple[str, dict[str, list]]] = {}


def _tables() -> list[str]:
    return [
        name for name in connection.introspection.table_names() if not name.startswith("sqlite_")
    ]


def _rows(table: str) -> list:
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT row_to_json(t)::text FROM {quoted} t")
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT * FROM {quoted}")
        return [tuple(row) for row in cursor.fetchall()]


def _state() -> dict[str, list]:
    return {table: _rows(table) for table in _tables()}


def _numbering() -> str:
    """What the recorded rows' references to content types rely on."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app_label, model FROM django_content_type ORDER BY id")
        return repr(cursor.fetchall())


def _insert(table: str, rows: list) -> None:
    quoted = connection.ops.quote_name(table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rows_of = f"json_populate_recordset(NULL::{quoted}, %s::json)"
            given = "[" + ",".join(rows) + "]"
            cursor.execute(f"INSERT INTO {quoted} SELECT * FROM {rows_of}", [given])
        else:
            marks = ", ".join(["%s"] * len(rows[0]))
            cursor.executemany(f"INSERT INTO {quoted} VALUES ({marks})", rows)


def load(name: str, loader: Callable[[], None]) -> None:
    """Run ``loader`` the first time (recording what it adds), then write its rows again."""
    if not connection.in_atomic_block:  # a test that commits: nothing to roll back into
        loader()
        return
    numbering = _numbering()
    recorded = _recorded.get(name)
    if recorded and recorded[0] == numbering:
        try:
            with transaction.atomic():
                for table, rows in recorded[1].items():
                    _insert(table, rows)
            return
        except DatabaseError:
            pass
    before = _state()
    loader()
    after = _state()
    added = {}
    for table, rows in after.items():
        kept = set(before.get(table, ()))
        if not kept <= set(rows):  # the loader changed or removed rows: not replayable
            return
        if new := [row for row in rows if row not in kept]:
            added[table] = new
    _recorded[name] = (numbering, added)


def forget() -> None:
    _recorded.clear()
