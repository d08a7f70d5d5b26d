"""The newsroom's vocabulary: stories, bylines, sections, tags, and the
organizations, people and events the stories cover, by concept in the modules
of this package; ``from articles.models import Article`` reads as ever."""

from .base import (
    CleanTags,
    NamedByStories,
    SluggedModel,
    country_code,
    refuse_while_named,
    validate_timezone,
)
from .desk import StateChange
from .entities import Author, Organization, OrganizationAlias, Person, Section, Tag
from .events import Event, Outcome, Participant, TaggedEvent
from .stories import SEARCH_FIELDS, Article, ArticleQuerySet, Byline, FormerSlug, TaggedArticle

__all__ = [
    "SEARCH_FIELDS",
    "Article",
    "ArticleQuerySet",
    "Author",
    "Byline",
    "CleanTags",
    "Event",
    "FormerSlug",
    "NamedByStories",
    "Organization",
    "OrganizationAlias",
    "Outcome",
    "Participant",
    "Person",
    "Section",
    "SluggedModel",
    "StateChange",
    "Tag",
    "TaggedArticle",
    "TaggedEvent",
    "country_code",
    "refuse_while_named",
    "validate_timezone",
]
