"""The story list's filters at archive scale: each reads a small table or an
index, never the whole archive (Django's ``date_hierarchy`` read every story's
date for its years; ``RelatedOnlyFieldListFilter`` every byline for its authors)."""

import datetime

from django.contrib import admin
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class YearFilter(admin.SimpleListFilter):
    """The years from the first story's to the last's: two reads of an index."""

    title = _("năm xuất bản")
    parameter_name = "nam"

    def lookups(self, request, model_admin):
        dates = model_admin.model.objects.values("published_at")
        span = dates.aggregate(first=Min("published_at"), last=Max("published_at"))
        if span["first"] is None:
            return []
        first, last = (timezone.localtime(span[end]).year for end in ("first", "last"))
        return [(str(year), str(year)) for year in range(last, first - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value() or ""
        # A year a date can hold in every time zone; anything else filters nothing.
        if value.isascii() and value.isdigit() and datetime.MINYEAR < int(value) < datetime.MAXYEAR:
            return queryset.filter(published_at__year=int(value))
        return queryset
