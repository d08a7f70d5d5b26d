"""The read API: ninjs names, filters, pagination, nothing unpublished, and a
schemathesis run against the project's own OpenAPI description."""

import datetime

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from articles.models import Article
from tests.factories import ArticleFactory
from tests.seed import STORY_000

pytestmark = pytest.mark.django_db
SLUG_000 = STORY_000.split("/")[2]


def test_story_list_uses_ninjs_names(client, seed):
    body = client.get("/api/stories").json()
    assert len(body["items"]) == 2 and (body["next"], body["previous"]) == (None, None)
    first = body["items"][0]
    assert first["uri"] == f"http://testserver{STORY_000}"
    assert first["headline"].startswith("Việt Nam và Hoa Kỳ")
    assert first["description_text"].startswith("(SHTT) - Ngày 20/5/2025")
    assert first["byline"] == "Minh Thư"
    assert first["firstcreated"].startswith("2025-05-21T")
    assert first["language"] == "vi" and first["type"] == "text"
    section, *tags = first["subject"]
    assert (section["name"], section["code"], section["scheme"]) == (
        "Kinh tế",
        "kinh-te",
        "section",
    )
    assert {t["name"] for t in tags if t["scheme"] == "tag"} >= {"LNG", "Hoa Kỳ"}
    assert "body_html" not in first


def test_story_detail_has_the_body_and_entities(client, seed):
    story = client.get(f"/api/stories/{SLUG_000}").json()
    assert story["body_html"].startswith("<p>Buổi gặp gỡ")
    assert {p["name"] for p in story["person"]} >= {"Nguyễn Hồng Diên", "Tim Hughes"}
    assert "SpaceX" in {o["name"] for o in story["organisation"]}
    assert story["source"]["name"] == "Sở hữu trí tuệ"


def test_filters_and_search_are_the_websites(client, seed):
    def slugs(query):
        return [s["slug"] for s in client.get(f"/api/stories?{query}").json()["items"]]

    assert slugs("organization=pvgas") == [SLUG_000]
    assert slugs("q=hoa+ky&author=minh-thu") == [SLUG_000]
    assert len(slugs("q=HOA+KY")) == 2
    assert slugs("date_after=2025-05-22") == []
    bad = client.get("/api/stories?organization=khong-co")
    assert bad.status_code == 400 and "organization" in bad.json()["detail"]
    assert client.get("/api/stories?date_after=2025-13-45").status_code == 400
    assert client.get("/api/stories?date_after=0").status_code == 422
    assert client.get("/api/stories?page=abc").status_code == 422


def test_unpublished_stories_never_appear(client, seed):
    hidden = [
        ArticleFactory(headline="Nháp", status=Article.Status.DRAFT),
        ArticleFactory(headline="Chờ duyệt", status=Article.Status.REVIEW),
        ArticleFactory(headline="Lưu trữ", status=Article.Status.ARCHIVED),
        ArticleFactory(
            headline="Hẹn giờ", published_at=timezone.now() + datetime.timedelta(hours=1)
        ),
    ]
    listing = client.get("/api/stories?q=").json()
    assert len(listing["items"]) == 2
    for story in hidden:
        assert client.get(f"/api/stories/{story.slug}").status_code == 404
        assert story.slug not in client.get(f"/api/stories?q={story.headline}").content.decode()


def test_entities_are_listed_with_links_to_their_stories(client, seed):
    orgs = client.get("/api/organizations").json()
    assert len(orgs["items"]) == 7 and orgs["next"] is None
    spacex = client.get("/api/organizations/spacex").json()
    assert spacex["stories_uri"] == "http://testserver/api/stories?organization=spacex"
    assert client.get("/api/people/khong-co").status_code == 404


def test_lists_page_in_the_database_and_build_only_their_page(client, db, monkeypatch):
    """The list built every story of the archive before taking a page of it."""
    from articles.site import api

    ArticleFactory.create_batch(45)
    built = []
    story = api._story
    monkeypatch.setattr(api, "_story", lambda *a, **k: built.append(1) or story(*a, **k))
    first = client.get("/api/stories").json()
    assert len(first["items"]) == 20 and (first["next"], first["previous"]) == (2, None)
    assert len(built) == 20
    last = client.get("/api/stories?page=3").json()
    assert len(last["items"]) == 5 and (last["next"], last["previous"]) == (None, 2)
    assert client.get("/api/stories?page=9").json()["items"] == []
    for page in ("0", "-1", "501", "100000000000000000000", "1e3"):
        response = client.get(f"/api/stories?page={page}")
        assert response.status_code == 422, page
    tags = client.get("/api/tags?page=1").json()
    assert tags["items"] == [] and tags["next"] is None


def test_the_api_describes_itself(client, db):
    spec = client.get("/api/openapi.json").json()
    assert spec["info"]["title"] == "Toà soạn API"
    assert {"/api/stories", "/api/stories/{slug}", "/api/events/{slug}"} <= set(spec["paths"])


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def keep_test_connection():
    """Requests through the real WSGI handler would close the test's database
    connection when they finish; Django's test client detaches that too."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_keeps_its_description(case, seed, keep_test_connection):
    # Every check but one: a well-formed slug or date that names nothing is refused
    # with a documented 400 and its reason, which that check would count as a failure.
    # Answers are gzipped for clients that ask; this one reads them as they are.
    case.call_and_validate(
        headers={"Accept-Encoding": "identity"}, excluded_checks=[positive_data_acceptance]
    )
