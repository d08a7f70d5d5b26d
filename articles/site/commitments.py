"""The commitments tracker's reading of outcomes: the filters readers narrow it
with (the listing's parameter names: ``organization``, ``person``, ``country``,
``event``, plus ``kind`` and ``status``), the totals per kind and currency of what they
chose, and the same rows as CSV."""

import csv
import unicodedata

import django_filters
from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ..freshness import edge, surrogates
from ..kinds import BY_NAME, Kind
from ..models import PARTIES, Article, Event, Outcome, OutcomeReport
from ..models.base import address
from ..models.stories import published_filter
from ..text.amounts import amount_text, outcome_amount
from .filters import ReadersFilterSet

# Filters that name a thing by slug: whoever made or received it, and the event.
PARTY_KINDS = [BY_NAME[name] for name in ("organization", "person", "country")]
MAX_OPTIONS = 100
OPTIONS_FROM = 500  # the newest outcomes, whose parties and events fill the form's lists
STORIES_SHOWN = 3  # per outcome in the tracker; the event page has them all


def public_outcomes(stories: int | None = STORIES_SHOWN + 1) -> QuerySet:
    """What readers may see, with what a row shows, newest first: the reports of
    the newest ``stories`` published stories reporting each as ``public_reports``
    (one more than shown says there are more; None: all of them)."""
    reporting = Prefetch(
        "reports", queryset=published_reports()[:stories], to_attr="public_reports"
    )
    return Outcome.objects.public().for_listing().newest_first().prefetch_related(reporting)


