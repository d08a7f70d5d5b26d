"""What happened: working trips and the meetings within them, and who took
part for whom on which side. What came of each is in outcomes.py."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from .base import (
    CleanTags,
    NamedByStories,
    NamedByStoriesQuerySet,
    NaturallyKeyed,
    TaggedItem,
    validate_timezone,
)
from .entities import Country, Organization, Person, Tag, country_link


class EventQuerySet(NamedByStoriesQuerySet):
    def with_details(self):
        """Who took part, for whom, and the meetings in the order they happened."""
        return self.prefetch_related(
            models.Prefetch(
                "participants",
                queryset=Participant.objects.select_related("person", "organization", "country"),
            ),
            models.Prefetch("children", queryset=Event.objects.in_order()),
        )

    def in_order(self):
        """In the order they happened, and on one day in the order they were reported."""
        return self.order_by("start_date", F("start_time").asc(nulls_last=True), "position", "pk")


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
    title_en = models.CharField(_("tên tiếng Anh"), max_length=255, blank=True)
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
    country = country_link("events")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc sự kiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField(
        _("thứ tự"),
        default=0,
        help_text=_("Thứ tự trong ngày, khi không rõ giờ: theo thứ tự bài báo kể lại."),
    )
    summary = models.TextField(_("tóm tắt"), blank=True)
    topics = TaggableManager(
        verbose_name=_("chủ đề"), through="TaggedEvent", blank=True, manager=CleanTags
    )

    slug_source = "title"
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "start_time", "position", "title"]
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
        """Who met whom, from the prefetched rows: each side named by the party
        its first participant stands for ("Phía Việt Nam", "Phía SpaceX")."""
        by_side: dict[int, list[Participant]] = {}
        for participant in self.participants.all():
            by_side.setdefault(participant.side, []).append(participant)
        return [
            (
                _("Phía %(party)s") % {"party": people[0].party}
                if people[0].party
                else Participant.Side(side).label,
                people,
            )
            for side, people in sorted(by_side.items())
        ]

    @property
    def starts_at(self) -> datetime.datetime | None:
        """The aware start, when the time of day and the zone are both known."""
        return self._moment(self.start_date, self.start_time)

    @property
    def ends_at(self) -> datetime.datetime | None:
        return self._moment(self.end_date or self.start_date, self.end_time)


class Participant(NaturallyKeyed):
    """Who took part in an event, for whom, on which side of the table, with the
    title they held then (a person's title changes; the record must not)."""

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
    country = models.ForeignKey(
        Country,
        verbose_name=_("thay mặt quốc gia"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
        help_text=_("Khi người này đại diện cho cả một quốc gia, ví dụ trưởng đoàn đàm phán."),
    )
    side = models.PositiveSmallIntegerField(_("phía"), choices=Side, default=Side.FIRST)
    title = models.CharField(_("chức vụ lúc đó"), max_length=255, blank=True)
    role = models.CharField(_("vai trò"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    natural_key_fields = ("event__slug", "person__slug", "organization__slug")

    class Meta:
        ordering = ["side", "position"]
        verbose_name = _("thành phần tham dự")
        verbose_name_plural = _("thành phần tham dự")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False)
                | Q(organization__isnull=False)
                | Q(country__isnull=False),
                name="participant_is_someone",
            ),
            models.UniqueConstraint(
                fields=["event", "person", "organization"], name="unique_participant"
            ),
        ]

    def __str__(self):
        return " – ".join(str(x) for x in (self.person, self.organization, self.country) if x)

    @property
    def party(self) -> "Country | Organization | Person | None":
        """Whom this participant's side stands for: a country, else an organization."""
        return self.country or self.organization or self.person


class TaggedEvent(TaggedItem):
    content_object = models.ForeignKey(Event, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_events")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_event_tag"),
        ]
