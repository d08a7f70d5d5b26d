from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Toà soạn")

    def ready(self):
        """Each concern wires itself up: the newsroom's handlers (text, former
        addresses, the desk's log, search), the readers' pages' freshness, the jobs."""
        from django.db.backends.signals import connection_created

        from . import handlers, search, tasks  # noqa: F401
        from .freshness import handlers as freshness_handlers  # noqa: F401

        connection_created.connect(search.teach_sqlite_unicode_lower)
