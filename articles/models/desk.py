"""The desk's log: every move of a story through the workflow, every correction,
deletion, restored revision and story brought back; who, when, which story.
Kept when the story is deleted, and when the person leaves: editors and
lawyers read it (the desk's "Nhật ký")."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .stories import Article


class StateChange(models.Model):
    """One act on a story at the desk: who, when, what (a move from which status
    to which, a correction, a deletion, a revision restored, a story brought back)."""

    class Action(models.TextChoices):
        MOVE = "move", _("chuyển trạng thái")
        CORRECTION = "correction", _("đính chính, cập nhật")
        DELETION = "deletion", _("xoá bài")
        RESTORE = "restore", _("khôi phục phiên bản")
        RECOVERY = "recovery", _("đưa bài đã xoá trở lại")
        NOTE = "note", _("ghi chú nội bộ")
        LIVE = "live", _("cập nhật trực tiếp")

    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        related_name="state_changes",
        verbose_name=_("bài viết"),
    )
    # The story's number and headline as they were: the entry outlives the story.
    story_pk = models.BigIntegerField(_("số bài"), null=True, db_index=True)
    headline = models.CharField(_("tiêu đề lúc đó"), max_length=300, blank=True, db_default="")
    action = models.CharField(
        _("việc"), max_length=12, choices=Action, default=Action.MOVE, db_default=Action.MOVE
    )
    note = models.TextField(_("ghi chú"), blank=True, db_default="")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(_("từ"), max_length=10, choices=Article.Status, blank=True)
    to_status = models.CharField(_("sang"), max_length=10, choices=Article.Status, blank=True)
    at = models.DateTimeField(_("lúc"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        # the log's order, which the desk reads a page of at a time (and its years from)
        indexes = [models.Index(fields=["-at", "-id"], name="desk_log_newest")]
        verbose_name = _("mục nhật ký")
        verbose_name_plural = _("nhật ký bàn biên tập")
        # besides editors: whoever must answer for what was published (a lawyer)
        permissions = [("read_desk_log", _("Có thể đọc toàn bộ nhật ký bàn biên tập"))]

    def __str__(self):
        if self.action == self.Action.MOVE:
            return f"{self.get_from_status_display()} → {self.get_to_status_display()}"
        return str(self.get_action_display())


class BulkChange(models.Model):
    """A change asked of many stories at once (a move through the workflow, a
    tag added, or files of copy made drafts), made story by story by a job
    through the desk's rules (``articles/desk/bulk_changes.py``), its progress here
    for the desk to follow."""

    class Kind(models.TextChoices):
        MOVE = "move", _("chuyển trạng thái")
        TAG = "tag", _("thêm thẻ")
        IMPORT = "import", _("nhập tin")

    # The refusals kept to show (all are counted).
    REFUSALS_KEPT = 50

    kind = models.CharField(_("việc"), max_length=8, choices=Kind)
    to_status = models.CharField(_("sang"), max_length=10, choices=Article.Status, blank=True)
    tag_name = models.CharField(_("thẻ"), max_length=100, blank=True)
    # copy imported: the outlet chosen for every file (none: read from each banner)
    outlet = models.ForeignKey(
        "articles.Organization",
        verbose_name=_("báo nguồn"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    story_ids = models.JSONField(_("các bài"), default=list)  # in the order they are done
    total = models.PositiveIntegerField(_("số bài"), default=0)
    done = models.PositiveIntegerField(_("đã xử lý"), default=0)
    changed = models.PositiveIntegerField(_("đã đổi"), default=0)
    # already as asked (published, or carrying the tag): left as they were, dates and all
    unchanged = models.PositiveIntegerField(_("vốn đã như vậy"), default=0, db_default=0)
    refused_count = models.PositiveIntegerField(_("không đổi"), default=0)
    refusals = models.JSONField(_("lý do không đổi"), default=list)  # [story, headline, why]
    created_at = models.DateTimeField(_("lúc yêu cầu"), default=timezone.now)
    finished_at = models.DateTimeField(_("lúc xong"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("việc hàng loạt")
        verbose_name_plural = _("việc hàng loạt")

    def __str__(self):
        if self.kind == self.Kind.IMPORT:
            return _("Nhập tin: %(count)d tệp") % {"count": self.total}
        if self.kind == self.Kind.TAG:
            what = _("Thêm thẻ “%(tag)s”") % {"tag": self.tag_name}
        else:
            what = _("Chuyển sang “%(status)s”") % {"status": self.get_to_status_display()}
        return _("%(what)s: %(count)d bài") % {"what": what, "count": self.total}

    def get_absolute_url(self) -> str:
        return reverse("admin:articles_bulkchange_change", args=[self.pk])

    def refuse(self, story: int, headline: str, why: str) -> None:
        self.refused_count += 1
        if len(self.refusals) < self.REFUSALS_KEPT:
            self.refusals.append([story, headline, why])


class CopyFile(models.Model):
    """A file of copy waiting to be read into a draft by an import (``BulkChange``
    of kind ``import``): kept until its turn, then deleted."""

    change = models.ForeignKey(BulkChange, on_delete=models.CASCADE, related_name="files")
    position = models.PositiveIntegerField()
    name = models.CharField(_("tệp"), max_length=255)
    data = models.BinaryField()

    class Meta:
        ordering = ["change", "position"]
        constraints = [
            models.UniqueConstraint(fields=["change", "position"], name="unique_copy_file")
        ]
        verbose_name = _("tệp chờ nhập")
        verbose_name_plural = _("tệp chờ nhập")

    def __str__(self):
        return self.name
