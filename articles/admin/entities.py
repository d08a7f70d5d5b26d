"""The desk's pages for what stories name: sections, tags, countries,
organizations, people, authors, and events with who took part and what came
of them; an event's page says what the desk has on it (its stories and items of
the day's plan)."""

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
    Participant,
    Person,
    PersonAlias,
    Section,
    Tag,
)
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


class OutcomeInline(DeskStackedInline):
    model = Outcome
    extra = 0
    fieldsets = [
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
        (
            _("Con số"),
            {
                "fields": [
                    ("amount_before", "amount", "amount_max"),
                    ("unit", "currency"),
                    "approximate",
                ]
            },
        ),
        (None, {"fields": ["background", "reported_by"]}),
    ]
    autocomplete_fields = [
        *(f"{role}_{party}" for role in ("actor", "counterpart") for party in PARTIES),
        "recipients",
        "reported_by",
    ]


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
