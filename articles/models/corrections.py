"""Corrections and updates to published stories, shown to readers with their
time: a newsroom corrects in public, it does not quietly rewrite."""

from django.conf import settings
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .stories import Article


class Correction(models.Model):
    """A dated note on a story: what was wrong and is now right, or what is new.
    Its time becomes the story's ``dateModified``."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Đính chính")
        UPDATE = "update", _("Cập nhật")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="corrections", verbose_name=_("bài viết")
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind, default=Kind.CORRECTION)
    note = models.TextField(_("nội dung"), help_text=_("Điều đã sai và nay đã sửa, hoặc điều mới."))
    at = models.DateTimeField(_("lúc"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ghi"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("đính chính, cập nhật")
        verbose_name_plural = _("đính chính, cập nhật")

    def __str__(self):
        return f"{self.get_kind_display()} {timezone.localtime(self.at):%H:%M, %d/%m/%Y}"

    def save(self, *args, **kwargs):
        self.at = self.at.replace(microsecond=0)  # HTML's datetime takes whole seconds
        super().save(*args, **kwargs)
        # The story was revised at this time, for dateModified, sitemaps and feeds.
        at = Value(self.at, output_field=models.DateTimeField())
        Article.objects.filter(pk=self.article_id).update(
            revised_at=Greatest(Coalesce("revised_at", at), at)
        )
