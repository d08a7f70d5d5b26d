"""A story has at most one *published* translation in each language: a draft
holds no place (articles/models/translated.py). On PostgreSQL the new unique
index is built CONCURRENTLY before the old constraint goes, so that a deploy
does not hold the desk's writes, and the code before it (which checks the
stricter rule itself) keeps working; SQLite, which has no other server to
keep running, takes Django's own operations."""

from django.db import connection, migrations, models

OLD = models.UniqueConstraint(
    fields=("translation_of", "language"), name="one_translation_per_language"
)
NEW = models.UniqueConstraint(
    condition=models.Q(("status", "published")),
    fields=("translation_of", "language"),
    name="one_published_translation_per_language",
)
STATE = [
    migrations.RemoveConstraint(model_name="article", name=OLD.name),
    migrations.AddConstraint(model_name="article", constraint=NEW),
]


def forwards(apps, schema_editor):
    schema_editor.execute(
        f"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {NEW.name} "
        "ON articles_article (translation_of_id, language) WHERE status = 'published'"
    )
    schema_editor.execute(f"ALTER TABLE articles_article DROP CONSTRAINT IF EXISTS {OLD.name}")


def backwards(apps, schema_editor):
    schema_editor.execute(
        f"ALTER TABLE articles_article ADD CONSTRAINT {OLD.name} "
        "UNIQUE (translation_of_id, language)"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {NEW.name}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("articles", "0024_desk_log_order"),
    ]

    operations = (
        [
            migrations.SeparateDatabaseAndState(
                state_operations=STATE,
                database_operations=[migrations.RunPython(forwards, backwards)],
            )
        ]
        if connection.vendor == "postgresql"
        else STATE
    )
