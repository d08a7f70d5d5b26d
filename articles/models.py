"""The newsroom's vocabulary: stories, bylines, sections, tags, and the
organizations, people and events the stories cover."""

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager, _TaggableManager
from taggit.models import TagBase, TaggedItemBase

from .images import PictureField, discard, files_of, make_renditions
from .sanitize import clean_body, xml_safe
from .slugs import unique_slug, vi_slugify

country_code = RegexValidator(
    r"^[A-Z]{2}$", _("Mã quốc gia ISO 3166 gồm hai chữ in hoa, ví dụ VN.")
)


def validate_timezone(value: str) -> None:
    if value and value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” không phải múi giờ IANA."), params={"value": value})


class CleanTags(_TaggableManager):
    """Tag names are cleaned as every stored text is (signals.py) before taggit
    looks them up: ``LNG\x0b`` is the tag LNG, not a second one the database
    refuses (or, with a NUL, cannot even be asked about)."""

    def _to_tag_model_instances(self, tags, tag_kwargs):
        names = (xml_safe(tag).strip() if isinstance(tag, str) else tag for tag in tags)
        return super()._to_tag_model_instances([t for t in names if t != ""], tag_kwargs)


class SlugQuerySet(models.QuerySet):
    """Slugs are the natural keys, so fixtures load again without duplicating."""

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class SluggedModel(models.Model):
    """A public thing with a URL: its slug is made from ``slug_source`` when left blank."""

    slug = models.SlugField(_("slug"), max_length=255, unique=True, blank=True)

    slug_source = "name"
    objects = SlugQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return getattr(self, self.slug_source)

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, getattr(self, self.slug_source))
        super().save(*args, **kwargs)

    def natural_key(self):
        return (self.slug,)


def refuse_while_named(things) -> None:
    """Stories name organizations, people and events by plain many-to-many rows,
    which a deletion would drop without a word: refuse it while any story names
    one of ``things``, as a byline protects its author. Raised before Django's
    delete opens its transaction, as PROTECT is, so a caller inside its own
    transaction can catch the refusal and carry on."""
    things = list(things)
    if not things:
        return
    if stories := list(Article.objects.naming(*things).distinct()[:21]):
        count = "more than 20" if len(stories) > 20 else len(stories)
        raise models.ProtectedError(
            f"{', '.join(map(str, things[:3]))}: named by {count} stories; unlink them first.",
            set(stories),
        )


class NamedByStoriesQuerySet(SlugQuerySet):
    def delete(self):
        refuse_while_named(self)
        return super().delete()


class NamedByStories(SluggedModel):
    """What a story can name (see ``refuse_while_named``)."""

    objects = NamedByStoriesQuerySet.as_manager()

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        refuse_while_named([self])
        return super().delete(*args, **kwargs)


class Section(SluggedModel):
    name = models.CharField(_("tên"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"slug": self.slug})


class Tag(TagBase):
    """A taggit tag whose slug folds Vietnamese like every other slug here."""

    class Meta:
        verbose_name = _("thẻ")
        verbose_name_plural = _("thẻ")

    def slugify(self, tag, i=None):
        slug = vi_slugify(tag)
        return slug if i is None else f"{slug}-{i}"

    def get_absolute_url(self):
        return reverse("articles:tag", kwargs={"slug": self.slug})


