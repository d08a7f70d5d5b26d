"""Stories: what readers may see of them, their bylines, tags and former addresses."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import models
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from newsroom import jobs

from ..media.images import (
    CROP_SHAPE,
    PictureField,
    discard,
    files_of,
    renditions_or_later,
    stored_names,
)
from ..text.galleries import picture_addresses
from ..text.sanitize import clean_body
from ..text.words import count_words, reading_minutes
from .base import (
    CleanTags,
    NaturallyKeyed,
    SluggedModel,
    SlugQuerySet,
    TaggedItem,
    address,
    linked,
)
from .entities import Author, Country, Organization, Person, Section, Tag
from .events import Event
from .pictures import Picture
from .revised import Revised
from .social import SharedAs
from .translated import Translated, TranslatedQuerySet

# Kept for search only, and as long as the body: never read for a page.
SEARCH_FIELDS = ("search_text", "search_vector")


def published_filter(path: str = "") -> Q:
    """The rule of ``ArticleQuerySet.published``, for rows reached through a
    relation (``path`` such as ``"article__"``): a report of a published story."""
    when = Q(**{f"{path}published_at__lte": timezone.now()})
    return (when | Q(**{f"{path}published_at__isnull": True})) & Q(
        **{f"{path}status": Article.Status.PUBLISHED}
    )


class ArticleQuerySet(TranslatedQuerySet, SlugQuerySet):
    def for_listing(self):
        """What a teaser shows: no body, the section joined in."""
        return self.select_related("section").defer("body", *SEARCH_FIELDS)

    def for_story(self):
        """A story's row as its page needs it to make its text; its links come
        with ``fetch_links``."""
        return (
            self.select_related("section", "source_outlet")
            .defer(*SEARCH_FIELDS)
            .with_translations()
        )

    def for_page(self):
        """What a story's page needs of its row when its text is kept (site/views.py):
        its headline, its place, its languages, whether it is live. Half the work of
        ``for_story`` for the database and for Python."""
        return self.only(
            *("slug", "headline", "language", "section_id", "translation_of_id", "related_ids"),
            *("live_from", "live_until"),
        ).with_translations()

    def for_detail(self):
        """Everything a story page shows, in a fixed number of queries."""
        return self.for_story().prefetch_related(*story_links())

    def for_coverage(self, event: "Event"):
        """Teasers for an event's coverage: with the outlet, bylines, and which of
        the event and its meetings each story covers (``covered``)."""
        covered = Event.objects.filter(Q(pk=event.pk) | Q(parent=event)).in_order()
        return (
            self.for_listing()
            .select_related("source_outlet")
            .prefetch_related(
                models.Prefetch("bylines", queryset=Byline.objects.select_related("author")),
                models.Prefetch("events", queryset=covered, to_attr="covered"),
            )
        )

    def about_event(self, event: "Event"):
        """Stories about an event, or about one of its meetings."""
        covering = Article.events.through.objects.filter(Q(event=event) | Q(event__parent=event))
        return self.filter(pk__in=covering.values("article"))

    def about_or_from(self, organization: "Organization"):
        """Stories that name an organization, or that it is the source of (an
        outlet's own stories)."""
        naming = Article.organizations.through.objects.filter(organization=organization)
        return self.filter(Q(source_outlet=organization) | Q(pk__in=naming.values("article")))

    def naming(self, *things: models.Model) -> "ArticleQuerySet":
        """Stories that name any of ``things``, all of one kind: organizations,
        people, authors, tags or events (a story naming two is there twice). The
        relation is the story's many-to-many field to their model."""
        model = type(things[0])
        relation = next(f.name for f in self.model._meta.many_to_many if f.related_model is model)
        return self.filter(**{f"{relation}__in": things})

    def published(self) -> "ArticleQuerySet":
        """What readers may see: published, and not scheduled for later.

        A story imported without a stated publication time stays visible;
        a future ``published_at`` keeps it hidden until the time comes, with
        no job to run.
        """
        return self.filter(published_filter())

    def renamed_from(self, slug: str | None):
        """The stories that had ``slug`` as an address before a rename."""
        return self.filter(former_slugs__slug=slug) if slug else self.none()

    def scheduled(self) -> "ArticleQuerySet":
        """Published with a time still to come: hidden until it comes."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__gt=timezone.now())


LIVE_SHOWN = 200  # a live story's updates on its page, the newest


class Article(Revised, SharedAs, Translated, SluggedModel):
    # A live story's updates as its page shows them (``timeline()``), read by the page.
    updates_shown: list[Any]

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        REVIEW = "review", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã xuất bản")
        ARCHIVED = "archived", _("Lưu trữ")

    SCHEDULED = "scheduled"  # published, with a time still to come (``stage``)

    headline = models.CharField(_("tiêu đề"), max_length=255)
    headline_by_desk = models.BooleanField(
        _("tiêu đề do toà soạn đặt"),
        default=False,
        help_text=_("Bản gốc không có tiêu đề này: người đọc được báo như vậy."),
    )
    sapo = models.TextField(_("sapo"), help_text=_("Đoạn mở đầu, in đậm dưới tiêu đề."))
    body = models.TextField(
        _("nội dung"), blank=True, help_text=_("HTML; thẻ ngoài danh sách cho phép bị loại bỏ.")
    )
    section = models.ForeignKey(
        Section,
        verbose_name=_("chuyên mục"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="articles",
    )
    authors = models.ManyToManyField(
        Author, verbose_name=_("tác giả"), through="Byline", blank=True, related_name="articles"
    )
    tags = TaggableManager(
        verbose_name=_("thẻ"), through="TaggedArticle", blank=True, manager=CleanTags
    )
    countries = models.ManyToManyField(
        Country, verbose_name=_("quốc gia"), blank=True, related_name="articles"
    )
    organizations = models.ManyToManyField(
        Organization, verbose_name=_("tổ chức"), blank=True, related_name="articles"
    )
    people = models.ManyToManyField(
        Person, verbose_name=_("nhân vật"), blank=True, related_name="articles"
    )
    events = models.ManyToManyField(
        Event, verbose_name=_("sự kiện"), blank=True, related_name="articles"
    )

    image = PictureField(
        _("ảnh đại diện"),
        upload_to="articles/%Y/%m/",
        blank=True,
        help_text=_("JPEG, PNG hoặc WebP."),
    )
    # The lead picture from the library (models/pictures.py): its file and renditions
    # are the story's ``image``; the words below are the story's, filled from it.
    lead_picture = models.ForeignKey(
        Picture,
        verbose_name=_("chọn từ thư viện ảnh"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_of",
        help_text=_("Tìm theo chú thích, nguồn ảnh hoặc người, tổ chức trong ảnh."),
    )
    # The library's pictures its body shows (kept from the body on each save): a
    # picture a story shows cannot be deleted (admin/pictures.py).
    body_pictures = models.ManyToManyField(
        Picture,
        verbose_name=_("ảnh trong bài"),
        blank=True,
        editable=False,
        related_name="shown_in",
    )
    image_alt = models.CharField(_("mô tả ảnh (alt)"), max_length=255, blank=True)
    image_caption = models.CharField(_("chú thích ảnh"), max_length=500, blank=True)
    image_credit = models.CharField(_("nguồn ảnh"), max_length=255, blank=True)

    status = models.CharField(_("trạng thái"), max_length=10, choices=Status, default=Status.DRAFT)
    published_at = models.DateTimeField(
        _("thời gian xuất bản"),
        null=True,
        blank=True,
        help_text=_("Để một thời điểm trong tương lai để hẹn giờ đăng."),
    )
    # Live coverage ("Trực tiếp"): timestamped updates (LiveUpdate) while it lasts.
    live_from = models.DateTimeField(
        _("tường thuật trực tiếp từ"),
        null=True,
        blank=True,
        help_text=_("Bài trực tiếp: người đọc thấy các cập nhật mới tự hiện ra."),
    )
    live_until = models.DateTimeField(
        _("kết thúc trực tiếp lúc"),
        null=True,
        blank=True,
        help_text=_(
            "Để trống khi còn tường thuật; kết thúc, bài đọc như bài thường với diễn biến."
        ),
    )
    # Defaults rather than auto_now(_add), so fixtures may leave them out.
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now, editable=False)
    source_outlet = models.ForeignKey(
        Organization,
        verbose_name=_("báo nguồn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sourced_articles",
    )
    source_url = models.URLField(_("đường dẫn bài gốc"), max_length=500, blank=True)
    source_published_at = models.DateTimeField(_("thời gian đăng bài gốc"), null=True, blank=True)
    # Written at the desk, not copy from elsewhere: readers see no "Nguồn" line of it.
    by_newsroom = models.BooleanField(
        _("bài của toà soạn"),
        default=False,
        db_default=False,
        help_text=_("Bài do toà soạn viết, không lấy từ nguồn khác."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người sửa cuối"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Kept by search.index() whenever the story or anything it names changes.
    search_text = models.TextField(editable=False, blank=True, default="")
    search_vector = SearchVectorField(editable=False, null=True)
    # Which stories its related news shows, best first: ranked again by a job
    # when it or what it names changes (site/related.py); None until first ranked.
    related_ids = models.JSONField(null=True, blank=True, editable=False)
    # How much the last of those shares with it (0 while it shows fewer than it
    # may): a story that changes and shares less with it cannot enter the list.
    related_floor = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    # Set when the story came in as copy (imports.py): the same text twice is one story.
    wire_fingerprint = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    import_notes = models.JSONField(
        _("đã lược bỏ khi nhập"),
        default=list,
        blank=True,
        editable=False,
        help_text=_("Những dòng của trang nguồn không đưa vào bài, kèm lý do."),
    )
    image_renditions = models.JSONField(
        _("các cỡ ảnh"),
        default=dict,
        blank=True,
        editable=False,
        help_text=_("Các bản WebP của ảnh đại diện, tạo khi lưu bài."),
    )

    slug_source = "headline"
    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = [F("published_at").desc(nulls_last=True), "-created_at"]
        get_latest_by = "published_at"
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")
        indexes = [
            models.Index(fields=["status", "published_at"], name="article_status_published"),
            models.Index(fields=["revised_at"], name="article_revised"),  # news sitemap
            # Readers' listings use two partial indexes in migration 0006, written in
            # SQL because SQLite cannot say NULLS LAST in an index (its DESC already is).
        ]
        constraints = Translated.Meta.constraints
        permissions = [("publish_article", _("Có thể xuất bản, hẹn giờ, gỡ và lưu trữ bài viết"))]

    def save(self, *args: Any, **kwargs: Any) -> None:
        stored = self.stored()  # before anything changes what it is judged against
        try:
            self._save_judged(*args, **kwargs)
        finally:
            self.forget_stored()
        if self.body != (stored or {}).get("body", ""):
            self.keep_body_pictures(first=stored is None)
        if self.image and "webp" not in self.image_renditions:  # left for a job
            source = self.image.name
            if self.lead_picture_id is None:
                jobs.defer("images.renditions", story=self.pk, source=source, queueing_lock=source)
            else:  # the library picture's, made once and lent to each story it leads
                jobs.defer("images.picture_renditions", picture=self.lead_picture_id,
                           source=source, queueing_lock=f"picture:{source}")  # fmt: skip

    def keep_body_pictures(self, first: bool = False) -> None:
        """Keep which of the library's pictures its body shows (``body_pictures``);
        a story saved the first time with none asks nothing."""
        names = stored_names(picture_addresses(self.body))
        if names or not first:
            self.body_pictures.set(Picture.objects.filter(file__in=names) if names else [])

    def use_lead_picture(self) -> list[str]:
        """The story's picture is one of the library's: a picture uploaded on the
        story goes into the library first; one chosen from it lends the story its
        file and renditions, and its words. The files a new picture stored."""
        if self.image and not getattr(self.image, "_committed", True):  # uploaded on the form
            picture = Picture(file=self.image, alt=self.image_alt, caption=self.image_caption,
                              credit=self.image_credit, uploaded_by=self.updated_by)  # fmt: skip
            picture.save()
            self.lead_picture = picture
            self.image, self.image_renditions = picture.file.name, picture.renditions
            return files_of(picture.renditions)
        lead = self.lead_picture
        if lead is None:
            return []
        if lead.pk != (self.stored() or {}).get("lead_picture_id"):
            lead.use_on(self)  # a picture chosen from the library
        elif lead.file.name != (self.image.name or ""):
            self.lead_picture = None  # its picture taken away (or another set by hand)
        return []

    def _save_judged(self, *args, **kwargs):
        self.body = clean_body(self.body)
        self.updated_at = timezone.now()
        self.stamp_revision(self.updated_at)
        made = self.use_lead_picture()
        uploading = [f for f in (self.image, self.social_image) if f and not f._committed]
        if self.image_renditions.get("source") != (self.image.name or None):
            self.image_renditions = renditions_or_later(self.image)
            made += files_of(self.image_renditions)
        if kwargs.get("update_fields") is not None:
            derived = ("body", "updated_at", "revised_at", "image_renditions")
            kwargs["update_fields"] = {*kwargs["update_fields"], *derived}
        try:
            super().save(*args, **kwargs)
        except Exception:
            # A failed save leaves no files behind: renditions, nor the uploads stored.
            discard(made + [f.name for f in uploading if f._committed])
            raise

    def __str__(self):
        if self.headline:
            return self.headline
        return gettext("(Chưa có tiêu đề) %(start)s") % {"start": Truncator(self.sapo).words(10)}

    def get_absolute_url(self):
        """On the site of the story's own language."""
        return linked(self, address(Article, self.slug, self.language))

    def fetch_links(self, *names: str) -> None:
        """Its links as its page shows them (``story_links``), or those ``names``, if
        not fetched yet."""
        models.prefetch_related_objects([self], *story_links(*names))

    def reserved_slugs(self, base: str) -> set[str]:
        """Other stories' former addresses, which a new slug must not take over."""
        former = FormerSlug.objects.filter(slug__startswith=base)
        if self.pk is not None:
            former = former.exclude(article=self.pk)
        return set(former.values_list("slug", flat=True))

    def clean(self):
        if self.image and not self.image_alt.strip():
            raise ValidationError(
                {"image_alt": _("Ảnh cần có mô tả (alt) cho người đọc khiếm thị.")}
            )
        self.clean_shared_as()
        self.clean_translation()
        self.clean_live()

    def clean_live(self) -> None:
        """Live coverage starts and ends now or in the past: a time to come would
        change the page by itself, which nothing schedules."""
        soon = timezone.now() + datetime.timedelta(minutes=1)
        if self.live_from and self.live_from > soon:
            raise ValidationError(
                {"live_from": _("Chỉ bắt đầu trực tiếp từ bây giờ trở về trước.")}
            )
        if self.live_until and not self.live_from:
            raise ValidationError({"live_until": _("Bài chưa bắt đầu trực tiếp.")})
        if self.live_until and self.live_from and not self.live_from <= self.live_until <= soon:
            raise ValidationError(
                {"live_until": _("Kết thúc sau lúc bắt đầu, và không muộn hơn bây giờ.")}
            )

    @property
    def is_live(self) -> bool:
        """Covered live now: started, not ended."""
        return self.live_from is not None and self.live_until is None

    @property
    def was_live(self) -> bool:
        """Covered live, with a timeline of updates, now or before."""
        return self.live_from is not None

    @property
    def live_poll_seconds(self) -> int:
        """How often a live story's page asks for new updates (``LIVE_POLL_SECONDS``)."""
        return settings.LIVE_POLL_SECONDS

    def timeline(self):
        """Its live updates as readers see them, newest first: the newest
        ``LIVE_SHOWN`` (a page stays bounded however long the coverage ran)."""
        return self.live_updates.select_related("picture", "written_by")[:LIVE_SHOWN]

    @property
    def image_srcset(self) -> str:
        """The WebP renditions for ``<source srcset>``, smallest first."""
        return _srcset(self.image_renditions.get("webp", {}))

    @property
    def source_time_shown(self) -> datetime.datetime | None:
        """When its source published it, where that says something the story's own
        time does not: an imported story takes its source's time, and a page that
        gives the same minute twice reads as a mistake."""
        source, own = self.source_published_at, self.published_at
        if source is None or (own and abs((source - own).total_seconds()) < 60):
            return None
        return source

    @property
    def teaser_picture(self) -> dict | None:
        """Its lead picture cut around its focal point for teasers: ``srcset``, ``src``
        (the largest crop), ``width`` and ``height``; None until the crops are made."""
        crops = self.image_renditions.get("crop")
        if not crops:
            return None
        width = max(crops, key=int)
        across, down = CROP_SHAPE
        return {
            "srcset": _srcset(crops),
            "src": default_storage.url(crops[width]),
            "width": int(width),
            "height": int(width) * down // across,
        }

    @property
    def last_edited(self) -> str:
        """Who saved it last and when ("Nguyễn Văn A, 10:32 06/12"), for the desk's
        "Sửa lần cuối"; the time alone when nobody is recorded."""
        when = formats.date_format(timezone.localtime(self.updated_at), "H:i d/m/Y")
        person = self.updated_by
        if person is None:
            return when
        return f"{person.get_full_name() or person.get_username()}, {when}"

    @property
    def word_count(self) -> int:
        """The words of its headline, sapo and body (text/words.py)."""
        return count_words(self.headline, self.sapo, self.body)

    @property
    def reading_minutes(self) -> int:
        return reading_minutes(self.word_count)

    @property
    def is_published(self) -> bool:
        """``ArticleQuerySet.published()``, for a story in hand."""
        return self.status == self.Status.PUBLISHED and not self.is_scheduled

    @property
    def stage(self) -> str:
        """Where the story stands at the desk: its status, or ``SCHEDULED`` for one
        published with a time still to come (a stage the desk shows, not a status)."""
        return self.SCHEDULED if self.is_scheduled else self.status

    @property
    def stage_label(self) -> str:
        return gettext("Hẹn giờ") if self.is_scheduled else str(self.get_status_display())

    @property
    def is_scheduled(self) -> bool:
        """``ArticleQuerySet.scheduled()``, for a story in hand."""
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )


