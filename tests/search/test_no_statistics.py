"""A load is analysed, and search stays bounded before any statistics exist: on
a server whose autovacuum has not reached a bulk load, PostgreSQL takes its
tables for nearly empty, and a plan made for a few rows must not run once per
story (a search for a word nothing matches once ran for minutes)."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import search
from articles.management import bulk
from articles.models import Article

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres(reason="PostgreSQL's planner"),
]


STORIES = 400


def forget_statistics() -> None:
    """As right after a load that nothing analysed: no statistics, no row count."""
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM pg_statistic WHERE starelid IN "
            "(SELECT oid FROM pg_class WHERE relname LIKE 'articles_%%')"
        )
        cursor.execute(
            "UPDATE pg_class SET reltuples = -1, relpages = 0 WHERE relname LIKE 'articles_%%'"
        )


def loops(plan: dict) -> int:
    """The most times any node of ``plan`` ran."""
    inner = plan.get("Plans", ())
    return max([plan.get("Actual Loops", 1), *(loops(p) for p in inner)])


def rows_read(plan: dict) -> int:
    """Every row each node of ``plan`` produced or threw away, over all its runs:
    linear in the archive for a bounded plan, its square for one run per story."""
    own = plan.get("Actual Rows", 0) + plan.get("Rows Removed by Filter", 0)
    own += plan.get("Rows Removed by Join Filter", 0)
    return own * plan.get("Actual Loops", 1) + sum(map(rows_read, plan.get("Plans", ())))


def test_seed_demo_analyses_what_it_loaded():
    with CaptureQueriesContext(connection) as queries:
        call_command("seed_demo", stories=30, stdout=StringIO())
    (analyse,) = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")]
    for table in ("articles_article", "articles_taggedarticle", "articles_search_word"):
        assert f'"{table}"' in analyse


@pytest.mark.parametrize("words", ["xqzwv", "hoa ky", "spacexx"])
def test_search_runs_each_part_once_without_statistics(monkeypatch, words):
    """Each statement a search makes (the look for any match, the nearest spellings,
    the ranked page) runs each step of its plan once, not once per story."""
    monkeypatch.setattr(bulk, "analyze", lambda *loaded: None)
    call_command("seed_demo", stories=STORIES, stdout=StringIO())
    forget_statistics()
    with CaptureQueriesContext(connection) as queries:
        list(search.search(Article.objects.published(), words)[:20])
    assert queries.captured_queries
    with connection.cursor() as cursor:
        for query in queries.captured_queries:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query['sql']}")
            plan = cursor.fetchone()[0]
            plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
            assert loops(plan) == 1, (query["sql"], json.dumps(plan, indent=1)[:3000])


PAGES = ["/", "/tin-moi/", "/tim-kiem/?q=hoa+ky", "/tin-moi/?q=xqzwv", "/api/stories?q=spacexx"]


def test_readers_pages_stay_bounded_without_statistics(client, monkeypatch):
    """No statement of the home page, the listing, search or the API reads the
    archive more than a few times over: none reads it once per story."""
    monkeypatch.setattr(bulk, "analyze", lambda *loaded: None)
    call_command("seed_demo", stories=STORIES, stdout=StringIO())
    forget_statistics()
    for page in PAGES:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page).status_code == 200, page
        with connection.cursor() as cursor:
            for query in queries.captured_queries:
                if not query["sql"].startswith("SELECT"):
                    continue
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {query['sql']}")
                plan = cursor.fetchone()[0]
                plan = (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]
                assert rows_read(plan) <= 10 * STORIES, (page, query["sql"][:2000])
