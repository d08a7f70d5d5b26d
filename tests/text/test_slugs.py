import pytest

from articles.models import Organization, Tag
from articles.text.slugs import vi_slugify
from tests.factories import ArticleFactory, PersonFactory


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Nguyễn Hồng Diên", "nguyen-hong-dien"),
        ("Đầu tư", "dau-tu"),
        ("ĐƯỜNG DÂY 500kV", "duong-day-500kv"),
        ("Hoa Kỳ", "hoa-ky"),
        ("Bộ Công Thương", "bo-cong-thuong"),
        # Decomposed input (NFD, as some keyboards and PDFs send it) folds the same way.
        ("Nguye\u0302\u0303n Ho\u0302\u0300ng Die\u0302n", "nguyen-hong-dien"),
    ],
)
def test_vietnamese_folds_to_ascii(text, slug):
    assert vi_slugify(text) == slug


@pytest.mark.django_db
def test_blank_slugs_are_made_and_stay_unique():
    first = PersonFactory(name="Nguyễn Hồng Diên")
    second = PersonFactory(name="Nguyễn Hồng Diên")
    third = PersonFactory(name="Nguyen Hong Dien")
    assert [first.slug, second.slug, third.slug] == [
        "nguyen-hong-dien",
        "nguyen-hong-dien-2",
        "nguyen-hong-dien-3",
    ]


@pytest.mark.django_db
def test_a_given_slug_is_kept_and_resaving_does_not_change_it():
    org = Organization.objects.create(name="Google", slug="google-llc")
    org.name = "Google LLC"
    org.save()
    org.refresh_from_db()
    assert org.slug == "google-llc"


@pytest.mark.django_db
def test_slugs_at_full_length_stay_within_the_field_and_unique():
    headline = "Đ" + "a" * 254  # as long as the field allows
    a, b = ArticleFactory(headline=headline), ArticleFactory(headline=headline)
    assert a.slug == "d" + "a" * 254
    assert b.slug == "d" + "a" * 252 + "-2"


@pytest.mark.django_db
def test_a_name_with_no_letters_still_gets_a_slug():
    assert Organization.objects.create(name="…").slug == "organization"


@pytest.mark.django_db
def test_tags_fold_vietnamese_too():
    article = ArticleFactory()
    article.tags.add("Đầu tư", "đầu tư nước ngoài")
    assert set(Tag.objects.values_list("slug", flat=True)) == {"dau-tu", "dau-tu-nuoc-ngoai"}
