from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .models import (
    Article,
    Author,
    Byline,
    Event,
    Organization,
    OrganizationAlias,
    Outcome,
    Participant,
    Person,
    Section,
    Tag,
)

# Editors paste bare domains; read them as https (Django 6's default) rather than http.
URL_AS_HTTPS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_editable = ["position"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


class OrganizationAliasInline(admin.TabularInline):
    model = OrganizationAlias
    extra = 1


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "parent"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "aliases__name"]
    autocomplete_fields = ["parent"]
    inlines = [OrganizationAliasInline]
    formfield_overrides = URL_AS_HTTPS


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "title", "organization"]
    list_select_related = ["organization"]
    search_fields = ["name", "title", "organization__name"]
    autocomplete_fields = ["organization"]


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "user"]
    list_select_related = ["affiliation", "user"]
    search_fields = ["name"]
    autocomplete_fields = ["affiliation"]


class ParticipantInline(admin.TabularInline):
    model = Participant
    extra = 1
    autocomplete_fields = ["person", "organization"]


class OutcomeInline(admin.StackedInline):
    model = Outcome
    extra = 0


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "start_date", "place", "parent"]
    list_filter = ["kind", "country"]
    list_select_related = ["parent"]
    search_fields = ["title", "place", "summary"]
    date_hierarchy = "start_date"
    autocomplete_fields = ["parent"]
    inlines = [ParticipantInline, OutcomeInline]


class BylineInline(admin.TabularInline):
    model = Byline
    extra = 1
    autocomplete_fields = ["author"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["headline", "status", "published_at", "section"]
    list_filter = ["status", "section", "language"]
    list_select_related = ["section"]
    search_fields = ["headline", "sapo"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = ["section", "organizations", "people", "events", "source_outlet"]
    inlines = [BylineInline]
    formfield_overrides = URL_AS_HTTPS
    fieldsets = [
        (None, {"fields": ["headline", "slug", "sapo", "body"]}),
        (_("Ảnh"), {"fields": ["image", "image_alt", "image_caption", "image_credit"]}),
        (_("Phân loại"), {"fields": ["section", "tags", "language"]}),
        (_("Đối tượng và sự kiện"), {"fields": ["organizations", "people", "events"]}),
        (_("Xuất bản"), {"fields": ["status", "published_at"]}),
        (_("Nguồn"), {"fields": ["source_outlet", "source_url", "source_published_at"]}),
    ]
