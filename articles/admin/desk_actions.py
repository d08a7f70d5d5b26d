"""The story list's actions: a row's buttons ("Gửi duyệt", "Xuất bản"…, each
through the workflow), actions on many stories at once (move them through the
workflow, add a tag), made by a job (``articles/desk/bulk_changes.py``), and the
page where the desk follows each one's progress."""

from typing import cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME, ActionForm
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
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

    def get_list_display(self, request):
        """The headline with the row's buttons under it (as WordPress's row
        actions), the buttons this user's: a column made for the request."""

        @admin.display(description=_("Tiêu đề"), ordering="headline")
        def headline(story: Article) -> str:
            change = reverse("admin:articles_article_change", args=[story.pk])
            return format_html(
                '<a href="{}" class="headline">{}</a>{}',
                change, story, row_buttons(request.user, story),
            )  # fmt: skip

        return [headline if name == "headline" else name
                for name in super().get_list_display(request)]  # fmt: skip

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

    @admin.action(description=_("Gỡ bài (về bản nháp)"), permissions=["publish"])
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


def asks_for_byline(story: Article, act: workflow.Act) -> bool:
    """Publishing a story with no byline is confirmed on its form (its bylines
    come with the list's rows)."""
    first_time = story.status != Status.PUBLISHED
    return act.to == Status.PUBLISHED and first_time and not story.bylines.all()


def row_buttons(user, story: Article) -> str:
    """A row's buttons: those that need nothing more are sent at once (to
    ``act_view``); "Trả lại" and "Hẹn giờ" open the story at the box they need."""
    url = reverse("admin:articles_article_act", args=[story.pk])
    change = reverse("admin:articles_article_change", args=[story.pk])
    buttons = []
    for act in workflow.acts_for(user, story):
        if act.needs_note or act.needs_time or asks_for_byline(story, act):
            target = {True: "#id_note", False: "#id_published_at_0"}[act.needs_note]
            if asks_for_byline(story, act):
                target = "#id_publish_without_byline"
            buttons.append(
                format_html(
                    '<a class="button act act-{}" href="{}{}">{}…</a>',
                    act.name,
                    change,
                    target,
                    act.label,
                )
            )
        else:
            buttons.append(
                format_html(
                    '<button type="submit" class="button act act-{}" formaction="{}" '
                    'name="move" value="{}">{}</button>',
                    act.name,
                    url,
                    act.name,
                    act.label,
                )
            )
    return format_html(
        '<div class="acts">{}</div>', format_html_join("", "{}", ((b,) for b in buttons))
    )


def act_view(model_admin, request: HttpRequest, object_id: str) -> HttpResponse:
    """A row's button pressed: the move through the workflow, its result said,
    and back to the list as it was."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    story = get_object_or_404(model_admin.get_queryset(request), pk=object_id)
    user = cast(User, request.user)  # the admin lets only staff in
    act = workflow.ACTS.get(request.POST.get("move", ""))
    if act is not None and act in workflow.acts_for(user, story) and asks_for_byline(story, act):
        messages.error(
            request,
            gettext("“%(story)s”: bài chưa có tác giả; hãy mở bài để thêm tác giả hoặc xác nhận.")
            % {"story": story},
        )
        return redirect("admin:articles_article_change", story.pk)
    try:
        workflow.perform(story, request.POST.get("move", ""), user)
    except (PermissionDenied, ValidationError) as refusal:
        text = "; ".join(refusal.messages) if isinstance(refusal, ValidationError) else refusal
        messages.error(request, gettext("“%(story)s”: %(why)s") % {"story": story, "why": text})
    else:
        messages.success(
            request,
            gettext("“%(story)s”: %(stage)s.") % {"story": story, "stage": story.stage_label},
        )
    back = request.headers.get("referer", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
        back = reverse("admin:articles_article_changelist")
    return redirect(back)
