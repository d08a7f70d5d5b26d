"""Conditions whose plan stays bounded whatever PostgreSQL's statistics say.

Right after a bulk load, before anything has analysed it, PostgreSQL takes a
table of 100,000 stories for a few rows, and plans ``pk IN (SELECT … LIMIT 300)``
as one run of the subquery per row of the outer query: minutes. Asked as
``pk = ANY(ARRAY(SELECT …))`` the subquery is run once (an InitPlan), first.
"""

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
    run at 100k stories). Set for the block alone (``SET LOCAL`` in its transaction,
    set back after it: a savepoint's release would keep it, its rollback undoes
    it), on the driver's cursor, so that it is not counted among the page's queries."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(using=using):
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            cursor.execute("SHOW join_collapse_limit")
            before = int(cursor.fetchone()[0])
            cursor.execute("SET LOCAL join_collapse_limit = 1")
        yield
        with connection.connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL join_collapse_limit = {before}")
