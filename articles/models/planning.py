"""The story budget ("Kế hoạch"): what the desk plans to cover on a day, who
writes it, by when, and where each item stands, from planned to published."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .entities import Section
from .events import Event
from .stories import Article


class PlannedStoryQuerySet(models.QuerySet):
    def of_day(self, day) -> "PlannedStoryQuerySet":
        """A day's items with what the board shows of each, in a fixed number of queries."""
        return (
            self.filter(day=day)
            .select_related("section", "event", "story")
            .prefetch_related("assignees")
            .order_by("deadline", "pk")
        )


class PlannedStory(models.Model):
    """An item of a day's plan: a working title, a section, who writes it, by when,
    how long, whether it needs pictures, the meeting it covers; linked to its story
    once a draft is made from it."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Dự kiến")
        ASSIGNED = "assigned", _("Đã giao")
        WRITING = "writing", _("Đang viết")
        FILED = "filed", _("Đã nộp")
        PUBLISHED = "published", _("Đã đăng")
        DROPPED = "dropped", _("Bỏ")

    day = models.DateField(_("ngày"), default=timezone.localdate)
    working_title = models.CharField(_("tên tạm"), max_length=255)
    section = models.ForeignKey(
        Section,
        verbose_name=_("chuyên mục"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người viết"),
        blank=True,
        related_name="planned_stories",
    )
    deadline = models.DateTimeField(_("hạn nộp"), null=True, blank=True)
    expected_words = models.PositiveIntegerField(_("độ dài dự kiến (chữ)"), null=True, blank=True)
    needs_pictures = models.BooleanField(_("cần ảnh"), default=False)
    notes = models.TextField(_("ghi chú"), blank=True)
    event = models.ForeignKey(
        Event,
        verbose_name=_("sự kiện, cuộc gặp đưa tin"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="planned_stories",
    )
    story = models.OneToOneField(
        Article,
        verbose_name=_("bài viết"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plan",
    )
    dropped = models.BooleanField(_("bỏ"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lên kế hoạch"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)

    objects = PlannedStoryQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "deadline", "pk"]
        indexes = [models.Index(fields=["day", "deadline"], name="plan_of_day")]
        verbose_name = _("mục kế hoạch")
        verbose_name_plural = _("kế hoạch")

    def __str__(self):
        return self.working_title

    def get_absolute_url(self) -> str:
        return reverse("admin:articles_plannedstory_change", args=[self.pk])

    @property
    def state(self) -> str:
        """Where the item stands, from what it holds: dropped; its story's stage
        (published, filed for review or scheduled, being written); assigned; planned."""
        if self.dropped:
            return self.State.DROPPED
        if self.story_id is not None and self.story is not None:
            if self.story.is_published:
                return self.State.PUBLISHED
            if self.story.status == Article.Status.DRAFT:
                return self.State.WRITING
            return self.State.FILED
        # a new item has no assignees yet to read
        if self.pk is not None and self.assignees.all():
            return self.State.ASSIGNED
        return self.State.PLANNED

    @property
    def state_label(self) -> str:
        return str(self.State(self.state).label)

    @property
    def is_late(self) -> bool:
        """Past its deadline with nothing filed."""
        waiting = self.state in (self.State.PLANNED, self.State.ASSIGNED, self.State.WRITING)
        return waiting and self.deadline is not None and self.deadline < timezone.now()
