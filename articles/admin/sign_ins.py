"""Sign-in throttling's records (django-axes) in the desk's words: who was
locked out, each sign-in and each failure, as lists only (the records' own
names are English sentences); "Mở khoá" lifts a lockout."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .desk_list import ArchivePaginator


class SignInList(admin.ModelAdmin):
    """A list without pages of its own: nothing to edit, nothing to open."""

    list_display_links = None
    list_per_page = 50
    paginator = ArchivePaginator
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    search_fields = ["username", "ip_address"]
    actions: list[str] | None = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [url for url in super().get_urls() if url.name == "{}_{}_changelist".format(*info)]


@admin.register(AccessAttempt)
class LockoutAdmin(SignInList):
    list_display = ["attempt_time", "username", "ip_address", "failures_since_start", "path_info"]
    actions = ["unlock"]

    @admin.action(description=_("Mở khoá"), permissions=["delete"])
    def unlock(self, request, queryset):
        count = queryset.delete()[0]
        self.message_user(request, _("Đã mở khoá %(count)d lượt.") % {"count": count})


@admin.register(AccessLog)
class SignInLogAdmin(SignInList):
    list_display = ["attempt_time", "logout_time", "username", "ip_address"]


@admin.register(AccessFailureLog)
class SignInFailureAdmin(SignInList):
    list_display = ["attempt_time", "username", "ip_address", "locked_out"]
    list_filter = ["locked_out"]
