"""What came of an event, as data readers can follow: who pledged, proposed,
requested or agreed what, to whom, with what figure, and how it stands now."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..text.amounts import QUALIFIERS
from .base import ByNaturalKey, NaturallyKeyed
from .entities import Country, Organization, Person
from .events import Event, Participant
from .stories import Article

# The three kinds of thing that can make or receive a commitment, by field suffix.
PARTIES = {"country": Country, "organization": Organization, "person": Person}


class OutcomeQuerySet(models.QuerySet):
    def public(self):
        """What readers may see: outcomes that a published story reports, once
        that story is live. An outcome known only from a draft stays as hidden as
        the draft. Read from ``shown_from``, kept by ``show_from_reports`` in
        the save that changes it."""
        return self.filter(shown_from__lte=timezone.now())

    def show_from_reports(self) -> int:
        """Set each outcome's ``shown_from`` from the stories reporting it as they
        stand now: one UPDATE, in the transaction of the change that asks for it."""
        first = (
            Article.objects.filter(status=Article.Status.PUBLISHED, outcomes=OuterRef("pk"))
            .annotate(live=Coalesce("published_at", "created_at"))
            .order_by("live")
            .values("live")[:1]
        )
        return self.update(shown_from=Subquery(first))

    def of_event(self, event: Event):
        """An event's outcomes, and those of the meetings within it."""
        return self.filter(Q(event=event) | Q(event__parent=event))

    def involving(self, party) -> "OutcomeQuerySet":
        """Those ``party`` (a country, an organization or a person) made or received:
        as a side, as one of several recipients, as one of "both sides" of a meeting
        it took part in; and for a person, what the country or body they stood
        for in a meeting made or received there."""
        suffix = next(name for name, model in PARTIES.items() if isinstance(party, model))
        sides = Q(**{f"actor_{suffix}": party}) | Q(**{f"counterpart_{suffix}": party})
        if suffix == "organization":
            received = Outcome.recipients.through.objects.filter(
                outcome=OuterRef("pk"), organization=party
            )
            sides |= Q(Exists(received))
        took_part = Participant.objects.filter(**{suffix: party})
        sides |= Q(mutual=True, event__in=took_part.values("event"))
        if suffix == "person":  # what the country or body they stood for made or received there
            stood_for = took_part.filter(event=OuterRef("event")).filter(
                Q(country=OuterRef("actor_country"))
                | Q(country=OuterRef("counterpart_country"))
                | Q(organization=OuterRef("actor_organization"))
                | Q(organization=OuterRef("counterpart_organization"))
            )
            sides |= Q(Exists(stood_for))
        return self.filter(sides)

    def for_listing(self):
        return self.prefetch_related("recipients").select_related(
            "event__parent",
            *(f"{role}_{suffix}" for role in ("actor", "counterpart") for suffix in PARTIES),
        )

    def newest_first(self):
        return self.order_by(
            models.F("stated_on").desc(nulls_last=True),
            "-event__start_date",
            "event__position",
            "position",
            "pk",
        )


def _party(role: str, suffix: str, label) -> models.ForeignKey:
    return models.ForeignKey(
        PARTIES[suffix],
        verbose_name=label,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=f"outcomes_as_{role}",
    )


