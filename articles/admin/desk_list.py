"""The desk's lists at archive scale: filters that each read a small table or
an index, never the whole archive (Django's ``date_hierarchy`` read every row's
date for its years; ``RelatedOnlyFieldListFilter`` every byline for its
authors), and pages that do not count it."""

import datetime
import json

from django.contrib import admin
from django.contrib.admin.views.main import PAGE_VAR
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Max, Min, QuerySet
from django.utils import formats, timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _


def stage_label(story, with_time: bool = True) -> SafeString:
    """Where a story stands, as a coloured label: its status, or "Hẹn giờ" with
    the time it goes out (the list has the time in the next column)."""
    text = story.stage_label
    if story.is_scheduled and with_time:
        when = formats.date_format(timezone.localtime(story.published_at), "H:i d/m/Y")
        text = f"{text} · {when}"
    return format_html('<span class="stage stage-{}">{}</span>', story.stage, text)


class YearFilter(admin.SimpleListFilter):
    """The years from the first story's to the last's: two reads of an index."""

    title = _("năm xuất bản")
    parameter_name = "nam"
    field = "published_at"

    def lookups(self, request, model_admin):
        dates = model_admin.model.objects.values(self.field)
        span = dates.aggregate(first=Min(self.field), last=Max(self.field))
        if span["first"] is None:
            return []
        first, last = (timezone.localtime(span[end]).year for end in ("first", "last"))
        return [(str(year), str(year)) for year in range(last, first - 1, -1)]

    def queryset(self, request, queryset):
        value = self.value() or ""
        # A year a date can hold in every time zone; anything else filters nothing.
        if value.isascii() and value.isdigit() and datetime.MINYEAR < int(value) < datetime.MAXYEAR:
            return queryset.filter(**{f"{self.field}__year": int(value)})
        return queryset


class ChooseFilter(admin.RelatedFieldListFilter):
    """A filter with many choices (the archive's hundreds of authors) as one
    list to choose from and a button, not hundreds of links down the page."""

    template = "admin/select_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        mine = {self.lookup_kwarg, self.lookup_kwarg_isnull, PAGE_VAR}
        # the list's other filters and search, kept by the form
        self.kept = [(k, v) for k, values in request.GET.lists() if k not in mine for v in values]
        self.chosen = (self.lookup_val or [""])[-1]

    def options(self) -> list[tuple[str, str]]:
        return [(str(pk), name) for pk, name in self.lookup_choices]


class ArchivePaginator(Paginator):
    """The pages of a list that grows with the archive (the stories, the desk's
    log), in a fixed amount of work whatever its size.

    Django's admin counts the whole list for every page. Here a list of up to
    ``EXACT`` rows is counted exactly (a count that stops there); past it,
    PostgreSQL's estimate is shown as one (``estimated``): its statistics for
    the whole table, or its plan's for a filtered list. A page reads only the
    keys of the rows before it (from the list's index), then its own rows, so
    page 500 reads 25,000 keys rather than 25,000 stories.
    """

    EXACT = 10_000

    estimated = False

    @cached_property
    def count(self) -> int:
        """On PostgreSQL two queries, the count that stops at ``EXACT`` and the
        estimate, whatever the list holds (elsewhere one, the whole count): the
        page's queries are the same however long the list is."""
        rows = self.object_list
        if connection.vendor != "postgresql":
            return rows.count()
        counted = rows.order_by().values("pk")[: self.EXACT + 1].count()
        try:
            estimate = _estimate(rows)
        except EmptyResultSet:  # a list nothing can match (a search that found none)
            return 0
        if counted <= self.EXACT:
            return counted
        self.estimated = True
        return max(self.EXACT + 1, estimate)

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        if top + self.orphans >= self.count:
            top = self.count
        keys = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(self.object_list.filter(pk__in=keys), number, self)


def _estimate(rows: QuerySet) -> int:
    """How many rows PostgreSQL expects ``rows`` to hold: the table's own
    figure when nothing filters it, the plan's otherwise."""
    with connection.cursor() as cursor:
        if not rows.query.where:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                [rows.model._meta.db_table],
            )
            return cursor.fetchone()[0]
        sql, params = rows.values("pk").query.sql_with_params()
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        return int(plan[0]["Plan"]["Plan Rows"])
