from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Toà soạn")

    def ready(self):
        from newsroom import page_cache

        from . import caching, signals  # noqa: F401

        page_cache.configure(caching.GENERATION_KEY, caching.generation, caching.QUERY_PARAMETERS)
