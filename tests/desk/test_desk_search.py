"""The desk's search for stories (``ArticleAdmin.get_search_results``): the readers'
Vietnamese-aware index, ranked, on both databases."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from articles.models import Article, OrganizationAlias
from tests.desk.test_desk_list import LIST, headlines
from tests.factories import ArticleFactory, AuthorFactory, OrganizationFactory


def found(client, query: str, **params) -> list[str]:
    return headlines(client.get(LIST, {"q": query, **params}))


@pytest.mark.django_db
def test_without_diacritics_an_editor_finds_the_story(desk):
    ArticleFactory(headline="Việt Nam và Hoa Kỳ ký thoả thuận", status=Article.Status.DRAFT)
    ArticleFactory(headline="Tin thời tiết")
    assert found(desk, "hoa ky") == ["Việt Nam và Hoa Kỳ ký thoả thuận"]
    assert found(desk, "thoa thuan hoa ky") == ["Việt Nam và Hoa Kỳ ký thoả thuận"]


@pytest.mark.django_db
def test_a_byline_or_an_entity_s_other_name_finds_the_stories(desk):
    ArticleFactory(headline="Phỏng vấn", authors=[AuthorFactory(name="Trần Thị Mai")])
    org = OrganizationFactory(name="Tập đoàn Công nghiệp Viễn thông Quân đội")
    OrganizationAlias.objects.create(organization=org, name="Viettel")
    story = ArticleFactory(headline="Mạng 5G phủ sóng")
    story.organizations.add(org)
    ArticleFactory(headline="Tin khác")
    assert found(desk, "tran thi mai") == ["Phỏng vấn"]
    assert found(desk, "viettel") == ["Mạng 5G phủ sóng"]


@pytest.mark.django_db
def test_matches_are_ranked_unless_the_editor_sorts(desk):
    """The better match is the older one: newest first, it would come second."""
    ArticleFactory(
        headline="Điện gió ngoài khơi: quy hoạch mới",
        published_at=timezone.now() - datetime.timedelta(days=2),
    )
    ArticleFactory(headline="Tin chung", sapo="Có nói tới điện gió ngoài khơi.")
    assert found(desk, "dien gio") == ["Điện gió ngoài khơi: quy hoạch mới", "Tin chung"]
    by_headline = found(desk, "dien gio", o="2")  # the headline column, A to Z
    assert by_headline == ["Tin chung", "Điện gió ngoài khơi: quy hoạch mới"]


@pytest.mark.django_db
def test_a_slug_or_a_pasted_address_finds_that_story(desk):
    story = ArticleFactory(headline="Bộ trưởng làm việc với đoàn doanh nghiệp")
    ArticleFactory(headline="Bộ trưởng tiếp đoàn khác")
    assert found(desk, story.slug) == [story.headline]
    assert found(desk, f"https://news.example.org/tin/{story.slug}/") == [story.headline]


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["!!!", "   ", "%", "a" * 500, "' OR 1=1 --"])
def test_odd_searches_answer_without_an_error(desk, query):
    ArticleFactory(headline="Tin số một")
    response = desk.get(LIST, {"q": query})
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_reporter_s_search_finds_only_what_they_may_see(client, reporter, other_reporter):
    ArticleFactory(headline="Bản nháp bí mật về cảng biển", status=Article.Status.DRAFT,
                   created_by=other_reporter)  # fmt: skip
    ArticleFactory(headline="Bài của tôi về cảng biển", status=Article.Status.DRAFT,
                   created_by=reporter)  # fmt: skip
    client.force_login(reporter)
    assert found(client, "cang bien") == ["Bài của tôi về cảng biển"]


@pytest.mark.django_db
def test_choosing_the_original_of_a_translation_searches_the_index(desk):
    ArticleFactory(headline="Hợp tác năng lượng Việt Nam – Hoa Kỳ")
    response = desk.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "article", "field_name": "translation_of",
         "term": "nang luong"},
    )  # fmt: skip
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == [
        "Hợp tác năng lượng Việt Nam – Hoa Kỳ"
    ]
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_an_old_headline_is_found_among_many_newer_mentions(desk, monkeypatch):
    from articles import search

    monkeypatch.setattr(search, "CANDIDATES", 2)
    ArticleFactory(
        headline="Việt Nam và Hoa Kỳ thúc đẩy hợp tác chiến lược",
        published_at=timezone.now() - datetime.timedelta(days=700),
    )
    for n in range(4):
        ArticleFactory(headline=f"Tin số {n}", body="<p>Quan hệ với Hoa Kỳ.</p>")
    assert found(desk, "hoa ky")[0] == "Việt Nam và Hoa Kỳ thúc đẩy hợp tác chiến lược"
