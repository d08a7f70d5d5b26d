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


def qualify_from_text(apps, schema_editor):
    for name in ("Outcome", "OutcomeReport"):
        model = apps.get_model("articles", name)
        text = "description" if name == "Outcome" else "wording"
        for row in model.objects.filter(approximate=True, qualifier="").only("pk", text):
            said = getattr(row, text).lower()
            for code, words in WORDS.items():
                if re.search(rf"(?<!\w)(?:{words})\s+\$?\d", said):
                    model.objects.filter(pk=row.pk).update(qualifier=code)
                    break


def field():
    return models.CharField(
        blank=True,
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
