"""Each story's report of an outcome gets words and a figure of its own: the
plain many-to-many's table (one row per outcome and story) becomes the
``OutcomeReport`` model as it stands, then gains the new columns, each with a
database default (the code of the deploy before still inserts rows), as the
outcome's own figure columns now have."""

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

EDITOR = "Biên tập viên"


def grant(apps, schema_editor):
    """Editors, who keep the outcomes, keep their reports too."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    reports = apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="articles", content_type__model="outcomereport"
    )
    if editor := apps.get_model("auth", "Group").objects.filter(name=EDITOR).first():
        editor.permissions.add(*reports)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0043_outcome_mutual_recipients_plan"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutcomeReport",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "article",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="outcome_reports",
                                to="articles.article",
                                verbose_name="bài",
                            ),
                        ),
                        (
                            "outcome",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="reports",
                                to="articles.outcome",
                                verbose_name="kết quả",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "bài đưa tin",
                        "verbose_name_plural": "các bài đưa tin",
                        "db_table": "articles_outcome_reported_by",
                        "unique_together": {("outcome", "article")},
                    },
                ),
                migrations.AlterField(
                    model_name="outcome",
                    name="reported_by",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="outcomes",
                        through="articles.OutcomeReport",
                        to="articles.article",
                        verbose_name="bài đưa tin",
                    ),
                ),
            ],
        ),
        migrations.AddField(
            model_name="outcomereport",
            name="wording",
            field=models.TextField(
                blank=True,
                default="",
                db_default="",
                help_text="Kết quả như bài này viết, khi khác nội dung chung; để trống nếu như nhau.",
                verbose_name="lời của bài",
            ),
        ),
        migrations.AddField(
            model_name="outcomereport",
            name="amount",
            field=models.DecimalField(
                blank=True, decimal_places=4, max_digits=20, null=True, verbose_name="số lượng"
            ),
        ),
        migrations.AddField(
            model_name="outcomereport",
            name="amount_max",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                help_text="Cho một khoảng, ví dụ 10–15: số lượng 10, tối đa 15.",
                max_digits=20,
                null=True,
                verbose_name="số lượng tối đa",
            ),
        ),
        migrations.AddField(
            model_name="outcomereport",
            name="amount_before",
            field=models.DecimalField(
                blank=True,
                decimal_places=4,
                help_text="Cho một thay đổi, ví dụ thuế từ 5% xuống 2%: trước đó 5, số lượng 2.",
                max_digits=20,
                null=True,
                verbose_name="số lượng trước đó",
            ),
        ),
        migrations.AddField(
            model_name="outcomereport",
            name="approximate",
            field=models.BooleanField(
                default=False,
                db_default=False,
                help_text="Bài viết nói “khoảng”, “gần”, “hơn”…",
                verbose_name="ước chừng",
            ),
        ),
        migrations.AddField(
            model_name="outcomereport",
            name="currency",
            field=models.CharField(
                blank=True,
                default="",
                db_default="",
                help_text="ISO 4217, ví dụ USD.",
                max_length=3,
                verbose_name="tiền tệ",
            ),
        ),
        migrations.AddField(
            model_name="outcomereport",
            name="unit",
            field=models.CharField(
                blank=True, default="", db_default="", max_length=50, verbose_name="đơn vị"
            ),
        ),
        migrations.AlterField(
            model_name="outcome",
            name="approximate",
            field=models.BooleanField(
                db_default=False,
                default=False,
                help_text="Bài viết nói “khoảng”, “gần”, “hơn”…",
                verbose_name="ước chừng",
            ),
        ),
        migrations.AlterField(
            model_name="outcome",
            name="currency",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                help_text="ISO 4217, ví dụ USD.",
                max_length=3,
                verbose_name="tiền tệ",
            ),
        ),
        migrations.AlterField(
            model_name="outcome",
            name="unit",
            field=models.CharField(
                blank=True, db_default="", default="", max_length=50, verbose_name="đơn vị"
            ),
        ),
        migrations.RunPython(grant, migrations.RunPython.noop),
    ]
