"""The desk's log in its own order (newest first), in an index: the log grows
with every move of every story, and without it each page sorted the whole log,
and its years were read from every entry. Built CONCURRENTLY on PostgreSQL, as
0022, so that a deploy does not hold the desk's writes while it is made."""

from django.db import migrations, models

NAME = "desk_log_newest"


def create(apps, schema_editor):
    concurrently = " CONCURRENTLY" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f"CREATE INDEX{concurrently} IF NOT EXISTS {NAME} ON articles_statechange (at DESC, id DESC)"
    )


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP INDEX IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [("articles", "0023_bulk_change")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddIndex(
                    model_name="statechange",
                    index=models.Index(fields=["-at", "-id"], name=NAME),
                )
            ],
            database_operations=[migrations.RunPython(create, drop)],
        )
    ]
