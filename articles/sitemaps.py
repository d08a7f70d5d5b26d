"""Sitemaps for search engines: stories (with their lead images), sections,
tags and entity pages in both interface languages, and a Google News sitemap
of the last two days' stories."""

import datetime

from django.contrib.sitemaps import Sitemap
from django.utils import timezone

from .kinds import KINDS
from .models import Article

NEWS_WINDOW = datetime.timedelta(days=2)
NEWS_LIMIT = 1000


class PagesSitemap(Sitemap):
    """Every page in Vietnamese and English, each naming the other (hreflang)."""

    i18n = True
    alternates = True
    x_default = True
    limit = 5000


class ArticleSitemap(PagesSitemap):
    def items(self):
        return (
            Article.objects.published()
            .only("slug", "updated_at", "published_at", "image", "image_alt", "headline")
            .order_by("-pk")
        )

    def lastmod(self, item):
        return item.updated_at

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
    """What the Google News sitemap lists: published in the last two days, newest first."""
    since = timezone.now() - NEWS_WINDOW
    return (
        Article.objects.published()
        .filter(published_at__gte=since)
        .only("slug", "headline", "published_at", "language")
        .order_by("-published_at")[:NEWS_LIMIT]
    )
