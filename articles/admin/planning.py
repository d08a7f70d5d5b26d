"""The story budget ("Kế hoạch") in the desk: a day's board, by section or by
person, late items in red, the meetings nobody covers, and "Viết bài" to make
an item's draft in one click (``articles/desk/planning.py``)."""

import datetime

from django.contrib import admin, messages
from django.contrib.admin.widgets import FilteredSelectMultiple
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext

from ..desk import planning
from ..models import PlannedStory
from .base import DeskAdmin

BY_PERSON = "nguoi"


def board_day(request: HttpRequest) -> datetime.date:
    """The day asked for (``?ngay=2026-12-06``), today if none or not a date."""
    try:
        return datetime.date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        return timezone.localdate()


@admin.register(PlannedStory)
class PlannedStoryAdmin(DeskAdmin):
    fields = [
        "day",
        "working_title",
        "section",
        "assignees",
        "deadline",
        "expected_words",
        "needs_pictures",
        "notes",
        "event",
        "story",
        "dropped",
    ]
    autocomplete_fields = ["event", "story"]  # sections: a short list, a plain select
    list_display = ["working_title", "day", "section"]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "assignees":
            kwargs["queryset"] = get_user_model().objects.filter(is_active=True, is_staff=True)
            kwargs["widget"] = FilteredSelectMultiple(db_field.verbose_name, is_stacked=False)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "ngay" in request.GET:
            initial["day"] = board_day(request)
        return initial

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        self._assignees_before = (
            set(obj.assignees.values_list("pk", flat=True)) if change else set()
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        now = set(form.instance.assignees.values_list("pk", flat=True))
        planning.assigned(form.instance, now - self._assignees_before, request.user)

    def response_add(self, request, obj, post_url_continue=None):
        if "_continue" in request.POST or "_addanother" in request.POST:
            return super().response_add(request, obj, post_url_continue)
        return redirect(f"{reverse('admin:articles_plannedstory_changelist')}?ngay={obj.day}")

    def response_change(self, request, obj):
        if "_continue" in request.POST:
            return super().response_change(request, obj)
        return redirect(f"{reverse('admin:articles_plannedstory_changelist')}?ngay={obj.day}")

    def get_urls(self):
        return [
            path(
                "<int:pk>/draft/",
                self.admin_site.admin_view(self.draft_view),
                name="articles_plannedstory_draft",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        """The day's board, instead of a table of every item ever planned."""
        if not self.has_view_permission(request):
            return super().changelist_view(request, extra_context)  # the admin's refusal
        day = board_day(request)
        items = list(PlannedStory.objects.of_day(day)[:500])
        by_person = request.GET.get("theo") == BY_PERSON
        if by_person:
            groups: dict[str, list] = {}
            for item in items:
                for person in item.assignees.all() or [None]:
                    name = (
                        (person.get_full_name() or person.get_username())
                        if person
                        else gettext("Chưa giao")
                    )
                    groups.setdefault(name, []).append(item)
        else:
            groups = {}
            for item in items:
                groups.setdefault(
                    item.section.name if item.section else gettext("Chưa chọn chuyên mục"), []
                ).append(item)
        for item in items:
            item.may_start = planning.may_start(request.user, item)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": gettext("Kế hoạch ngày %(day)s") % {"day": day.strftime("%d/%m/%Y")},
            "day": day,
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1),
            "today": timezone.localdate(),
            "by_person": by_person,
            "groups": sorted(groups.items()),
            "late": sum(item.is_late for item in items),
            "uncovered": list(planning.uncovered_meetings(day)),
            "has_add_permission": self.has_add_permission(request),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/articles/plannedstory/board.html", context)

    def draft_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """ "Viết bài": the item's draft, and on to it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        plan = get_object_or_404(PlannedStory, pk=pk)
        if plan.story_id:
            return redirect("admin:articles_article_change", plan.story_id)
        if not planning.may_start(request.user, plan):
            messages.error(
                request, gettext("Chỉ biên tập viên hoặc người được giao mới viết bài này.")
            )
            return redirect(f"{reverse('admin:articles_plannedstory_changelist')}?ngay={plan.day}")
        story = planning.start_draft(plan, request.user)
        messages.success(request, gettext("Đã tạo bản nháp “%(story)s”.") % {"story": story})
        return redirect("admin:articles_article_change", story.pk)
