"""The desk's story pages: who sees and edits what (by articles/desk/workflow.py),
the workflow actions, revisions with compare and restore, and the preview."""

import functools
import re

import reversion
from django.contrib import admin, messages
from django.contrib.admin.views.main import ORDER_VAR
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import (
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models.functions import Concat
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version

from .. import search
from ..desk import editing, workflow
from ..desk.forms import ArticleForm, LinkedChoices, editor_policy
from ..desk.proposals import propose_kept
from ..desk.revisions import compare
from ..models import (
    Article,
    Author,
    Byline,
    Correction,
    EditingSession,
    Outcome,
    Pin,
    TaggedArticle,
)
from ..site.views import ArticlePreviewView
from ..text.words import WORDS_PER_MINUTE
from .base import (
    PICTURES,
    DeskStackedInline,
    DeskTabularInline,
    LabelledAutocomplete,
    LinkRowsLeftOut,
)
from .desk_actions import BulkActions, act_view
from .desk_list import ArchivePaginator, ChooseFilter, YearFilter, stage_label
from .desk_log import StateChangeInline
from .translations import TranslationsAdmin
from .wire import (
    accept_outcome_view,
    import_outlet_view,
    import_view,
    outcome_events,
    suggest_outcomes_view,
    suggest_view,
)


def being_edited(user) -> dict[str, Subquery]:
    """For the list: who else has each story open (the first of them), and since
    when; read for the page's rows only."""
    sessions = (
        EditingSession.objects.fresh()
        .filter(article=OuterRef("pk"))
        .exclude(user=user)
        .order_by("since")
    )
    return {
        "editing_username": Subquery(sessions.values("user__username")[:1]),
        "editing_fullname": Subquery(
            sessions.annotate(
                name=Concat("user__first_name", Value(" "), "user__last_name")
            ).values("name")[:1]
        ),
        "editing_since": Subquery(sessions.values("since")[:1]),
    }


class BylineFormSet(BaseInlineFormSet):
    """Publishing a story with no byline is confirmed first ("Xuất bản không ghi
    tác giả"): the newsroom's story would otherwise read as nobody's."""

    def clean(self):
        super().clean()
        story = self.instance
        if story.status != Article.Status.PUBLISHED or self.data.get("publish_without_byline"):
            return
        before = getattr(story, "_stored", None) or {}
        if before.get("status") == Article.Status.PUBLISHED:
            return  # published already: its bylines are the editor's to keep
        kept = [
            form
            for form in self.forms
            if form.cleaned_data.get("author") and not form.cleaned_data.get("DELETE")
        ]
        if not kept:
            raise ValidationError(
                gettext(
                    "Bài chưa có tác giả. Thêm tác giả, hoặc đánh dấu “Xuất bản không ghi "
                    "tác giả” rồi bấm lại."
                ),
                code="no_byline",
            )


class BylineInline(DeskTabularInline):
    model = Byline
    pane = "side"  # beside the text (change_form.html)

    def get_extra(self, request, obj=None, **kwargs):
        """Room for each byline a new story starts with (a translation's several)."""
        return max(self.extra, len(getattr(request, "new_bylines", ())))

    extra = 1
    autocomplete_fields = ["author"]
    formset = BylineFormSet


class EditorsOnPublished:
    """An inline for editors, on a story readers have seen."""

    def _allowed(self, request, obj) -> bool:
        return obj is not None and obj.is_published and workflow.can_publish(request.user)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)


class PinInline(EditorsOnPublished, DeskTabularInline):
    """Where the story stands on the front page, and until when."""

    model = Pin
    extra = 0
    fields = ["slot", "position", "until"]


