"""What happened: working trips and the meetings within them, who took part
on which side, and what came of each."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from .base import (
    CleanTags,
    NamedByStories,
    NamedByStoriesQuerySet,
    NaturallyKeyed,
    _TaggedItem,
    country_code,
    validate_timezone,
)
from .entities import Organization, Person, Tag


class EventQuerySet(NamedByStoriesQuerySet):
    def with_details(self):
        """Who took part, for whom, and what came of it."""
        return self.prefetch_related(
            models.Prefetch(
                "participants",
                queryset=Participant.objects.select_related("person", "organization"),
            ),
            "outcomes",
        )


class Event(NamedByStories):
    """Something that happened on a day: a working trip, or a meeting within one.

    The seeds date the meetings but give no clock time or city, so the time of
    day and the time zone are optional rather than guessed.
    """

    class Kind(models.TextChoices):
        BILATERAL_MEETING = "bilateral_meeting", _("Cuộc gặp song phương")
        WORKING_TRIP = "working_trip", _("Chuyến công tác")
        CONFERENCE = "conference", _("Hội nghị")
        OTHER = "other", _("Khác")

    title = models.CharField(_("tên sự kiện"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind, default=Kind.BILATERAL_MEETING)
    start_date = models.DateField(_("ngày bắt đầu"))
    start_time = models.TimeField(_("giờ bắt đầu"), null=True, blank=True)
    end_date = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    end_time = models.TimeField(_("giờ kết thúc"), null=True, blank=True)
    timezone = models.CharField(
        _("múi giờ"),
        max_length=64,
        blank=True,
        validators=[validate_timezone],
        help_text=_("Múi giờ IANA nơi diễn ra, ví dụ America/New_York."),
    )
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    country = models.CharField(_("quốc gia"), max_length=2, blank=True, validators=[country_code])
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc sự kiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    summary = models.TextField(_("tóm tắt"), blank=True)
    topics = TaggableManager(
        verbose_name=_("chủ đề"), through="TaggedEvent", blank=True, manager=CleanTags
    )

    slug_source = "title"
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "start_time", "title"]
        verbose_name = _("sự kiện")
        verbose_name_plural = _("sự kiện")

    def clean(self):
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Ngày kết thúc trước ngày bắt đầu.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Sự kiện không thể thuộc chính nó.")})

    def _moment(self, date, time) -> datetime.datetime | None:
        if date is None or time is None or not self.timezone:
            return None
        return datetime.datetime.combine(date, time, zoneinfo.ZoneInfo(self.timezone))

    def sides(self) -> list[tuple[str, list["Participant"]]]:
        """Who met whom: the participants grouped by side, from the prefetched rows."""
        by_side: dict[int, list[Participant]] = {}
        for participant in self.participants.all():
            by_side.setdefault(participant.side, []).append(participant)
        return [(Participant.Side(side).label, people) for side, people in sorted(by_side.items())]

    @property
    def starts_at(self) -> datetime.datetime | None:
        """The aware start, when the time of day and the zone are both known."""
        return self._moment(self.start_date, self.start_time)

    @property
    def ends_at(self) -> datetime.datetime | None:
        return self._moment(self.end_date or self.start_date, self.end_time)


class Participant(NaturallyKeyed):
    """Who took part in an event, for whom, on which side of the table."""

    class Side(models.IntegerChoices):
        FIRST = 1, _("Bên thứ nhất")
        SECOND = 2, _("Bên thứ hai")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participants", verbose_name=_("sự kiện")
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("nhân vật"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("đại diện cho"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    side = models.PositiveSmallIntegerField(_("phía"), choices=Side, default=Side.FIRST)
    role = models.CharField(_("vai trò"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    natural_key_fields = ("event__slug", "person__slug", "organization__slug")

    class Meta:
        ordering = ["side", "position"]
        verbose_name = _("thành phần tham dự")
        verbose_name_plural = _("thành phần tham dự")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False),
                name="participant_is_someone",
            ),
            models.UniqueConstraint(
                fields=["event", "person", "organization"], name="unique_participant"
            ),
        ]

    def __str__(self):
        return " – ".join(str(x) for x in (self.person, self.organization) if x)


class Outcome(NaturallyKeyed):
    """What came of an event, a sentence each, with a figure where one was given:
    1.5 billion USD pledged, 10 to 15 ground stations, a tax cut from 5% to 2%."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("sự kiện")
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    description = models.TextField(_("kết quả"))
    amount = models.DecimalField(
        _("số lượng"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    amount_max = models.DecimalField(
        _("số lượng tối đa"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Cho một khoảng, ví dụ 10–15: số lượng 10, tối đa 15."),
    )
    amount_before = models.DecimalField(
        _("số lượng trước đó"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Cho một thay đổi, ví dụ thuế từ 5% xuống 2%: trước đó 5, số lượng 2."),
    )
    currency = models.CharField(
        _("tiền tệ"), max_length=3, blank=True, help_text=_("ISO 4217, ví dụ USD.")
    )
    unit = models.CharField(_("đơn vị"), max_length=50, blank=True)

    natural_key_fields = ("event__slug", "position")

    class Meta:
        ordering = ["position"]
        verbose_name = _("kết quả")
        verbose_name_plural = _("kết quả")
        constraints = [
            models.UniqueConstraint(fields=["event", "position"], name="unique_outcome_position"),
        ]

    def __str__(self):
        return self.description

    def clean(self):
        if self.amount_max is not None and (self.amount is None or self.amount_max < self.amount):
            raise ValidationError({"amount_max": _("Số lượng tối đa phải không nhỏ hơn số lượng.")})
        if (self.currency or self.unit or self.amount_before is not None) and self.amount is None:
            raise ValidationError(
                {"amount": _("Cần có số lượng khi ghi tiền tệ, đơn vị hay số trước đó.")}
            )


class TaggedEvent(_TaggedItem):
    content_object = models.ForeignKey(Event, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_events")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_event_tag"),
        ]
