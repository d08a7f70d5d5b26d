"""Translations on the desk: which story a story translates, the translations
it has, and a link that starts one, filled with what does not need translating
(what it names, its section, its source, its bylines with the translator's
added), the original's text shown beside the fields."""

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
# things named have names in every language, the source is the same outlet's
# story; tags are words of one language.
SHARED = ("section", "countries", "organizations", "people", "events")
SOURCE = ("by_newsroom", "source_outlet", "source_url", "source_published_at")


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

    def translation_source(self, request) -> Article | None:
        """The story a new translation starts from (``?translation_of=``; of a
        translation, its original), if this user may see it; read once a request."""
        if not hasattr(request, "translation_source"):
            pk = request.GET.get("translation_of", "")
            found = None
            stories = (
                self.originals(request)
                .select_related("source_outlet")
                .prefetch_related("bylines__author", *SHARED[1:])
            )
            if pk.isdigit():
                found = stories.filter(pk=pk).first()
            if found is not None and found.translation_of_id:
                found = stories.filter(pk=found.translation_of_id).first()
            request.translation_source = found
        return request.translation_source

    def translation_initial(self, request) -> dict:
        """A new translation's fields as its original has them: what it names, its
        section and its source (the outlet, the address, the time, or the newsroom's)."""
        original = self.translation_source(request)
        if original is None:
            return {}
        initial: dict = {"translation_of": original.pk}
        for name in (*SHARED, *SOURCE):
            field = Article._meta.get_field(name)
            if field.many_to_many:
                initial[name] = [obj.pk for obj in getattr(original, name).all()]
            else:
                initial[name] = getattr(original, field.attname)
        return initial

    def translation_bylines(self, request, translator) -> list[dict]:
        """A new translation's bylines: the original's, then its translator's."""
        original = self.translation_source(request)
        authors = [byline.author for byline in original.bylines.all()] if original else []
        if translator not in authors:
            authors.append(translator)
        return [{"author": author.pk} for author in authors]

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
        """The form of a new translation: what it carries over is filled in by
        ``translation_initial``, the original shown beside it."""
        wanted = {"translation_of": original.pk, "language": language}
        return f"{reverse('admin:articles_article_add')}?{urlencode(wanted)}"
