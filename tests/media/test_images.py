"""Uploads: only real JPEG, PNG and WebP within the limits get in (lead images
and authors' photos); a lead image needs alt text, and its renditions are made
when the story is saved."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.media import images
from articles.models import Article, Author
from tests.browser_form import form_values
from tests.factories import ArticleFactory, image_bytes, image_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def picture(fmt: str, size=(1200, 800), mode="RGB") -> bytes:
    return image_bytes(fmt, size, mode)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


@pytest.fixture
def editor_client(client):
    client.force_login(User.objects.create_superuser("bientap", password="x"))
    return client


def post_story(client, image: SimpleUploadedFile, alt="Ảnh minh hoạ"):
    data = form_values(client.get("/admin/articles/article/add/").content.decode())
    data.update(headline=["Tin có ảnh"], sapo=["Mở đầu."], image_alt=[alt], image=image)
    return client.post("/admin/articles/article/add/", data)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_real_images_are_accepted_and_rendered_on_save(editor_client, media, fmt):
    response = post_story(editor_client, upload(f"anh.{fmt.lower()}", picture(fmt)))
    assert response.status_code == 302
    story = Article.objects.get(headline="Tin có ảnh")
    renditions = story.image_renditions
    assert renditions["source"] == story.image.name
    assert (renditions["width"], renditions["height"]) == (1200, 800)
    assert list(renditions["webp"]) == ["480", "960", "1200"]  # the widest as wide as it is
    for name in renditions["webp"].values():
        with Image.open(Path(media) / name) as rendition:
            assert rendition.format == "WEBP"
    assert "480w" in story.image_srcset and "960w" in story.image_srcset


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("anh.jpg", b"This is not a JPEG at all", "ảnh hợp lệ"),
        ("anh.jpg", picture("JPEG")[:200], "ảnh hợp lệ"),  # truncated
        ("anh.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "ảnh hợp lệ"),
        ("anh.gif", picture("GIF"), "JPEG, PNG hoặc WebP"),
        ("anh.jpg", picture("BMP"), "JPEG, PNG hoặc WebP"),  # a BMP wearing a .jpg name
    ],
)
def test_anything_else_is_refused_with_a_reason(editor_client, name, content, message):
    response = post_story(editor_client, upload(name, content))
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors.get("image", []))
    assert message in errors, errors
    assert not Article.objects.filter(headline="Tin có ảnh").exists()


def test_a_decompression_bomb_is_refused(editor_client):
    bomb = picture("PNG", (10_000, 10_000), "1")  # 100 megapixels in a few kilobytes
    response = post_story(editor_client, upload("bom.png", bomb))
    assert response.status_code == 200 and response.context["adminform"].form.errors["image"]
    assert not Article.objects.filter(headline="Tin có ảnh").exists()


def test_images_over_the_pixel_limit_are_refused_with_the_reason(editor_client, settings):
    settings.MAX_IMAGE_PIXELS = 500_000
    response = post_story(editor_client, upload("anh.jpg", picture("JPEG", (1200, 800))))
    errors = " ".join(response.context["adminform"].form.errors["image"])
    assert "quá nhiều điểm ảnh (1200×800)" in errors


def test_a_decompression_bomb_beyond_pillows_own_limit_is_refused_unexpanded():
    bomb = picture("PNG", (20_000, 20_000), "1")  # 400 megapixels in a few kilobytes
    assert len(bomb) < 200_000
    with pytest.raises(ValidationError):
        images.validate_image(Article(image=upload("bom.png", bomb)).image)


def test_files_over_the_byte_limit_are_refused(editor_client, settings):
    settings.MAX_IMAGE_BYTES = 10_000
    response = post_story(editor_client, upload("lon.jpg", picture("JPEG", (1600, 1600))))
    assert "Ảnh quá lớn" in " ".join(response.context["adminform"].form.errors["image"])


def test_an_image_needs_alt_text(editor_client):
    response = post_story(editor_client, upload("anh.png", picture("PNG")), alt="  ")
    assert response.status_code == 200
    assert "image_alt" in response.context["adminform"].form.errors


def test_readers_requests_never_resize_images(client, media, monkeypatch):
    story = ArticleFactory(image=upload("anh.png", picture("PNG")), image_alt="Ảnh")
    assert story.image_renditions["webp"]

    def forbidden(image):
        raise AssertionError("renditions made during a reader's request")

    monkeypatch.setattr("articles.media.images.make_renditions", forbidden)
    html = client.get(story.get_absolute_url()).content.decode()
    assert 'type="image/webp"' in html and "480w" in html and 'alt="Ảnh"' in html
    assert client.get("/").status_code == 200


def test_replacing_the_image_replaces_the_renditions(media):
    story = ArticleFactory(image=upload("a.png", picture("PNG")), image_alt="Ảnh")
    first = story.image_renditions["webp"]["480"]
    story.image = upload("b.jpg", picture("JPEG", (600, 400)))
    story.save()
    assert story.image_renditions["webp"]["480"] != first
    story.image = None
    story.save()
    assert story.image_renditions == {}


@pytest.mark.parametrize(
    ("content", "accepted"),
    [
        (picture("PNG", (400, 400)), True),
        (picture("GIF", (400, 400)), False),
        (b"<html><script>alert(1)</script></html>", False),
        (picture("PNG", (10_000, 10_000), "1"), False),  # a decompression bomb
    ],
    ids=["png", "gif", "html", "bomb"],
)
def test_an_authors_photo_is_held_to_the_same_rules(editor_client, content, accepted):
    """Every upload in the site, not only lead images."""
    add = "/admin/articles/author/add/"
    data = form_values(editor_client.get(add).content.decode(), "author_form")
    data.update(name=["Phóng viên Ảnh"], photo=upload("chan-dung.png", content))
    response = editor_client.post(add, data)
    assert (response.status_code == 302) is accepted
    assert Author.objects.filter(name="Phóng viên Ảnh").exists() is accepted
    if not accepted:
        assert response.context["adminform"].form.errors["photo"]


# -- whole files only, nothing left behind, bounded work


def truncated_jpeg() -> bytes:
    """A JPEG whose header is whole and whose picture stops two thirds of the way."""
    import io

    buffer = io.BytesIO()
    Image.effect_noise((1200, 800), 60).convert("RGB").save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    return data[: len(data) * 2 // 3]


def stored_files(media) -> list[Path]:
    return [path for path in Path(media).rglob("*") if path.is_file()]


def test_a_truncated_jpeg_is_refused_and_leaves_no_file(editor_client, media):
    response = post_story(editor_client, upload("cat-do.jpg", truncated_jpeg()))
    assert response.status_code == 200
    assert "ảnh hợp lệ" in " ".join(response.context["adminform"].form.errors["image"])
    assert not Article.objects.filter(headline="Tin có ảnh").exists()
    assert stored_files(media) == []


def test_a_save_that_fails_stores_no_file(media):
    """Around the form too: a picture that cannot be decoded, or a database that
    refuses the row, leaves media as it was."""
    with pytest.raises(OSError):
        ArticleFactory(image=upload("cat-do.jpg", truncated_jpeg()), image_alt="Ảnh")
    assert stored_files(media) == []
    ArticleFactory(slug="trung-slug")
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="trung-slug", image=upload("anh.png", picture("PNG")), image_alt="Ảnh")
    assert stored_files(media) == []
    Author.objects.create(name="Phóng viên", slug="phong-vien")
    with pytest.raises(IntegrityError), transaction.atomic():
        Author.objects.create(name="Khác", slug="phong-vien", photo=upload("a.png", picture("PNG")))
    assert stored_files(media) == []


@pytest.mark.parametrize(
    ("size", "code"),
    [
        ((1, 40_000_000), "aspect"),  # 78 KB of PNG, 1.3 GB and seconds to decode
        ((40_000_000, 1), "aspect"),
        ((12_001, 2_000), "too_long_a_side"),
        ((3_000, 299), "aspect"),
    ],
    ids=["strip-down", "strip-across", "long-side", "elongated"],
)
def test_elongated_or_overlong_pictures_are_refused_from_the_header(size, code):
    content = picture("PNG", size, "1")
    with pytest.raises(ValidationError) as refused:
        images.validate_image(Article(image=upload("dai.png", content)).image)
    assert refused.value.code == code


def test_a_wide_but_sane_panorama_is_accepted(editor_client, media):
    response = post_story(editor_client, upload("toan-canh.jpg", picture("JPEG", (4000, 500))))
    assert response.status_code == 302
    story = Article.objects.get(headline="Tin có ảnh")
    assert list(story.image_renditions["webp"]) == ["480", "960", "1600"]


@pytest.mark.parametrize(
    ("name", "fmt", "stored_as"),
    [("bao-cao.pdf", "PNG", ".png"), ("anh.png", "JPEG", ".jpg"), ("anh.jpg", "WEBP", ".webp"),
     ("anh.bmp", "PNG", ".png")],
)  # fmt: skip
def test_a_file_is_stored_under_the_extension_of_its_real_format(
    editor_client, media, name, fmt, stored_as
):
    response = post_story(editor_client, upload(name, picture(fmt)))
    assert response.status_code == 302
    story = Article.objects.get(headline="Tin có ảnh")
    assert story.image.name.endswith(stored_as), story.image.name
    assert story.image_renditions["source"] == story.image.name
    assert {path.suffix for path in stored_files(media)} == {stored_as, ".webp"}

    add = "/admin/articles/author/add/"
    data = form_values(editor_client.get(add).content.decode(), "author_form")
    data.update(name=["Phóng viên"], photo=upload(name, picture(fmt, (400, 400))))
    assert editor_client.post(add, data).status_code == 302
    assert Author.objects.get(name="Phóng viên").photo.name.endswith(stored_as)


MEMORY_PROBE = """
import io, os, resource, sys
import django
django.setup()
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models.fields.files import ImageFieldFile
from PIL import Image
from articles.media.images import make_renditions
from articles.models import Article

