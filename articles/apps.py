from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Toà soạn")

    def ready(self):
        from . import signals  # noqa: F401
