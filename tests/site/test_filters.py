"""The listing's filters, through HTTP: each one, combined, kept in the URL, and
never a server error whatever the query string holds."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import Article
from articles.site import filters
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    EventFactory,
    OrganizationFactory,
    PersonFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def headlines(response):
    return {a.headline for a in response.context["article_list"]}


@pytest.fixture
def corpus():
    economy, world = SectionFactory(name="Kinh tế"), SectionFactory(name="Thế giới")
    spacex, google = OrganizationFactory(name="SpaceX"), OrganizationFactory(name="Google")
    dien = PersonFactory(name="Nguyễn Hồng Diên")
    trip = EventFactory(title="Chuyến công tác")
    meeting = EventFactory(title="Gặp SpaceX", parent=trip)
    thu = AuthorFactory(name="Minh Thư")

    def story(headline, day, **links):
        article = ArticleFactory(
            headline=headline,
            section=links.pop("section", economy),
            published_at=datetime.datetime(2025, 5, day, 9, 0, tzinfo=VN),
            authors=links.pop("authors", []),
        )
        for name, values in links.items():
            getattr(article, name).set(values)
        return article

    story("A", 20, organizations=[spacex], people=[dien], events=[meeting], tags=["Starlink"])
    story("B", 21, organizations=[google], events=[trip], tags=["AI"], authors=[thu])
    story("C", 22, section=world, organizations=[spacex, google], tags=["Starlink", "AI"])
    ArticleFactory(headline="Nháp", status=Article.Status.DRAFT, section=economy)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"A", "B", "C"}),
        ({"section": "the-gioi"}, {"C"}),
        ({"tag": "starlink"}, {"A", "C"}),
        ({"organization": "spacex"}, {"A", "C"}),
        ({"person": "nguyen-hong-dien"}, {"A"}),
        ({"event": "chuyen-cong-tac"}, {"A", "B"}),  # the trip includes its meetings
        ({"event": "gap-spacex"}, {"A"}),
        ({"author": "minh-thu"}, {"B"}),
        ({"date_after": "2025-05-21"}, {"B", "C"}),
        ({"date_before": "2025-05-21"}, {"A", "B"}),
        ({"date_after": "2025-05-21", "date_before": "2025-05-21"}, {"B"}),
        ({"organization": "google", "tag": "starlink"}, {"C"}),
        ({"organization": "spacex", "section": "kinh-te", "date_before": "2025-05-20"}, {"A"}),
        ({"organization": "google", "person": "nguyen-hong-dien"}, set()),
    ],
)
def test_each_filter_and_their_combinations(client, corpus, query, expected):
    response = client.get("/tin-moi/", query)
    assert response.status_code == 200
    assert headlines(response) == expected


def test_the_form_keeps_its_state_in_the_url(client, corpus):
    html = client.get("/tin-moi/?organization=spacex&date_after=2025-05-21").content.decode()
    assert '<option value="spacex" selected>SpaceX</option>' in html
    assert 'name="date_after" value="2025-05-21"' in html
    # folded, so that on a phone the results come first, its button saying what narrows
    assert '<details class="filters">' in html and "Lọc tin (2)" in html


def test_search_results_come_before_its_filters_which_say_how_many_narrow(client, corpus):
    html = client.get("/tim-kiem/?q=spacex&organization=spacex").content.decode()
    form = html.index('<details class="more-filters">')
    assert html.index('name="q"', html.index("<main")) < form  # the words, unfolded
    assert "Lọc kết quả (1)" in html
    assert "Lọc kết quả (" not in client.get("/tim-kiem/?q=spacex").content.decode()
    refused = client.get("/tim-kiem/?q=spacex&date_after=not-a-date").content.decode()
    assert '<details class="more-filters" open>' in refused  # its error shown, not folded


def test_pagination_keeps_the_filters(client, db):
    org = OrganizationFactory(name="SpaceX")
    for _ in range(25):
        ArticleFactory().organizations.add(org)
    first = client.get("/tin-moi/?organization=spacex")
    assert 'href="?organization=spacex&amp;page=2"' in first.content.decode()
    second = client.get("/tin-moi/?organization=spacex&page=2")
    assert len(second.context["article_list"]) == 5
    html = second.content.decode()
    assert 'rel="prev" href="?organization=spacex&amp;page=1"' in html
    assert 'rel="next"' not in html and "Trang 2" in html


def test_listings_never_count_the_archive(client, db):
    """Paging reads one row past the page instead of a COUNT(*) of every story."""
    ArticleFactory.create_batch(21)
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/tin-moi/").content.decode()
    assert 'rel="next" href="?page=2"' in html
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]
    assert 'rel="next"' not in client.get("/tin-moi/?page=2").content.decode()


@pytest.mark.parametrize(
    "query",
    [
        "organization=khong-ton-tai",
        "tag=%00",
        "person=" + "x" * 5000,
        "date_after=2025-13-45",
        "date_before=hôm-qua",
        "event='%20OR%201=1--",
        "author=%C3%28",
        "date_after=0000-00-00",
        "section=kinh-te&section=%3Cscript%3E",
    ],
)
def test_malformed_values_give_a_message_and_no_results(client, corpus, query):
    response = client.get(f"/tin-moi/?{query}")
    assert response.status_code == 200
    assert response.context["filter"].errors
    assert "Một số giá trị lọc không hợp lệ" in response.content.decode()
    assert headlines(response) == set()
    assert "<script>" not in response.content.decode()


def test_an_empty_value_means_no_filter(client, corpus):
    assert headlines(client.get("/tin-moi/?section=&tag=&date_after=")) == {"A", "B", "C"}


@pytest.mark.parametrize("page", ["abc", "0", "-1", "999", "1.5", "%00", "last", "9" * 40])
def test_bad_page_numbers_are_not_found_not_errors(client, corpus, page):
    assert client.get(f"/tin-moi/?page={page}").status_code == 404


def test_unknown_parameters_are_ignored(client, corpus):
    assert headlines(client.get("/tin-moi/?utm_source=x&foo=bar")) == {"A", "B", "C"}


def test_the_front_page_features_the_lead_and_the_listing_does_not(client, corpus):
    html = client.get("/").content.decode()
    assert html.count('class="teaser lead') == 1
    assert html.index("teaser lead") < html.index(">C<") < html.index(">B<")
    assert "teaser lead" not in client.get("/tin-moi/").content.decode()
    assert "teaser lead" not in client.get("/tin-moi/?tag=ai").content.decode()


def test_future_dates_in_the_range_do_not_reveal_scheduled_stories(client, corpus):
    ArticleFactory(headline="Hẹn giờ", published_at=timezone.now() + datetime.timedelta(days=2))
    tomorrow = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    assert "Hẹn giờ" not in headlines(client.get(f"/tin-moi/?date_before={tomorrow}"))


def test_the_lists_offer_what_is_in_the_news_and_the_chosen_one(client, db, monkeypatch):
    """Every organization of a large archive would be thousands of options:
    the list holds those named by the newest stories, and the one chosen."""
    monkeypatch.setattr(filters, "IN_THE_NEWS", 2)
    old, current = OrganizationFactory(name="Công ty Cũ"), OrganizationFactory(name="Công ty Mới")
    ArticleFactory(published_at=timezone.now() - datetime.timedelta(days=900)).organizations.add(
        old
    )
    for _ in range(2):
        ArticleFactory().organizations.add(current)
    html = client.get("/tin-moi/").content.decode()
    assert f'<option value="{current.slug}">Công ty Mới</option>' in html
    assert "Công ty Cũ" not in html
    html = client.get(f"/tin-moi/?organization={old.slug}").content.decode()
    assert f'<option value="{old.slug}" selected>Công ty Cũ</option>' in html
    assert f'<option value="{current.slug}">Công ty Mới</option>' in html


def test_the_deepest_page_links_to_no_page_beyond_it(client, db, monkeypatch):
    """The last page that may be asked for has no "next" link (it was a server
    error to draw one the paginator would refuse), however much lies beyond."""
    from articles.site import pagination

    monkeypatch.setattr(pagination, "MAX_PAGE", 2)
    ArticleFactory.create_batch(45)
    last = client.get("/tin-moi/?page=2")
    assert last.status_code == 200 and 'rel="next"' not in last.content.decode()
    assert client.get("/tin-moi/?page=3").status_code == 404
