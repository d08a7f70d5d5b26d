"""Each person's notifications in the desk: the list (theirs only, newest first,
unread in bold), opening one marks it read and leads to its story or item of the
plan, "all read", and whether they are also sent by e-mail."""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..desk import notifications
from ..models import Notification, NotificationSettings
from .desk_list import ArchivePaginator
from .desk_log import ReadOnly


@admin.register(Notification)
class NotificationAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ["when", "kind", "about", "actor", "text"]
    list_display_links = None
    list_filter = ["kind"]
    list_select_related = ["actor"]
    list_per_page = 50
    paginator = ArchivePaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    actions = None
    change_list_template = "admin/articles/notification/change_list.html"

    def has_view_permission(self, request, obj=None):
        """Everyone at the desk has their own; nobody sees another's."""
        return (
            request.user.is_active
            and request.user.is_staff
            and (obj is None or obj.recipient_id == request.user.pk)
        )

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def get_queryset(self, request):
        return super().get_queryset(request).filter(recipient=request.user)

    @admin.display(description=_("lúc"), ordering="at")
    def when(self, obj: Notification) -> str:
        return formats.date_format(timezone.localtime(obj.at), "H:i d/m/Y")

    @admin.display(description=_("về"))
    def about(self, obj: Notification) -> str:
        url = reverse("admin:articles_notification_open", args=[obj.pk])
        tag = "strong" if obj.read_at is None else "span"
        return format_html('<a href="{}"><{}>{}</{}></a>', url, tag, obj.subject, tag)

    def get_urls(self):
        return [
            path(
                "<int:pk>/open/",
                self.admin_site.admin_view(self.open_view),
                name="articles_notification_open",
            ),
            path(
                "read/",
                self.admin_site.admin_view(self.read_all_view),
                name="articles_notification_read",
            ),
            path(
                "settings/",
                self.admin_site.admin_view(self.settings_view),
                name="articles_notification_settings",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        wants = NotificationSettings.wants_email(request.user.pk)
        context = {"by_email": wants, "has_email": bool(request.user.email)}
        return super().changelist_view(request, {**context, **(extra_context or {})})

    def open_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        """Mark one read and go where it leads."""
        notification = get_object_or_404(self.get_queryset(request), pk=pk)
        notifications.mark_read(request.user, [notification.pk])
        return redirect(notification.get_absolute_url())

    def read_all_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        count = notifications.mark_read(request.user)
        messages.success(
            request, gettext("Đã đánh dấu %(count)d thông báo là đã đọc.") % {"count": count}
        )
        return redirect("admin:articles_notification_changelist")

    def settings_view(self, request: HttpRequest) -> HttpResponse:
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        by_email = request.POST.get("by_email") == "on"
        NotificationSettings.objects.update_or_create(
            user_id=request.user.pk, defaults={"by_email": by_email}
        )
        messages.success(
            request,
            gettext("Sẽ gửi thông báo qua e-mail.")
            if by_email
            else gettext("Sẽ không gửi thông báo qua e-mail nữa."),
        )
        return redirect("admin:articles_notification_changelist")
