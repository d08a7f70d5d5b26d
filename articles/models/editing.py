"""Who has a story open in the desk: a heartbeat from their form, gone within
a minute of their leaving (``EditingSession.FRESH``)."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .stories import Article


class EditingSessionQuerySet(models.QuerySet):
    def fresh(self) -> "EditingSessionQuerySet":
        """Those whose form was heard from in the last ``FRESH``."""
        return self.filter(seen_at__gt=timezone.now() - EditingSession.FRESH)


class EditingSession(models.Model):
    """One person with one story open: since when, last heard from when."""

    # A form beats every 20 s; one not heard from for this long has been left.
    FRESH = datetime.timedelta(seconds=50)

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    since = models.DateTimeField(_("từ"), default=timezone.now)
    seen_at = models.DateTimeField(_("lần cuối"), default=timezone.now)

    objects = EditingSessionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_session_per_editor")
        ]
        indexes = [models.Index(fields=["article", "-seen_at"], name="editing_newest")]
        verbose_name = _("người đang sửa")
        verbose_name_plural = _("người đang sửa")

    def __str__(self):
        return f"{self.user} · {self.article_id}"

    @classmethod
    def others_on(cls, article: Article, user) -> QuerySet["EditingSession"]:
        """Who else has ``article`` open now, the one longest there first."""
        return (
            cls.objects.fresh()
            .filter(article=article)
            .exclude(user=user)
            .select_related("user")
            .order_by("since")
        )
