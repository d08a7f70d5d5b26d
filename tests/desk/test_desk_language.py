"""The desk speaks Vietnamese: the strings Django's admin and taggit leave in
English (their Vietnamese catalogs lack them) come from locale_contrib/."""

import re

import pytest
from django.urls import reverse

from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_the_admin_s_own_words_are_vietnamese(client, editor):
    story = ArticleFactory()
    client.force_login(editor)
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    form = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    for page in (listing, form):
        assert "Bỏ qua, đến nội dung chính" in page and "Skip to main content" not in page
        assert "Toggle theme" not in page and "Đổi giao diện sáng/tối" in page
    # counts per filter choice (facets) on a list of a small table; not on the archive's
    orgs = client.get(reverse("admin:articles_organization_changelist")).content.decode()
    assert "Hiện số lượng" in orgs and "Show counts" not in orgs
    assert "Hiện số lượng" not in listing and "_facets" not in listing
    assert ">Lịch sử<" in form and "Bản ghi nhớ" not in form
    assert "A comma-separated list of tags." not in form


def test_the_date_picker_names_days_in_vietnamese(client, editor):
    client.force_login(editor)
    catalog = client.get(reverse("admin:jsi18n")).content.decode()
    assert "Th\\u1ee9 Hai" in catalog or "Thứ Hai" in catalog
    assert '"Monday": "Monday"' not in catalog
    # The rich-text editor asks window.gettext for its dialogs' words (Edit Link, Open in
    # new window); the catalog may escape them.
    for words in ("Sửa liên kết", "Mở trong cửa sổ mới"):
        escaped = words.encode("ascii", "backslashreplace").decode().replace("\\x", "\\u00")
        assert words in catalog or escaped in catalog, words


def test_tags_of_several_words_come_back_as_typed():
    from articles.text.tagging import string_from_tags, tags_from_string

    assert tags_from_string("Hà Nội") == ["Hà Nội"]  # one tag, not "Hà" and "Nội"
    assert tags_from_string(" năng lượng, Hà Nội ,, ") == ["Hà Nội", "năng lượng"]

    class Tag:
        def __init__(self, name):
            self.name = name

    text = string_from_tags([Tag("năng lượng"), Tag("Hà Nội"), Tag("A, B")])
    assert text == '"A, B", Hà Nội, năng lượng'  # quoted only where a comma would split it
    assert tags_from_string(text) == ["A, B", "Hà Nội", "năng lượng"]


def test_the_story_form_shows_tags_unquoted(client, editor):
    story = ArticleFactory()
    story.tags.add("Hà Nội", "năng lượng")
    client.force_login(editor)
    form = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert 'value="Hà Nội, năng lượng"' in form


def test_the_desk_writes_dates_and_figures_the_vietnamese_way(client, editor, seed):
    import datetime

    from django.utils import timezone

    from articles.models import Article, Event, Outcome

    story = Article.objects.get(slug__startswith="viet-nam-va-hoa-ky")
    client.force_login(editor)
    form = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert 'name="published_at_0" value="21/05/2025"' in form
    assert 'name="published_at_1" value="17:05"' in form
    listing = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "17:05, 21/05/2025" in listing
    catalog = client.get(reverse("admin:jsi18n")).content.decode()
    assert re.search(r'"DATE_INPUT_FORMATS": \[\s*"%d/%m/%Y"', catalog)  # the picker writes it so

    outcome = Outcome.objects.filter(amount__isnull=False).first()
    event = Event.objects.get(pk=outcome.event_id)
    page = client.get(reverse("admin:articles_event_change", args=[event.pk])).content.decode()
    figure = format(outcome.amount.normalize(), "f")
    assert f'value="{figure}"' in page and f'value="{outcome.amount}"' not in page

    # What the picker writes is read back as the same moment, Vietnam time.
    from django import forms
    from django.utils import translation

    with translation.override("vi"):
        moment = forms.SplitDateTimeField().clean(["22/05/2025", "09:15"])
    assert timezone.localtime(moment) == datetime.datetime(
        2025, 5, 22, 9, 15, tzinfo=timezone.get_current_timezone()
    )


def test_pictures_show_on_the_desk_s_forms(client, editor, settings, tmp_path):
    from tests.factories import image_upload

    settings.MEDIA_ROOT = tmp_path
    story = ArticleFactory(image=image_upload(), image_alt="Ảnh")
    client.force_login(editor)
    form = client.get(reverse("admin:articles_article_change", args=[story.pk])).content.decode()
    assert re.search(rf'<img class="picture-thumbnail" src="{story.image.url}"', form)
    blank = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "picture-thumbnail" not in blank


def test_autocomplete_fields_have_no_unlabelled_empty_option(client, editor, seed):
    """An empty <option> without a label is invalid HTML (the Nu checker's error on
    every autocomplete field of the desk)."""
    from articles.models import Event

    client.force_login(editor)
    for url in (
        reverse("admin:articles_article_add"),
        reverse("admin:articles_event_change", args=[Event.objects.first().pk]),
    ):
        html = client.get(url).content.decode()
        assert '<option value=""></option>' not in html, url
        assert '<option value="" label=" "></option>' in html, url