class CorrectionInline(EditorsOnPublished, DeskStackedInline):
    """Corrections and updates, in public with their time: an editor's act, on a
    story readers have seen. Notes once shown are kept, not deleted."""

    model = Correction
    extra = 0
    fields = ["kind", "at", "note"]
    can_delete = False

    def has_view_permission(self, request, obj=None):
        return (obj is not None and obj.corrections.exists()) or self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(
    LinkRowsLeftOut, BulkActions, LabelledAutocomplete, TranslationsAdmin, VersionAdmin
):
    form = ArticleForm
    formfield_overrides = PICTURES
    change_list_template = "admin/articles/article/change_list.html"
    object_history_template = "admin/articles/article/object_history.html"
    list_display = [
        *("thumbnail", "headline", "stage", "published_at", "section", "byline_names"),
        "last_edited",
    ]
    list_display_links = ["thumbnail"]  # and the headline (desk_actions: with its buttons)
    list_filter = [
        "status",
        "section",
        ("bylines__author", ChooseFilter),  # every author: a small table, but hundreds
        "published_at",
        YearFilter,
        "language",
    ]
    list_select_related = ["section", "updated_by"]
    # Neither a count of the whole archive per page nor one per filter choice (facets).
    paginator = ArchivePaginator
    list_per_page = 50
    show_full_result_count = False
    show_facets = admin.ShowFacets.NEVER
    search_fields = ["headline", "sapo"]  # shows the box; get_search_results searches the index
    prepopulated_fields = {"slug": ["headline"]}
    autocomplete_fields = [
        *("section", "countries", "organizations", "people", "events", "source_outlet"),
        *("translation_of", "lead_picture"),
    ]
    inlines = [BylineInline, PinInline, CorrectionInline, StateChangeInline]

    class Media:
        # vi-urlify after what it wraps; suggest.js proposes what the text names;
        # editor-words.js puts the editor's buttons in the desk's language.
        js = ["admin/js/urlify.js", "articles/admin/vi-urlify.js"] + [
            f"articles/admin/{name}.js"
            for name in ("suggest", "editor-words", "editing", "word-count", "body-pictures")
        ]

    # The text in the left pane; the settings (classes "pane-side") beside it, the
    # less used folded (templates/admin/articles/article/change_form.html).
    SIDE, FOLDED = ["pane-side"], ["pane-side", "collapse"]
    ENTITIES = _("Đối tượng và sự kiện")
    LEAD_PICTURE = _("Ảnh đại diện")
    fieldsets = [
        (
            None,
            {
                "fields": [
                    *("headline", "headline_by_desk", "slug", "take_over_slug"),
                    *("sapo", "body", "edit_token"),
                ]
            },
        ),
        (
            _("Xuất bản"),
            {
                "classes": SIDE,
                "fields": [
                    *("published_at", "publish_without_byline"),
                    *("live_from", "live_until", "live_desk"),
                ],
            },
        ),
        (_("Phân loại"), {"classes": SIDE, "fields": ["section", "tags"]}),
        (
            LEAD_PICTURE,
            {
                "classes": SIDE,
                "fields": ["lead_picture", "image", "image_alt", "image_caption", "image_credit"],
            },
        ),
        (ENTITIES, {"classes": SIDE, "fields": ["countries", "organizations", "people", "events"]}),
        (
            _("Ngôn ngữ và bản dịch"),
            {"classes": FOLDED, "fields": ["language", "translation_of", "translations_desk"]},
        ),
        (
            _("Nguồn"),
            {
                "classes": FOLDED,
                "fields": ["by_newsroom", "source_outlet", "source_url", "source_published_at"],
            },
        ),
        (
            _("Máy tìm kiếm và mạng xã hội"),
            {
                "classes": FOLDED,
                "fields": ["meta_description", "social_title", "social_image", "social_image_alt"],
            },
        ),
    ]
    import_fieldset = (_("Nhập từ bản sao"), {"fields": ["imported_cuts"]})
    note_fieldset = (
        _("Ghi chú cho người cùng làm bài"),
        {"classes": SIDE, "fields": ["note"]},
    )
    # The buttons ("Gửi duyệt", "Xuất bản"…) above the form as well as below it.
    save_on_top = True

    def get_fieldsets(self, request, obj=None):
        text, *settings = super().get_fieldsets(request, obj)
        cuts = [self.import_fieldset] if obj and obj.import_notes else []
        return [text, *cuts, self.note_fieldset, *settings]

    @admin.display(description=_("Cập nhật trực tiếp"))
    def live_desk(self, obj):
        """For a live story: the way to post its next update, and how many it has."""
        if obj is None or not obj.pk or not obj.was_live:
            return gettext("Đặt giờ bắt đầu trực tiếp, lưu, rồi viết các cập nhật.")
        posted = obj.live_updates.count()
        listed = reverse("admin:articles_liveupdate_changelist") + f"?article__id__exact={obj.pk}"
        if not obj.is_live:
            return format_html(
                '<a href="{}">{}</a>', listed, gettext("%(n)s cập nhật") % {"n": posted}
            )
        add = reverse("admin:articles_liveupdate_add") + f"?article={obj.pk}"
        return format_html(
            '<a class="button" href="{}">{}</a> <a href="{}">{}</a>',
            add,
            gettext("Viết cập nhật"),
            listed,
            gettext("%(n)s đã đăng") % {"n": posted},
        )

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "translations_desk", "live_desk"]
        return [*fields, "imported_cuts"] if obj and obj.import_notes else fields

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """Beside the moves: where the story stands ("Hẹn giờ" with its time for one
        scheduled), and its length as the desk counts it."""
        original = obj.translation_of if obj is not None and obj.translation_of_id else None
        context.update(
            translating_from=original or self.translation_source(request),
            stage_label=stage_label(obj) if obj is not None and obj.pk else "",
            entities_fieldset=self.ENTITIES,
            lead_picture_fieldset=self.LEAD_PICTURE,
            choosing_pictures=request.user.has_perm("articles.view_picture"),
            words_per_minute=WORDS_PER_MINUTE,
            **self.outcome_proposals(request, obj),
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def outcome_proposals(self, request, obj) -> dict:
        """ "Đề xuất kết quả": what the saved text reports, for the desk to accept
        into one of the story's events, to those who may add outcomes."""
        if obj is None or not obj.pk or not request.user.has_perm("articles.add_outcome"):
            return {}
        events = list(outcome_events(obj))
        trip = next((e for e in events if e.parent_id is None), events[0] if events else None)
        return {
            "proposing": True,
            "outcome_proposals": propose_kept(f"{obj.sapo}\n{obj.body}", trip),
            "outcome_events": events,
            "outcome_kinds": Outcome.Kind.choices,
        }

    @admin.display(description=_("Đã lược bỏ khi nhập"))
    def imported_cuts(self, obj):
        """What the importer left out, so that a wrong cut can be put back by hand."""
        return format_html_join(
            "", "<p><code>{}</code> — {}</p>", ((c["text"], c["why"]) for c in obj.import_notes)
        )

    # -- revisions

    def reversion_register(self, model, **options):
        """A story's revisions carry its tags (their rows), so that restoring or
        recovering it brings them back, but not its state history, its public
        corrections or its place on the front page: those record what happened
        since, and restoring an older version must not erase them. Nor the pictures
        its body shows, which the body says (kept again when it is saved)."""
        if model is Article:
            kept = {"state_changes", "corrections", "pins"}
            follow = [name for name in options.get("follow", ()) if name not in kept]
            options["follow"] = [*follow, "taggedarticle_set"]
            options["exclude"] = [*options.get("exclude", ()), "body_pictures"]
            if not reversion.is_registered(TaggedArticle):
                super().reversion_register(TaggedArticle)
        super().reversion_register(model, **options)

    # -- who sees and edits what (articles/desk/workflow.py has the rules)

    def get_search_results(self, request, queryset, search_term):
        """The readers' index (``articles/search/``), for the list and for the
        autocompletes that choose a story: `hoa ky` finds `Hoa Kỳ`, a byline or an
        entity's other name finds the stories naming them, matches are ranked, and
        no pass over the archive is made; a story's slug (or its address, pasted)
        finds that story."""
        term = search_term.strip()
        if not term:
            return queryset, False
        slug = term.rstrip("/").rsplit("/", 1)[-1]
        by_slug = queryset.filter(slug=slug)
        if by_slug.exists():
            return by_slug, False
        # The matches (a few hundred at most, best first) read once: the page's count,
        # keys and rows then read them by id, not by searching three times.
        ids = list(search.search(queryset, term).values_list("pk", flat=True))
        found = queryset.filter(pk__in=ids)
        if ORDER_VAR in request.GET or not ids:  # unless the editor sorts by a column
            return found, False
        return found.alias(found_at=search.in_order_of(ids)).order_by("found_at"), False

    def get_queryset(self, request):
        """Reporters see their own stories only: nobody else's drafts, history or
        preview; choosing the original of a translation, also what readers see."""
        articles = self.model._default_manager.prefetch_related(
            Prefetch("bylines", queryset=Byline.objects.select_related("author"))
        )
        shown = workflow.visible_to(request.user, articles)
        if self.choosing_original(request):
            shown |= self.originals(request)
        if getattr(request, "listing_stories", False):
            shown = shown.annotate(**being_edited(request.user))
        return shown.order_by(*(self.get_ordering(request) or Article._meta.ordering))

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", LinkedChoices)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_object(self, request, object_id, from_field=None):
        """The story with what its form and its revision read (its links, its tags
        with their names), each read once. To be saved, it is read locked until
        the save's transaction ends: the form judges the save (workflow.Stored)
        against what the database holds until it is done."""
        opened = getattr(request, "story_opened", None)  # read by change_view already
        if opened is not None and from_field is None and str(opened.pk) == str(object_id):
            return opened
        saving = request.method == "POST" and transaction.get_connection().in_atomic_block
        if saving and from_field is None:
            try:
                pk = Article._meta.pk.to_python(object_id)
                queryset = self.get_queryset(request).select_for_update(of=("self",))
                story = queryset.get(pk=pk)
            except (Article.DoesNotExist, ValidationError, ValueError):
                return None
            story.locked = True
        else:
            story = super().get_object(request, object_id, from_field)
        if story is not None:
            tagged = TaggedArticle.objects.select_related("tag")
            prefetch_related_objects(
                [story],
                *("countries", "organizations", "people", "events"),
                Prefetch("taggedarticle_set", queryset=tagged),
            )
        return story

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        # During a restore the row holds the old revision: judge the story as stored before it.
        stored = getattr(request, "stored_story", None)
        return workflow.can_edit(request.user, obj) and (stored is None or stored.editable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None
            or workflow.can_publish(request.user)
            or (obj.status == Article.Status.DRAFT and workflow.is_own(request.user, obj))
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is not Correction:
            return super().save_formset(request, form, formset, change)
        for correction in formset.save(commit=False):
            correction.by = correction.by or request.user
            correction.save()

    def has_publish_permission(self, request):
        return workflow.can_publish(request.user)

    def changeform_view(self, request, *args, **kwargs):
        with search.batched():  # one re-index per save, not one per tag, byline and link
            response = super().changeform_view(request, *args, **kwargs)
        # The story form (and a revision or a recovered story in it) holds the rich-text
        # editor's inline import map: the admin's policy allows that one script, by hash.
        response.headers["Content-Security-Policy"] = editor_policy()
        return response

    def get_formset_kwargs(self, request, obj, inline, prefix):
        """A story being written has its writer as its first byline (editable); a
        translation its original's bylines, then its translator's."""
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, BylineInline) and obj.pk is None and request.method == "GET":
            kwargs["initial"] = request.new_bylines
        return kwargs

    def get_changeform_initial_data(self, request):
        """A new story's fields, and its bylines (read by the bylines' formset)."""
        writer = Author.for_user(request.user)
        if self.translation_source(request) is None:
            request.new_bylines = [{"author": writer.pk}]
        else:
            request.new_bylines = self.translation_bylines(request, writer)
        return {**super().get_changeform_initial_data(request), **self.translation_initial(request)}

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        restoring = getattr(request, "stored_story", None)
        return type(form.__name__, (form,), {"user": request.user, "restoring": restoring})

    def save_model(self, request, obj, form, change):
        restoring = getattr(request, "stored_story", None) is not None
        note = form.cleaned_data.get("note", "")
        workflow.save(obj, request.user, form.stored, restored=restoring, note=note)

    def delete_model(self, request, obj):
        workflow.delete(obj, request.user)

    def delete_queryset(self, request, queryset):
        for story in queryset:
            workflow.delete(story, request.user)

    # -- restoring a revision, recovering a deleted story

    def _reversion_revisionform_view(self, request, version, template_name, extra_context=None):
        """django-reversion writes the chosen revision into the database and only
        then runs the change form, whose permission checks and idea of the old
        status would judge the old revision. The story is read (and locked) first,
        and everything after is judged against that."""
        if version.content_type.model_class() is not Article or (
            version.revision.version_set.exclude(pk=version.pk)
            .filter(content_type=version.content_type)
            .exists()
        ):
            raise Http404  # only a revision of this one story
        with transaction.atomic():
            stored = workflow.Stored.read(version.object_id, request.user)
            if stored.status == workflow.NEW:
                if not workflow.can_publish(request.user):
                    raise PermissionDenied  # bringing back a deleted story is an editor's act
            elif self.get_object(request, version.object_id) is None:
                raise Http404
            elif request.method == "POST" and not stored.editable:
                raise PermissionDenied
            request.stored_story = stored
            return super()._reversion_revisionform_view(
                request, version, template_name, extra_context
            )

    def changelist_view(self, request, extra_context=None):
        request.listing_stories = True  # each row says who else has it open
        may_recover = workflow.can_publish(request.user)
        return super().changelist_view(
            request, {"may_recover": may_recover, **(extra_context or {})}
        )

    def recoverlist_view(self, request, extra_context=None):
        if not workflow.can_publish(request.user):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    # -- list columns

    @admin.display(description=_("Ảnh"))
    def thumbnail(self, obj):
        smallest = next(iter(obj.image_renditions.get("webp", {}).values()), None)
        if not smallest:
            return "–"
        return format_html(
            '<img src="{}" alt="" width="64" style="height:auto">', default_storage.url(smallest)
        )

    @admin.display(description=_("Trạng thái"), ordering="status")
    def stage(self, obj):
        label = stage_label(obj, with_time=False)
        if not getattr(obj, "editing_username", None):
            return label
        name = (obj.editing_fullname or "").strip() or obj.editing_username
        since = formats.time_format(timezone.localtime(obj.editing_since), "H:i")
        return format_html(
            '{}<div class="editing-now">{}</div>',
            label,
            _("Đang sửa: %(name)s, từ %(since)s") % {"name": name, "since": since},
        )

    # -- who is editing (articles/desk/editing.py)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Opening a story someone else has open warns first ("Vẫn sửa" goes on).
        The form's script tells the desk it is open (``editing_view``) as soon as it
        loads and while it stays open: a page read without it edits nothing."""
        if request.method != "GET":
            return super().change_view(request, object_id, form_url, extra_context)
        story = self.get_object(request, object_id)
        if story is None or not self.has_change_permission(request, story):
            return super().change_view(request, object_id, form_url, extra_context)
        others = editing.others(story, request.user)
        if others and "vansua" not in request.GET:
            context = {
                **self.admin_site.each_context(request),
                "opts": self.opts,
                "original": story,
                "title": _("Bài đang có người sửa"),
                "others": [(editing.who(s), timezone.localtime(s.since)) for s in others],
            }
            return TemplateResponse(request, "admin/articles/article/editing_warning.html", context)
        shown = [(editing.who(s), timezone.localtime(s.since)) for s in others]
        request.story_opened = story  # the form reads it, not again
        return super().change_view(
            request, object_id, form_url, {"editing_others": shown, **(extra_context or {})}
        )

    def editing_view(self, request, object_id):
        """The form's heartbeat (``leave``: it was closed); answers who else is on it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        story = self.get_object(request, object_id)
        if story is None or not self.has_view_or_change_permission(request, story):
            raise PermissionDenied
        # which opening of the form: a token of its own making, kept to what a cache key takes
        page = re.sub(r"[^\w-]", "", request.POST.get("page", ""), flags=re.ASCII)[:64]
        if request.POST.get("leave"):
            editing.leave(story.pk, request.user, page)
            return JsonResponse({"others": []})
        editing.beat(story, request.user, page)
        others = [
            {
                "name": editing.who(s),
                "since": formats.time_format(timezone.localtime(s.since), "H:i"),
            }
            for s in editing.others(story, request.user)
        ]
        return JsonResponse({"others": others})

    @admin.display(description=_("Sửa lần cuối"), ordering="updated_at")
    def last_edited(self, obj):
        return obj.last_edited

    @admin.display(description=_("Tác giả"))
    def byline_names(self, obj):
        return ", ".join(str(byline.author) for byline in obj.bylines.all())

    # -- preview and revision compare

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/preview/",
                self.admin_site.admin_view(self.preview_view),
                name="{}_{}_preview".format(*info),
            ),
            path(
                "<path:object_id>/editing/",
                self.admin_site.admin_view(self.editing_view),
                name="{}_{}_editing".format(*info),
            ),
            path(
                "<path:object_id>/act/",
                self.admin_site.admin_view(functools.partial(act_view, self)),
                name="{}_{}_act".format(*info),
            ),
            path(
                "suggest-entities/",
                self.admin_site.admin_view(functools.partial(suggest_view, self)),
                name="{}_{}_suggest".format(*info),
            ),
            path(
                "<path:object_id>/accept-outcome/",
                self.admin_site.admin_view(functools.partial(accept_outcome_view, self)),
                name="{}_{}_accept_outcome".format(*info),
            ),
            path(
                "suggest-outcomes/",
                self.admin_site.admin_view(functools.partial(suggest_outcomes_view, self)),
                name="{}_{}_suggest_outcomes".format(*info),
            ),
            path(
                "import/",
                self.admin_site.admin_view(functools.partial(import_view, self)),
                name="{}_{}_import".format(*info),
            ),
            path(
                "<path:object_id>/import-outlet/",
                self.admin_site.admin_view(functools.partial(import_outlet_view, self)),
                name="{}_{}_import_outlet".format(*info),
            ),
            path(
                "<path:object_id>/history/compare/",
                self.admin_site.admin_view(self.compare_view),
                name="{}_{}_compare".format(*info),
            ),
            *super().get_urls(),
        ]

    def _viewable(self, request, object_id) -> Article:
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        return article

    def preview_view(self, request, object_id):
        article = self._viewable(request, object_id)
        return ArticlePreviewView.as_view()(request, pk=article.pk)

    def compare_view(self, request, object_id):
        article = self._viewable(request, object_id)
        versions = Version.objects.get_for_object(article).select_related("revision__user")
        try:
            older = versions.get(pk=int(request.GET.get("a", "")))
            newer = versions.get(pk=int(request.GET.get("b", "")))
        except (ValueError, Version.DoesNotExist):
            messages.error(request, _("Hãy chọn hai phiên bản của bài này để so sánh."))
            return redirect("admin:articles_article_history", article.pk)
        if older.revision.date_created > newer.revision.date_created:
            older, newer = newer, older
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": article,
            "title": _("So sánh hai phiên bản"),
            "older": older,
            "newer": newer,
            "changes": compare(older, newer),
        }
        return TemplateResponse(request, "admin/articles/article/compare.html", context)

    def history_view(self, request, object_id, extra_context=None):
        article = self.get_object(request, object_id)
        versions = (
            Version.objects.get_for_object(article).select_related("revision__user")
            if article
            else []
        )
        return super().history_view(
            request, object_id, {"versions": versions, **(extra_context or {})}
        )
