"""Live coverage: a story's timestamped updates, newest first, while it is live
(``Article.live_from``) and as its timeline after."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .pictures import Picture
from .stories import Article


class LiveUpdate(models.Model):
    """One update of a live story: what happened, when it was posted, who wrote
    it; a correction to it is shown as such."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="live_updates", verbose_name=_("bài")
    )
    posted_at = models.DateTimeField(_("đăng lúc"), default=timezone.now)
    body = models.TextField(_("nội dung"), max_length=5000)
    picture = models.ForeignKey(
        Picture,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="live_updates",
        verbose_name=_("ảnh"),
    )
    key_moment = models.BooleanField(
        _("diễn biến chính"), default=False, help_text=_("Được đánh dấu nổi bật cho người đọc.")
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người viết"),
    )
    corrected_at = models.DateTimeField(_("đính chính lúc"), null=True, blank=True, editable=False)
    correction = models.CharField(
        _("đính chính"),
        max_length=300,
        blank=True,
        help_text=_("Sửa một cập nhật đã đăng: ghi điều đã sửa, người đọc thấy ghi chú này."),
    )

    class Meta:
        ordering = ["-posted_at", "-pk"]
        verbose_name = _("cập nhật trực tiếp")
        verbose_name_plural = _("cập nhật trực tiếp")
        indexes = [models.Index(fields=["article", "-posted_at"], name="live_update_story_time")]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.posted_at):%H:%M %d/%m}: {self.body[:60]}"

    def get_absolute_url(self) -> str:
        return f"{self.article.get_absolute_url()}#cap-nhat-{self.pk}"

    @property
    def writer(self) -> str:
        """Who wrote it, as readers see it: a full name, never a sign-in name."""
        return self.written_by.get_full_name() if self.written_by else ""
