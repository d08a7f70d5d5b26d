"""The table of the ``limits`` cache (settings.CACHES): counts every worker shares,
such as password-reset mails an hour (newsroom/password_reset.py)."""

from django.core.management import call_command
from django.db import migrations


def create_limits_table(apps, schema_editor):
    call_command("createcachetable", "limits", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("articles", "0026_bulk_change_unchanged")]

    operations = [migrations.RunPython(create_limits_table, migrations.RunPython.noop)]
