"""A save in the desk reads each row once: an editor's save of a story with tags,
bylines, linked things and events, and a reporter's save of a draft, each within
a fixed number of queries (bench/save_queries.py prints where they go)."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Article
from tests.browser_form import form_values

# Statements that read or write rows, as a server process saves after its first
# save (its cache of content types warm); transactions' own statements (BEGIN,
# SAVEPOINT, RELEASE) are not counted: a test runs inside one of its own. On
# SQLite the story's words go to the vocabulary in a statement of their own.
EDITORS_SAVE = 30 + (connection.vendor == "sqlite")
REPORTERS_SAVE = 30
TRANSACTION = re.compile(r"^(BEGIN|SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b")

pytestmark = pytest.mark.django_db


def change_url(story: Article) -> str:
    return f"/{settings.ADMIN_URL}articles/article/{story.pk}/change/"


def saved(client, story: Article, headline: str) -> list[str]:
    """The SQL of sending ``story``'s form with a new headline (after a first save)."""
    url = change_url(story)
    data = form_values(client.get(url).content.decode())
    data["headline"] = [headline]
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    sql = [query["sql"] for query in queries.captured_queries]
    return [statement for statement in sql if not TRANSACTION.match(statement)]


def reads_of(story: Article, sql: list[str]) -> list[str]:
    """The reads of the story's row beyond its id (an existence check reads the id)."""
    own = re.compile(rf'(?<!NOT \()"articles_article"\."id" (= {story.pk}\b|IN \({story.pk}\))')
    return [
        q
        for q in sql
        if q.startswith("SELECT")
        and 'FROM "articles_article"' in q
        and own.search(q)
        and not q.startswith('SELECT "articles_article"."id" AS "id" FROM')
        and not q.startswith('SELECT 1 AS "a"')
    ]


def breakdown(sql: list[str]) -> str:
    """How many statements of each kind on each table."""
    counts: dict[str, int] = {}
    for statement in sql:
        table = re.search(r'(?:FROM|INTO|UPDATE)\s+"(\w+)"', statement)
        name = f"{statement.split()[0]} {table.group(1) if table else ''}"
        counts[name] = counts.get(name, 0) + 1
    return "\n".join(f"  {n:3} {name}" for name, n in sorted(counts.items(), key=lambda i: -i[1]))


def test_an_editors_save_reads_the_story_once_within_the_budget(client, seed, editor):
    client.force_login(editor)
    story = Article.objects.order_by("pk").first()
    assert story.tags.count() and story.bylines.count() and story.events.count()
    assert story.organizations.count() + story.people.count() + story.countries.count() >= 3
    saved(client, story, story.headline + " (1)")
    sql = saved(client, story, story.headline + " (2)")
    print(f"\nan editor's save of seed story {story.pk}: {len(sql)} statements")
    print(breakdown(sql))
    assert len(sql) <= EDITORS_SAVE, "\n".join(sql)
    assert len(reads_of(story, sql)) == 1, reads_of(story, sql)
    story.refresh_from_db()
    assert story.headline.endswith("(2)")
    assert "(2)" in story.search_text
    assert sorted(story.tags.names()) == sorted(Article.objects.get(pk=story.pk).tags.names())


def test_a_reporters_save_of_a_draft_within_the_budget(client, seed, reporter):
    client.force_login(reporter)
    story = Article.objects.create(headline="Bản nháp", sapo="Tóm tắt", created_by=reporter)
    saved(client, story, "Bản nháp (1)")
    sql = saved(client, story, "Bản nháp (2)")
    print(f"\na reporter's save of a draft: {len(sql)} statements")
    print(breakdown(sql))
    assert len(sql) <= REPORTERS_SAVE, "\n".join(sql)
    assert len(reads_of(story, sql)) == 1, reads_of(story, sql)
    story.refresh_from_db()
    assert story.headline == "Bản nháp (2)" and story.status == Article.Status.DRAFT
