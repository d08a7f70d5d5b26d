"""The desk's roles over what issue 14 added: reporters see countries (to link
stories to them), editors keep countries and everyone's other names."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = "Phóng viên"
EDITOR = "Biên tập viên"
NEW_MODELS = ["country", "countryalias", "personalias"]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(content_type__app_label="articles")
    if reporter := Group.objects.filter(name=REPORTER).first():
        reporter.permissions.add(*ours.filter(codename="view_country"))
    if editor := Group.objects.filter(name=EDITOR).first():
        editor.permissions.add(*ours.filter(content_type__model__in=NEW_MODELS))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    new = Permission.objects.filter(
        content_type__app_label="articles", content_type__model__in=NEW_MODELS
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=[REPORTER, EDITOR]):
        group.permissions.remove(*new)


class Migration(migrations.Migration):
    dependencies = [("articles", "0011_countries_and_commitments")]

    operations = [migrations.RunPython(grant, revoke)]
