"""A story in more than one language: each story is written in one, and a
translation names its original. The original and its translations are a
family; readers see each member on its own language's site, naming the others."""

import functools

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def site_order(language: str) -> int:
    """Where ``language``'s site comes in settings.LANGUAGES (unknown ones last)."""
    codes = [code for code, _name in settings.LANGUAGES]
    return codes.index(language) if language in codes else len(codes)


def slot_taken(holder: "Translated") -> str:
    """Why a translation cannot be published: which story holds its place."""
    return _(
        "Bài gốc đã có bản dịch bằng ngôn ngữ này được xuất bản: bài số %(number)s "
        "“%(headline)s”. Hãy gỡ bài đó hoặc sửa nó thay vì xuất bản bản dịch thứ hai."
    ) % {"number": holder.pk, "headline": holder.headline}


class TranslatedQuerySet(models.QuerySet):
    def in_language(self, language: str | None = None):
        """Stories written in ``language``, the active one by default: each
        language's site lists its own stories, not the other's under its menus."""
        return self.filter(language=language or get_language())

    def translations_of(self, *stories: "Translated"):
        """The stories of the same families as ``stories`` (an original and its
        translations), ``stories`` included; each row carries its ``original``."""
        originals = {s.translation_of_id or s.pk for s in stories}
        return self.filter(Q(pk__in=originals) | Q(translation_of__in=originals)).annotate(
            original=Coalesce("translation_of", "pk")
        )

    def with_translations(self):
        """Each row knows whether it has translations (``has_translations``), so
        that ``published_translations`` of one that has none costs no query."""
        translated = self.model.objects.filter(translation_of=OuterRef("pk"))
        return self.annotate(has_translations=Exists(translated))


class Translated(models.Model):
    language = models.CharField(
        _("ngôn ngữ"), max_length=10, choices=settings.LANGUAGES, default="vi"
    )
    translation_of = models.ForeignKey(
        "self",
        verbose_name=_("bản dịch của"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translations",
        help_text=_("Bài gốc, viết bằng ngôn ngữ khác, mà bài này dịch lại."),
    )

    class Meta:
        abstract = True
        constraints = [
            # At most one published translation in each language; drafts of others wait.
            models.UniqueConstraint(
                fields=["translation_of", "language"],
                condition=Q(status="published"),
                name="one_published_translation_per_language",
            ),
            models.CheckConstraint(
                condition=~Q(translation_of=F("pk")), name="not_own_translation"
            ),
        ]

    def get_constraints(self):
        """The constraints a form checks before a save: whether a story is its own
        translation is judged by ``clean_translation`` without a query, and the
        database still refuses it."""
        return [
            (model, [c for c in constraints if c.name != "not_own_translation"])
            for model, constraints in super().get_constraints()
        ]

    def clean_translation(self):
        """A translation names its original, in another language; a story that has
        translations is an original, so it cannot be a translation itself."""
        original = self.translation_of
        if original is None:
            # Its translations are in other languages than the one it had: a clash
            # is only possible if its language changes.
            stored = self.stored() if self.pk else None
            moved = stored is None or stored["language"] != self.language
            if moved and self.pk and self.translations.filter(language=self.language).exists():
                raise ValidationError(
                    {"language": _("Bài này đã có một bản dịch bằng ngôn ngữ này.")}
                )
            return
        if original.translation_of_id:  # a translation of a translation: of its original
            original = self.translation_of = original.translation_of
        problem = None
        if self.pk and original.pk == self.pk:
            problem = _("Một bài không thể là bản dịch của chính nó.")
        elif original.language == self.language:
            problem = _("Bài gốc cũng viết bằng ngôn ngữ này: bản dịch phải khác ngôn ngữ.")
        elif self.pk and self.translations.exists():
            problem = _("Bài này đã có bản dịch, nên là bài gốc: hãy gắn các bản dịch vào nó.")
        elif self.status == self.Status.PUBLISHED and (holder := self.translation_slot_holder()):
            problem = slot_taken(holder)
        if problem:
            raise ValidationError({"translation_of": problem})

    def translation_slot_holder(self) -> "Translated | None":
        """The published translation of this story's original in this story's
        language, other than this one: a draft holds no place, so that nobody's
        unfinished draft keeps the real translation from being published."""
        if not self.translation_of_id:
            return None
        return (
            type(self)
            .objects.filter(
                translation_of=self.translation_of_id,
                language=self.language,
                status=self.Status.PUBLISHED,
            )
            .exclude(pk=self.pk)
            .only("headline")
            .first()
        )

    @functools.cached_property
    def published_translations(self) -> list["Translated"]:
        """The same story in the other languages, as readers may see it (its
        original and the original's other translations), in the sites' order.
        An original known to have none (``has_translations``, read with the
        story) costs no query."""
        if self.translation_of_id is None and not getattr(self, "has_translations", True):
            return []
        family = (
            type(self)
            .objects.published()
            .translations_of(self)
            .exclude(pk=self.pk)
            .only("slug", "headline", "language", "translation_of")
        )
        return sorted(family, key=lambda story: site_order(story.language))

    def in_language(self, language: str) -> "Translated | None":
        """This story as the site of ``language`` shows it: itself or a translation."""
        if language == self.language:
            return self
        return next((t for t in self.published_translations if t.language == language), None)
