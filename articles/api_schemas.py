"""What the API answers and the parameters it takes, as its OpenAPI document
describes them (api.py serves them)."""

import datetime
from typing import Literal

from django.conf import settings
from ninja import Field, Schema
from pydantic import create_model

from .kinds import KINDS

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
    approximate: bool = Field(description="the story says “about”")
    text: str = Field(description="as readers read it: “khoảng 1,5 tỷ USD”")


class Party(Ref):
    type: str = Field(description="country, organization or person")


class OutcomeOut(Schema):
    id: int
    uri: str
    description: str
    kind: str
    status: str
    stated_on: datetime.date | None
    background: bool = Field(description="already so before the event, not a result of it")
    actor: Party | None
    counterpart: Party | None
    amount: Amount | None
    event: Ref
    stories: list[Ref] = Field(description="the published stories that report it")


class EventDetail(Entity):
    kind: str
    start_date: datetime.date
    end_date: datetime.date | None
    place: str
    country: Ref | None
    parent: Ref | None
    meetings: list[Ref]
    outcomes: list[OutcomeOut]


class OutcomeFilters(Schema):
    organization: str | None = None
    person: str | None = None
    country: str | None = None
    event: str | None = Field(None, description="an event's slug: its outcomes and its meetings'")
    kind: str | None = None
    status: str | None = None


class StoryFiltersBase(Schema):
    q: str | None = None
    language: Literal[tuple(code for code, _name in settings.LANGUAGES)] | None = Field(
        None, description="stories written in this language only"
    )
    # Strings, not dates: pydantic would read "0" as a Unix timestamp. The filter checks them.
    date_after: str | None = Field(None, pattern=ISO_DATE, description="YYYY-MM-DD")
    date_before: str | None = Field(None, pattern=ISO_DATE, description="YYYY-MM-DD")


# The words, the dates, and one parameter for each kind (by its slug).
StoryFilters = create_model(
    "StoryFilters",
    __base__=StoryFiltersBase,
    **{kind.name: (str | None, Field(None, description=f"a {kind.name}'s slug")) for kind in KINDS},
)
