"""Lead images and authors' photos: what an upload must be, and the sizes readers are sent.

An upload is judged by decoding it with Pillow, never by its name: it must be
a JPEG, PNG or WebP under a byte limit, a pixel limit, a limit on each side and
on how elongated it is (all read from the header, so a decompression bomb or a
1 × 40,000,000 strip is refused without being expanded), and it must decode to
the end (a truncated file is refused, not stored). It is stored under the
extension of the format it decoded as. Renditions are made when the story is
saved, from one decoded picture no larger than the largest rendition, so no
reader's request ever resizes an image.
"""

import io
import logging
import warnings
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

from newsroom import jobs

log = logging.getLogger(__name__)

EXTENSIONS = {"JPEG": ".jpg", "PNG": ".png", "WEBP": ".webp"}
RENDITION_WIDTHS = (480, 960, 1600)
# Teasers show a picture cut to one shape, around its focal point: these widths.
CROP_WIDTHS = (480, 960)
CROP_SHAPE = (3, 2)
CENTRE = (50, 50)
# Renditions are at most four times as tall as they are wide.
TALLEST = 4
UNREADABLE = (
    UnidentifiedImageError,
    Image.DecompressionBombError,
    Image.DecompressionBombWarning,
    OSError,
    SyntaxError,
    ValueError,
    EOFError,
)


def _limit(name: str, default: int) -> int:
    return getattr(settings, name, default)


