"""Translations on the desk: which story a story translates, the translations
it has, and a link that starts one, filled with what does not need translating."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ..desk import workflow
from ..models import Article

# What a translation shares with its original, prefilled on a new one: the
# things named have names in every language; tags are words of one language.
SHARED = ("section", "countries", "organizations", "people", "events")


class TranslationsAdmin:
    """For the story admin: a story may translate one the desk shows its
    editor, or one readers can see; the story form lists its translations."""

    def originals(self, request) -> QuerySet:
        """What a story of ``request``'s user may be a translation of."""
        mine = workflow.visible_to(request.user, Article.objects.all())
        return mine | Article.objects.published()

    @staticmethod
    def choosing_original(request) -> bool:
        """Whether this is the story form's search for a translation's original."""
        return (
            request.path.endswith("/autocomplete/")
            and request.GET.get("field_name") == "translation_of"
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "translation_of":
            kwargs["queryset"] = self.originals(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("Các bản dịch"))
    def translations_desk(self, obj):
        if obj is None or obj.pk is None:
            return _("Lưu bài trước, rồi thêm bản dịch từ đây.")
        original = obj.translation_of or obj
        family = [original, *original.translations.order_by("language")]
        shown = format_html_join(
            "",
            '<li><a href="{}" lang="{}">{}</a> ({}, {})</li>',
            (
                (
                    reverse("admin:articles_article_change", args=[story.pk]),
                    story.language,
                    story,
                    story.get_language_display(),
                    story.get_status_display(),
                )
                for story in family
                if story.pk != obj.pk
            ),
        )
        have = {story.language for story in family}
        start = format_html_join(
            "",
            '<li><a href="{}">{}</a></li>',
            (
                (self._new_translation(original, code), _("Thêm bản dịch: %s") % name)
                for code, name in settings.LANGUAGES
                if code not in have
            ),
        )
        return format_html("<ul>{}{}</ul>", shown, start)

    @staticmethod
    def _new_translation(original: Article, language: str) -> str:
        initial = {"translation_of": original.pk, "language": language}
        for name in SHARED:
            field = Article._meta.get_field(name)
            if field.many_to_many:
                ids = getattr(original, name).values_list("pk", flat=True)
                initial[name] = ",".join(str(pk) for pk in ids)
            else:
                initial[name] = getattr(original, field.attname) or ""
        wanted = {key: value for key, value in initial.items() if value != ""}
        return f"{reverse('admin:articles_article_add')}?{urlencode(wanted)}"
