"""The picture library: each picture stored once, with its caption, credit and
description, the people and organizations it shows, who uploaded it and when,
and its renditions, made once; a story's lead picture is one of them
(``Article.lead_picture``), so a picture is uploaded once and used again."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from newsroom import jobs

from ..media.images import PictureField, discard, files_of, renditions_or_later
from ..text.galleries import figure
from ..text.slugs import fold
from .entities import Organization, Person


class PictureQuerySet(models.QuerySet):
    def matching(self, words: str) -> "PictureQuerySet":
        """Pictures whose caption, credit, description or the names of what they show
        hold each of ``words``, diacritics and case aside (``hoa ky`` finds "Hoa Kỳ")."""
        found = self
        for word in fold(words).split()[:8]:
            found = found.filter(search_text__contains=word)
        return found


class Picture(models.Model):
    file = PictureField(
        _("tệp ảnh"), upload_to="pictures/%Y/%m/", help_text=_("JPEG, PNG hoặc WebP.")
    )
    alt = models.CharField(
        _("mô tả ảnh (alt)"),
        max_length=255,
        help_text=_("Ảnh có gì, cho người đọc khiếm thị và khi ảnh không tải được."),
    )
    caption = models.CharField(_("chú thích ảnh"), max_length=500, blank=True)
    credit = models.CharField(_("nguồn ảnh"), max_length=255, blank=True)
    # Where the picture's subject is, in percent across and down: the teasers'
    # crops are cut around it (``images.crop_box``).
    focal_x = models.PositiveSmallIntegerField(
        _("tâm ảnh, ngang (%)"), default=50, db_default=50, validators=[MaxValueValidator(100)]
    )
    focal_y = models.PositiveSmallIntegerField(
        _("tâm ảnh, dọc (%)"), default=50, db_default=50, validators=[MaxValueValidator(100)]
    )
    people = models.ManyToManyField(
        Person, verbose_name=_("nhân vật trong ảnh"), blank=True, related_name="pictures"
    )
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("tổ chức trong ảnh"), blank=True, related_name="pictures"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tải lên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), default=timezone.now, editable=False)
    renditions = models.JSONField(default=dict, blank=True, editable=False)
    # Folded caption, credit, description and names (``matching``), kept on each save.
    search_text = models.TextField(blank=True, default="", editable=False)

    objects = PictureQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["-uploaded_at", "-id"], name="picture_newest")]
        verbose_name = _("ảnh")
        verbose_name_plural = _("thư viện ảnh")

    def __str__(self):
        return self.caption or self.alt or self.file.name

    def save(self, *args, **kwargs):
        self.index()
        made = []
        if self.renditions.get("source") != (self.file.name or None):
            self.renditions = renditions_or_later(self.file, self.focus)
            made = files_of(self.renditions)
        try:
            super().save(*args, **kwargs)
        except Exception:
            discard(made)  # a failed save leaves no file behind
            raise
        if self.file and not self.has_renditions:  # left for a job (a new focal point too)
            source = self.file.name
            jobs.defer("images.picture_renditions", picture=self.pk, source=source,
                       queueing_lock=f"picture:{source}")  # fmt: skip

    def get_absolute_url(self) -> str:
        """The picture as readers are sent it: its largest rendition, or the original."""
        largest = list(self.renditions.get("webp", {}).values())[-1:]
        return default_storage.url(largest[0] if largest else self.file.name)

    @property
    def focus(self) -> tuple[int, int]:
        """Its focal point, in percent across and down."""
        return self.focal_x, self.focal_y

    @property
    def has_renditions(self) -> bool:
        """Whether its renditions are made, of its file, cropped around its focal point."""
        made = self.renditions
        return (
            made.get("source") == self.file.name
            and "webp" in made
            and "crop" in made
            and made.get("focus") == list(self.focus)
        )

    @property
    def thumbnail_url(self) -> str:
        """Its smallest crop, or the original until renditions are made."""
        made = self.renditions
        smallest = next(iter((made.get("crop") or made.get("webp") or {}).values()), None)
        return default_storage.url(smallest or self.file.name)

    @property
    def body_figure(self) -> str:
        """The picture as a story's body holds it, with its caption and credit."""
        made = self.renditions
        name, width, height = self.file.name, made.get("width"), made.get("height")
        fitting = [w for w in made.get("webp", {}) if int(w) <= 960][-1:]  # a column's width
        if fitting and width and height:
            shown = int(fitting[0])
            name, width, height = made["webp"][fitting[0]], shown, height * shown // width
        return figure(default_storage.url(name), self.alt, width, height, self.caption, self.credit)

    def use_on(self, story) -> None:
        """Lend ``story`` this picture as its lead: its file, renditions and words."""
        story.lead_picture = self
        story.image, story.image_renditions = self.file.name, self.renditions
        story.image_alt, story.image_caption, story.image_credit = (
            self.alt,
            self.caption,
            self.credit,
        )

    def index(self) -> None:
        """Its ``search_text``, from its words and the names of what it shows."""
        names = []
        if self.pk:
            names = [p.name for p in self.people.all()] + [o.name for o in self.organizations.all()]
        self.search_text = fold(" ".join([self.caption, self.credit, self.alt, *names]))
