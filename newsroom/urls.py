import re

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path
from django.views.static import serve

from articles.freshness.pages import cache_public_page
from articles.site import views as article_views
from articles.site.api import api
from articles.site.sitemaps import SITEMAPS
from newsroom import password_reset
from newsroom.metrics import metrics_view

handler500 = "newsroom.unavailable.server_error"  # the id to quote; the database down: a 503

# Readers' pages in Vietnamese at /, in English under /en/.
urlpatterns = [
    *password_reset.urlpatterns(settings.ADMIN_URL),
    path(settings.ADMIN_URL, admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", api.urls),
    path("healthz", article_views.health, name="health"),
    path("metrics", metrics_view, name="metrics"),
    path("robots.txt", cache_public_page(article_views.robots_txt), name="robots"),
    path(
        "sitemap.xml",
        cache_public_page(sitemap_views.index),
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap-index",
    ),
    path("sitemap-news.xml", cache_public_page(article_views.news_sitemap), name="sitemap-news"),
    path(
        "sitemap-<section>.xml",
        cache_public_page(sitemap_views.sitemap),
        {"sitemaps": SITEMAPS, "template_name": "sitemaps/sitemap.xml"},
        name="sitemap-section",
    ),
    *i18n_patterns(path("", include("articles.urls")), prefix_default_language=False),
]
if settings.SERVE_MEDIA:  # Django's static() serves nothing once DEBUG is off
    urlpatterns.append(
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    )
