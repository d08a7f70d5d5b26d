"""Queries planned so that they stay bounded whatever PostgreSQL's statistics say
(articles/models/bounded.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models.bounded import joins_in_written_order

pytestmark = pytest.mark.django_db


def _join_collapse_limit() -> str:
    with connection.connection.cursor() as cursor:
        cursor.execute("SHOW join_collapse_limit")
        return cursor.fetchone()[0]


@pytest.mark.postgres(reason="the planner's settings are PostgreSQL's")
def test_joins_are_planned_in_the_written_order_for_the_block_alone():
    connection.ensure_connection()
    before = _join_collapse_limit()
    assert before != "1"
    with CaptureQueriesContext(connection) as queries, joins_in_written_order("default"):
        assert _join_collapse_limit() == "1"
    # Not one of the page's queries (a test's savepoints aside: a request has none).
    assert not [q for q in queries if "SAVEPOINT" not in q["sql"]]
    assert _join_collapse_limit() == before


def test_the_tracker_pages_the_same_with_its_joins_in_written_order(client, seed):
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/cam-ket/")
    assert page.status_code == 200
    assert len(page.context["outcome_list"]) > 0
    assert not any("join_collapse_limit" in q["sql"] for q in queries)


@pytest.mark.postgres(reason="the planner's settings are PostgreSQL's")
def test_a_failed_block_leaves_the_setting_as_it_was():
    """A statement that fails aborts the transaction it is in; whoever goes on
    after it rolls back (to a savepoint, as Django asks), which undoes the setting."""
    from django.db import DatabaseError, transaction

    connection.ensure_connection()
    before = _join_collapse_limit()
    with (
        pytest.raises(DatabaseError),
        transaction.atomic(),
        joins_in_written_order("default"),
        connection.cursor() as cursor,
    ):
        cursor.execute("SELECT 1 / 0")
    assert _join_collapse_limit() == before
