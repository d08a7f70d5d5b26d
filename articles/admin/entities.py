"""The desk's pages for what stories name: sections, tags, countries,
organizations, people, authors, and events with who took part and what came
of them; an event's page says what the desk has on it (its stories and items of
the day's plan)."""

from typing import Any

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..models import (
    PARTIES,
    Article,
    Author,
    Country,
    CountryAlias,
    Event,
    Organization,
    OrganizationAlias,
    Outcome,
    OutcomeReport,
    Participant,
    Person,
    PersonAlias,
    Section,
    Tag,
)
from ..text.amounts import outcome_amount as amount
from .base import (
    PICTURES,
    URL_AS_HTTPS,
    DeskAdmin,
    DeskStackedInline,
    DeskTabularInline,
    NamedByStoriesAdmin,
)


@admin.register(Section)
class SectionAdmin(DeskAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(DeskAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


def aliases_of(alias_model) -> type[DeskTabularInline]:
    """The inline where the desk lists what something is also called."""
    return type(
        f"{alias_model.__name__}Inline", (DeskTabularInline,), {"model": alias_model, "extra": 1}
    )


@admin.register(Country)
class CountryAdmin(NamedByStoriesAdmin):
    list_display = ["name", "code", "slug"]
    search_fields = ["name", "code", "aliases__name"]
    inlines = [aliases_of(CountryAlias)]


@admin.register(Organization)
class OrganizationAdmin(NamedByStoriesAdmin):
    list_display = ["name", "kind", "country", "parent"]
    list_select_related = ["country", "parent"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "aliases__name"]
    autocomplete_fields = ["parent", "country"]
    inlines = [aliases_of(OrganizationAlias)]
    formfield_overrides = {**PICTURES, **URL_AS_HTTPS}


@admin.register(Person)
class PersonAdmin(NamedByStoriesAdmin):
    list_display = ["name", "title", "organization", "country"]
    list_select_related = ["organization", "country"]
    search_fields = ["name", "title", "organization__name", "aliases__name"]
    autocomplete_fields = ["organization", "country"]
    inlines = [aliases_of(PersonAlias)]


@admin.register(Author)
class AuthorAdmin(DeskAdmin):
    list_display = ["name", "affiliation", "user"]
    list_select_related = ["affiliation", "user"]
    search_fields = ["name"]
    autocomplete_fields = ["affiliation"]


class ParticipantInline(DeskTabularInline):
    model = Participant
    extra = 1
    fields = ["side", "person", "title", "organization", "country", "role", "position"]
    autocomplete_fields = ["person", "organization", "country"]


OUTCOME_PARTIES = [
    *(f"{role}_{party}" for role in ("actor", "counterpart") for party in PARTIES),
    "recipients",
]
FIGURE = ["amount_before", "amount", "amount_max", "unit", "currency", "approximate", "qualifier"]
OUTCOME_FIELDSETS: list[Any] = [
    (None, {"fields": ["position", "description", ("kind", "status", "stated_on")]}),
    (
        _("Các bên"),
        {
            "fields": [
                ("actor_country", "actor_organization", "actor_person"),
                ("counterpart_country", "counterpart_organization", "counterpart_person"),
                "mutual",
                "recipients",
            ]
        },
    ),
    (_("Con số"), {"fields": [tuple(FIGURE[:3]), tuple(FIGURE[3:5]), tuple(FIGURE[5:])]}),
]


class OutcomeInline(DeskStackedInline):
    """An event's outcomes; which stories report each, and how, is on the
    outcome's own page (its link), since an inline holds no inline."""

    model = Outcome
    extra = 0
    show_change_link = True
    fieldsets = [*OUTCOME_FIELDSETS, (None, {"fields": ["background", "reporting"]})]
    readonly_fields = ["reporting"]
    autocomplete_fields = OUTCOME_PARTIES

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("reports__article")

    @admin.display(description=_("Bài đưa tin"))
    def reporting(self, outcome):
        """The stories reporting it, each with its own words or figure where it
        gives others."""
        if outcome.pk is None:
            return _("Lưu rồi mở kết quả để thêm bài đưa tin.")
        lines = [
            format_html(
                '<a href="{}">{}</a>{}',
                reverse("admin:articles_article_change", args=[r.article_id]),
                r.article,
                format_html(": “{}” {}", r.words, amount(r.figure_source)) if r.differs else "",
            )
            for r in outcome.reports.all()
        ]
        return format_html_join("", "<p>{}</p>", ((line,) for line in lines)) or "–"


class OutcomeReportInline(DeskStackedInline):
    """Each story reporting the outcome, with its own words and figure where it
    gives others than the outcome's."""

    model = OutcomeReport
    extra = 0
    fields = ["article", "wording", tuple(FIGURE[:3]), tuple(FIGURE[3:5]), tuple(FIGURE[5:])]
    autocomplete_fields = ["article"]


@admin.register(Outcome)
class OutcomeAdmin(DeskAdmin):
    """One outcome with the stories reporting it. Outcomes are added on their
    event's page or from a story's proposals, and stay with their event."""

    list_display = ["description", "kind", "status", "event", "background"]
    list_filter = ["kind", "status", "background"]
    list_select_related = ["event"]
    search_fields = ["description"]
    autocomplete_fields = OUTCOME_PARTIES
    readonly_fields = ["event"]
    fieldsets = [
        (None, {"fields": ["event"]}),
        *OUTCOME_FIELDSETS,
        (None, {"fields": ["background"]}),
    ]
    inlines = [OutcomeReportInline]

    def has_add_permission(self, request):
        return False


class MeetingInline(DeskTabularInline):
    """The meetings within a trip, added and ordered from the trip's page."""

    model = Event
    fk_name = "parent"
    extra = 0
    fields = ["title", "kind", "start_date", "start_time", "position", "place"]
    show_change_link = True
    verbose_name = _("cuộc gặp trong chuyến")
    verbose_name_plural = _("các cuộc gặp trong chuyến")


@admin.register(Event)
class EventAdmin(NamedByStoriesAdmin):
    list_display = ["title", "kind", "start_date", "position", "place", "parent"]
    list_filter = ["kind", "country"]
    list_select_related = ["parent"]
    search_fields = ["title", "place", "summary"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["parent", "country"]
    inlines = [ParticipantInline, OutcomeInline, MeetingInline]
    readonly_fields = ["coverage"]

    @admin.display(description=_("Đưa tin"))
    def coverage(self, event):
        """What the desk has on it, as the day's plan counts it: its stories and
        its items of the plan; none is "uncovered" (desk/planning.py)."""
        if event.pk is None:
            return "–"
        stories = Article.objects.filter(events=event).order_by("-published_at")[:20]
        items = event.planned_stories.filter(dropped=False).select_related("story")[:20]
        if not stories and not items:
            return format_html(
                '<strong class="late">{}</strong>', _("Chưa có bài, chưa ai được giao")
            )
        lines = [
            format_html('<a href="{}">{}</a> ({})',
                        reverse("admin:articles_article_change", args=[s.pk]), s, s.stage_label)
            for s in stories
        ] + [
            format_html('{}: <a href="{}">{}</a> ({})', _("Kế hoạch"), item.get_absolute_url(),
                        item, item.state_label)
            for item in items if item.story_id is None
        ]  # fmt: skip
        return format_html_join("", "<div>{}</div>", ((line,) for line in lines))
