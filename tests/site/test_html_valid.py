"""The public pages and the desk's pages pass the Nu HTML Checker."""

from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from articles.models import Article, Picture
from tests.factories import ArticleFactory, image_upload
from tests.seed import STORY_000, STORY_001, TRIP
from tests.tools import nu_check

pytestmark = [pytest.mark.django_db, pytest.mark.tools]

PAGES = {
    "home": "/",
    "home-en": "/en/",
    "filtered": "/tin-moi/?organization=spacex&date_after=2025-05-01",
    "filter-errors": "/tin-moi/?organization=khong-co&date_after=2025-13-45",
    "story-000": STORY_000,
    "section": "/chuyen-muc/kinh-te/",
    "tag": "/the/lng/",
    "organization": "/to-chuc/spacex/",
    "person": "/nhan-vat/nguyen-hong-dien/",
    "author": "/tac-gia/minh-thu/",
    "trip": TRIP,
    "meeting": "/su-kien/bo-truong-nguyen-hong-dien-lam-viec-voi-google/",
    "not-found": "/tin/khong-co/",
    "search": "/tim-kiem/?q=hoa+ky",
    "search-empty": "/tim-kiem/",
    "commitments": "/cam-ket/",
    "commitments-filtered": "/cam-ket/?organization=spacex&kind=pledge",
    "commitments-errors": "/cam-ket/?organization=khong-co&kind=bogus",
    "commitments-en": "/en/cam-ket/",
    "country": "/quoc-gia/hoa-ky/",
    "country-en": "/en/quoc-gia/viet-nam/",
    "story-001": STORY_001,
}


def test_public_pages_have_no_html_errors(client, seed, tmp_path: Path):

    def fetch(pages: dict[str, str]) -> None:
        for name, url in pages.items():
            response = client.get(url)
            assert response.status_code in (200, 404), url
            (tmp_path / f"{name}.html").write_bytes(response.content)

    fetch(PAGES)  # the English site empty, as the seed leaves it
    original = Article.objects.get(slug=STORY_000.split("/")[2])
    english = ArticleFactory(
        headline="Vietnam and the US push cooperation", language="en", translation_of=original
    )
    fetch(
        {
            "story-en": english.get_absolute_url(),
            "story-000-translated": STORY_000,
            "home-en-with-story": "/en/",
        }
    )
    result = nu_check(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_desk_pages_have_no_html_errors(client, seed, settings, tmp_path: Path):
    """Every list, add, change and history page of the desk as a superuser sees
    it, the story form above all: new, and a seed story with its events; the
    library's picture with its focal point."""
    settings.MEDIA_ROOT = tmp_path / "media"
    Picture(file=image_upload(), alt="Ảnh", caption="Chú thích", credit="KTS").save()
    user = User.objects.create_superuser("quantri", password="mật-khẩu-thử")
    client.force_login(user)
    request = RequestFactory().get("/")
    request.user = user
    for model, model_admin in admin.site._registry.items():
        info = model._meta.app_label, model._meta.model_name
        first = model_admin.get_queryset(request).order_by("pk").first()
        for view in (
            ("changelist", "add") if model_admin.has_add_permission(request) else ["changelist"]
        ):
            response = client.get(reverse("admin:{}_{}_{}".format(*info, view)))
            assert response.status_code == 200, (info, view)
            (tmp_path / f"{info[1]}-{view}.html").write_bytes(response.content)
        for view in ("change", "history") if first else ():
            try:
                url = reverse("admin:{}_{}_{}".format(*info, view), args=[first.pk])
            except NoReverseMatch:  # a list without pages of its own (sign-ins)
                continue
            response = client.get(url)
            assert response.status_code == 200, (info, view)
            (tmp_path / f"{info[1]}-{view}.html").write_bytes(response.content)
    assert (tmp_path / "article-change.html").exists() and (tmp_path / "pin-add.html").exists()
    result = nu_check(tmp_path, current=True)
    assert result.returncode == 0, result.stdout + result.stderr
