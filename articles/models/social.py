"""How a story shows where it is shared and found: its own title, description
and picture for search engines and social networks, each falling back to the
story's headline, sapo and lead image."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..media.images import PictureField


class SharedAs(models.Model):
    """A story's overrides for search and social (the story has ``headline``,
    ``sapo``, ``image`` and ``image_alt``)."""

    meta_description = models.CharField(
        _("mô tả cho máy tìm kiếm"),
        max_length=300,
        blank=True,
        help_text=_("Để trống: dùng sapo."),
    )
    social_title = models.CharField(
        _("tiêu đề khi chia sẻ"), max_length=255, blank=True, help_text=_("Để trống: dùng tiêu đề.")
    )
    social_image = PictureField(
        _("ảnh khi chia sẻ"),
        upload_to="social/%Y/%m/",
        blank=True,
        help_text=_(
            "Để trống: dùng ảnh đại diện. JPEG, PNG hoặc WebP, ngang khoảng 1200 điểm ảnh."
        ),
    )
    social_image_alt = models.CharField(
        _("mô tả ảnh khi chia sẻ (alt)"), max_length=255, blank=True
    )

    class Meta:
        abstract = True

    @property
    def description_for_search(self) -> str:
        return self.meta_description or self.sapo

    @property
    def title_for_social(self) -> str:
        return self.social_title or self.headline

    @property
    def picture_for_social(self):
        """``(image, alt)`` shown when the story is shared, or ``(None, "")``."""
        if self.social_image:
            return self.social_image, self.social_image_alt
        if self.image:
            return self.image, self.image_alt
        return None, ""

    def clean_shared_as(self) -> None:
        if self.social_image and not self.social_image_alt.strip():
            raise ValidationError(
                {"social_image_alt": _("Ảnh cần có mô tả (alt) cho người đọc khiếm thị.")}
            )
