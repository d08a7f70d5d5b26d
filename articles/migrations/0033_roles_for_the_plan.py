"""The desk's roles over the day's plan: editors keep it; reporters read it (and
see what is assigned to them). Notifications and who is editing are each
person's own, judged by the desk's pages, not by permissions."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = "Phóng viên"
EDITOR = "Biên tập viên"


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    plan = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="articles", content_type__model="plannedstory"
    )
    if reporter := Group.objects.filter(name=REPORTER).first():
        reporter.permissions.add(*plan.filter(codename="view_plannedstory"))
    if editor := Group.objects.filter(name=EDITOR).first():
        editor.permissions.add(*plan)


def revoke(apps, schema_editor):
    plan = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="articles", content_type__model="plannedstory"
    )
    for group in apps.get_model("auth", "Group").objects.filter(name__in=[REPORTER, EDITOR]):
        group.permissions.remove(*plan)


class Migration(migrations.Migration):
    dependencies = [("articles", "0032_newsroom_day")]

    operations = [migrations.RunPython(grant, revoke)]
