"""Sitemaps for search engines: stories (with their lead images) at their own
language's address, each naming its translations; sections, tags and entity
pages in both interface languages; and a Google News sitemap of the last two
days' stories."""

import datetime
import functools

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.db.models import F, Max, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from ..freshness import edge, surrogates
from ..kinds import KINDS, Kind
from ..models import Article
from ..models.base import address
from ..models.translated import site_order

NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000


class IdRangePaginator:
    """Pages by ranges of id, not by OFFSET: page n holds the sitemap's items whose
    ids fall in its range, at most ``limit`` (item, language) pairs, read along the
    primary key however deep the page. Django's own i18n paging lists every pair
    of the archive in Python on each request. A range may hold fewer items than
    it could (drafts, deleted rows), never more."""

    def __init__(self, sitemap: "PagesSitemap"):
        self.sitemap = sitemap
        self.languages = sitemap._languages() if sitemap.i18n else [None]
        self.items_per_page = max(1, sitemap.limit // len(self.languages))

    @functools.cached_property
    def num_pages(self) -> int:
        highest = self.sitemap.items().aggregate(highest=Max("pk"))["highest"] or 0
        return max(1, -(-highest // self.items_per_page))

    def page(self, number) -> Page:
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger(number) from None
        if not 1 <= number <= self.num_pages:
            raise EmptyPage(number)
        low, high = (number - 1) * self.items_per_page, number * self.items_per_page
        rows = self.sitemap.items().filter(pk__gt=low, pk__lte=high)
        if not self.sitemap.i18n:
            return Page(list(rows), number, self)
        pairs = [(row, language) for row in rows for language in self.languages]
        return Page(pairs, number, self)


class PagesSitemap(Sitemap):
    """Every page in Vietnamese and English, each naming the other (hreflang)."""

    i18n = True
    alternates = True
    x_default = True
    # (item, language) pairs a page: 500 items, built in well under a second
    # at any depth; search engines follow the index to the rest.
    limit = 1000

    @property
    def paginator(self) -> IdRangePaginator:
        return IdRangePaginator(self)

    def _location(self, item, force_lang_code=None):
        """The address in a language, from that language's address of the model's
        pages: each URL would otherwise switch language and reverse, four times an
        item (its two languages, each naming both and the default)."""
        thing, language = item
        return address(type(thing), thing.slug, force_lang_code or language)


class ArticleSitemap(PagesSitemap):
    """A story is one language's page: listed once, at its own address, with its
    published translations and itself as alternates when it has any."""

    i18n = False
    limit = 500

    def items(self):
        edge.show(surrogates.STORIES, surrogates.REVISED)
        return (
            Article.objects.published()
            .only(
                *("slug", "language", "translation_of", "revised_at", "published_at"),
                *("image", "image_alt", "headline"),
            )
            .order_by("pk")
        )

    def _location(self, item, force_lang_code=None):
        return item.get_absolute_url()

    def lastmod(self, item):
        return item.modified_at

    def get_latest_lastmod(self):
        """For the index: asked of the database, not of every story in Python."""
        return self.items().aggregate(latest=Max(Coalesce("revised_at", "published_at")))["latest"]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        origin = f"{self.get_protocol(protocol)}://{site.domain}"
        families = self._families([url["item"] for url in urls])
        for url in urls:
            story = url["item"]
            if story.image:
                url["image"] = f"{origin}{story.image.url}"
            family = families.get(story.translation_of_id or story.pk, [])
            if len(family) > 1:
                url["alternates"] = [
                    {"lang_code": lang_code, "location": f"{origin}{location}"}
                    for lang_code, location in [*family, ("x-default", family[0][1])]
                ]
        return urls

    @staticmethod
    def _families(stories) -> dict[int, list[tuple[str, str]]]:
        """(language, address) of each published member of the stories' families,
        by original, in the sites' order: one query for the page."""
        members = (
            Article.objects.published()
            .translations_of(*stories)
            .values_list("original", "language", "slug")
        )
        families: dict[int, list[tuple[str, str]]] = {}
        for original, language, slug in sorted(members, key=lambda m: site_order(m[1])):
            families.setdefault(original, []).append((language, address(Article, slug, language)))
        return families


def listed(kind: Kind) -> QuerySet:
    edge.show(surrogates.everything(kind.model))
    return kind.public().order_by("pk")


def entity_sitemap(kind: Kind) -> type[Sitemap]:
    return type(
        f"{kind.model.__name__}Sitemap",
        (PagesSitemap,),
        {"items": lambda self: listed(kind)},
    )


SITEMAPS = {
    "stories": ArticleSitemap,
    **{kind.plural: entity_sitemap(kind) for kind in KINDS},
}


def news_items():
    """What the Google News sitemap lists: published, or corrected or updated, in
    the last two days, newest first."""
    since = timezone.now() - NEWS_WINDOW
    return (
        Article.objects.published()
        .filter(Q(published_at__gte=since) | Q(revised_at__gte=since), published_at__isnull=False)
        .only("slug", "headline", "published_at", "revised_at", "language")
        .order_by(F("published_at").desc(nulls_last=True))[:NEWS_LIMIT]
    )
