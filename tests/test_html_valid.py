"""The public pages and the desk's story form pass the Nu HTML Checker."""

from pathlib import Path

import pytest

from articles.models import Article
from tests.factories import ArticleFactory
from tests.seed import STORY_000, STORY_001, TRIP
from tests.tools import nu_check

pytestmark = pytest.mark.django_db

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


def test_desk_story_form_has_no_html_errors(client, seed, editor, tmp_path: Path):
    """The form reporters and editors live in: new, and a seed story with its
    translations, events and revisions."""
    client.force_login(editor)
    story = Article.objects.get(slug=STORY_000.split("/")[2])
    for name, url in {
        "add": "/admin/articles/article/add/",
        "change": f"/admin/articles/article/{story.pk}/change/",
    }.items():
        response = client.get(url)
        assert response.status_code == 200, url
        (tmp_path / f"{name}.html").write_bytes(response.content)
    result = nu_check(tmp_path, current=True)
    assert result.returncode == 0, result.stdout + result.stderr
