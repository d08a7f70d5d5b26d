"""Conditions whose plan stays bounded whatever PostgreSQL's statistics say.

Right after a bulk load, before anything has analysed it, PostgreSQL takes a
table of 100,000 stories for a few rows, and plans ``pk IN (SELECT … LIMIT 300)``
as one run of the subquery per row of the outer query: minutes. Asked as
``pk = ANY(ARRAY(SELECT …))`` the subquery is run once (an InitPlan), first.
"""

from django.db import connection
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
