"""The desk's log (``StateChange``): on each story's page, and whole, for editors
and lawyers, filterable by person, act and story, kept when a story is deleted.
Nobody edits or deletes it."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..desk import workflow
from ..models import StateChange
from .base import DeskTabularInline
from .desk_list import ArchivePaginator, YearFilter


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LogYearFilter(YearFilter):
    title = _("năm")
    field = "at"


class StateChangeInline(ReadOnly, DeskTabularInline):
    """What was done to the story at the desk, newest first."""

    model = StateChange
    extra = 0
    can_delete = False
    fields = ["at", "user", "action", "from_status", "to_status", "note"]
    readonly_fields = fields
    verbose_name_plural = _("Nhật ký")


@admin.register(StateChange)
class DeskLogAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["at", "user", "action", "story", "from_status", "to_status", "note"]
    # the staff (a small table), not the distinct people of the whole log
    list_filter = ["action", ("user", admin.RelatedFieldListFilter), "at", LogYearFilter]
    # a number finds that story's entries, deleted or not; words, by headline
    search_fields = ["=story_pk", "headline"]
    search_help_text = _("Số bài (vd. 12) hoặc chữ trong tiêu đề")
    list_select_related = ["user", "article"]
    list_per_page = 50
    # It grows with every move of every story: not counted whole, nor read for its years.
    paginator = ArchivePaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER

    def has_view_permission(self, request, obj=None):
        """Editors', and whoever is given ``read_desk_log`` (a lawyer): a reporter
        sees the log of their own stories on them, not the desk's whole."""
        user = request.user
        return workflow.can_publish(user) or user.has_perm("articles.read_desk_log")

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=_("bài viết"), ordering="story_pk")
    def story(self, entry: StateChange):
        if entry.article_id is None:
            return format_html("#{} {} <em>({})</em>", entry.story_pk, entry.headline, _("đã xoá"))
        url = reverse("admin:articles_article_change", args=[entry.article_id])
        return format_html('#{} <a href="{}">{}</a>', entry.story_pk, url, entry.headline)
