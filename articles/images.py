"""Lead images: what an upload must be, and the sizes readers are sent.

An upload is judged by decoding it with Pillow, never by its name: it must be
a JPEG, PNG or WebP, under a byte limit and a pixel limit (the pixel count is
read from the header before anything is decoded, so a decompression bomb is
refused without being expanded). Renditions are made when the story is saved,
so no reader's request ever resizes an image.
"""

import io
import warnings
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
RENDITION_WIDTHS = (480, 960, 1600)


def _limits() -> tuple[int, int]:
    return (
        getattr(settings, "MAX_IMAGE_BYTES", 10 * 1024 * 1024),
        getattr(settings, "MAX_IMAGE_PIXELS", 40_000_000),
    )


def validate_image(value: FieldFile) -> None:
    """Refuse anything but a real JPEG, PNG or WebP within the limits."""
    if getattr(value, "_committed", True):
        return  # already stored: it was checked when it came in
    max_bytes, max_pixels = _limits()
    if value.size > max_bytes:
        raise ValidationError(
            _("Ảnh quá lớn (%(size)s MB); tối đa %(max)s MB."),
            params={"size": round(value.size / 2**20, 1), "max": round(max_bytes / 2**20, 1)},
            code="too_large",
        )
    value.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(value) as image:
                width, height = image.size
                if width * height > max_pixels:
                    raise ValidationError(
                        _("Ảnh quá nhiều điểm ảnh (%(w)s×%(h)s); tối đa %(max)s triệu."),
                        params={"w": width, "h": height, "max": max_pixels // 1_000_000},
                        code="too_many_pixels",
                    )
                if image.format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        _("Chỉ nhận ảnh JPEG, PNG hoặc WebP (tệp này là %(format)s)."),
                        params={"format": image.format},
                        code="format",
                    )
                image.verify()
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
    ) as error:
        raise ValidationError(_("Tệp không phải ảnh hợp lệ."), code="invalid_image") from error
    finally:
        value.seek(0)


def make_renditions(image: FieldFile) -> dict:
    """WebP copies of a stored image at the widths the pages use."""
    if not image:
        return {}
    if not image._committed:
        image.save(image.name, image.file, save=False)
    with image.open("rb"), Image.open(image) as original:
        picture = ImageOps.exif_transpose(original)
        picture = picture.convert("RGBA" if picture.mode in ("RGBA", "LA", "P") else "RGB")
    stem = PurePosixPath(image.name).with_suffix("")
    webp = {}
    for width in RENDITION_WIDTHS:
        if width > picture.width and webp:
            break
        copy = picture.copy()
        copy.thumbnail((width, width * 4))
        buffer = io.BytesIO()
        copy.save(buffer, "WEBP", quality=80, method=4)
        webp[str(width)] = default_storage.save(
            f"{stem}-{width}.webp", ContentFile(buffer.getvalue())
        )
    return {
        "source": image.name,
        "width": picture.width,
        "height": picture.height,
        "webp": webp,
    }
