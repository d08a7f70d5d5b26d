"""The story list's actions on many stories at once (move them through the
workflow, add a tag), made by a job (``articles/desk/bulk_changes.py``), and the
page where the desk follows each one's progress."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from newsroom import jobs

from ..desk import bulk_changes, workflow
from ..models import Article, BulkChange
from ..text.tagging import tags_from_string
from .desk_log import ReadOnly

Status = Article.Status


class StoryActionForm(ActionForm):
    """The action bar, with the tag that "add a tag" gives."""

    tag = forms.CharField(label=_("Thẻ"), required=False)  # its length checked by the action


class BulkActions:
    """For ``ArticleAdmin``: each action asks for a ``BulkChange``."""

    action_form = StoryActionForm
    actions = ["submit_for_review", "publish", "unpublish", "archive", "add_tag"]

    def action_checkbox(self, obj):
        """Django's checkbox, written out: its widget's template, rendered for
        each row, was a third of the list's time."""
        label = gettext("Select this object for an action - {}").format(obj)
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            ACTION_CHECKBOX_NAME, obj.pk, label,
        )  # fmt: skip

    def _bulk(self, request, queryset, **change):
        try:
            change = bulk_changes.start(request.user, queryset, **change)
        except ValueError as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return None
        if change.finished_at is None:  # a job on the queue: its page shows how far it is
            self.message_user(request, _("Đã bắt đầu: %(change)s.") % {"change": change})
            return redirect("admin:articles_bulkchange_change", change.pk)
        report(self, request, change)
        return None

    @admin.action(description=_("Gửi duyệt"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        return self._bulk(request, queryset, to_status=Status.REVIEW)

    @admin.action(description=_("Xuất bản"), permissions=["publish"])
    def publish(self, request, queryset):
        return self._bulk(request, queryset, to_status=Status.PUBLISHED)

    @admin.action(description=_("Gỡ xuống (về bản nháp)"), permissions=["publish"])
    def unpublish(self, request, queryset):
        return self._bulk(request, queryset, to_status=Status.DRAFT)

    @admin.action(description=_("Lưu trữ"), permissions=["publish"])
    def archive(self, request, queryset):
        return self._bulk(request, queryset, to_status=Status.ARCHIVED)

    @admin.action(description=_("Thêm thẻ (ghi ở ô Thẻ)"), permissions=["change"])
    def add_tag(self, request, queryset):
        names = tags_from_string(request.POST.get("tag", ""))
        if len(names) != 1 or len(names[0]) > 100:
            self.message_user(request, _("Hãy ghi một thẻ (tối đa 100 ký tự) vào ô Thẻ."),
                              messages.ERROR)  # fmt: skip
            return None
        return self._bulk(request, queryset, tag=names[0])


DONE = {
    Status.REVIEW: _("Đã gửi duyệt %(count)d bài."),
    Status.PUBLISHED: _("Đã xuất bản %(count)d bài."),
    Status.DRAFT: _("Đã gỡ %(count)d bài về bản nháp."),
    Status.ARCHIVED: _("Đã lưu trữ %(count)d bài."),
}


def report(model_admin, request, change: BulkChange) -> None:
    """What a finished change did, and what it did not and why."""
    if change.changed:
        done = DONE.get(change.to_status, _("Đã thêm thẻ cho %(count)d bài."))
        model_admin.message_user(request, done % {"count": change.changed}, messages.SUCCESS)
    if change.unchanged:
        model_admin.message_user(
            request,
            _("%(count)d bài vốn đã như vậy, được giữ nguyên.") % {"count": change.unchanged},
            messages.INFO,
        )
    if change.refused_count:
        reasons = "; ".join(
            f"“{headline or f'#{pk}'}”: {why}" for pk, headline, why in change.refusals
        )
        model_admin.message_user(
            request,
            _("%(count)d bài không đổi: %(reasons)s")
            % {"count": change.refused_count, "reasons": reasons},
            messages.WARNING,
        )


@admin.register(BulkChange)
class BulkChangeAdmin(ReadOnly, admin.ModelAdmin):
    """Each change's progress, refreshing itself while its job runs."""

    change_form_template = "admin/articles/bulkchange/change_form.html"
    list_display = ["__str__", "user", "created_at", "progress", "finished_at"]
    list_select_related = ["user"]
    fields = ["kind", "to_status", "tag_name", "user", "created_at", "progress", "changed",
              "unchanged", "refused_count", "why_refused", "drafts", "finished_at"]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        """Editors see every change; a reporter the ones they asked for."""
        changes = super().get_queryset(request).defer("story_ids")
        if workflow.can_publish(request.user):
            return changes
        return changes.filter(user=request.user)

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("articles.change_article")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Without a queue, each look at an unfinished change (the page refreshes
        itself) does its next part, for one request's share of time."""
        queued = jobs.queued()
        if not queued and request.method == "GET" and str(object_id).isdigit():
            waiting = self.get_queryset(request).filter(pk=object_id, finished_at=None)
            if waiting.exists() and self.has_view_permission(request):
                bulk_changes.go_on(int(object_id))
        extra_context = {**(extra_context or {}), "refresh_seconds": 3 if queued else 1}
        return super().change_view(request, object_id, form_url, extra_context)

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=_("tiến độ"))
    def progress(self, change: BulkChange):
        return format_html(
            '<progress value="{}" max="{}"></progress> {} / {}',
            change.done, change.total, change.done, change.total,
        )  # fmt: skip

    @admin.display(description=_("lý do không đổi"))
    def why_refused(self, change: BulkChange):
        rows = format_html_join(
            "", "<li>{}{}: {}</li>",
            ((_story_link(pk), headline, why) for pk, headline, why in change.refusals),
        )  # fmt: skip
        return format_html("<ul>{}</ul>", rows) if rows else "–"

    @admin.display(description=_("bản nháp từ các tệp"))
    def drafts(self, change: BulkChange):
        """The drafts an import made or found (the first hundred)."""
        if change.kind != BulkChange.Kind.IMPORT or not change.story_ids:
            return "–"
        stories = Article.objects.only("headline", "sapo").in_bulk(change.story_ids[:100])
        rows = format_html_join(
            "", "<li>{}{}</li>",
            ((_story_link(pk), stories[pk]) for pk in change.story_ids[:100] if pk in stories),
        )  # fmt: skip
        return format_html("<ul>{}</ul>", rows)


def _story_link(pk: int | None):
    if pk is None:  # a file of copy that made no story
        return ""
    return format_html(
        '<a href="{}">#{}</a> ', reverse("admin:articles_article_change", args=[pk]), pk
    )
