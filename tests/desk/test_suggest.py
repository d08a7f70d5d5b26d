"""Entity suggestions: what a story's text names, by any name, on word
boundaries, through the desk's JSON endpoint and the story form."""

import pytest
from django.urls import reverse

from articles.desk.suggest import find
from articles.models import Organization, Person, PersonAlias

pytestmark = pytest.mark.django_db

TEXT = (
    "Đại diện Lockheed cùng phía Mỹ gặp ông nguyen hong dien; Googleplex không phải Google "
    "mà là trụ sở. Let us talk about USA và VIỆT NAM, cả Space X."
)


def found(text: str) -> dict[str, str]:
    return {f"{thing.kind}:{thing.slug}": matched for thing, matched in find(text)}


def test_any_name_any_diacritics_any_case_on_word_boundaries(seed):
    names = found(TEXT)
    assert names["organizations:lockheed-martin"] == "Lockheed"
    assert names["countries:hoa-ky"] == "Mỹ"  # first of its names in the text
    assert names["people:nguyen-hong-dien"] == "nguyen hong dien"
    assert names["countries:viet-nam"] == "VIỆT NAM"
    assert names["organizations:spacex"] == "Space X"
    assert names["organizations:google"] == "Google"  # the word, not Googleplex
    assert "organizations:excelerate-energy" not in names


def test_short_names_match_only_as_written(seed):
    assert "countries:hoa-ky" not in found("Let us talk, us and them.")
    assert found("Quan hệ với US đang tốt.")["countries:hoa-ky"] == "US"


def test_new_names_are_found_at_once(seed):
    assert "organizations:vinfast" not in found("VinFast mở nhà máy.")
    Organization.objects.create(name="VinFast")
    assert found("vinfast mở nhà máy.")["organizations:vinfast"] == "vinfast"
    PersonAlias.objects.create(person=Person.objects.get(slug="nguyen-hong-dien"), name="Anh Diên")
    assert "people:nguyen-hong-dien" in found("Anh Diên phát biểu.")


def test_the_desk_endpoint_marks_what_is_already_linked(client, seed, reporter):
    url = reverse("admin:articles_article_suggest")
    assert url == "/admin/articles/article/suggest-entities/"
    assert client.post(url, {"text": "SpaceX"}).status_code == 302  # signed in only
    client.force_login(reporter)
    assert client.get(url).status_code == 405
    spacex = Organization.objects.get(slug="spacex")
    data = client.post(url, {"text": TEXT, "organizations": [spacex.pk, "x"]}).json()
    rows = {s["slug"]: s for s in data["suggestions"]}
    assert rows["spacex"] == {
        "kind": "organizations",
        "id": spacex.pk,
        "slug": "spacex",
        "name": "SpaceX",
        "matched": "Space X",
        "linked": True,
    }
    assert rows["lockheed-martin"]["linked"] is False
    assert client.post(url, {"text": ""}).json() == {"suggestions": []}
    long = client.post(url, {"text": "Google " * 50_000})
    assert long.status_code == 200 and len(long.json()["suggestions"]) == 1


def test_saving_stories_keeps_the_matcher_and_renaming_rebuilds_it(seed):
    from django.core.cache import cache

    from articles.desk import suggest
    from tests.factories import ArticleFactory

    find("x")
    version = cache.get(suggest.VERSION_KEY)
    ArticleFactory()
    assert cache.get(suggest.VERSION_KEY) == version
    google = Organization.objects.get(slug="google")
    google.name = "Alphabet"
    google.save()
    assert cache.get(suggest.VERSION_KEY) != version
    assert "organizations:google" in found("Alphabet và Google LLC")
    assert found("Alphabet")["organizations:google"] == "Alphabet"
