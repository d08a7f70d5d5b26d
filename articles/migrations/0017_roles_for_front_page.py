"""Editors keep the front page's pins and the corrections; reporters neither
(the desk's pages also check workflow.can_publish)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR = "Biên tập viên"
MODELS = ["pin", "correction"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
    if editor := apps.get_model("auth", "Group").objects.filter(name=EDITOR).first():
        editor.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="articles", content_type__model__in=MODELS
            )
        )


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    if editor := apps.get_model("auth", "Group").objects.filter(name=EDITOR).first():
        editor.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="articles", content_type__model__in=MODELS
            )
        )


class Migration(migrations.Migration):
    dependencies = [("articles", "0016_front_page_pins")]

    operations = [migrations.RunPython(grant, revoke)]
