"""Live coverage at the desk ("Trực tiếp"): an update posted in a few seconds from
its own short form (the story's words, a picture from the library, a mark for a
key moment), listed newest first; a posted update corrected says what was
corrected. Every post and removal goes through the workflow (desk/workflow.py),
which judges who may and announces it."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ..desk import workflow
from ..desk.forms import DeskForm
from ..models import Article, LiveUpdate
from .base import DeskAdmin


class LiveUpdateForm(DeskForm):
    class Meta:
        model = LiveUpdate
        fields = ["article", "body", "picture", "key_moment", "correction"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}

    def clean(self):
        """A new update goes to a story that is live; a posted one changed says what
        was corrected (the workflow judges both again as it saves)."""
        data = super().clean()
        story = data.get("article") or (self.instance.article if self.instance.pk else None)
        if self.instance.pk is None and story is not None:
            if not story.is_live:
                self.add_error("article", _("Bài này không đang tường thuật trực tiếp."))
            elif not workflow.can_post_update(self.user, story):
                self.add_error("article", _("Bạn không được viết cập nhật cho bài này."))
        if self.instance.pk and self.has_changed():
            shown = {"body", "picture", "key_moment"} & set(self.changed_data)
            if shown and not (data.get("correction") or "").strip():
                self.add_error(
                    "correction", _("Ghi điều đã sửa: người đọc thấy ghi chú đính chính.")
                )
        return data


@admin.register(LiveUpdate)
class LiveUpdateAdmin(DeskAdmin):
    form = LiveUpdateForm
    list_display = ["posted", "article", "excerpt", "key_moment", "writer", "corrected"]
    list_display_links = ["posted", "excerpt"]
    list_select_related = ["article", "written_by"]
    list_filter = ["key_moment"]
    search_fields = ["body", "article__headline"]
    autocomplete_fields = ["article", "picture"]
    list_per_page = 50

    @admin.display(description=_("Lúc"), ordering="-posted_at")
    def posted(self, update: LiveUpdate) -> str:
        return formats.date_format(timezone.localtime(update.posted_at), "H:i d/m")

    @admin.display(description=_("Nội dung"))
    def excerpt(self, update: LiveUpdate) -> str:
        return Truncator(update.body).chars(120)

    @admin.display(description=_("Người viết"))
    def writer(self, update: LiveUpdate) -> str:
        person = update.written_by
        return (person.get_full_name() or person.get_username()) if person else ""

    @admin.display(description=_("Đính chính"), boolean=True)
    def corrected(self, update: LiveUpdate) -> bool:
        return update.corrected_at is not None

    def lookup_allowed(self, lookup, value, request=None):
        """One story's updates, linked from its form."""
        return lookup == "article__id__exact" or super().lookup_allowed(lookup, value, request)

    def get_queryset(self, request):
        visible = workflow.visible_to(request.user, Article.objects.all())
        return super().get_queryset(request).filter(article__in=visible)

    def get_fields(self, request, obj=None):
        fields = ["article", "body", "picture", "key_moment"]
        return [*fields, "correction"] if obj else fields

    def get_readonly_fields(self, request, obj=None):
        return ["article"] if obj else []

    def get_changeform_initial_data(self, request):
        """From a live story's form: its update, the story chosen."""
        return {"article": request.GET.get("article")} if request.GET.get("article") else {}

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or workflow.can_post_update(request.user, obj.article))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or workflow.can_post_update(request.user, obj.article))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def save_model(self, request, obj, form, change):
        try:
            workflow.post_update(obj, request.user)
        except (PermissionDenied, ValidationError) as refused:
            # Judged again under the story's lock: it ended, or the user lost it, meanwhile.
            messages.error(request, " ".join(getattr(refused, "messages", [str(refused)])))
            raise PermissionDenied from refused

    def delete_model(self, request, obj):
        workflow.remove_update(obj, request.user)

    def delete_queryset(self, request, queryset):
        for update in queryset.select_related("article"):
            workflow.remove_update(update, request.user)
