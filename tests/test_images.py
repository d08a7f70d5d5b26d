"""Uploads: only real JPEG, PNG and WebP within the limits get in (lead images
and authors' photos); a lead image needs alt text, and its renditions are made
when the story is saved."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles import images
from articles.models import Article, Author
from tests.browser_form import form_values
from tests.factories import ArticleFactory, image_bytes

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
    assert list(renditions["webp"]) == ["480", "960"]  # none wider than the original
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

    monkeypatch.setattr("articles.models.make_renditions", forbidden)
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
