"""The kinds of thing a story belongs to or names, declared once.

Each kind has a page at ``/<url_word>/<slug>/`` listing its published stories,
a filter parameter of its name on the listings and the API, an API list
and detail under its plural, a sitemap, and RSS and Atom feeds if ``feeds``.
URLs, views, filters, the page cache's parameters, feeds, sitemaps and the API
all read this list: a new kind is declared here and modelled; its page is the
one every kind shares (``articles/entity_detail.html``) unless it names a view
of its own (``page``) or has a template ``articles/<name>_detail.html``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Model, OuterRef, QuerySet
from django.utils.module_loading import import_string

from .models import Article, Author, Country, Event, Organization, Person, Section, Tag
from .models.stories import TaggedArticle


@dataclass(frozen=True)
class Kind:
    name: str  # the filter parameter and the URL name: "organization"
    plural: str  # the API's list and the sitemap: "organizations"
    model: type[Model]
    url_word: str  # its pages' address: "to-chuc"
    relation: str  # the field of Article that names it: "organizations"
    # How the filter's list finds those named by the newest stories; None lists them all.
    news_link: str | None = "articles__in"
    feeds: bool = False
    # Its stories, if not simply those that name it (an event's include its meetings').
    covering: Callable[[QuerySet, Model], QuerySet] | None = None
    # Which of them readers may know of, if not all: a tag typed on a draft is the
    # desk's word until a published story carries it.
    shown_when: Callable[[QuerySet], QuerySet] | None = None
    # Its page's view, if not the page every kind shares, and what the API's detail of
    # one shows besides the list's fields ((schema, presenter)): named by import path,
    # so that the kinds, which the readers' site reads, import none of its modules.
    page: str = "articles.site.views.EntityArticlesView"
    api_detail: str | None = None

    def page_view(self) -> Any:
        """The view class of one's page (``articles/urls.py`` routes to it)."""
        return import_string(self.page)

    def api_detail_hooks(self) -> Any:
        """(schema, presenter) of the API's detail of one, or None for the plain one."""
        return import_string(self.api_detail) if self.api_detail else None

    def public(self, things: QuerySet | None = None) -> QuerySet:
        """Those of ``things`` (default: all) that readers' pages, feeds, sitemaps
        and the API may name: a page of one that is not is a 404."""
        if things is None:
            things = self.model._default_manager.all()
        return self.shown_when(things) if self.shown_when else things

    def stories_of(self, articles: QuerySet, thing: Model) -> QuerySet:
        if self.covering:
            return self.covering(articles, thing)
        return articles.filter(**{self.relation: thing})


def _published_with(tag) -> QuerySet:
    return TaggedArticle.objects.filter(tag=tag, content_object__in=Article.objects.published())


KINDS: tuple[Kind, ...] = (
    Kind("section", "sections", Section, "chuyen-muc", "section", news_link=None, feeds=True),
    Kind(
        "tag",
        "tags",
        Tag,
        "the",
        "tags",
        "tagged_articles__content_object__in",
        feeds=True,
        shown_when=lambda tags: tags.filter(Exists(_published_with(OuterRef("pk")))),
    ),
    Kind(
        "country",
        "countries",
        Country,
        "quoc-gia",
        "countries",
        feeds=True,
        page="articles.site.views.CountryView",
    ),
    Kind(
        "organization",
        "organizations",
        Organization,
        "to-chuc",
        "organizations",
        feeds=True,
        covering=lambda articles, organization: articles.about_or_from(organization),  # type: ignore[attr-defined]
        page="articles.site.views.OrganizationView",
    ),
    Kind("person", "people", Person, "nhan-vat", "people", page="articles.site.views.PersonView"),
    Kind(
        "event",
        "events",
        Event,
        "su-kien",
        "events",
        covering=lambda articles, event: articles.about_event(event),
        page="articles.site.views.EventView",
        api_detail="articles.site.api.EVENT_DETAIL",
    ),
    Kind(
        "author",
        "authors",
        Author,
        "tac-gia",
        "authors",
        feeds=True,
        page="articles.site.views.AuthorView",
    ),
)
BY_NAME = {kind.name: kind for kind in KINDS}
