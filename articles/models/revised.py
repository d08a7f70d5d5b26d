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
# A story's row as stored before a save, as far as the save is judged by it: the
# desk's rules, its revision time, its address and its place in the listings.
STORED_FIELDS = (
    *("slug", "status", "published_at", "section_id", "language", "translation_of_id"),
    *("created_by_id", "updated_at", "updated_by_id", "lead_picture_id"),
    *EDITORIAL_FIELDS,
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

    def stored(self) -> dict | None:
        """The row as the database holds it before this save (None if it holds
        none), read once per save: the desk hands over the row it has read and
        locked already (workflow.py), and every other road reads it here."""
        if "_stored" not in self.__dict__:
            rows = type(self)._base_manager.filter(pk=self.pk)
            self._stored = None if self.pk is None else rows.values(*STORED_FIELDS).first()
        return self._stored

    def forget_stored(self) -> dict | None:
        """The row ``stored`` gave, forgotten once the save is over: the next save
        of this instance reads it again."""
        return self.__dict__.pop("_stored", None)

    def revises(self) -> bool:
        """Whether saving now changes what readers could already read, judged
        against the row as stored (read once per save, rather than kept from
        every read of every story)."""
        stored = self.stored()
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
