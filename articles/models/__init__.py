"""The newsroom's vocabulary: stories, bylines, sections, tags, and the
countries, organizations, people, events and outcomes the stories cover, by concept in the modules
of this package; ``from articles.models import Article`` reads as ever."""

from .base import (
    CleanTags,
    NamedByStories,
    SluggedModel,
    country_code,
    refuse_while_named,
    validate_timezone,
)
from .corrections import Correction
from .desk import BulkChange, CopyFile, StateChange
from .editing import EditingSession
from .entities import (
    Author,
    Country,
    CountryAlias,
    Organization,
    OrganizationAlias,
    Person,
    PersonAlias,
    Section,
    Tag,
)
from .events import Event, Participant, TaggedEvent
from .frontpage import Pin
from .live import LiveUpdate
from .notifications import Notification, NotificationSettings
from .outcomes import PARTIES, Outcome, OutcomeReport, Quantified
from .pictures import Picture
from .planning import PlannedStory
from .reads import MostRead, ReadCount
from .stories import SEARCH_FIELDS, Article, ArticleQuerySet, Byline, FormerSlug, TaggedArticle

__all__ = [
    "PARTIES",
    "SEARCH_FIELDS",
    "Article",
    "ArticleQuerySet",
    "Author",
    "BulkChange",
    "Byline",
    "CleanTags",
    "CopyFile",
    "Correction",
    "Country",
    "CountryAlias",
    "EditingSession",
    "Event",
    "FormerSlug",
    "LiveUpdate",
    "MostRead",
    "NamedByStories",
    "Notification",
    "NotificationSettings",
    "Organization",
    "OrganizationAlias",
    "Outcome",
    "OutcomeReport",
    "Participant",
    "Person",
    "PersonAlias",
    "Picture",
    "Pin",
    "PlannedStory",
    "Quantified",
    "ReadCount",
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
