"""The front page as editors arrange it: every pin in one list, in order, with
where each story stands (a scheduled one shows "Hẹn giờ" and its time)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from ..desk import workflow
from ..models import Pin
from .base import DeskAdmin
from .desk_list import stage_label


@admin.register(Pin)
class PinAdmin(DeskAdmin):
    list_display = ["article", "stage", "slot", "position", "until"]
    list_editable = ["slot", "position", "until"]
    list_select_related = ["article"]
    list_filter = ["slot"]
    search_fields = ["article__headline"]
    autocomplete_fields = ["article"]

    @admin.display(description=_("Trạng thái"))
    def stage(self, pin: Pin):
        return stage_label(pin.article)

    def has_module_permission(self, request):
        return workflow.can_publish(request.user)

    def has_view_permission(self, request, obj=None):
        return workflow.can_publish(request.user)

    def has_add_permission(self, request):
        return workflow.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        return workflow.can_publish(request.user)

    def has_delete_permission(self, request, obj=None):
        return workflow.can_publish(request.user)
