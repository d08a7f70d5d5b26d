"""RSS 2.0 and Atom feeds: all stories, and the stories of each thing of the
kinds that have feeds (kinds.py). Only published stories, newest first, with the sapo, bylines,
categories and the lead image as an enclosure. And the commitments tracker's
filtered set, newest first."""

import copy
import datetime
import mimetypes

from django.contrib.syndication.views import Feed
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import gettext_lazy as _

from ..freshness import edge, surrogates
from ..kinds import KINDS, Kind
from ..models import Article, Byline
from ..text.amounts import outcome_amount
from ..text.sanitize import xml_safe
from .commitments import chosen

FEED_LENGTH = 30


def _xml_safe(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return type(value)(_xml_safe(v) for v in value)
    return value


class XmlSafe:
    """Text is stripped of what XML 1.0 forbids on the way in, but a row stored
    before that (or written around the models) must not take a feed down."""

    def __init__(self, *args, **kwargs):
        super().__init__(*map(_xml_safe, args), **{k: _xml_safe(v) for k, v in kwargs.items()})

    def add_item(self, *args, **kwargs):
        super().add_item(*map(_xml_safe, args), **{k: _xml_safe(v) for k, v in kwargs.items()})


class Rss(XmlSafe, Rss201rev2Feed):
    pass


class Atom(XmlSafe, Atom1Feed):
    pass


class StoriesFeed(Feed):
    feed_type = Rss
    title = _("Toà soạn – Tin mới nhất")
    description = _("Tin mới nhất của Toà soạn.")

    def __call__(self, request, *args, **kwargs):
        # One feed object serves every request: give each its own copy to carry the request.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def link(self, obj=None):
        return obj.get_absolute_url() if obj else reverse("articles:home")

    def stories(self, obj):
        edge.show(surrogates.STORIES)
        return Article.objects.published().in_language()

    def items(self, obj=None):
        return (
            self.stories(obj)
            .for_listing()
            .prefetch_related(
                Prefetch("bylines", queryset=Byline.objects.select_related("author")),
                "tags",
                "corrections",
            )[:FEED_LENGTH]
        )

    def item_title(self, item):
        return item.headline

    def item_description(self, item):
        # Readers take an RSS description and an Atom summary as HTML; a sapo is
        # text, and "<script>" typed in one must stay text there. The latest
        # correction or update goes first, so that a feed shows the story changed.
        notes = list(item.corrections.all())
        if notes:
            last = notes[-1]
            when = timezone.localtime(last.at).strftime("%H:%M, %d/%m/%Y")
            return escape(f"{last.get_kind_display()} ({when}): {last.note}\n\n{item.sapo}")
        return escape(item.sapo)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_author_name(self, item):
        return ", ".join(str(byline.author) for byline in item.bylines.all()) or None

    def item_categories(self, item):
        return [str(c) for c in (item.section, *item.tags.all()) if c]

    def item_enclosure_url(self, item):
        return self.request.build_absolute_uri(item.image.url) if item.image else None

    def item_enclosure_length(self, item):
        return item.image.size if item.image else None

    def item_enclosure_mime_type(self, item):
        return mimetypes.guess_type(item.image.name)[0] if item.image else None


class AtomStoriesFeed(StoriesFeed):
    feed_type = Atom
    subtitle = StoriesFeed.description


class EntityFeedMixin:
    """A feed of the stories of one thing of a kind (a section, a tag...)."""

    kind: Kind

    def get_object(self, request, slug):
        return get_object_or_404(self.kind.public(), slug=slug)

    def title(self, obj):
        return _("Toà soạn – %(name)s") % {"name": obj}

    def description(self, obj):
        return escape(self.subtitle(obj))  # HTML in RSS, like an item's

    def subtitle(self, obj):
        return _("Tin mới nhất về %(name)s.") % {"name": obj}  # text in Atom

    def stories(self, obj):
        surrogates.show_listing(obj)
        return self.kind.stories_of(Article.objects.published().in_language(), obj)


def entity_feeds(kind: Kind) -> tuple[type[Feed], type[Feed]]:
    """The RSS and Atom feed classes for one kind."""
    name = kind.model.__name__
    return (
        type(f"{name}Feed", (EntityFeedMixin, StoriesFeed), {"kind": kind}),
        type(f"{name}AtomFeed", (EntityFeedMixin, AtomStoriesFeed), {"kind": kind}),
    )


# kind name -> (RSS, Atom), for the kinds that have feeds
FEEDS = {kind.name: entity_feeds(kind) for kind in KINDS if kind.feeds}


class CommitmentsFeed(Feed):
    """The tracker's rows as RSS, narrowed by the tracker's own parameters."""

    feed_type = Rss
    title = _("Toà soạn – Theo dõi cam kết")
    description = _("Các cam kết, đề xuất, đề nghị và thoả thuận từ các cuộc gặp.")

    def __call__(self, request, *args, **kwargs):
        outcomes, refused = chosen(request)
        if refused:
            return refused
        feed = copy.copy(self)
        feed.outcomes = outcomes
        return Feed.__call__(feed, request, *args, **kwargs)

    def link(self):
        return reverse("articles:commitments")

    def items(self):
        edge.show(surrogates.COMMITMENTS)
        return self.outcomes[:FEED_LENGTH]

    def item_title(self, item):
        figure = outcome_amount(item)
        who = f"{item.actor}: " if item.actor else ""
        return f"{who}{item.get_kind_display()}{f' – {figure}' if figure else ''}"

    def item_description(self, item):
        return escape(item.description)

    def item_link(self, item):
        return item.get_absolute_url()

    def item_pubdate(self, item):
        day = item.stated_on or item.event.start_date
        return datetime.datetime.combine(day, datetime.time(), timezone.get_current_timezone())

    def item_categories(self, item):
        return [item.get_kind_display(), item.get_status_display()]
