"""The editors' desk: Django's admin, Vietnamese first. What every desk page
shares is in ``base``; the entities and events in ``entities``; stories, their
workflow, revisions and preview in ``stories``; copy import and entity suggestions in
``wire``; the front page's pins in ``frontpage``; staff accounts in ``accounts``; the
desk's log in ``desk_log``; changes to many stories at once in ``desk_actions``;
each person's notifications in ``notifications``; the day's plan in ``planning``;
the picture library in ``pictures``; live coverage's updates in ``live``."""

import taggit.models
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import (  # noqa: F401  (they register)
    accounts,
    desk_actions,
    desk_log,
    entities,
    frontpage,
    jobs,
    live,
    notifications,
    pictures,
    planning,
    sign_ins,
    stories,
)

admin.site.site_header = _("Toà soạn – bàn biên tập")
admin.site.site_title = _("Toà soạn")
admin.site.index_title = _("Bàn biên tập")
# The project's own Tag model (Vietnamese slugs) replaces taggit's, which stays unused.
admin.site.unregister(taggit.models.Tag)
