"""The headline's words of each story's search vector (its weight A), indexed
on PostgreSQL: search takes every story whose headline holds the words typed as
a candidate, wherever it is in the archive, beside the newest body matches.
The expression is ``search.HeadlineWords``'s, written out as the planner must
meet it."""

from django.db import migrations

NAME = "article_headline_words"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON articles_article "
            "USING gin (ts_filter(search_vector, '{a}'::\"char\"[]))"
        )


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0028_copy_files")]

    operations = [migrations.RunPython(create, drop)]
