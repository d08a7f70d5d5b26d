"""Rows written in bulk, for loads of many thousands of stories (``seed_demo``).

PostgreSQL reads them with ``COPY``, which parses no SQL per row and binds no
parameters: at 100,000 stories and a million link rows, ``bulk_create``'s
compiling and parameter binding cost more than the database's writing.
Elsewhere (SQLite) an ``executemany``. Neither calls ``save()`` nor sends
signals, as ``bulk_create`` does not.
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import DatabaseError, connection, models, transaction

# For the transaction that loads (PostgreSQL): search vectors' index entries go
# to GIN's pending list and are merged in bulk, not one story at a time; a load
# that stops half-way is run again, so no commit waits for the disk.
LOADING = {"gin_pending_list_limit": "64MB", "synchronous_commit": "off"}


@contextmanager
def loading() -> Iterator[None]:
    """Settings for the transaction around a bulk load, put back at its end.

    Where the database allows it (a superuser, or ``GRANT SET ON PARAMETER
    session_replication_role``), foreign keys are not checked row by row, as
    ``pg_restore --disable-triggers`` does: each row a load writes points at
    rows it read or made, and the checks are most of the database's work (a
    story has a dozen link rows, each with two keys). Elsewhere they run."""
    if connection.vendor != "postgresql":
        yield
        return
    names = [*LOADING, "session_replication_role"]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(['current_setting(%s)'] * len(names))}", names)
        before = dict(zip(names, cursor.fetchone(), strict=True))
        for name, value in LOADING.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])
        try:
            with transaction.atomic():
                cursor.execute("SELECT set_config('session_replication_role', 'replica', true)")
        except DatabaseError:
            del before["session_replication_role"]  # not allowed (nor back): checked
    yield  # after an error the transaction rolls back, and the settings with it
    with connection.cursor() as cursor:
        for name, value in before.items():
            cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def new_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys for new rows of ``model``, taken from its sequence
    (PostgreSQL), or past its largest (SQLite: one writer at a time)."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        last = cursor.fetchone()[0]
    return list(range(last + 1, last + 1 + count))


def rows_of(objects: Iterable[models.Model]) -> tuple[list[str], list[tuple]]:
    """Every concrete column of unsaved ``objects`` (their primary keys set), and
    their values as ``save()`` would write them."""
    objects = list(objects)
    if not objects:
        return [], []
    fields = objects[0]._meta.concrete_fields
    values = [
        tuple(field.get_db_prep_save(field.pre_save(obj, True), connection) for field in fields)
        for obj in objects
    ]
    return [field.column for field in fields], values


def insert(table: str | type[models.Model], columns: Sequence[str], rows: Iterable[tuple]) -> None:
    """Write ``rows`` (values of ``columns``, in order) into ``table``."""
    if not isinstance(table, str):
        table = table._meta.db_table
    quote = connection.ops.quote_name
    into = f"{quote(table)} ({', '.join(quote(column) for column in columns)})"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {into} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {into} VALUES ({marks})", list(rows))


def analyze(*loaded: type[models.Model] | str) -> None:
    """Give the planner statistics of what a load wrote (PostgreSQL's ``ANALYZE``):
    before autovacuum reaches them, or where it is off, a table loaded in bulk
    looks empty, and plans made for a few rows run for minutes on thousands.
    Each table named or of a model in ``loaded``, with the models' many-to-many
    links; SQLite plans without them."""
    if connection.vendor != "postgresql":
        return
    tables = {t for t in loaded if isinstance(t, str)}
    for model in (m for m in loaded if not isinstance(m, str)):
        tables.add(model._meta.db_table)
        tables |= {f.remote_field.through._meta.db_table for f in model._meta.local_many_to_many}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {', '.join(quote(t) for t in sorted(tables))}")