def published_reports() -> QuerySet:
    """The reports of outcomes by published stories, each with what a row
    shows of its story, the newest story first."""
    story = (f"article__{name}" for name in ("slug", "headline", "published_at", "language"))
    return (
        OutcomeReport.objects.filter(published_filter("article__"))
        .select_related("article")
        .only("outcome", "wording", *OutcomeReport.FIGURE_FIELDS, *story)
        .order_by(F("article__published_at").desc(nulls_last=True), "-article")
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
    """Who and what the newest ``OPTIONS_FROM`` public outcomes name, for the form's
    lists: the ids read in one pass over them, the names by id (kept until an
    outcome or one of the things named changes). Any other party or event is still
    a filter by its slug, as its own page links to it."""
    kinds = (*PARTY_KINDS, BY_NAME["event"])
    edge.show(surrogates.COMMITMENTS, *(surrogates.everything(kind.model) for kind in kinds))
    columns = [f"{role}_{suffix}" for role in ("actor", "counterpart") for suffix in PARTIES]
    newest = Outcome.objects.public().order_by(F("stated_on").desc(nulls_last=True), "-pk")
    rows = newest.values_list("event", "event__parent", *columns)[:OPTIONS_FROM]
    ids: dict[str, set[int]] = {name: set() for name in (*PARTIES, "event")}
    for event, parent, *parties in rows:
        ids["event"].update((event, parent))
        for column, pk in zip(columns, parties, strict=True):
            ids[column.partition("_")[2]].add(pk)
    options = {}
    for kind in PARTY_KINDS:
        things = fields[kind.name].queryset.filter(pk__in=ids[kind.name]).order_by("name")
        options[kind.name] = [(t.slug, str(t)) for t in things[:MAX_OPTIONS]]
    events = fields["event"].queryset.filter(pk__in=ids["event"])
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


OutcomeFilter: type[OutcomeFilterBase] = type(
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


def chosen(request: HttpRequest) -> tuple[QuerySet, HttpResponseBadRequest | None]:
    """The public outcomes the request's filters choose, or the reasons they
    cannot (a 400 for the CSV and the feed; the page shows them in its form)."""
    filterset = OutcomeFilter(request.GET, queryset=public_outcomes())
    if filterset.is_valid():
        return filterset.qs, None
    reasons = filterset.errors.as_text()
    return Outcome.objects.none(), HttpResponseBadRequest(
        reasons, content_type="text/plain; charset=utf-8"
    )


def totals(outcomes: QuerySet) -> list[dict]:
    """What the outcomes add up to, per kind and currency, never across kinds (a
    request is not money pledged): a range where any is a range, "about" where
    any is approximate. One query, whatever their number."""
    order = {kind: n for n, kind in enumerate(Outcome.Kind.values)}
    rows = (
        outcomes.exclude(currency="")
        .exclude(amount=None)
        .order_by()
        .values("kind", "currency")
        .annotate(
            low=Sum("amount"),
            high=Sum(Coalesce("amount_max", "amount")),
            approximate=Count("pk", filter=Q(approximate=True)),
            count=Count("pk"),
        )
        .order_by("kind", "currency")
    )
    return [
        {
            "kind": Outcome.Kind(row["kind"]).label,
            "currency": row["currency"],
            "count": row["count"],
            "text": amount_text(
                row["low"],
                upper=row["high"],
                currency=row["currency"],
                approximate=bool(row["approximate"]),
            ),
        }
        for row in sorted(rows, key=lambda row: (order.get(row["kind"], 99), row["currency"]))
    ]


# The export's columns: the header in the reader's language (the Vietnamese site's
# file in Vietnamese, the English site's in English), and the kind and status both as
# the reader reads them and as codes, in columns of their own, for programs.
CSV_COLUMNS = (
    pgettext_lazy("export column", "Ngày"),
    pgettext_lazy("export column", "Sự kiện"),
    pgettext_lazy("export column", "Địa chỉ sự kiện"),
    pgettext_lazy("export column", "Loại"),
    pgettext_lazy("export column", "Mã loại"),
    pgettext_lazy("export column", "Tình trạng"),
    pgettext_lazy("export column", "Mã tình trạng"),
    pgettext_lazy("export column", "Bối cảnh"),
    pgettext_lazy("export column", "Bên đưa ra"),
    pgettext_lazy("export column", "Bên nhận"),
    pgettext_lazy("export column", "Nội dung"),
    pgettext_lazy("export column", "Giá trị"),
    pgettext_lazy("export column", "Giá trị tối đa"),
    pgettext_lazy("export column", "Giá trị trước"),
    pgettext_lazy("export column", "Đơn vị"),
    pgettext_lazy("export column", "Tiền tệ"),
    pgettext_lazy("export column", "Khoảng"),
    pgettext_lazy("export column", "Cách nói"),
    pgettext_lazy("export column", "Bài đưa tin"),
    pgettext_lazy("export column", "Theo từng bài"),
)


def _number(value) -> str:
    return "" if value is None else format(value.normalize(), "f")


FORMULA_STARTS = ("=", "+", "-", "@")


def _text(value) -> str:
    """A text cell a spreadsheet shows as text: one it would run as a formula
    (``=HYPERLINK(…)``) is kept as typed behind an apostrophe, as OWASP advises.
    Judged by its first visible character in its compatibility form, since
    spreadsheets skip leading blanks and read ``＝`` (full width) as ``=``."""
    text = str(value or "")
    visible = next((c for c in text if not _invisible(c)), "")
    return f"'{text}" if unicodedata.normalize("NFKC", visible).startswith(FORMULA_STARTS) else text


def _invisible(character: str) -> bool:
    return character.isspace() or unicodedata.category(character) in ("Cc", "Cf", "Zs")


def _reports(outcomes: list[Outcome]) -> dict[int, list[OutcomeReport]]:
    """The reports of ``outcomes`` by published stories, newest first, each
    knowing its outcome: one query a chunk, as an export may name tens of thousands."""
    by_pk = {o.pk: o for o in outcomes}
    reports: dict[int, list[OutcomeReport]] = {}
    for report in published_reports().filter(outcome__in=list(by_pk)):
        report.outcome = by_pk[report.outcome_id]
        reports.setdefault(report.outcome_id, []).append(report)
    return reports


def _as_reported(report: OutcomeReport, origin: str) -> str:
    """One story's report in a cell: its address, then its figure and words where
    they are its own."""
    where = origin + _story_address(report)
    if not report.differs:
        return where
    said = " · ".join(part for part in (outcome_amount(report.figure_source), report.words) if part)
    return f"{where} ({said})"


def _story_address(report: OutcomeReport) -> str:
    return address(Article, report.article.slug, report.article.language)


def _recipients(outcome_ids: list[int]) -> dict[int, list]:
    """The organizations each outcome was also made to, in one query a chunk."""
    rows = Outcome.recipients.through.objects.filter(outcome__in=outcome_ids)
    recipients: dict[int, list] = {}
    for row in rows.select_related("organization").order_by("organization__name"):
        recipients.setdefault(row.outcome_id, []).append(row.organization)
    return recipients


def as_csv(request: HttpRequest, outcomes: QuerySet, chunk: int = 500) -> HttpResponse:
    """Every outcome of the filtered set, one row each, in the reader's language
    (``CSV_COLUMNS``), the amounts as numbers, with every story that reports it."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cam-ket.csv"'
    response.write("\ufeff")  # spreadsheets read the file as UTF-8
    writer = csv.writer(response)
    writer.writerow([str(header) for header in CSV_COLUMNS])
    yes, no = str(_("có")), str(_("không"))
    origin = request.build_absolute_uri("/").removesuffix("/")
    rows = list(outcomes.prefetch_related(None))
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        reports = _reports(part)
        recipients = _recipients([o.pk for o in part])
        for o in part:
            writer.writerow(
                [
                    o.stated_on.isoformat() if o.stated_on else "",
                    _text(o.event),
                    origin + address(Event, o.event.slug),
                    o.get_kind_display(),
                    o.kind,
                    o.get_status_display(),
                    o.status,
                    yes if o.background else no,
                    str(_("Hai bên")) if o.mutual else _text(o.actor),
                    "; ".join(
                        _text(party)
                        for party in [o.counterpart, *recipients.get(o.pk, ())]
                        if party is not None
                    ),
                    _text(o.description),
                    *(_number(v) for v in (o.amount, o.amount_max, o.amount_before)),
                    _text(o.unit),
                    o.currency,
                    yes if o.approximate else no,
                    o.get_qualifier_display(),
                    " ".join(origin + _story_address(r) for r in reports.get(o.pk, ())),
                    _text("\n".join(_as_reported(r, origin) for r in reports.get(o.pk, ()))),
                ]
            )
    return response


def by_meeting(outcomes: list[Outcome], event: Event) -> list[tuple[Event, list[Outcome]]]:
    """``outcomes`` of ``event`` grouped under the meeting each came from, the
    meetings in the order they happened, those of the event as a whole first."""
    groups: dict[int, tuple[Event, list[Outcome]]] = {}
    for outcome in outcomes:
        groups.setdefault(outcome.event_id, (outcome.event, []))[1].append(outcome)

    def when(meeting: Event) -> tuple:
        if meeting.pk == event.pk:
            return (0,)
        time = meeting.start_time.isoformat() if meeting.start_time else "99"
        return (1, meeting.start_date, time, meeting.position, meeting.pk)

    return sorted(groups.values(), key=lambda group: when(group[0]))
