"""The public pages and the desk's pages pass the Nu HTML Checker."""

import datetime
from pathlib import Path

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from articles.desk import workflow
from articles.models import Article, LiveUpdate, Picture, ReadCount
from articles.site import reads
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
    # Pictures everywhere, "Đọc nhiều", a live story with a picture in an update, and one ended.
    call_command("seed_demo", stories=30, verbosity=0)
    editor = User.objects.create_superuser("truc-tiep", password="x")
    live, ended = Article.objects.published().filter(language="vi")[:2]
    for story in (live, ended):
        story.live_from = timezone.now() - datetime.timedelta(hours=2)
        story.save()
        update = LiveUpdate(article=story, body="Đoàn tới nơi.\n\nHai bên gặp nhau.")
        update.picture, update.key_moment = Picture.objects.first(), True
        workflow.post_update(update, editor)
        ReadCount.objects.create(article=story, hour=timezone.now(), reads=3)
    ended.live_until = timezone.now()
    ended.save()
    reads.rank()
    fetch(
        {
            "home-with-pictures": "/",
            "section-with-pictures": live.section.get_absolute_url(),
            "story-live": live.get_absolute_url(),
            "story-live-ended": ended.get_absolute_url(),
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
