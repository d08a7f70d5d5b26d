"""The desk's two roles as groups: Phóng viên (reporter) and Biên tập viên (editor)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = "Phóng viên"
EDITOR = "Biên tập viên"

READ = ["section", "tag", "organization", "person", "author", "event"]
REPORTER_PERMISSIONS = [
    "add_article", "change_article", "view_article", "delete_article",
    "add_byline", "change_byline", "delete_byline", "view_byline",
    "add_tag", "view_statechange",
    *(f"view_{model}" for model in READ),
]  # fmt: skip
EDITOR_MODELS = [
    "article", "byline", "section", "tag", "organization", "organizationalias",
    "person", "author", "event", "participant", "outcome", "statechange",
]  # fmt: skip


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations run; this one needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="articles")

    reporter, _ = Group.objects.get_or_create(name=REPORTER)
    reporter.permissions.set(ours.filter(codename__in=REPORTER_PERMISSIONS))

    editor, _ = Group.objects.get_or_create(name=EDITOR)
    editor.permissions.set(
        ours.filter(content_type__model__in=EDITOR_MODELS).exclude(
            codename__in=["add_statechange", "change_statechange", "delete_statechange"]
        )
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[REPORTER, EDITOR]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_desk"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