data = open(sys.argv[1], "rb").read()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
field = Article(image=SimpleUploadedFile("lon.png", data)).image
make_renditions(field)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)
"""


def test_renditions_hold_one_decoded_picture_at_most(tmp_path):
    """A 6000 × 6000 PNG decodes to 144 MB (Pillow keeps RGB in four bytes a
    pixel): renditions may cost that once, never a copy of it per step."""
    import os
    import subprocess
    import sys

    big = tmp_path / "lon.png"
    Image.linear_gradient("L").resize((6000, 6000)).convert("RGB").save(big, "PNG")
    media = tmp_path / "media"
    env = {**os.environ, "MEDIA_ROOT": str(media), "DJANGO_SETTINGS_MODULE": "newsroom.settings"}
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(big)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    grown_mb = int(result.stdout.split()[-1]) / 1024
    decoded_mb = 6000 * 6000 * 4 / 2**20
    assert grown_mb < 1.6 * decoded_mb, f"{grown_mb:.0f} MB for a {decoded_mb:.0f} MB picture"


def test_a_picture_narrower_than_a_width_gets_a_copy_as_wide_as_itself(media):
    """A 720 px picture shown 704 px wide must not get only its 480 px copy: the
    widest copy is as wide as the picture (never enlarged)."""
    story = ArticleFactory(image=image_upload(size=(720, 480)), image_alt="Ảnh")
    assert list(story.image_renditions["webp"]) == ["480", "720"]
    story = ArticleFactory(image=image_upload(size=(300, 200)), image_alt="Ảnh")
    assert list(story.image_renditions["webp"]) == ["300"]
