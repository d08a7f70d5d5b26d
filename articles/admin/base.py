"""What every page of the desk shares: forms that clean what was typed, and
delete pages that name the stories still naming a thing."""

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.widgets import AdminFileWidget, AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from ..desk.forms import DeskForm
from ..media.images import PictureField
from ..models import Article

# Editors paste bare domains; read them as https (Django 6's default) rather than http.
URL_AS_HTTPS = {models.URLField: {"assume_scheme": "https"}}


class PictureWidget(AdminFileWidget):
    """The picture itself above its file name, so the desk sees what it chose."""

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        if not (value and getattr(value, "url", None)):
            return field
        return format_html(
            '<img class="picture-thumbnail" src="{}" alt="" width="240">{}', value.url, field
        )


PICTURES = {PictureField: {"widget": PictureWidget}}


class LabelledAutocompleteSelect(AutocompleteSelect):
    """Django's, with its empty first option labelled (a space): an empty option
    without a label is invalid HTML; select2 shows its placeholder all the same.
    A required field with nothing chosen gets one too: a required select with no
    option at all is invalid as well."""

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        if option["value"] == "":
            option["attrs"]["label"] = " "
        return option

    def optgroups(self, name, value, attr=None):
        # A value that is no key at all (a form sent back with ``abc``) was looked up as
        # one, a 500: the form says it is no valid choice, and shows nothing chosen.
        value = [v for v in value if self._is_key(v)]
        groups = super().optgroups(name, value, attr)
        if not any(options for _, options, _ in groups):
            groups[0][1].append(self.create_option(name, "", "", False, 0))
        return groups

    def _is_key(self, value) -> bool:
        try:
            self.field.target_field.to_python(value)
        except ValidationError:
            return False
        return True


class LabelledAutocomplete:
    """For every admin of the desk: its autocomplete fields use the widget above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LabelledAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def link_rows_left_out(deleted: list, counts: dict) -> tuple[list, dict]:
    """A delete page's list without the rows of the tables that only link two
    things (a story's organizations, an item's assignees): Django names them in
    English ("PlannedStory-user relationship"), and they go with what they link."""
    links = [m for m in apps.get_models(include_auto_created=True) if m._meta.auto_created]
    names = tuple(f"{capfirst(m._meta.verbose_name)}: " for m in links)
    plurals = {str(m._meta.verbose_name_plural) for m in links}

    def kept(items: list) -> list:
        return [
            kept(item) if isinstance(item, list) else item
            for item in items
            if not (isinstance(item, str) and item.startswith(names))
        ]

    return kept(deleted), {name: n for name, n in counts.items() if str(name) not in plurals}


class LinkRowsLeftOut:
    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return (*link_rows_left_out(deleted, counts), perms_needed, protected)


class DeskAdmin(LinkRowsLeftOut, LabelledAutocomplete, admin.ModelAdmin):
    form = DeskForm
    formfield_overrides = PICTURES


class DeskTabularInline(LabelledAutocomplete, admin.TabularInline):
    form = DeskForm


class DeskStackedInline(LabelledAutocomplete, admin.StackedInline):
    form = DeskForm


class NamedByStoriesAdmin(DeskAdmin):
    """The delete page lists the stories that still name the thing, as protected:
    it cannot be deleted until they are unlinked (see models.refuse_while_named)."""

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if objs := list(objs):  # one query for all of them, not one each
            protected += [
                format_html('{}: <a href="{}">{}</a>', Article._meta.verbose_name.capitalize(),
                            reverse("admin:articles_article_change", args=[story.pk]), story)
                for story in Article.objects.naming(*objs).distinct()
            ]  # fmt: skip
        return deleted, counts, perms_needed, protected