class Organization(NamedByStories):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Cơ quan nhà nước")
        COMPANY = "company", _("Doanh nghiệp")
        STATE_ENTERPRISE = "state_enterprise", _("Doanh nghiệp nhà nước")
        MEDIA = "media", _("Cơ quan báo chí")
        OTHER = "other", _("Khác")

    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind, default=Kind.OTHER)
    country = models.CharField(
        _("quốc gia"),
        max_length=2,
        blank=True,
        validators=[country_code],
        help_text=_("Mã ISO 3166-1 alpha-2, ví dụ VN, US."),
    )
    website = models.URLField(_("trang web"), blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("trực thuộc"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("tổ chức")
        verbose_name_plural = _("tổ chức")

    def get_absolute_url(self):
        return reverse("articles:organization", kwargs={"slug": self.slug})


class OrganizationAlias(models.Model):
    """Another name an organization goes by: ``Space X``, ``Ministry of Industry and Trade``."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="aliases",
        verbose_name=_("tổ chức"),
    )
    name = models.CharField(_("tên khác"), max_length=255)

    class Manager(models.Manager):
        def get_by_natural_key(self, organization_slug, name):
            return self.get(organization__slug=organization_slug, name=name)

    objects = Manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("tên khác")
        verbose_name_plural = _("tên khác")
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unique_alias"),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.organization.slug, self.name)

    natural_key.dependencies = ["articles.organization"]


class Person(NamedByStories):
    name = models.CharField(_("họ tên"), max_length=255)
    title = models.CharField(_("chức vụ"), max_length=255, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("tổ chức"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    bio = models.TextField(_("tiểu sử"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("nhân vật")
        verbose_name_plural = _("nhân vật")

    def get_absolute_url(self):
        return reverse("articles:person", kwargs={"slug": self.slug})


class Author(SluggedModel):
    """A byline. It may belong to a user account, or to a writer without one."""

    name = models.CharField(_("bút danh"), max_length=255)
    bio = models.TextField(_("giới thiệu"), blank=True)
    photo = PictureField(
        _("ảnh"), upload_to="authors/", blank=True, help_text=_("JPEG, PNG hoặc WebP.")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("tài khoản"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="author",
    )
    affiliation = models.ForeignKey(
        Organization,
        verbose_name=_("đơn vị"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="authors",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("tác giả")
        verbose_name_plural = _("tác giả")

    def save(self, *args, **kwargs):
        uploading = bool(self.photo) and not self.photo._committed
        try:
            super().save(*args, **kwargs)
        except Exception:
            if uploading and self.photo._committed:
                discard([self.photo.name])  # a failed save leaves no file behind
            raise

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})


class EventQuerySet(NamedByStoriesQuerySet):
    def with_details(self):
        """Who took part, for whom, and what came of it."""
        return self.prefetch_related(
            models.Prefetch(
                "participants",
                queryset=Participant.objects.select_related("person", "organization"),
            ),
            "outcomes",
        )


class Event(NamedByStories):
    """Something that happened on a day: a working trip, or a meeting within one.

    The seeds date the meetings but give no clock time or city, so the time of
    day and the time zone are optional rather than guessed.
    """

    class Kind(models.TextChoices):
        BILATERAL_MEETING = "bilateral_meeting", _("Cuộc gặp song phương")
        WORKING_TRIP = "working_trip", _("Chuyến công tác")
        CONFERENCE = "conference", _("Hội nghị")
        OTHER = "other", _("Khác")

    title = models.CharField(_("tên sự kiện"), max_length=255)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind, default=Kind.BILATERAL_MEETING)
    start_date = models.DateField(_("ngày bắt đầu"))
    start_time = models.TimeField(_("giờ bắt đầu"), null=True, blank=True)
    end_date = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    end_time = models.TimeField(_("giờ kết thúc"), null=True, blank=True)
    timezone = models.CharField(
        _("múi giờ"),
        max_length=64,
        blank=True,
        validators=[validate_timezone],
        help_text=_("Múi giờ IANA nơi diễn ra, ví dụ America/New_York."),
    )
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    country = models.CharField(_("quốc gia"), max_length=2, blank=True, validators=[country_code])
    parent = models.ForeignKey(
        "self",
        verbose_name=_("thuộc sự kiện"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    summary = models.TextField(_("tóm tắt"), blank=True)
    topics = TaggableManager(
        verbose_name=_("chủ đề"), through="TaggedEvent", blank=True, manager=CleanTags
    )

    slug_source = "title"
    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "start_time", "title"]
        verbose_name = _("sự kiện")
        verbose_name_plural = _("sự kiện")

    def get_absolute_url(self):
        return reverse("articles:event", kwargs={"slug": self.slug})

    def clean(self):
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("Ngày kết thúc trước ngày bắt đầu.")})
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("Sự kiện không thể thuộc chính nó.")})

    def _moment(self, date, time) -> datetime.datetime | None:
        if date is None or time is None or not self.timezone:
            return None
        return datetime.datetime.combine(date, time, zoneinfo.ZoneInfo(self.timezone))

    def sides(self) -> list[tuple[str, list["Participant"]]]:
        """Who met whom: the participants grouped by side, from the prefetched rows."""
        by_side: dict[int, list[Participant]] = {}
        for participant in self.participants.all():
            by_side.setdefault(participant.side, []).append(participant)
        return [(Participant.Side(side).label, people) for side, people in sorted(by_side.items())]

    @property
    def starts_at(self) -> datetime.datetime | None:
        """The aware start, when the time of day and the zone are both known."""
        return self._moment(self.start_date, self.start_time)

    @property
    def ends_at(self) -> datetime.datetime | None:
        return self._moment(self.end_date or self.start_date, self.end_time)


class Participant(models.Model):
    """Who took part in an event, for whom, on which side of the table."""

    class Side(models.IntegerChoices):
        FIRST = 1, _("Bên thứ nhất")
        SECOND = 2, _("Bên thứ hai")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="participants", verbose_name=_("sự kiện")
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("nhân vật"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("đại diện cho"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="participations",
    )
    side = models.PositiveSmallIntegerField(_("phía"), choices=Side, default=Side.FIRST)
    role = models.CharField(_("vai trò"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Manager(models.Manager):
        def get_by_natural_key(self, event_slug, person_slug, organization_slug):
            return self.get(
                event__slug=event_slug,
                **({"person__slug": person_slug} if person_slug else {"person": None}),
                **(
                    {"organization__slug": organization_slug}
                    if organization_slug
                    else {"organization": None}
                ),
            )

    objects = Manager()

    class Meta:
        ordering = ["side", "position"]
        verbose_name = _("thành phần tham dự")
        verbose_name_plural = _("thành phần tham dự")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | Q(organization__isnull=False),
                name="participant_is_someone",
            ),
            models.UniqueConstraint(
                fields=["event", "person", "organization"], name="unique_participant"
            ),
        ]

    def __str__(self):
        return " – ".join(str(x) for x in (self.person, self.organization) if x)

    def natural_key(self):
        return (
            self.event.slug,
            self.person.slug if self.person else None,
            self.organization.slug if self.organization else None,
        )

    natural_key.dependencies = ["articles.event", "articles.person", "articles.organization"]


class Outcome(models.Model):
    """What came of an event, a sentence each, with a figure where one was given:
    1.5 billion USD pledged, 10 to 15 ground stations, a tax cut from 5% to 2%."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("sự kiện")
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    description = models.TextField(_("kết quả"))
    amount = models.DecimalField(
        _("số lượng"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    amount_max = models.DecimalField(
        _("số lượng tối đa"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Cho một khoảng, ví dụ 10–15: số lượng 10, tối đa 15."),
    )
    amount_before = models.DecimalField(
        _("số lượng trước đó"),
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Cho một thay đổi, ví dụ thuế từ 5% xuống 2%: trước đó 5, số lượng 2."),
    )
    currency = models.CharField(
        _("tiền tệ"), max_length=3, blank=True, help_text=_("ISO 4217, ví dụ USD.")
    )
    unit = models.CharField(_("đơn vị"), max_length=50, blank=True)

    class Manager(models.Manager):
        def get_by_natural_key(self, event_slug, position):
            return self.get(event__slug=event_slug, position=position)

    objects = Manager()

    class Meta:
        ordering = ["position"]
        verbose_name = _("kết quả")
        verbose_name_plural = _("kết quả")
        constraints = [
            models.UniqueConstraint(fields=["event", "position"], name="unique_outcome_position"),
        ]

    def __str__(self):
        return self.description

    def natural_key(self):
        return (self.event.slug, self.position)

    natural_key.dependencies = ["articles.event"]

    def clean(self):
        if self.amount_max is not None and (self.amount is None or self.amount_max < self.amount):
            raise ValidationError({"amount_max": _("Số lượng tối đa phải không nhỏ hơn số lượng.")})
        if (self.currency or self.unit or self.amount_before is not None) and self.amount is None:
            raise ValidationError(
                {"amount": _("Cần có số lượng khi ghi tiền tệ, đơn vị hay số trước đó.")}
            )


# Kept for search only, and as long as the body: never read for a page.
SEARCH_FIELDS = ("search_text", "search_vector")


class ArticleQuerySet(SlugQuerySet):
    def for_listing(self):
        """What a teaser shows: no body, the section joined in."""
        return self.select_related("section").defer("body", *SEARCH_FIELDS)

    def for_detail(self):
        """Everything a story page shows, in a fixed number of queries."""
        return (
            self.select_related("section", "source_outlet")
            .defer(*SEARCH_FIELDS)
            .prefetch_related(
                models.Prefetch("bylines", queryset=Byline.objects.select_related("author")),
                "tags",
                "organizations",
                "people",
                models.Prefetch("events", queryset=Event.objects.with_details()),
            )
        )

    def about_event(self, event: "Event"):
        """Stories about an event, or about one of its meetings."""
        covering = Article.events.through.objects.filter(Q(event=event) | Q(event__parent=event))
        return self.filter(pk__in=covering.values("article"))

    def naming(self, *things):
        """Stories that name any of ``things``, all of one kind: organizations,
        people, authors, tags or events (a story naming two is there twice)."""
        relation = {
            "organization": "organizations",
            "person": "people",
            "author": "authors",
            "tag": "tags",
            "event": "events",
        }[things[0]._meta.model_name]
        return self.filter(**{f"{relation}__in": things})

    def search(self, query: str):
        """Stories matching ``query``, best first (see search.py)."""
        from .search import search

        return search(self, query)

    def published(self):
        """What readers may see: published, and not scheduled for later.

        A story imported without a stated publication time stays visible;
        a future ``published_at`` keeps it hidden until the time comes, with
        no job to run.
        """
        return self.filter(
            Q(published_at__lte=timezone.now()) | Q(published_at__isnull=True),
            status=Article.Status.PUBLISHED,
        )


class Article(SluggedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        REVIEW = "review", _("Chờ duyệt")
        PUBLISHED = "published", _("Đã xuất bản")
        ARCHIVED = "archived", _("Lưu trữ")

    headline = models.CharField(_("tiêu đề"), max_length=255)
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
    # Defaults rather than auto_now(_add), so fixtures may leave them out.
    created_at = models.DateTimeField(_("tạo lúc"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("cập nhật lúc"), default=timezone.now, editable=False)
    language = models.CharField(
        _("ngôn ngữ"), max_length=10, choices=settings.LANGUAGES, default="vi"
    )

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
            # Readers' listings use two partial indexes in migration 0006, written in
            # SQL because SQLite cannot say NULLS LAST in an index (its DESC already is).
        ]
        permissions = [("publish_article", _("Có thể xuất bản, hẹn giờ, gỡ và lưu trữ bài viết"))]

    def save(self, *args, **kwargs):
        self.body = clean_body(self.body)
        self.updated_at = timezone.now()
        made = []
        if self.image_renditions.get("source") != (self.image.name or None):
            self.image_renditions = make_renditions(self.image)
            made = files_of(self.image_renditions)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "body",
                "updated_at",
                "image_renditions",
            }
        try:
            super().save(*args, **kwargs)
        except Exception:
            discard(made)  # a failed save leaves no files behind
            raise

    def get_absolute_url(self):
        return reverse("articles:article", kwargs={"slug": self.slug})

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

    @property
    def image_srcset(self) -> str:
        """The WebP renditions for ``<source srcset>``, smallest first."""
        return ", ".join(
            f"{default_storage.url(name)} {width}w"
            for width, name in self.image_renditions.get("webp", {}).items()
        )

    def event_boxes(self) -> list[tuple["Event", list["Event"]]]:
        """The events a story covers, each trip with the covered meetings inside it."""
        events = list(self.events.all())
        covered = {e.pk for e in events}
        return [
            (event, [child for child in events if child.parent_id == event.pk])
            for event in events
            if event.parent_id not in covered
        ]

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED and (
            self.published_at is None or self.published_at <= timezone.now()
        )

    @property
    def is_scheduled(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )


class Byline(models.Model):
    """An author's place on a story: the lowest position is the primary byline."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="bylines", verbose_name=_("bài viết")
    )
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="bylines", verbose_name=_("tác giả")
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Manager(models.Manager):
        def get_by_natural_key(self, article_slug, author_slug):
            return self.get(article__slug=article_slug, author__slug=author_slug)

    objects = Manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("tác giả bài viết")
        verbose_name_plural = _("tác giả bài viết")
        constraints = [
            models.UniqueConstraint(fields=["article", "author"], name="unique_byline"),
        ]

    def __str__(self):
        return str(self.author)

    def natural_key(self):
        return (self.article.slug, self.author.slug)

    natural_key.dependencies = ["articles.article", "articles.author"]


class _TaggedItem(TaggedItemBase):
    """Taggit's through rows, with natural keys so the fixtures load twice cleanly."""

    class Meta:
        abstract = True

    class Manager(models.Manager):
        def get_by_natural_key(self, object_slug, tag_name):
            return self.get(content_object__slug=object_slug, tag__name=tag_name)

    objects = Manager()

    def natural_key(self):
        return (self.content_object.slug, self.tag.name)


class TaggedArticle(_TaggedItem):
    content_object = models.ForeignKey(Article, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_articles")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_article_tag"),
        ]

    def natural_key(self):
        return super().natural_key()

    natural_key.dependencies = ["articles.article", "articles.tag"]


class TaggedEvent(_TaggedItem):
    content_object = models.ForeignKey(Event, on_delete=models.CASCADE)
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="tagged_events")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="unique_event_tag"),
        ]

    def natural_key(self):
        return super().natural_key()

    natural_key.dependencies = ["articles.event", "articles.tag"]


class StateChange(models.Model):
    """One move of a story through the desk: who, when, from which status to which."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="state_changes", verbose_name=_("bài viết")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người thực hiện"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    from_status = models.CharField(_("từ"), max_length=10, choices=Article.Status, blank=True)
    to_status = models.CharField(_("sang"), max_length=10, choices=Article.Status)
    at = models.DateTimeField(_("lúc"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("lịch sử trạng thái")
        verbose_name_plural = _("lịch sử trạng thái")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


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
        return reverse("articles:article", kwargs={"slug": self.slug})
