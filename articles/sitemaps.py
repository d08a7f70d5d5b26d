"""Sitemaps for search engines: stories (with their lead images), sections,
tags and entity pages in both interface languages, and a Google News sitemap
of the last two days' stories."""

import datetime
import functools

from django.contrib.sitemaps import Sitemap
from django.core.paginator import EmptyPage, Page, PageNotAnInteger
from django.db.models import F, Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .kinds import KINDS
from .models import Article
from .models.base import address

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
        self.languages = sitemap._languages()
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
    def items(self):
        return (
            Article.objects.published()
            .only("slug", "revised_at", "published_at", "image", "image_alt", "headline")
            .order_by("pk")
        )

    def lastmod(self, item):
        return item.modified_at

    def get_latest_lastmod(self):
        """For the index: asked of the database, not of every story in Python."""
        return self.items().aggregate(latest=Max(Coalesce("revised_at", "published_at")))["latest"]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page, site, protocol)
        for url in urls:
            story, _language = url["item"]  # i18n sitemaps list (item, language) pairs
            if story.image:
                url["image"] = f"{protocol or self.get_protocol()}://{site.domain}{story.image.url}"
        return urls


def entity_sitemap(model) -> type[Sitemap]:
    return type(
        f"{model.__name__}Sitemap",
        (PagesSitemap,),
        {"items": lambda self: model.objects.order_by("pk")},
    )


SITEMAPS = {
    "stories": ArticleSitemap,
    **{kind.plural: entity_sitemap(kind.model) for kind in KINDS},
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
