from django.db import migrations

# Readers' listings, in the order they are shown (published_at DESC NULLS LAST,
# then newest created), for the whole site and per section. Partial: only
# published stories are ever listed. SQLite's DESC already puts NULLs last and
# it cannot say so in an index.
INDEXES = {
    "article_published_order": "(published_at DESC{nulls}, created_at DESC)",
    "article_section_order": "(section_id, published_at DESC{nulls}, created_at DESC)",
}


def create_indexes(apps, schema_editor):
    nulls = " NULLS LAST" if schema_editor.connection.vendor == "postgresql" else ""
    for name, columns in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON articles_article "
            f"{columns.format(nulls=nulls)} WHERE status = 'published'"
        )


def drop_indexes(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0005_search"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
