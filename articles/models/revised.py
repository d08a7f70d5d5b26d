"""When readers last saw a story change. A save that changes what they already
read (its text or picture, once published and due) is a revision, stamped in
``revised_at``; a change of status, links or search fields is not, nor is
loading a fixture. ``modified_at`` is what ``dateModified`` says everywhere."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# What readers read: a change to any of them after publication is a revision.
EDITORIAL_FIELDS = (
    *("headline", "sapo", "body"),
    *("image", "image_alt", "image_caption", "image_credit"),
)


class Revised(models.Model):
    """A story's revision time; the story has ``status`` and ``published_at``."""

    revised_at = models.DateTimeField(
        _("sửa sau khi đăng lúc"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Lần sửa nội dung gần nhất sau khi bài đã đến với người đọc."),
    )

    class Meta:
        abstract = True

    def _editorial_value(self, name: str):
        value = getattr(self, name)
        return (value.name or "") if name == "image" else value

    def revises(self) -> bool:
        """Whether saving now changes what readers could already read, judged
        against the row as stored (read here, on a save, rather than kept from
        every read of every story)."""
        if self.pk is None:
            return False
        stored = (
            type(self)
            ._base_manager.filter(pk=self.pk)
            .values("status", "published_at", *EDITORIAL_FIELDS)
            .first()
        )
        if stored is None or stored["status"] != "published":
            return False
        if stored["published_at"] is not None and stored["published_at"] > timezone.now():
            return False
        return any(stored[name] != self._editorial_value(name) for name in EDITORIAL_FIELDS)

    def stamp_revision(self, now) -> None:
        if self.revises():
            self.revised_at = now.replace(microsecond=0)  # HTML's datetime takes whole seconds

    @property
    def modified_at(self):
        """``dateModified``: the last revision readers saw, else first publication."""
        return self.revised_at or self.published_at
