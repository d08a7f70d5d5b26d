"""The edited front page: stories an editor pins to the lead and top slots,
in order, until a time if given."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .stories import Article


class PinQuerySet(models.QuerySet):
    def live(self):
        """Pins readers see now: not expired, of a story readers may see."""
        now = timezone.now()
        return self.filter(
            Q(until__isnull=True) | Q(until__gt=now),
            article__in=Article.objects.published(),
        )


class Pin(models.Model):
    class Slot(models.TextChoices):
        LEAD = "lead", _("Tin chính")
        TOP = "top", _("Tin nổi bật")

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="pins", verbose_name=_("bài viết")
    )
    slot = models.CharField(_("vị trí"), max_length=4, choices=Slot, default=Slot.TOP)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    until = models.DateTimeField(
        _("ghim đến"), null=True, blank=True, help_text=_("Để trống: ghim đến khi bỏ ghim.")
    )

    objects = PinQuerySet.as_manager()

    class Meta:
        ordering = ["slot", "position", "-pk"]
        verbose_name = _("ghim trang nhất")
        verbose_name_plural = _("trang nhất")
        constraints = [
            models.UniqueConstraint(fields=["article", "slot"], name="unique_pin_per_slot"),
        ]

    def __str__(self):
        return f"{self.get_slot_display()}: {self.article}"
