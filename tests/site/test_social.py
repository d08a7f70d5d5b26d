"""A story's own title, description and picture for search and sharing,
falling back to its headline, sapo and lead image."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from tests.browser_form import post_form
from tests.factories import ArticleFactory, image_bytes
from tests.seed import STORY_000

pytestmark = pytest.mark.django_db


def meta(html: str) -> dict[str, str]:
    pairs = re.findall(r'<meta (?:name|property)="([^"]+)" content="([^"]*)"', html)
    return dict(pairs)


def test_without_overrides_the_story_speaks_for_itself(client, seed):
    tags = meta(client.get(STORY_000).content.decode())
    story = Article.objects.get(slug=STORY_000.split("/")[2])
    assert tags["og:title"] == tags["twitter:title"] == story.headline
    assert tags["description"].startswith("(SHTT) - Ngày 20/5/2025")
    assert "og:image" not in tags and tags["twitter:card"] == "summary"


def test_the_desk_sets_title_description_and_picture_for_sharing(
    client, seed, editor, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    story = Article.objects.get(slug=STORY_000.split("/")[2])
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[story.pk])
    picture = SimpleUploadedFile("chia-se.png", image_bytes(size=(1200, 630)), "image/png")
    refused = post_form(client, url, social_image=picture, social_title="Tiêu đề chia sẻ")
    assert "Ảnh cần có mô tả (alt)" in refused.content.decode()
    fake = SimpleUploadedFile("gia.png", b"<svg onload=alert(1)>", "image/png")
    refused = post_form(client, url, social_image=fake, social_image_alt="x")
    assert refused.status_code == 200 and not Article.objects.get(pk=story.pk).social_image
    picture.seek(0)
    response = post_form(
        client,
        url,
        social_image=picture,
        social_image_alt="Bộ trưởng và lãnh đạo SpaceX",
        social_title='Việt Nam – Hoa Kỳ: "cam kết" <mới>',
        meta_description="Bốn cuộc gặp, các cam kết và con số.",
    )
    assert response.status_code == 302
    client.logout()
    html = client.get(STORY_000).content.decode()
    tags = meta(html)
    assert tags["og:title"] == "Việt Nam – Hoa Kỳ: &quot;cam kết&quot; &lt;mới&gt;"
    assert tags["description"] == tags["og:description"] == "Bốn cuộc gặp, các cam kết và con số."
    assert tags["og:image"].startswith("http://testserver/media/social/")
    assert tags["og:image:alt"] == "Bộ trưởng và lãnh đạo SpaceX"
    assert tags["twitter:card"] == "summary_large_image"
    assert "<h1>Việt Nam và Hoa Kỳ thúc đẩy" in html  # the page keeps its own headline


def test_the_lead_image_is_shared_when_there_is_no_other(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    story = ArticleFactory(
        image=SimpleUploadedFile("anh.png", image_bytes()), image_alt="Ảnh đại diện"
    )
    tags = meta(client.get(story.get_absolute_url()).content.decode())
    assert tags["og:image:alt"] == "Ảnh đại diện" and "/media/articles/" in tags["og:image"]
