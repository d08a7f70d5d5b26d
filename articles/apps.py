from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Toà soạn")

    def ready(self):
        from django.db.backends.signals import connection_created

        from newsroom import page_cache

        from . import caching, handlers, search, tasks  # noqa: F401
        from .freshness import handlers as freshness_handlers  # noqa: F401

        page_cache.configure(caching.SCHEDULE_KEY, caching.schedule, caching.QUERY_PARAMETERS)
        connection_created.connect(search.teach_sqlite_unicode_lower)
