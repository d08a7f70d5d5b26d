"""The desk's pages for what stories name: sections, tags, organizations,
people, authors, and events with who took part and what came of them."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..models import (
    Author,
    Event,
    Organization,
    OrganizationAlias,
    Outcome,
    Participant,
    Person,
    Section,
    Tag,
)
from .base import URL_AS_HTTPS, DeskAdmin, DeskStackedInline, DeskTabularInline, NamedByStoriesAdmin


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


class OrganizationAliasInline(DeskTabularInline):
    model = OrganizationAlias
    extra = 1


@admin.register(Organization)
class OrganizationAdmin(NamedByStoriesAdmin):
    list_display = ["name", "kind", "country", "parent"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "aliases__name"]
    autocomplete_fields = ["parent"]
    inlines = [OrganizationAliasInline]
    formfield_overrides = URL_AS_HTTPS


@admin.register(Person)
class PersonAdmin(NamedByStoriesAdmin):
    list_display = ["name", "title", "organization"]
    list_select_related = ["organization"]
    search_fields = ["name", "title", "organization__name"]
    autocomplete_fields = ["organization"]


@admin.register(Author)
class AuthorAdmin(DeskAdmin):
    list_display = ["name", "affiliation", "user"]
    list_select_related = ["affiliation", "user"]
    search_fields = ["name"]
    autocomplete_fields = ["affiliation"]


class ParticipantInline(DeskTabularInline):
    model = Participant
    extra = 1
    autocomplete_fields = ["person", "organization"]


class OutcomeInline(DeskStackedInline):
    model = Outcome
    extra = 0


class MeetingInline(DeskTabularInline):
    """The meetings within a trip, added and ordered from the trip's page."""

    model = Event
    fk_name = "parent"
    extra = 0
    fields = ["title", "kind", "start_date", "start_time", "place"]
    show_change_link = True
    verbose_name = _("cuộc gặp trong chuyến")
    verbose_name_plural = _("các cuộc gặp trong chuyến")


@admin.register(Event)
class EventAdmin(NamedByStoriesAdmin):
    list_display = ["title", "kind", "start_date", "place", "parent"]
    list_filter = ["kind", "country"]
    list_select_related = ["parent"]
    search_fields = ["title", "place", "summary"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["parent"]
    inlines = [ParticipantInline, OutcomeInline, MeetingInline]
