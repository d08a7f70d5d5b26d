"""The listing's filters. Values are slugs so a filtered URL reads well and can be
shared; an unknown slug or a malformed date is a form error shown to the reader,
and the list is empty rather than wrong.

Any organization, person, tag, event or author can be filtered on by its slug
(entity pages and stories link to such filters), but the form's lists offer
only those named by the newest stories, plus the one chosen: a list of every
person in a 100k-story archive would be thousands of options on every page."""

import datetime
import functools

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from . import search
from .caching import remember
from .models import Article, Author, Event, Organization, Person, Section, Tag
from .sanitize import xml_safe_data


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


IN_THE_NEWS = 100  # the newest stories, whose entities fill the form's lists
MAX_OPTIONS = 60

# filter -> how its model reaches the stories
NEWS_LINKS = {
    "tag": "tagged_articles__content_object__in",
    "organization": "articles__in",
    "person": "articles__in",
    "event": "articles__in",
    "author": "articles__in",
}


def _in_the_news(fields) -> dict[str, list[tuple[str, str]]]:
    """Every list at once: one cache entry for the form, not one per list."""
    newest = Article.objects.published().values("pk")[:IN_THE_NEWS]
    return {
        name: [
            (thing.slug, str(thing))
            for thing in fields[name].queryset.filter(**{link: newest}).distinct()[:MAX_OPTIONS]
        ]
        for name, link in NEWS_LINKS.items()
    }


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

    def __init__(self, data=None, *args, **kwargs):
        # What a reader typed is shown back in the page: nothing XML forbids (a NUL is
        # kept, for the form to refuse with its message).
        data = None if data is None else xml_safe_data(data, keep_nul=True)
        super().__init__(data, *args, **kwargs)
        self._drawn: dict[str, list[tuple[str, str]]] = {}
        for name in NEWS_LINKS:
            field = self.form.fields[name]
            # A callable: read when the form is drawn, never for the API.
            field.widget.choices = functools.partial(self._options, name, field)

    def _options(self, name: str, field) -> list[tuple[str, str]]:
        if name in self._drawn:
            return self._drawn[name]
        lists = remember("filter-options", functools.partial(_in_the_news, self.form.fields))
        options = lists[name]
        chosen = getattr(self.form, "cleaned_data", {}).get(name)
        if chosen and (chosen.slug, str(chosen)) not in options:
            options = [*options, (chosen.slug, str(chosen))]
        self._drawn[name] = [("", field.empty_label), *options]
        return self._drawn[name]

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
