"""The picture library on the desk ("Thư viện ảnh"): pictures uploaded once,
found by their caption, credit, description or who and what they show, and
chosen as a story's lead picture (the story form's autocomplete)."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..models import Article, Picture
from .base import DeskAdmin
from .desk_list import ArchivePaginator


@admin.register(Picture)
class PictureAdmin(DeskAdmin):
    list_display = ["thumbnail", "words", "credit", "uploaded_by", "uploaded_at", "used_in"]
    list_display_links = ["thumbnail", "words"]
    list_select_related = ["uploaded_by"]
    list_per_page = 50
    paginator = ArchivePaginator  # a library of 200,000 is not counted for each page
    show_full_result_count = False
    search_fields = ["caption"]  # shows the box; get_search_results searches ``search_text``
    search_help_text = _("Chú thích, nguồn ảnh, mô tả, hoặc tên người, tổ chức trong ảnh.")
    autocomplete_fields = ["people", "organizations"]
    fields = [
        "file",
        "focal_point",
        ("focal_x", "focal_y"),
        "alt",
        "caption",
        "credit",
        "people",
        "organizations",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = ["focal_point", "uploaded_by", "uploaded_at"]

    class Media:
        js = ["articles/admin/focal-point.js"]

    CHOICES = 24  # pictures offered at once to insert in a story's body

    def get_urls(self):
        chooser = path(
            "choose/",
            self.admin_site.admin_view(self.choose_view),
            name="articles_picture_choose",
        )
        return [chooser, *super().get_urls()]

    def choose_view(self, request):
        """The newest pictures matching ``q`` (all, without), each with the figure a
        story's body inserts it as (body-pictures.js): one query, however large
        the library."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        found = Picture.objects.matching(request.GET.get("q", "")[:200])[: self.CHOICES]
        return JsonResponse(
            {
                "results": [
                    {
                        "id": picture.pk,
                        "thumbnail": picture.thumbnail_url,
                        "label": str(picture),
                        "credit": picture.credit,
                        "figure": picture.body_figure,
                    }
                    for picture in found
                ]
            }
        )

    def get_deleted_objects(self, objs, request):
        """A picture a story shows in its body is kept, as one it leads with is:
        the stories are named, each a link to its form."""
        deleted, counts, permissions, protected = super().get_deleted_objects(objs, request)
        showing = Article.objects.filter(body_pictures__in=objs).distinct().only("pk", "headline")
        protected = list(protected) + [
            format_html(
                '{}: <a href="{}">{}</a>',
                _("Bài viết dùng ảnh trong bài"),
                reverse("admin:articles_article_change", args=[story.pk]),
                story,
            )
            for story in showing[:100]
        ]
        return deleted, counts, permissions, protected

    def get_search_results(self, request, queryset, search_term):
        """Each word in the folded caption, credit, description and names: an index
        (trigram, on PostgreSQL), not a pass over the library."""
        return queryset.matching(search_term), False

    def save_model(self, request, obj, form, change):
        if obj.uploaded_by_id is None:
            obj.uploaded_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        """The names of who and what it shows are searched too, once they are saved."""
        super().save_related(request, form, formsets, change)
        picture = form.instance
        picture.index()
        Picture.objects.filter(pk=picture.pk).update(search_text=picture.search_text)

    @admin.display(description=_("Tâm ảnh"))
    def focal_point(self, obj):
        """The picture, to click where its subject is (focal-point.js sets the two
        fields below), and the teasers' crop made around the point saved."""
        if not obj.pk or not obj.file:
            return _("Lưu ảnh trước, rồi chọn tâm ảnh.")
        return format_html(
            '<div class="focal-point"><figure class="focal-picture" data-x="{}" data-y="{}">'
            '<img src="{}" alt="{}"><span class="focal-mark" hidden></span></figure>'
            '<figure class="focal-crop"><img src="{}" alt="" width="240" height="160">'
            "<figcaption>{}</figcaption></figure></div>"
            '<p class="help">{}</p>',
            obj.focal_x,
            obj.focal_y,
            obj.get_absolute_url(),
            obj.alt,
            obj.thumbnail_url,
            _("Ảnh cắt cho trang nhất, theo tâm ảnh đã lưu"),
            _(
                "Bấm vào chỗ chính của ảnh (khuôn mặt, vật): ảnh cắt cho trang nhất và các "
                "danh sách luôn giữ chỗ ấy. Hoặc nhập tâm ảnh theo phần trăm ở dưới."
            ),
        )

    @admin.display(description=_("Chú thích"))
    def words(self, obj):
        """Its caption, or its description where it has none."""
        return str(obj)

    @admin.display(description=_("Ảnh"))
    def thumbnail(self, obj):
        return format_html(
            '<img src="{}" alt="" width="96" height="64" class="library-thumbnail">',
            obj.thumbnail_url,
        )

    def get_queryset(self, request):
        """Each row with how many stories it leads, counted for the page's rows only."""
        stories = Article.objects.filter(lead_picture=OuterRef("pk")).order_by()
        count = stories.values("lead_picture").annotate(n=Count("*")).values("n")
        return (
            super()
            .get_queryset(request)
            .annotate(uses=Coalesce(Subquery(count, output_field=IntegerField()), Value(0)))
        )

    @admin.display(description=_("Số bài dùng"), ordering="uses")
    def used_in(self, obj):
        return obj.uses