def validate_image(value: FieldFile) -> None:
    """Refuse anything but a real, whole JPEG, PNG or WebP within the limits."""
    if getattr(value, "_committed", True):
        return  # already stored: it was checked when it came in
    max_bytes = _limit("MAX_IMAGE_BYTES", 10 * 1024 * 1024)
    if value.size > max_bytes:
        raise ValidationError(
            _("Ảnh quá lớn (%(size)s MB); tối đa %(max)s MB."),
            params={"size": round(value.size / 2**20, 1), "max": round(max_bytes / 2**20, 1)},
            code="too_large",
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            value.seek(0)
            with Image.open(value) as image:
                _check_header(image)
                image.verify()
            value.seek(0)
            # Decoded to the end as the renditions will decode it (a JPEG at about
            # their size, which still reads every byte), so that a truncated file,
            # a broken EXIF block or a mode with no conversion fails here, not on save.
            _picture(value)
    except ValidationError:
        raise
    except UNREADABLE as error:
        raise ValidationError(_("Tệp không phải ảnh hợp lệ."), code="invalid_image") from error
    finally:
        value.seek(0)


def _check_header(image: Image.Image) -> None:
    """What the header says: format, pixels, sides and shape, before any decoding."""
    width, height = image.size
    max_pixels = _limit("MAX_IMAGE_PIXELS", 40_000_000)
    max_side = _limit("MAX_IMAGE_SIDE", 12_000)
    max_aspect = _limit("MAX_IMAGE_ASPECT", 10)
    if image.format not in EXTENSIONS:
        raise ValidationError(
            _("Chỉ nhận ảnh JPEG, PNG hoặc WebP (tệp này là %(format)s)."),
            params={"format": image.format},
            code="format",
        )
    if width * height > max_pixels:
        raise ValidationError(
            _("Ảnh quá nhiều điểm ảnh (%(w)s×%(h)s); tối đa %(max)s triệu."),
            params={"w": width, "h": height, "max": max_pixels // 1_000_000},
            code="too_many_pixels",
        )
    if min(width, height) < 1 or max(width, height) > max_aspect * min(width, height):
        raise ValidationError(
            _("Ảnh quá dài hoặc quá hẹp (%(w)s×%(h)s); cạnh dài tối đa gấp %(max)s cạnh ngắn."),
            params={"w": width, "h": height, "max": max_aspect},
            code="aspect",
        )
    if max(width, height) > max_side:
        raise ValidationError(
            _("Ảnh quá lớn (%(w)s×%(h)s); mỗi cạnh tối đa %(max)s điểm ảnh."),
            params={"w": width, "h": height, "max": max_side},
            code="too_long_a_side",
        )


def commit(image: FieldFile) -> None:
    """Store an upload under the extension of the format it decodes as: a PNG
    sent as ``report.pdf`` is stored, and served, as ``report.png``."""
    if not image or image._committed:
        return
    image.file.seek(0)
    with Image.open(image.file) as probe:
        extension = EXTENSIONS[probe.format]
    image.file.seek(0)
    image.save(PurePosixPath(image.name).stem + extension, image.file, save=False)


def validate_storage(image: FieldFile) -> None:
    """A new upload is refused with the reason, the form kept, while the storage
    (object storage, over the network) does not answer, rather than failing the
    save half way."""
    if not image or image._committed:
        return
    try:
        image.storage.exists(image.name)
    except Exception as error:  # whatever the storage's client raises: refused, timed out
        log.warning("media storage unavailable: %s", error)
        raise ValidationError(
            _(
                "Kho ảnh đang không phản hồi nên ảnh chưa lưu được. "
                "Hãy chọn lại ảnh và lưu sau ít phút."
            ),
            code="storage_unavailable",
        ) from error


class PictureField(models.ImageField):
    """An image field whose uploads are checked (``validate_image``), refused while
    the storage is down (``validate_storage``), and stored under the name of their
    real format."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validators", [validate_image, validate_storage])
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        """Without its validators, which are the field's own and touch no column:
        a new check needs no migration."""
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("validators", None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        commit(getattr(model_instance, self.attname))
        return super().pre_save(model_instance, add)


def _picture(file) -> tuple[Image.Image, tuple[int, int]]:
    """The picture upright and no larger than the largest rendition (the only
    decoded image held: a JPEG is decoded straight at about that size), and
    the upright size of the original."""
    largest = RENDITION_WIDTHS[-1]
    with Image.open(file) as original:
        width, height = original.size
        turned = original.getexif().get(ExifTags.Base.Orientation, 1) in (5, 6, 7, 8)
        box = (largest * TALLEST, largest) if turned else (largest, largest * TALLEST)
        original.draft("RGB", box)
        original.thumbnail(box)  # in place
        ImageOps.exif_transpose(original, in_place=True)
        mode = "RGBA" if original.mode in ("RGBA", "LA", "P", "PA") else "RGB"
        return original.convert(mode), ((height, width) if turned else (width, height))


def crop_box(size: tuple[int, int], focus: tuple[int, int]) -> tuple[int, int, int, int]:
    """The largest ``CROP_SHAPE`` box of a picture of ``size`` centred on ``focus``
    (percent across, percent down) as nearly as its edges allow: the focal point
    is always inside it."""
    width, height = size
    across, down = CROP_SHAPE
    crop_w, crop_h = min(width, height * across // down), min(height, width * down // across)
    crop_w, crop_h = max(crop_w, 1), max(crop_h, 1)
    left = min(max(width * focus[0] // 100 - crop_w // 2, 0), width - crop_w)
    top = min(max(height * focus[1] // 100 - crop_h // 2, 0), height - crop_h)
    return left, top, left + crop_w, top + crop_h


def _webp(picture: Image.Image) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, "WEBP", quality=80, method=4)
    return buffer.getvalue()


def make_renditions(image: FieldFile, focus: tuple[int, int] = CENTRE) -> dict:
    """WebP copies of an image at the widths the pages use, or as wide as the
    original where it is narrower (never enlarged: a 720 px picture shown 704 px
    wide gets a 720 px copy, not only the 480), and the teasers' crops around
    ``focus``. All
    are made in memory before anything is stored, so a picture that fails to
    decode stores nothing."""
    if not image:
        return {}
    picture, size = _decoded(image)
    widths = sorted({min(w, size[0]) for w in RENDITION_WIDTHS})
    encoded = {}
    for width in widths:
        copy = picture.copy()
        copy.thumbnail((width, width * TALLEST))
        encoded[str(width)] = _webp(copy)
    crops = _crops(picture, focus)
    stored: list[str] = []
    try:
        if not image._committed:
            commit(image)
            stored.append(image.name)
        for width, data in encoded.items():
            name = rendition_name(image.name, width)
            default_storage.delete(name)  # left by a run that stopped half way
            stored.append(default_storage.save(name, ContentFile(data)))
        webp = dict(zip(encoded, stored[-len(encoded) :], strict=True))
        cropped = _store_crops(str(image.name), focus, crops)
    except Exception:
        discard(stored)
        raise
    return {
        "source": image.name,
        "width": size[0],
        "height": size[1],
        "webp": webp,
        **cropped,
    }


def make_crops(image: FieldFile, focus: tuple[int, int]) -> dict:
    """Only the teasers' crops of a stored picture, around a focal point moved
    since its renditions were made (its other copies stay as they are)."""
    picture, _size = _decoded(image)
    return _store_crops(str(image.name), focus, _crops(picture, focus))


def _decoded(image: FieldFile) -> tuple[Image.Image, tuple[int, int]]:
    if image._committed:
        with image.open("rb"):
            return _picture(image)
    image.file.seek(0)
    return _picture(image.file)


def _crops(picture: Image.Image, focus: tuple[int, int]) -> dict[str, bytes]:
    """WebP crops of ``CROP_SHAPE`` around ``focus``, at the ``CROP_WIDTHS``, or as wide
    as the cut where it is narrower (never enlarged)."""
    cut = picture.crop(crop_box(picture.size, focus))
    widths = sorted({min(w, cut.width) for w in CROP_WIDTHS})
    across, down = CROP_SHAPE
    return {str(w): _webp(cut.resize((w, w * down // across))) for w in widths}


def _store_crops(source: str, focus: tuple[int, int], crops: dict[str, bytes]) -> dict:
    """The crops stored under names that say their focal point (a page cached with
    the old crop never shows the new one's file), as ``focus`` and ``crop``."""
    stored: list[str] = []
    try:
        for width, data in crops.items():
            name = rendition_name(source, f"crop-{focus[0]}-{focus[1]}-{width}")
            default_storage.delete(name)
            stored.append(default_storage.save(name, ContentFile(data)))
    except Exception:
        discard(stored)
        raise
    return {"focus": list(focus), "crop": dict(zip(crops, stored, strict=True))}


def renditions_or_later(image: FieldFile, focus: tuple[int, int] = CENTRE) -> dict:
    """A new picture's renditions made now; or, with a job queue, the picture
    stored and its renditions left to a job (``desk/tasks.py``: ``renditions``)."""
    if image and jobs.queued():
        commit(image)
        return {"source": image.name, "focus": list(focus)}
    return make_renditions(image, focus)


def rendition_name(source: str, width: str) -> str:
    """Under the original's own name, which no other upload can have: a job run
    again replaces what it made, never another picture's copies."""
    return f"renditions/{source}/{width}.webp"


def stored_names(addresses: list[str]) -> list[str]:
    """The stored pictures these addresses show (a rendition's address names its
    original): this storage's addresses only, others ignored."""
    from urllib.parse import unquote

    prefix = default_storage.url("_")[:-1]
    names = []
    for address in addresses:
        if not address.startswith(prefix):
            continue
        name = unquote(address[len(prefix) :])
        if name.startswith("renditions/"):
            name = name[len("renditions/") :].rsplit("/", 1)[0]
        names.append(name)
    return names


def discard(names) -> None:
    """Remove files stored for a save that then failed: no orphans in media."""
    for name in names:
        if name:
            default_storage.delete(name)


def files_of(renditions: dict) -> list[str]:
    """Every file a ``make_renditions`` result stored."""
    return [
        renditions.get("source"),
        *renditions.get("webp", {}).values(),
        *renditions.get("crop", {}).values(),
    ]