class Quantified(models.Model):
    """A figure as a story gives it: about 1.5 billion USD, 10 to 15 ground
    stations, a tax cut from 5% to 2%. An outcome has one, and so may each
    story's report of it where that story gives another."""

    FIGURE_FIELDS = (
        "amount", "amount_max", "amount_before", "approximate", "qualifier", "currency", "unit",
    )  # fmt: skip

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
    # Database defaults: a deploy's code before a column was added still inserts rows.
    approximate = models.BooleanField(
        _("ước chừng"),
        default=False,
        db_default=False,
        help_text=_("Bài viết nói “khoảng”, “gần”, “hơn”…"),
    )
    qualifier = models.CharField(
        _("cách nói"),
        max_length=10,
        blank=True,
        default="",
        db_default="",
        choices=list(QUALIFIERS.items()),
        help_text=_("Từ bài viết đặt trước con số, để người đọc thấy đúng như bài viết."),
    )
    currency = models.CharField(
        _("tiền tệ"),
        max_length=3,
        blank=True,
        default="",
        db_default="",
        help_text=_("ISO 4217, ví dụ USD."),
    )
    unit = models.CharField(_("đơn vị"), max_length=50, blank=True, default="", db_default="")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.qualifier:  # "gần", "hơn": not the exact figure
            self.approximate = True
        super().save(*args, **kwargs)

    def figure_errors(self) -> dict:
        """What is wrong with the figure, by field: for ``clean``."""
        errors = {}
        if self.amount_max is not None and (self.amount is None or self.amount_max < self.amount):
            errors["amount_max"] = _("Số lượng tối đa phải không nhỏ hơn số lượng.")
        if (self.currency or self.unit or self.amount_before is not None) and self.amount is None:
            errors["amount"] = _("Cần có số lượng khi ghi tiền tệ, đơn vị hay số trước đó.")
        return errors

    @property
    def figure(self) -> tuple:
        """The figure's values, to tell whether two figures are the same."""
        return tuple(getattr(self, name) for name in self.FIGURE_FIELDS)


class Outcome(Quantified, NaturallyKeyed):
    """One thing an event produced or recalled, a sentence each, with a figure
    where one was given: about 1.5 billion USD, 10 to 15 ground stations, a tax
    cut from 5% to 2%. What was already so before the event (a policy in force,
    an agreement signed earlier) is marked as background, not as a result."""

    class Kind(models.TextChoices):
        PLEDGE = "pledge", _("Cam kết")
        PROPOSAL = "proposal", _("Đề xuất")
        REQUEST = "request", _("Đề nghị")
        AGREEMENT = "agreement", _("Thoả thuận")
        POLICY = "policy", _("Chính sách")
        STATEMENT = "statement", _("Tuyên bố")
        PLAN = "plan", _("Kế hoạch")

    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("Đã nêu")
        UNDER_WAY = "under_way", _("Đang thực hiện")
        DONE = "done", _("Đã thực hiện")
        DROPPED = "dropped", _("Đã huỷ bỏ")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("sự kiện")
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    description = models.TextField(_("nội dung"))
    kind = models.CharField(_("loại"), max_length=10, choices=Kind, default=Kind.STATEMENT)
    actor_country = _party("actor", "country", _("bên đưa ra (quốc gia)"))
    actor_organization = _party("actor", "organization", _("bên đưa ra (tổ chức)"))
    actor_person = _party("actor", "person", _("bên đưa ra (nhân vật)"))
    counterpart_country = _party("counterpart", "country", _("bên nhận (quốc gia)"))
    counterpart_organization = _party("counterpart", "organization", _("bên nhận (tổ chức)"))
    counterpart_person = _party("counterpart", "person", _("bên nhận (nhân vật)"))
    mutual = models.BooleanField(
        _("của cả hai bên"),
        default=False,
        db_default=False,
        help_text=_("Hai bên cùng nhất trí, thống nhất: không ghi bên đưa ra và bên nhận."),
    )
    recipients = models.ManyToManyField(
        Organization,
        verbose_name=_("các tổ chức nhận"),
        blank=True,
        related_name="outcomes_received",
        help_text=_("Khi một đề nghị hay cam kết gửi tới nhiều tổ chức cùng lúc."),
    )
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status, default=Status.ANNOUNCED
    )
    stated_on = models.DateField(_("ngày nêu"), null=True, blank=True)
    background = models.BooleanField(
        _("bối cảnh"),
        default=False,
        help_text=_("Đã có từ trước sự kiện, được nhắc lại; không phải kết quả của sự kiện."),
    )
    reported_by = models.ManyToManyField(
        Article,
        through="OutcomeReport",
        verbose_name=_("bài đưa tin"),
        blank=True,
        related_name="outcomes",
    )
    # When readers may first see it: the time the first published story reporting
    # it went (or goes) live; None while none does. Kept by ``show_from_reports``.
    shown_from = models.DateTimeField(null=True, blank=True, editable=False)
    natural_key_fields = ("event__slug", "position")
    objects = ByNaturalKey.from_queryset(OutcomeQuerySet)()

    class Meta:
        ordering = ["position"]
        verbose_name = _("kết quả")
        verbose_name_plural = _("kết quả")
        constraints = [
            models.UniqueConstraint(fields=["event", "position"], name="unique_outcome_position"),
            # At most one party each: at least two of the three left empty.
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{role}_{a}__isnull": True, f"{role}_{b}__isnull": True})
                    | Q(**{f"{role}_{a}__isnull": True, f"{role}_{c}__isnull": True})
                    | Q(**{f"{role}_{b}__isnull": True, f"{role}_{c}__isnull": True}),
                    name=f"outcome_one_{role}",
                )
                for role in ("actor", "counterpart")
                for a, b, c in [tuple(PARTIES)]
            ),
        ]

    def __str__(self):
        return self.description

    def get_absolute_url(self):
        return f"{self.event.get_absolute_url()}#ket-qua-{self.pk}"

    @property
    def actor(self):
        return self.actor_country or self.actor_organization or self.actor_person

    @property
    def counterpart(self):
        return self.counterpart_country or self.counterpart_organization or self.counterpart_person

    @property
    def counterparts(self) -> list:
        """Everyone it was made to: the counterpart, then the recipients (prefetched
        by ``for_listing``)."""
        return [x for x in (self.counterpart,) if x is not None] + list(self.recipients.all())

    def clean(self):
        errors = {}
        for role in ("actor", "counterpart"):
            named = [s for s in PARTIES if getattr(self, f"{role}_{s}_id") is not None]
            if len(named) > 1:
                errors[f"{role}_{named[1]}"] = _("Chỉ chọn một: quốc gia, tổ chức hoặc nhân vật.")
        if self.mutual and (self.actor or self.counterpart):
            errors["mutual"] = _("Của cả hai bên thì không ghi bên đưa ra, bên nhận.")
        errors.update(self.figure_errors())
        if errors:
            raise ValidationError(errors)


