"""What the desk tells its people: a story assigned to them, returned to them,
published, a note naming them, a correction to their story; in the desk (a
count in the header, a list) and by e-mail unless they turned it off."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .stories import Article


class Notification(models.Model):
    """One thing one person is told, about a story or an item of the plan."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("Giao cho bạn")
        RETURNED = "returned", _("Trả lại bạn")
        PUBLISHED = "published", _("Đã xuất bản")
        MENTIONED = "mentioned", _("Nhắc đến bạn")
        CORRECTED = "corrected", _("Bài của bạn được đính chính")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nhận"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người làm"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    article = models.ForeignKey(
        Article,
        verbose_name=_("bài viết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    plan = models.ForeignKey(
        "articles.PlannedStory",
        verbose_name=_("mục kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # what it is about, as it was then: the notification outlives a deleted story
    subject = models.CharField(_("về"), max_length=300)
    text = models.TextField(_("lời nhắn"), blank=True)
    at = models.DateTimeField(_("lúc"), default=timezone.now)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi e-mail lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["recipient", "-at", "-id"], name="notifications_newest"),
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notifications_unread",
            ),
        ]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject}"

    def get_absolute_url(self) -> str:
        """Where it leads in the desk: the story, or the item of the plan."""
        if self.article_id:
            return reverse("admin:articles_article_change", args=[self.article_id])
        if self.plan_id:
            return reverse("admin:articles_plannedstory_change", args=[self.plan_id])
        return reverse("admin:articles_notification_changelist")


class NotificationSettings(models.Model):
    """How one person wants to be told: in the desk always; by e-mail unless off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_settings",
    )
    by_email = models.BooleanField(_("gửi thông báo qua e-mail"), default=True)

    class Meta:
        verbose_name = _("cách nhận thông báo")
        verbose_name_plural = _("cách nhận thông báo")

    def __str__(self):
        return str(self.user)

    @classmethod
    def wants_email(cls, user_id: int) -> bool:
        settings_row = cls.objects.filter(user_id=user_id).first()
        return settings_row is None or settings_row.by_email
