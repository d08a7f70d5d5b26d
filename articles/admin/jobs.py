"""The job queue (procrastinate, on PostgreSQL) in the desk's words: what waits,
runs or failed, as a list only; "Chạy lại" retries a failed one. Procrastinate's
own page names everything in English."""

from django.apps import apps
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .sign_ins import SignInList

STATES = {
    "todo": _("chờ chạy"),
    "doing": _("đang chạy"),
    "succeeded": _("xong"),
    "failed": _("lỗi"),
    "cancelled": _("đã huỷ"),
    "aborting": _("đang dừng"),
    "aborted": _("đã dừng"),
}


class StateFilter(admin.SimpleListFilter):
    title = _("tình trạng")
    parameter_name = "tinh_trang"

    def lookups(self, request, model_admin):
        return list(STATES.items())

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() in STATES else queryset


class JobList(SignInList):
    list_display = ["pk", "task", "state", "queue", "scheduled", "runs"]
    list_filter = [StateFilter]
    search_fields = ["task_name"]
    actions = ["retry"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("việc"), ordering="task_name")
    def task(self, job) -> str:
        return job.task_name

    @admin.display(description=_("tình trạng"), ordering="status")
    def state(self, job) -> str:
        return str(STATES.get(job.status, job.status))

    @admin.display(description=_("hàng đợi"))
    def queue(self, job) -> str:
        return job.queue_name

    @admin.display(description=_("hẹn lúc"), ordering="scheduled_at")
    def scheduled(self, job):
        return timezone.localtime(job.scheduled_at) if job.scheduled_at else "–"

    @admin.display(description=_("số lần chạy"))
    def runs(self, job) -> int:
        return job.attempts

    @admin.action(description=_("Chạy lại"), permissions=["view"])
    def retry(self, request, queryset):
        from procrastinate import utils

        queue = apps.get_app_config("procrastinate").app.job_manager  # type: ignore[attr-defined]
        for job in queryset.filter(status__in=("failed", "doing")):
            queue.retry_job_by_id(job.id, utils.utcnow(), job.priority, job.queue_name, job.lock)


def take_over_the_job_list() -> None:
    """Show the queue's jobs with ``JobList``, in place of procrastinate's page
    (registered by the admin's discovery, which runs before the app is ready)."""
    if not apps.is_installed("procrastinate.contrib.django"):
        return
    from procrastinate.contrib.django.models import ProcrastinateJob

    if admin.site.is_registered(ProcrastinateJob):
        admin.site.unregister(ProcrastinateJob)
    admin.site.register(ProcrastinateJob, JobList)