class OutcomeReport(Quantified, NaturallyKeyed):
    """One story's report of an outcome, with that story's own words and figure
    where they differ from the outcome's: two outlets may word one pledge
    differently, or give its figure as "khoảng 1,5 tỷ USD" and "1,5 tỷ USD"."""

    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="reports", verbose_name=_("kết quả")
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="outcome_reports", verbose_name=_("bài")
    )
    wording = models.TextField(
        _("lời của bài"),
        blank=True,
        default="",
        db_default="",
        help_text=_("Kết quả như bài này viết, khi khác nội dung chung; để trống nếu như nhau."),
    )

    natural_key_fields = ("outcome__event__slug", "outcome__position", "article__slug")

    class Meta:
        # The table and its one row per outcome and story are those the plain
        # many-to-many made before reports had words of their own.
        db_table = "articles_outcome_reported_by"
        unique_together = [("outcome", "article")]
        verbose_name = _("bài đưa tin")
        verbose_name_plural = _("các bài đưa tin")

    def __str__(self):
        return str(self.article)  # on its outcome's page: the story reporting it

    def get_absolute_url(self):
        return self.article.get_absolute_url()

    def clean(self):
        if errors := self.figure_errors():
            raise ValidationError(errors)

    @property
    def words(self) -> str:
        """The outcome as this story words it."""
        return self.wording or self.outcome.description

    @property
    def figure_source(self) -> Quantified:
        """Whose figure this story gives: its own, else the outcome's."""
        return self if self.amount is not None else self.outcome

    @property
    def differs(self) -> bool:
        """This story words it or gives its figure otherwise than the outcome."""
        own_words = bool(self.wording) and self.wording != self.outcome.description
        return own_words or self.figure_source.figure != self.outcome.figure
