"""How much each story is read, counted without knowing who reads it: reads per
story per hour, and the "Đọc nhiều" list ranked from them (articles/site/reads.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .stories import Article


class ReadCount(models.Model):
    """The reads of one story in one hour: a number, nothing about the readers."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="read_counts", verbose_name=_("bài viết")
    )
    hour = models.DateTimeField(_("giờ"))
    reads = models.PositiveIntegerField(_("lượt đọc"), default=0)

    class Meta:
        verbose_name = _("lượt đọc trong giờ")
        verbose_name_plural = _("lượt đọc theo giờ")
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="one_count_per_story_hour")
        ]
        indexes = [models.Index(fields=["hour"], name="read_count_hour")]

    def __str__(self) -> str:
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H}:00: {self.reads}"


class MostRead(models.Model):
    """A place in the "Đọc nhiều" list of a language, as last ranked."""

    language = models.CharField(_("ngôn ngữ"), max_length=8)
    position = models.PositiveSmallIntegerField(_("thứ hạng"))
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="most_read_places",
        verbose_name=_("bài viết"),
    )
    reads = models.PositiveIntegerField(_("lượt đọc trong 24 giờ"))

    class Meta:
        verbose_name = _("bài đọc nhiều")
        verbose_name_plural = _("bài đọc nhiều")
        constraints = [
            models.UniqueConstraint(fields=["language", "position"], name="one_story_per_place")
        ]

    def __str__(self) -> str:
        return f"{self.language} {self.position}: {self.article_id} ({self.reads})"
