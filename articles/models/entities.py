"""The things stories are about and by: sections, tags, countries,
organizations and people (each with its other names), and authors."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import TagBase

from ..media.images import PictureField, discard
from ..text.slugs import fold, vi_slugify
from .base import NamedByStories, NaturallyKeyed, SluggedModel, address, country_code, linked


class Alias(NaturallyKeyed):
    """Another name something goes by (``Mỹ``, ``USA``; ``Space X``): search
    finds the stories that name it by any of them."""

    name = models.CharField(_("tên khác"), max_length=255)

    class Meta:
        abstract = True
        ordering = ["name"]
        verbose_name = _("tên khác")
        verbose_name_plural = _("tên khác")

    def __str__(self):
        return self.name


class OtherNames:
    """What a thing with other names (``aliases``) shows of them to readers."""

    def other_names(self) -> list[str]:
        """Its other names worth a reader's eye: its own name where the page shows
        another (its English one), then the prefetched aliases but those that only
        write its name without diacritics or in capitals ("Hoa Ky", "SO HUU TRI
        TUE"), which search keeps to find it by."""
        shown = str(self)  # its name in the page's language
        seen = {fold(self.name).strip(), fold(shown).strip()}  # type: ignore[attr-defined]
        names = [] if shown == self.name else [self.name]  # type: ignore[attr-defined]
        for alias in self.aliases.all():  # type: ignore[attr-defined]
            key = fold(alias.name).strip()
            if key not in seen:
                seen.add(key)
                names.append(alias.name)
        return names


class Section(SluggedModel):
    name = models.CharField(_("tên"), max_length=100, unique=True)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")


class Tag(TagBase):
    """A taggit tag whose slug folds Vietnamese like every other slug here."""

    class Meta:
        verbose_name = _("thẻ")
        verbose_name_plural = _("thẻ")

    def slugify(self, tag, i=None):
        slug = vi_slugify(tag)
        return slug if i is None else f"{slug}-{i}"

    def get_absolute_url(self):
        return linked(self, address(Tag, self.slug))


class Country(OtherNames, NamedByStories):
    """A country: what stories are about, whom an organization or a person
    belongs to, and a party to meetings and commitments."""

    name = models.CharField(_("tên"), max_length=100)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=100, blank=True)
    code = models.CharField(
        _("mã"),
        max_length=2,
        unique=True,
        validators=[country_code],
        help_text=_("Mã ISO 3166-1 alpha-2, ví dụ VN, US."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("quốc gia")
        verbose_name_plural = _("quốc gia")


class CountryAlias(Alias):
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("quốc gia")
    )

    natural_key_fields = ("country__slug", "name")

    class Meta(Alias.Meta):
        constraints = [
            models.UniqueConstraint(fields=["country", "name"], name="unique_country_alias"),
        ]


def country_link(what: str) -> models.ForeignKey:
    """The country an organization, a person or an event belongs to."""
    return models.ForeignKey(
        Country,
        verbose_name=_("quốc gia"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name=what,
    )


class Organization(OtherNames, NamedByStories):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Cơ quan nhà nước")
        COMPANY = "company", _("Doanh nghiệp")
        STATE_ENTERPRISE = "state_enterprise", _("Doanh nghiệp nhà nước")
        MEDIA = "media", _("Cơ quan báo chí")
        OTHER = "other", _("Khác")

    name = models.CharField(_("tên"), max_length=255)
    name_en = models.CharField(
        _("tên tiếng Anh"),
        max_length=255,
        blank=True,
        db_default="",
        help_text=_("Tên trên trang tiếng Anh; để trống nếu tổ chức không có tên tiếng Anh."),
    )
    kind = models.CharField(_("loại"), max_length=20, choices=Kind, default=Kind.OTHER)
    country = country_link("organizations")
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


class OrganizationAlias(Alias):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="aliases",
        verbose_name=_("tổ chức"),
    )

    natural_key_fields = ("organization__slug", "name")

    class Meta(Alias.Meta):
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="unique_alias"),
        ]


class Person(OtherNames, NamedByStories):
    name = models.CharField(_("họ tên"), max_length=255)
    name_en = models.CharField(
        _("tên tiếng Anh"),
        max_length=255,
        blank=True,
        db_default="",
        help_text=_("Họ tên như báo tiếng Anh viết, ví dụ Nguyen Hong Dien."),
    )
    title = models.CharField(_("chức vụ"), max_length=255, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("tổ chức"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    country = country_link("people")
    bio = models.TextField(_("tiểu sử"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("nhân vật")
        verbose_name_plural = _("nhân vật")


class PersonAlias(Alias):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="aliases", verbose_name=_("nhân vật")
    )

    natural_key_fields = ("person__slug", "name")

    class Meta(Alias.Meta):
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="unique_person_alias"),
        ]


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

    @classmethod
    def for_user(cls, user) -> "Author":
        """The byline of a member of the desk: theirs, made from their name the
        first time they write."""
        try:
            return user.author
        except cls.DoesNotExist:
            name = user.get_full_name().strip() or user.get_username()
            return cls.objects.get_or_create(user=user, defaults={"name": name})[0]

    def save(self, *args, **kwargs):
        uploading = bool(self.photo) and not self.photo._committed
        try:
            super().save(*args, **kwargs)
        except Exception:
            if uploading and self.photo._committed:
                discard([self.photo.name])  # a failed save leaves no file behind
            raise
