"""The archive's distinct words, for finding what a mistyped word meant
(search.py): trigrams over a vocabulary instead of over every story's text,
whose index this replaces. PostgreSQL only; SQLite has no trigrams."""

from django.db import migrations

FORWARDS = [
    "CREATE TABLE IF NOT EXISTS articles_search_word (word text PRIMARY KEY)",
    "CREATE INDEX IF NOT EXISTS search_word_trgm ON articles_search_word "
    "USING gin (word gin_trgm_ops)",
    "INSERT INTO articles_search_word (word) SELECT DISTINCT word FROM articles_article, "
    "unnest(tsvector_to_array(to_tsvector('simple', search_text))) AS word "
    "WHERE length(word) <= 40 ON CONFLICT DO NOTHING",
    "DROP INDEX IF EXISTS article_search_trgm",
]
BACKWARDS = [
    "CREATE INDEX IF NOT EXISTS article_search_trgm ON articles_article "
    "USING gin (search_text gin_trgm_ops)",
    "DROP TABLE IF EXISTS articles_search_word",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("articles", "0008_picture_field")]

    operations = [migrations.RunPython(run(FORWARDS), run(BACKWARDS))]
