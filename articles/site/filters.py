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
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .. import search
from ..freshness import edge, pieces, surrogates
from ..kinds import KINDS, Kind
from ..models import Article
from ..models.bounded import among
from ..text.sanitize import xml_safe_data


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


class OptionList(forms.Select):
    """A list of the news's names drawn in Python: hundreds of ``<option>`` drawn
    one by one through the widget templates were most of a filtered page's making."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (choice, " selected" if str(choice) in chosen else "", label)
                for choice, label in self.choices
            ),
        )
        attributes = flatatt(self.build_attrs(self.attrs, {**(attrs or {}), "name": name}))
        return format_html("<select{}>{}</select>", attributes, options)


class DateRangeInput(django_filters.widgets.DateRangeWidget):
    """``date_after`` and ``date_before`` as two labelled date pickers."""

    def __init__(self, attrs=None):
        widgets = (
            DateInput(attrs={"aria-label": _("Từ ngày")}),
            DateInput(attrs={"aria-label": _("Đến ngày")}),
        )
        super(django_filters.widgets.RangeWidget, self).__init__(widgets, attrs)


IN_THE_NEWS = 100  # the newest stories, whose entities fill the form's lists
MAX_OPTIONS = 60
LISTED_BY_NEWS = [kind for kind in KINDS if kind.news_link]


def _kind_filter(kind: Kind) -> django_filters.ModelChoiceFilter:
    """A kind's filter: its parameter names one by slug; the stories are the kind's."""
    return django_filters.ModelChoiceFilter(
        queryset=kind.public().order_by(getattr(kind.model, "slug_source", "name")),
        to_field_name="slug",
        label=capfirst(kind.model._meta.verbose_name),
        empty_label=_("Tất cả"),
        method=lambda articles, name, thing: kind.stories_of(articles, thing),
    )


def _in_the_news(fields) -> dict[str, list[tuple[str, str]]]:
    """Every list at once: one cache entry for the form, not one per list. They
    change as the newest stories change, and as the things they name do."""
    edge.show(surrogates.STORIES, *(surrogates.everything(k.model) for k in LISTED_BY_NEWS))
    newest = Article.objects.published().in_language().values("pk")[:IN_THE_NEWS]
    return {
        kind.name: [
            (thing.slug, str(thing))
            # named by published stories, so public whatever the kind's rule
            for thing in kind.model.objects.filter(
                among(kind.news_link.removesuffix("__in"), newest)
            )
            .order_by(getattr(kind.model, "slug_source", "name"))
            .distinct()[:MAX_OPTIONS]
        ]
        for kind in LISTED_BY_NEWS
    }


class ReadersFilterSet(django_filters.FilterSet):
    """A filter form readers fill in. What they typed is shown back in the page,
    so nothing XML forbids is kept (a NUL is, for the form to refuse with its
    message). The lists of the fields named in ``listed`` hold what ``compute_lists``
    finds (kept as ``lists`` until the content changes), plus the one chosen, and are
    read only when the form is drawn, never for the API. ``compute_lists`` notes
    the keys of what its lists show (``edge.show``): they are kept until one of
    them is purged."""

    lists: str = ""
    listed: list[str] = []

    def __init__(self, data=None, *args, **kwargs):
        data = None if data is None else xml_safe_data(data, keep_nul=True)
        super().__init__(data, *args, **kwargs)
        self._drawn: dict[str, list[tuple[str, str]]] = {}
        self._lists: dict[str, list[tuple[str, str]]] | None = None
        for name in self.listed:
            field = self.form.fields[name]
            field.widget = OptionList(attrs=field.widget.attrs)
            field.widget.choices = functools.partial(self._options, name, field)

    def compute_lists(self) -> dict[str, list[tuple[str, str]]]:
        raise NotImplementedError

    def _options(self, name: str, field) -> list[tuple[str, str]]:
        if name not in self._drawn:
            if self._lists is None:  # all lists at once, once per form
                # Names are shown in the page's language: one entry per language.
                self._lists = pieces.kept(
                    f"{self.lists}:{get_language()}", self.compute_lists, shared=True
                )
            options = self._lists[name]
            chosen = getattr(self.form, "cleaned_data", {}).get(name)
            if chosen and (chosen.slug, str(chosen)) not in options:
                options = [*options, (chosen.slug, str(chosen))]
            self._drawn[name] = [("", field.empty_label), *options]
        return self._drawn[name]

    @classmethod
    def parameters(cls) -> frozenset[str]:
        """The query parameters the filters read: a range's two ends are two
        (``date_after``, ``date_before``). The page cache, the views and the API's
        description all read them from here."""
        names: set[str] = set()
        for name, field in cls.base_filters.items():
            suffixes = getattr(field.field.widget, "suffixes", None)
            names |= {f"{name}_{suffix}" for suffix in suffixes} if suffixes else {name}
        return frozenset(names)

    @property
    def is_filtering(self) -> bool:
        return any(self.data.get(name) for name in self.parameters())

    @property
    def narrowing(self) -> int:
        """How many filters narrow the list, the words searched for aside (a date
        range one): what the folded filters' button says."""
        used = {name.split("_")[0] for name in self.parameters() if self.data.get(name)}
        return len(used - {"q"})


class ArticleFilterBase(ReadersFilterSet):
    """What the filters do; their fields are declared on ``ArticleFilter`` below."""

    class Meta:
        model = Article
        fields: list[str] = []

    lists = "filter-options"
    listed = [kind.name for kind in LISTED_BY_NEWS]

    def compute_lists(self) -> dict[str, list[tuple[str, str]]]:
        return _in_the_news(self.form.fields)

    def filter_search(self, queryset, name, query):
        return queryset  # applied last, in filter_queryset

    def filter_queryset(self, queryset):
        """The words go last: search ranks the newest matches among what the
        other filters leave, not the newest of the whole archive."""
        queryset = super().filter_queryset(queryset)
        query = self.form.cleaned_data.get("q")
        return search.search(queryset, query) if query else queryset


# The fields in the order readers see them: their words, each kind, the dates.
ArticleFilter: type[ArticleFilterBase] = type(
    "ArticleFilter",
    (ArticleFilterBase,),
    {
        "__module__": __name__,
        "__doc__": "The listing's filters, and the API's: the words, one of each kind, the dates.",
        "q": django_filters.CharFilter(
            label=_("Từ khoá"), method="filter_search", max_length=search.MAX_QUERY_LENGTH
        ),
        **{kind.name: _kind_filter(kind) for kind in KINDS},
        "date": django_filters.DateFromToRangeFilter(
            field_name="published_at", label=_("Thời gian (từ – đến)"), widget=DateRangeInput
        ),
    },
)
