"""The read-only JSON API under /api/, described by /api/openapi.json.

Stories use the field names of IPTC's ninjs where one fits (uri, headline,
description_text, body_html, byline, firstcreated, versioncreated, language,
subject, person, organisation). Only published stories are ever served, and
the story list takes the same filters and search as the website.

Lists page in the database, as the website's do: a page reads one row past
itself to say whether there is a next one (no count of the archive), is built
from that page's rows alone, and goes no deeper than ``MAX_PAGE``.
"""

import datetime
from collections.abc import Callable
from typing import Any, Literal

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Field, NinjaAPI, Query, Schema
from ninja.pagination import PaginationBase, paginate
from pydantic import create_model

from newsroom import timeouts, unavailable

from ..kinds import BY_NAME, KINDS, Kind
from ..models import SEARCH_FIELDS, Article, Byline, Event, Quantified
from ..text.amounts import outcome_amount
from .commitments import OutcomeFilter, public_outcomes
from .filters import ArticleFilter
from .pagination import MAX_PAGE

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


class Error(Schema):
    """Why a request was refused: a message, or the reasons per parameter."""

    detail: str | dict | list


class Ref(Schema):
    """A link to something a story names."""

    name: str
    code: str
    uri: str


class Subject(Ref):
    scheme: str


class StoryListItem(Schema):
    uri: str
    slug: str
    type: str = "text"
    pubstatus: str = "usable"
    headline: str
    description_text: str
    byline: str
    firstcreated: datetime.datetime | None
    versioncreated: datetime.datetime | None
    language: str
    subject: list[Subject]


class CorrectionOut(Schema):
    kind: str = Field(description="correction or update")
    note: str
    at: datetime.datetime


class Translation(Ref):
    language: str


class Story(StoryListItem):
    body_html: str
    translations: list[Translation] = Field(
        description="the same story in other languages: its original, its translations"
    )
    corrections: list[CorrectionOut]
    person: list[Ref]
    organisation: list[Ref]
    event: list[Ref]
    source: Ref | None
    image_uri: str | None


class Entity(Schema):
    name: str
    code: str
    uri: str
    stories_uri: str


class Amount(Schema):
    """A figure as data: ``value`` to ``upper_bound`` (a range), from ``before`` (a change)."""

    value: float = Field(description="the amount; the lower bound of a range")
    upper_bound: float | None = None
    before: float | None = Field(None, description="what it was before, for a change")
    unit: str = ""
    currency: str = Field("", description="ISO 4217")
    approximate: bool = Field(description="the story says “about”, “nearly”, “over”…")
    qualifier: str = Field(
        "", description="the story's word: about, nearly, over, at_least, up_to; empty if none"
    )
    text: str = Field(description="as readers read it: “khoảng 1,5 tỷ USD”")


class Party(Ref):
    type: str = Field(description="country, organization or person")


class Report(Schema):
    """One story's report of an outcome: its words, and its figure (its own where it
    gives another than the outcome's)."""

    story: Ref
    wording: str
    amount: Amount | None


class OutcomeOut(Schema):
    id: int
    uri: str
    description: str
    kind: str
    status: str
    stated_on: datetime.date | None
    background: bool = Field(description="already so before the event, not a result of it")
    actor: Party | None = Field(description="who made it; null for both sides (mutual)")
    counterpart: Party | None
    mutual: bool = Field(description="made by both sides of the meeting together")
    recipients: list[Party] = Field(description="organizations it was also made to")
    amount: Amount | None
    event: Ref
    stories: list[Ref] = Field(description="the published stories that report it")
    reports: list[Report] = Field(description="each of those stories' own wording and figure")


class EventDetail(Entity):
    kind: str
    start_date: datetime.date
    end_date: datetime.date | None
    place: str
    country: Ref | None
    parent: Ref | None
    meetings: list[Ref]
    outcomes: list[OutcomeOut]


def _filters(name: str, filterset: Any, base: type[Schema] = Schema, **described: str) -> Any:
    """The API's query parameters for ``filterset``: the parameters it reads, as the
    site's filter forms read them (``ReadersFilterSet.parameters``), each a string the
    filter checks; a kind's by its slug. Dates are strings, not dates: pydantic would
    read "0" as a Unix timestamp."""
    fields: dict[str, Any] = {}
    for parameter in sorted(filterset.parameters()):
        if parameter.startswith("date_"):
            field = Field(None, pattern=ISO_DATE, description="YYYY-MM-DD")
        elif parameter in BY_NAME:
            field = Field(None, description=described.get(parameter, f"a {parameter}'s slug"))
        else:
            field = Field(None)
        fields[parameter] = (str | None, field)
    return create_model(name, __base__=base, **fields)


