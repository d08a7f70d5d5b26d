"""Conditions whose plan stays bounded whatever PostgreSQL's statistics say.

Right after a bulk load, before anything has analysed it, PostgreSQL takes a
table of 100,000 stories for a few rows, and plans ``pk IN (SELECT … LIMIT 300)``
as one run of the subquery per row of the outer query: minutes. Asked as
``pk = ANY(ARRAY(SELECT …))`` the subquery is run once (an InitPlan), first.
"""

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, connections, transaction
from django.db.models import BooleanField, F, Func, Q, QuerySet


class _IsAny(Func):
    """``value = ANY(array)``."""

    template = "(%(expressions)s))"
    arg_joiner = " = ANY("
    output_field = BooleanField()


def among(field: str, ids: QuerySet) -> Func | Q:
    """A condition: ``field`` is one of the values ``ids`` (a query of one column,
    often sliced) gives, its query run once; ``IN`` on SQLite."""
    if connection.vendor != "postgresql":
        return Q(**{f"{field}__in": ids})
    from django.contrib.postgres.expressions import ArraySubquery

    return _IsAny(F(field), ArraySubquery(ids))


@contextmanager
def joins_in_written_order(using: str) -> Iterator[None]:
    """Plan the block's queries with their joins in the order written: a query of
    many outer joins (``select_related`` of many optional relations: the tracker's
    ten tables) is otherwise planned for longer than it runs (17 ms to plan, 10 to
    run at 100k stories)."""
    with _planned_with(using, "join_collapse_limit", "1"):
        yield


@contextmanager
def read_through_indexes(using: str) -> Iterator[None]:
    """Plan the block's queries to read a table through its indexes, never whole:
    a query that stops after its first rows (a ``LIMIT`` with no order) is
    otherwise planned, when the statistics expect many matches, as a pass over the
    table until enough are found, each row's text read to test it."""
    with _planned_with(using, "enable_seqscan", "off"):
        yield


@contextmanager
def _planned_with(using: str, setting: str, value: str) -> Iterator[None]:
    """The block planned with ``setting`` at ``value``: set for the block alone
    (``SET LOCAL``, in the transaction it is in, or one of its own, set back
    after it; a transaction rolled back undoes it too), on the driver's cursor,
    so that it is not counted among the page's queries (nor a savepoint).
    Nothing elsewhere than PostgreSQL."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    own = contextlib.nullcontext() if connection.in_atomic_block else transaction.atomic(using)
    with own:
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            cursor.execute("SELECT current_setting(%s), set_config(%s, %s, true)",
                           [setting, setting, value])  # fmt: skip
            before = cursor.fetchone()[0]
        try:
            yield
        finally:  # in a transaction a failure aborted, its rollback undoes it instead
            with contextlib.suppress(Exception), connection.connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, true)", [setting, before])