class Byline(NaturallyKeyed):
    """An author's place on a story: the lowest position is the primary byline."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="bylines", verbose_name=_("bài viết")
    )
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="bylines", verbose_name=_("tác giả")
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    natural_key_fields = ("article__slug", "author__slug")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("tác giả bài viết")
        verbose_name_plural = _("tác giả bài viết")
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_byline"),
        ]

    def __str__(self):
        return str(self.author)


class TaggedArticle(TaggedItem):
    content_object = models.ForeignKey(Article, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag"),
        ]
        verbose_name = _("thẻ của bài viết")
        verbose_name_plural = _("thẻ của bài viết")


class FormerSlug(models.Model):
    """An address a story had before it was renamed: answered with a permanent
    redirect, since readers' bookmarks, search engines and other sites keep it."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="former_slugs", verbose_name=_("bài viết")
    )
    slug = models.SlugField(_("slug"), max_length=255, unique=True)
    until = models.DateTimeField(_("dùng đến"), default=timezone.now)

    class Meta:
        ordering = ["-until"]
        verbose_name = _("địa chỉ cũ")
        verbose_name_plural = _("địa chỉ cũ")

    def __str__(self):
        return self.slug

    def get_absolute_url(self):
        return address(Article, self.slug, self.article.language)


def story_links(*names: str) -> tuple:
    """A story's links as its page shows them: bylines, tags, the things it
    names, corrections, and its events in order with their trips; or those ``names``."""
    links = (
        models.Prefetch("bylines", queryset=Byline.objects.select_related("author")),
        *("tags", "countries", "organizations", "people", "corrections"),
        models.Prefetch("events", queryset=Event.objects.select_related("parent").in_order()),
    )
    if names:
        return tuple(link for link in links if getattr(link, "prefetch_to", link) in names)
    return links


def _srcset(copies: dict[str, str]) -> str:
    """``srcset`` of stored copies by width ("480": name), in their order."""
    return ", ".join(f"{default_storage.url(name)} {width}w" for width, name in copies.items())