class StoryFiltersBase(Schema):
    language: Literal[tuple(code for code, _name in settings.LANGUAGES)] | None = Field(
        None, description="stories written in this language only"
    )


StoryFilters = _filters("StoryFilters", ArticleFilter, StoryFiltersBase)
OutcomeFilters = _filters(
    "OutcomeFilters", OutcomeFilter, event="an event's slug: its outcomes and its meetings'"
)


api = NinjaAPI(
    title="Toà soạn API",
    version="1",
    description=(
        "Read-only access to the newsroom's published stories, what they cover, "
        "and what came of the meetings they report."
    ),
    urls_namespace="api",
)

PAGE_SIZE = 20


class NextPagePagination(PaginationBase):
    """Page numbers without a count: ``next`` and ``previous`` say where to go."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)

    class Output(Schema):
        items: list[Any]
        next: int | None = Field(None, description="the next page's number, if there is one")
        previous: int | None = None

    def __init__(self, page_size: int = 20, **kwargs):
        self.page_size = page_size
        super().__init__(**kwargs)

    def paginate_queryset(self, queryset: "Presented", pagination: Input, request, **params):
        number, size = pagination.page, self.page_size
        rows = list(queryset.rows[(number - 1) * size : number * size + 1])
        return {
            "items": [queryset.present(row) for row in rows[:size]],
            "next": number + 1 if len(rows) > size and number < MAX_PAGE else None,
            "previous": number - 1 if number > 1 else None,
        }


class Presented:
    """Rows, and how the API presents one: only the page asked for is read and built."""

    def __init__(self, rows: QuerySet, present: Callable[[Any], dict]):
        self.rows, self.present = rows, present


def _ref(request, obj) -> dict:
    return {
        "name": str(obj),
        "code": obj.slug,
        "uri": request.build_absolute_uri(obj.get_absolute_url()),
    }


def _story(request: HttpRequest, article: Article, full: bool = False) -> dict:
    subjects = [{**_ref(request, t), "scheme": "tag"} for t in article.tags.all()]
    if article.section:
        subjects.insert(0, {**_ref(request, article.section), "scheme": "section"})
    data = {
        **_ref(request, article),
        "slug": article.slug,
        "headline": article.headline,
        "description_text": article.sapo,
        "byline": ", ".join(str(b.author) for b in article.bylines.all()),
        "firstcreated": article.published_at,
        "versioncreated": article.modified_at,
        "language": article.language,
        "subject": subjects,
    }
    if full:
        data.update(
            body_html=article.body,
            translations=[
                {**_ref(request, t), "language": t.language} for t in article.published_translations
            ],
            corrections=[
                {"kind": c.kind, "note": c.note, "at": c.at} for c in article.corrections.all()
            ],
            person=[_ref(request, p) for p in article.people.all()],
            organisation=[_ref(request, o) for o in article.organizations.all()],
            event=[_ref(request, e) for e in article.events.all()],
            source=_ref(request, article.source_outlet) if article.source_outlet else None,
            image_uri=request.build_absolute_uri(article.image.url) if article.image else None,
        )
    return data


def _party(request, party) -> dict | None:
    if party is None:
        return None
    return {**_ref(request, party), "type": party._meta.model_name}


def _amount(figure: Quantified) -> dict | None:
    if figure.amount is None:
        return None
    return {
        "value": figure.amount,
        "upper_bound": figure.amount_max,
        "before": figure.amount_before,
        "unit": figure.unit,
        "currency": figure.currency,
        "approximate": figure.approximate,
        "qualifier": figure.qualifier,
        "text": outcome_amount(figure),
    }


def _outcome(request: HttpRequest, outcome) -> dict:
    reports = outcome.public_reports
    return {
        "id": outcome.pk,
        "uri": request.build_absolute_uri(outcome.get_absolute_url()),
        "description": outcome.description,
        "kind": outcome.kind,
        "status": outcome.status,
        "stated_on": outcome.stated_on,
        "background": outcome.background,
        "actor": _party(request, outcome.actor),
        "counterpart": _party(request, outcome.counterpart),
        "mutual": outcome.mutual,
        "recipients": [_party(request, org) for org in outcome.recipients.all()],
        "amount": _amount(outcome),
        "event": _ref(request, outcome.event),
        "stories": [_ref(request, report.article) for report in reports],
        "reports": [
            {
                "story": _ref(request, report.article),
                "wording": report.words,
                "amount": _amount(report.figure_source),
            }
            for report in reports
        ],
    }


def _filtered(filterset_class, filters: Schema, queryset: QuerySet) -> QuerySet:
    """The rows the filters leave, or a 400 naming the bad parameters."""
    data = {key: str(value) for key, value in filters.dict().items() if value not in (None, "")}
    filterset = filterset_class(data, queryset=queryset)
    if not filterset.is_valid():
        raise BadFilter(filterset.errors.get_json_data())
    return filterset.qs


def _stories() -> QuerySet:
    return (
        Article.objects.published()
        .select_related("section", "source_outlet")
        .prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author")), "tags"
        )
    )


class BadFilter(Exception):
    def __init__(self, errors):
        self.errors = errors


@api.exception_handler(BadFilter)
def bad_filter(request, exc):
    return api.create_response(request, {"detail": exc.errors}, status=400)


@api.exception_handler(OperationalError)
@api.exception_handler(InterfaceError)
def database_unavailable(request, exc):
    """A statement stopped by its time limit, or a database out of reach
    (newsroom/unavailable.py): a 503, try again."""
    if timeouts.is_timeout(exc):
        detail = "The request took too long and was stopped; try again later or narrow it."
    else:
        detail = "The database is not answering; try again in a moment."
    response = api.create_response(request, {"detail": detail}, status=503)
    response["Retry-After"] = str(unavailable.RETRY_AFTER_SECONDS)
    return response


@api.get(
    "/stories",
    response={200: list[StoryListItem], 400: Error, 422: Error},
    summary="Published stories, newest first (or best first with q)",
)
@paginate(NextPagePagination, page_size=PAGE_SIZE)
def stories(request, filters: Query[StoryFilters]):
    rows = _stories().defer("body", *SEARCH_FIELDS)
    if filters.language:
        rows = rows.in_language(filters.language)
    rows = _filtered(ArticleFilter, filters, rows)
    return Presented(rows, lambda article: _story(request, article))


@api.get(
    "/outcomes",
    response={200: list[OutcomeOut], 400: Error, 422: Error},
    summary="What meetings produced (the commitments tracker), newest first",
)
@paginate(NextPagePagination, page_size=PAGE_SIZE)
def outcomes(request, filters: Query[OutcomeFilters]):
    rows = _filtered(OutcomeFilter, filters, public_outcomes(stories=None))
    return Presented(rows, lambda outcome: _outcome(request, outcome))


@api.get(
    "/stories/{slug}",
    response={200: Story, 301: None, 404: Error, 422: Error},
    summary="One published story (a renamed story's old slug redirects to the new)",
    url_name="story",
)
def story(request, slug: str):
    stories = _stories().prefetch_related("people", "organizations", "events", "corrections")
    article = stories.filter(slug=slug).first()
    if article is None:
        renamed = Article.objects.published().renamed_from(slug)
        moved = get_object_or_404(renamed.only("slug"))
        return HttpResponsePermanentRedirect(reverse("api:story", kwargs={"slug": moved.slug}))
    return _story(request, article, full=True)


def _event(request, event: Event) -> dict:
    """An event with its meetings in order and what came of it (and of them)."""
    return {
        "kind": event.kind,
        "start_date": event.start_date,
        "end_date": event.end_date,
        "place": event.place,
        "country": _ref(request, event.country) if event.country else None,
        "parent": _ref(request, event.parent) if event.parent else None,
        "meetings": [_ref(request, child) for child in event.children.in_order()],
        "outcomes": [_outcome(request, o) for o in public_outcomes(stories=None).of_event(event)],
    }


# What an event's detail shows besides the list's fields (``Kind.api_detail``).
EVENT_DETAIL = (EventDetail, _event)


def _entities(kind: Kind):
    """A paginated list and a detail endpoint for one kind of thing stories name."""
    name, feed_lookup = kind.plural, kind.name
    detail_schema, details = kind.api_detail_hooks() or (Entity, None)

    def present(request, obj) -> dict:
        return {
            **_ref(request, obj),
            "stories_uri": request.build_absolute_uri(f"/api/stories?{feed_lookup}={obj.slug}"),
        }

    @api.get(
        f"/{name}",
        response={200: list[Entity], 422: Error},
        summary=f"All {name}",
        operation_id=f"list_{name}",
    )
    @paginate(NextPagePagination, page_size=50)
    def listing(request):
        return Presented(kind.public().order_by("pk"), lambda obj: present(request, obj))

    @api.get(
        f"/{name}/{{slug}}",
        response={200: detail_schema, 404: Error, 422: Error},
        summary=f"One of the {name}",
        operation_id=f"get_{name}",
    )
    def detail(request, slug: str):
        obj = get_object_or_404(kind.public(), slug=slug)
        return {**present(request, obj), **(details(request, obj) if details else {})}


for _kind in KINDS:
    _entities(_kind)
