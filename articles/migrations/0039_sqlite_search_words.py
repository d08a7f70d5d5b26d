"""The archive's distinct words on SQLite too (PostgreSQL has had them since
0009): a mistyped word is matched against them (search's ``_respelled_sqlite``),
so that ``spacexx`` finds SpaceX on the embedded default as well."""

import re

from django.db import migrations

WORD = re.compile(r"\w+")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute(
        "CREATE TABLE IF NOT EXISTS articles_search_word (word text PRIMARY KEY) WITHOUT ROWID"
    )
    Article = apps.get_model("articles", "Article")
    texts = Article.objects.values_list("search_text", flat=True).iterator(chunk_size=2000)
    words: set[str] = set()
    with schema_editor.connection.cursor() as cursor:
        for n, text in enumerate(texts, 1):
            words.update(w for w in WORD.findall(text) if len(w) <= 40)
            if n % 2000 == 0 or len(words) > 50_000:
                cursor.executemany(
                    "INSERT OR IGNORE INTO articles_search_word (word) VALUES (%s)",
                    [[w] for w in sorted(words)],
                )
                words.clear()
        cursor.executemany(
            "INSERT OR IGNORE INTO articles_search_word (word) VALUES (%s)",
            [[w] for w in sorted(words)],
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS articles_search_word")


class Migration(migrations.Migration):
    dependencies = [("articles", "0038_story_body_pictures")]

    operations = [migrations.RunPython(create, drop)]
