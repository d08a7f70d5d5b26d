from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Toà soạn")

    def ready(self):
        """Each concern wires itself up, as Wagtail's apps do: its signal handlers
        (subscribed to the domain signals of ``signals.py`` and the rows' own) and
        its jobs (declared by name on ``newsroom/jobs.py``'s queue)."""
        from django.db.backends.signals import connection_created

        from . import search
        from .admin.jobs import take_over_the_job_list
        from .desk import handlers as desk_handlers  # noqa: F401
        from .desk import tasks as desk_tasks  # noqa: F401
        from .freshness import handlers as freshness_handlers  # noqa: F401
        from .freshness import pages
        from .freshness import tasks as freshness_tasks  # noqa: F401
        from .search import handlers as search_handlers  # noqa: F401
        from .search import tasks as search_tasks  # noqa: F401
        from .site import handlers as site_handlers  # noqa: F401
        from .site import tasks as site_tasks  # noqa: F401
        from .site.views import QUERY_PARAMETERS
        from .text import handlers as text_handlers  # noqa: F401

        take_over_the_job_list()  # after the admin found procrastinate's own page
        connection_created.connect(search.teach_sqlite_unicode_lower)
        pages.read_parameters(QUERY_PARAMETERS)
