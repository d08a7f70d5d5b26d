"""The listing's filters. Values are slugs so a filtered URL reads well and can be
shared; an unknown slug or a malformed date is a form error shown to the reader,
and the list is empty rather than wrong."""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from . import search
from .models import Article, Author, Event, Organization, Person, Section, Tag


class DateInput(forms.DateInput):
    """A native date picker. A malformed date is not echoed back: the picker
    cannot hold it, and the field's error message already names the problem."""

    input_type = "date"

    def format_value(self, value):
        if isinstance(value, str):
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                return None
        return super().format_value(value)


class DateRangeInput(django_filters.widgets.DateRangeWidget):
    """``date_after`` and ``date_before`` as two labelled date pickers."""

    def __init__(self, attrs=None):
        widgets = (
            DateInput(attrs={"aria-label": _("Từ ngày")}),
            DateInput(attrs={"aria-label": _("Đến ngày")}),
        )
        super(django_filters.widgets.RangeWidget, self).__init__(widgets, attrs)


def _choice(model, field_name: str, label) -> django_filters.ModelChoiceFilter:
    return django_filters.ModelChoiceFilter(
        field_name=field_name,
        queryset=model.objects.order_by("name"),
        to_field_name="slug",
        label=label,
        empty_label=_("Tất cả"),
    )


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Từ khoá"), method="filter_search", max_length=search.MAX_QUERY_LENGTH
    )
    section = _choice(Section, "section", _("Chuyên mục"))
    tag = _choice(Tag, "tags", _("Thẻ"))
    organization = _choice(Organization, "organizations", _("Tổ chức"))
    person = _choice(Person, "people", _("Nhân vật"))
    event = django_filters.ModelChoiceFilter(
        queryset=Event.objects.order_by("title"),
        to_field_name="slug",
        label=_("Sự kiện"),
        empty_label=_("Tất cả"),
        method="filter_event",
    )
    author = _choice(Author, "authors", _("Tác giả"))
    date = django_filters.DateFromToRangeFilter(
        field_name="published_at",
        label=_("Thời gian (từ – đến)"),
        widget=DateRangeInput,
    )

    class Meta:
        model = Article
        fields = []

    def filter_search(self, queryset, name, query):
        return queryset  # applied last, in filter_queryset

    def filter_queryset(self, queryset):
        """The words go last: search ranks the newest matches among what the
        other filters leave, not the newest of the whole archive."""
        queryset = super().filter_queryset(queryset)
        query = self.form.cleaned_data.get("q")
        return queryset.search(query) if query else queryset

    def filter_event(self, queryset, name, event):
        return queryset.about_event(event)

    @property
    def is_filtering(self) -> bool:
        return any(self.data.get(name) for name in self.form.fields) or any(
            self.data.get(f"date_{end}") for end in ("after", "before")
        )
