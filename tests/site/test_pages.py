import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_latest_lists_the_published_seed_stories_newest_first(client, seed):
    response = client.get("/tin-moi/")
    assert response.status_code == 200
    stories = list(response.context["article_list"])
    assert [s.headline for s in stories] == [
        "Việt Nam và Hoa Kỳ thúc đẩy hợp tác chiến lược trong các lĩnh vực trọng điểm",
        "Bộ trưởng Nguyễn Hồng Diên làm việc với lãnh đạo Excelerate Energy, Lockheed Martin, "
        "SpaceX và Google tại Hoa Kỳ",
    ]
    for story in stories:
        assert f'href="{story.get_absolute_url()}"'.encode() in response.content


def test_detail_shows_the_story_in_vietnam_time(client, seed):
    story = Article.objects.get(source_outlet__isnull=False)
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert story.headline in html and "Buổi gặp gỡ nhằm thúc đẩy" in html
    assert "21/05/2025, 17:05 (GMT+7)" in html
    assert 'href="/tac-gia/minh-thu/"' in html


@pytest.mark.parametrize(
    "state",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"status": Article.Status.ARCHIVED},
        {"published_at": timezone.now() + datetime.timedelta(days=1)},
    ],
)
def test_unpublished_stories_are_hidden_from_readers(client, state):
    author, org = AuthorFactory(), OrganizationFactory()
    hidden = ArticleFactory(headline="Bí mật", authors=[author], **state)
    hidden.organizations.add(org)
    assert client.get(hidden.get_absolute_url()).status_code == 404
    for url in (
        "/",
        hidden.section.get_absolute_url(),
        author.get_absolute_url(),
        org.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200 and "Bí mật" not in response.content.decode(), url


@pytest.mark.parametrize(
    "url",
    [
        "/chuyen-muc/kinh-te/",
        "/the/hoa-ky/",
        "/to-chuc/spacex/",
        "/nhan-vat/nguyen-hong-dien/",
        "/tac-gia/minh-thu/",
        "/su-kien/chuyen-cong-tac-cua-bo-truong-nguyen-hong-dien-tai-hoa-ky/",
    ],
)
def test_entity_pages_list_their_stories(client, seed, url):
    response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["article_list"]) >= 1


def test_event_page_shows_participants_outcomes_and_meetings(client, seed):
    html = client.get("/su-kien/bo-truong-nguyen-hong-dien-lam-viec-voi-spacex/").content.decode()
    assert "Tim Hughes" in html and "10 đến 15 trạm mặt đất" in html
    trip = client.get("/su-kien/chuyen-cong-tac-cua-bo-truong-nguyen-hong-dien-tai-hoa-ky/")
    assert "Bộ trưởng Nguyễn Hồng Diên làm việc với Google" in trip.content.decode()


@pytest.mark.parametrize(
    "url", ["/tin/khong-co/", "/to-chuc/khong-co/", "/the/khong-co/", "/tin/%E2%80%A8/"]
)
def test_unknown_slugs_are_404(client, url):
    assert client.get(url).status_code == 404


def test_malformed_page_numbers_are_404_not_500(client, seed):
    assert client.get("/tin-moi/?page=abc").status_code == 404
    assert client.get("/tin-moi/?page=999").status_code == 404


def test_health_check_touches_nothing(client, db):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert len(queries) == 0
