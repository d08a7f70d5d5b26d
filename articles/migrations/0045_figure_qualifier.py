"""A figure keeps the word its story qualifies it with ("gần", "hơn"), so that
readers read "hơn 98 tỷ USD" as written, not "khoảng". Outcomes already marked
approximate take the word their own text puts before a number, where it says one."""

import re

from django.db import migrations, models

QUALIFIERS = [
    ("about", "khoảng"),
    ("nearly", "gần"),
    ("over", "hơn"),
    ("at_least", "ít nhất"),
    ("up_to", "tối đa"),
]
# As the copy writes them, as articles/text/amounts.py reads them today.
WORDS = {
    "about": "khoảng|xấp xỉ|about|around|approximately|roughly",
    "nearly": "gần|nearly|almost",
    "over": "hơn|trên|more than|over",
    "at_least": "ít nhất|tối thiểu|at least",
    "up_to": "tối đa|up to",
}


def _word_before_a_number(text: str) -> str:
    said = text.lower()
    for code, words in WORDS.items():
        if re.search(rf"(?<!\w)(?:{words})\s+\$?\d", said):
            return code
    return ""


def qualify_from_text(apps, schema_editor):
    Outcome = apps.get_model("articles", "Outcome")
    for outcome in Outcome.objects.filter(approximate=True, qualifier="").only("description"):
        if code := _word_before_a_number(outcome.description):
            Outcome.objects.filter(pk=outcome.pk).update(qualifier=code)
    OutcomeReport = apps.get_model("articles", "OutcomeReport")
    for report in OutcomeReport.objects.filter(approximate=True, qualifier="").only("wording"):
        if code := _word_before_a_number(report.wording):
            OutcomeReport.objects.filter(pk=report.pk).update(qualifier=code)


def field():
    return models.CharField(
        blank=True,
        default="",
        db_default="",
        choices=QUALIFIERS,
        help_text="Từ bài viết đặt trước con số, để người đọc thấy đúng như bài viết.",
        max_length=10,
        verbose_name="cách nói",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0044_outcome_reports"),
    ]

    operations = [
        migrations.AddField(model_name="outcome", name="qualifier", field=field()),
        migrations.AddField(model_name="outcomereport", name="qualifier", field=field()),
        migrations.RunPython(qualify_from_text, migrations.RunPython.noop),
    ]
