"""The commitments tracker's reading of outcomes: the filters readers narrow it
with (the listing's parameter names: ``organization``, ``person``, ``country``,
``event``, plus ``kind`` and ``status``), the totals per currency of what they
chose, and the same rows as CSV."""

import csv

import django_filters
from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .amounts import amount_text
from .filters import ReadersFilterSet
from .kinds import BY_NAME, Kind
from .models import Article, Outcome

# Filters that name a thing by slug: whoever made or received it, and the event.
PARTY_KINDS = [BY_NAME[name] for name in ("organization", "person", "country")]
MAX_OPTIONS = 100


def public_outcomes() -> QuerySet:
    """What readers may see, with what a row shows, newest first."""
    stories = Article.objects.published().only("slug", "headline", "published_at")
    return (
        Outcome.objects.public()
        .for_listing()
        .newest_first()
        .prefetch_related(Prefetch("reported_by", queryset=stories.order_by("pk")))
    )


def _thing_filter(kind: Kind, method) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        queryset=kind.model.objects.all(),
        to_field_name="slug",
        label=capfirst(kind.model._meta.verbose_name),
        empty_label=_("Tất cả"),
        method=method,
    )


def _options(fields) -> dict[str, list[tuple[str, str]]]:
    """Who and what the public outcomes name, for the form's lists (kept per generation)."""
    public = Outcome.objects.public()
    options = {}
    named = Q(outcomes_as_actor__in=public) | Q(outcomes_as_counterpart__in=public)
    for kind in PARTY_KINDS:
        things = fields[kind.name].queryset.filter(named).distinct().order_by("name")
        options[kind.name] = [(t.slug, str(t)) for t in things[:MAX_OPTIONS]]
    events = fields["event"].queryset.filter(outcomes__in=public).distinct()
    events = events.order_by("-start_date", "position")[:MAX_OPTIONS]
    options["event"] = [(e.slug, str(e)) for e in events]
    return options


class OutcomeFilterBase(ReadersFilterSet):
    """What the filters do; their fields are declared on ``OutcomeFilter`` below."""

    lists = "commitment-options"
    listed = [*(kind.name for kind in PARTY_KINDS), "event"]

    class Meta:
        model = Outcome
        fields = []

    def compute_lists(self) -> dict[str, list[tuple[str, str]]]:
        return _options(self.form.fields)


OutcomeFilter = type(
    "OutcomeFilter",
    (OutcomeFilterBase,),
    {
        "__module__": __name__,
        "__doc__": "Outcomes made or received by a party, of an event (and its meetings), "
        "of a kind, in a state.",
        **{
            kind.name: _thing_filter(kind, lambda outcomes, name, party: outcomes.involving(party))
            for kind in PARTY_KINDS
        },
        "event": _thing_filter(BY_NAME["event"], lambda outcomes, name, e: outcomes.of_event(e)),
        "kind": django_filters.ChoiceFilter(
            label=_("Loại"), choices=Outcome.Kind.choices, empty_label=_("Tất cả")
        ),
        "status": django_filters.ChoiceFilter(
            label=_("Tình trạng"), choices=Outcome.Status.choices, empty_label=_("Tất cả")
        ),
    },
)


def totals(outcomes: QuerySet) -> list[dict]:
    """What the outcomes add up to, per currency: a range where any is a range,
    "about" where any is approximate. One query, whatever their number."""
    rows = (
        outcomes.exclude(currency="")
        .exclude(amount=None)
        .order_by()
        .values("currency")
        .annotate(
            low=Sum("amount"),
            high=Sum(Coalesce("amount_max", "amount")),
            approximate=Count("pk", filter=Q(approximate=True)),
            count=Count("pk"),
        )
        .order_by("currency")
    )
    return [
        {
            "currency": row["currency"],
            "count": row["count"],
            "text": amount_text(
                row["low"],
                upper=row["high"],
                currency=row["currency"],
                approximate=bool(row["approximate"]),
            ),
        }
        for row in rows
    ]


CSV_COLUMNS = (
    "stated_on",
    "event",
    "event_url",
    "kind",
    "status",
    "background",
    "actor",
    "counterpart",
    "description",
    "amount",
    "amount_max",
    "amount_before",
    "unit",
    "currency",
    "approximate",
    "stories",
)


def _number(value) -> str:
    return "" if value is None else format(value.normalize(), "f")


def as_csv(request: HttpRequest, outcomes: QuerySet) -> HttpResponse:
    """Every outcome of the filtered set, one row each, the amounts as numbers."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cam-ket.csv"'
    response.write("\ufeff")  # spreadsheets read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow(CSV_COLUMNS)
    absolute = request.build_absolute_uri
    for o in outcomes.iterator(chunk_size=500):
        writer.writerow(
            [
                o.stated_on.isoformat() if o.stated_on else "",
                str(o.event),
                absolute(o.event.get_absolute_url()),
                o.kind,
                o.status,
                int(o.background),
                str(o.actor or ""),
                str(o.counterpart or ""),
                o.description,
                *(_number(v) for v in (o.amount, o.amount_max, o.amount_before)),
                o.unit,
                o.currency,
                int(o.approximate),
                " ".join(absolute(a.get_absolute_url()) for a in o.reported_by.all()),
            ]
        )
    return response
