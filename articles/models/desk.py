"""The desk's log: every move of a story through the workflow."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .stories import Article


class StateChange(models.Model):
    """One move of a story through the desk: who, when, from which status to which."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="state_changes", verbose_name=_("bài viết")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(_("từ"), max_length=10, choices=Article.Status, blank=True)
    to_status = models.CharField(_("sang"), max_length=10, choices=Article.Status)
    at = models.DateTimeField(_("lúc"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("lịch sử trạng thái")
        verbose_name_plural = _("lịch sử trạng thái")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
