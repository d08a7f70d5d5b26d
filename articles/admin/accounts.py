"""Staff accounts and their groups: Django's own admin, with its password summary
as valid HTML (Django marks the summary's ``<div>`` disabled; HTML allows that on
controls only), and permissions named in the desk's language (Django stores
their names in English: "Can add article")."""

from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import ReadOnlyPasswordHashWidget, UserChangeForm
from django.contrib.auth.models import Group, Permission
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from .base import LinkRowsLeftOut

ACTIONS = {"add": _("Thêm"), "change": _("Sửa"), "delete": _("Xoá"), "view": _("Xem")}


def permission_label(permission: Permission) -> str:
    """ "Toà soạn | Bài viết | Sửa bài viết": the app, the model and the act, translated."""
    model = permission.content_type.model_class()
    if model is None:  # a model gone since: its stored name
        return permission.name
    what = model._meta.verbose_name
    action, _sep, rest = permission.codename.partition("_")
    act = (
        f"{ACTIONS[action]} {what}"
        if action in ACTIONS and rest == model._meta.model_name
        else permission.name
    )
    app = apps.get_app_config(permission.content_type.app_label).verbose_name
    return f"{app} | {capfirst(what)} | {act}"


class PermissionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return permission_label(obj)


class NamedPermissions:
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["form_class"] = PermissionChoices
            # taggit's own tags are unused (the desk's are articles.Tag)
            kwargs["queryset"] = Permission.objects.exclude(
                content_type__app_label="taggit"
            ).select_related("content_type")
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class PasswordSummary(ReadOnlyPasswordHashWidget):
    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("disabled", None)
        return context


class StaffChangeForm(UserChangeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "password" in self.fields:
            self.fields["password"].widget = PasswordSummary()


admin.site.unregister(get_user_model())
admin.site.unregister(Group)


@admin.register(get_user_model())
class StaffAdmin(LinkRowsLeftOut, NamedPermissions, UserAdmin):
    form = StaffChangeForm


@admin.register(Group)
class DeskGroupAdmin(LinkRowsLeftOut, NamedPermissions, GroupAdmin):
    pass
