"""Every story's lead image into the picture library, without loss: one picture
per file (its words, renditions, who uploaded it and when are the story's), set
as the story's lead picture. The library is searched by a trigram index on
PostgreSQL; reporters upload and choose pictures, editors also delete them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from articles.text.slugs import fold  # a pure function: as the model folds, now and later

REPORTER = "Phóng viên"
EDITOR = "Biên tập viên"
BATCH = 1000


def move_images(apps, schema_editor):
    Article = apps.get_model("articles", "Article")
    Picture = apps.get_model("articles", "Picture")
    stories = Article.objects.exclude(image="").filter(lead_picture=None).order_by("pk")
    last = 0
    while batch := list(stories.filter(pk__gt=last)[:BATCH]):
        last = batch[-1].pk
        known = dict(
            Picture.objects.filter(file__in={s.image.name for s in batch}).values_list("file", "pk")
        )
        for story in batch:
            if story.image.name not in known:
                known[story.image.name] = Picture.objects.create(
                    file=story.image.name, alt=story.image_alt, caption=story.image_caption,
                    credit=story.image_credit, renditions=story.image_renditions,
                    uploaded_by_id=story.created_by_id, uploaded_at=story.created_at,
                    search_text=fold(" ".join([story.image_caption, story.image_credit,
                                               story.image_alt])),
                ).pk  # fmt: skip
            Article.objects.filter(pk=story.pk).update(lead_picture_id=known[story.image.name])


def search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS picture_search_trgm ON articles_picture "
            "USING gin (search_text gin_trgm_ops)"
        )
        schema_editor.execute("ANALYZE articles_picture")


def drop_search_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS picture_search_trgm")


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    pictures = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="articles", content_type__model="picture"
    )
    if reporter := Group.objects.filter(name=REPORTER).first():
        reporter.permissions.add(*pictures.exclude(codename="delete_picture"))
    if editor := Group.objects.filter(name=EDITOR).first():
        editor.permissions.add(*pictures)


class Migration(migrations.Migration):
    dependencies = [("articles", "0035_picture_library")]

    operations = [
        migrations.RunPython(move_images, migrations.RunPython.noop),
        migrations.RunPython(search_index, drop_search_index),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
