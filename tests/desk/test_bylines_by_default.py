"""Bylines by default: a story written in the desk has its writer as its first
byline (editable); publishing one with no byline is confirmed first; the
newsroom's own story never reads "Nguồn: chưa rõ" to readers."""

import pytest
from django.test import Client

from articles.models import Article, Author
from tests.browser_form import form_values, post_form
from tests.factories import ArticleFactory, signed_in

pytestmark = pytest.mark.django_db
ADD = "/admin/articles/article/add/"
STORY = {"headline": "Tin của toà soạn", "sapo": "Mở đầu.", "body": "<p>Thân bài.</p>"}


def test_the_writer_is_the_first_byline_of_a_new_story(reporter):
    reporter.first_name, reporter.last_name = "Minh", "Trần"
    reporter.save()
    mine = signed_in(reporter)
    values = form_values(mine.get(ADD).content.decode())
    writer = Author.objects.get(user=reporter)
    assert writer.name == "Minh Trần"
    assert values["bylines-0-author"] == [str(writer.pk)]
    assert values["by_newsroom"] == ["on"]
    assert post_form(mine, ADD, **STORY).status_code == 302
    story = Article.objects.get(headline="Tin của toà soạn")
    assert [b.author for b in story.bylines.all()] == [writer]
    assert story.by_newsroom


def test_the_byline_can_be_removed_and_then_publishing_asks_to_confirm(editor):
    desk = signed_in(editor)
    refused = post_form(desk, ADD, move="publish", **{"bylines-0-author": ""}, **STORY)
    assert refused.status_code == 200
    assert "Bài chưa có tác giả" in refused.content.decode()
    assert not Article.objects.filter(headline="Tin của toà soạn").exists()
    confirmed = post_form(
        desk, ADD, move="publish", publish_without_byline="on", **{"bylines-0-author": ""}, **STORY
    )
    assert confirmed.status_code == 302
    story = Article.objects.get(headline="Tin của toà soạn")
    assert story.is_published and not story.bylines.exists()
    page = Client().get(story.get_absolute_url()).content.decode()
    assert "Nguồn:" not in page and "chưa rõ" not in page.lower()
    assert "Toà soạn" in page


def test_a_rows_publish_button_sends_a_story_with_no_byline_to_its_form(editor):
    story = ArticleFactory(status=Article.Status.REVIEW, published_at=None)
    story.bylines.all().delete()
    desk = signed_in(editor)
    listing = desk.get("/admin/articles/article/").content.decode()
    assert f"/{story.pk}/change/#id_publish_without_byline" in listing
    response = desk.post(f"/admin/articles/article/{story.pk}/act/", {"move": "publish"})
    assert response.status_code == 302 and response["Location"].endswith(f"/{story.pk}/change/")
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW


def test_copy_from_elsewhere_still_names_its_unknown_source(seed):
    unsourced = Article.objects.get(source_outlet=None, source_url="")
    assert not unsourced.by_newsroom
    page = Client().get(unsourced.get_absolute_url()).content.decode()
    assert "Nguồn:" in page
