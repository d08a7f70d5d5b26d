"""A renamed story keeps every old address: the site and the API answer it with
a permanent redirect to the new one, for readers only while it is published."""

import pytest
from django.contrib.auth.models import User
from reversion.models import Version

from articles.models import Article, FormerSlug
from tests.browser_form import post_form
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def rename(story: Article, slug: str) -> Article:
    story.slug = slug
    story.save()
    return story


def test_old_addresses_redirect_permanently_to_the_new_one(client):
    story = ArticleFactory(slug="tin-cu")
    rename(story, "tin-moi")
    rename(story, "tin-moi-nhat")
    for old in ("tin-cu", "tin-moi"):
        response = client.get(f"/tin/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/tin/tin-moi-nhat/")
        english = client.get(f"/en/tin/{old}/")
        assert (english.status_code, english["Location"]) == (301, "/en/tin/tin-moi-nhat/")
        api = client.get(f"/api/stories/{old}")
        assert (api.status_code, api["Location"]) == (301, "/api/stories/tin-moi-nhat")
    assert client.get("/tin/tin-moi-nhat/").status_code == 200
    assert client.get("/tin/chua-tung-co/").status_code == 404


def test_renaming_back_and_a_new_story_taking_an_old_address(client):
    story = ArticleFactory(slug="a")
    rename(story, "b")
    rename(story, "a")  # its own address again
    assert client.get("/tin/a/").status_code == 200
    assert client.get("/tin/b/")["Location"] == "/tin/a/"
    assert list(FormerSlug.objects.values_list("slug", flat=True)) == ["b"]

    other = ArticleFactory(headline="B")  # an automatic slug steps around "b"
    assert other.slug != "b"
    taken = ArticleFactory(slug="b", headline="Bài mới chiếm địa chỉ")  # an editor's choice wins
    assert client.get("/tin/b/").context["object"] == taken


def test_an_unpublished_storys_old_address_is_a_plain_404(client):
    story = ArticleFactory(slug="se-go")
    rename(story, "da-go")
    story.status = Article.Status.DRAFT
    story.save()
    for url in ("/tin/se-go/", "/tin/da-go/", "/api/stories/se-go"):
        assert client.get(url).status_code == 404, url


def test_a_rename_in_the_admin_or_by_restoring_a_revision_is_kept(client):
    client.force_login(User.objects.create_superuser("quantri", password="x"))
    fields = {"headline": "Tin đầu", "sapo": "Sapo.", "slug": "tin-dau", "move": "publish"}
    post_form(client, "/admin/articles/article/add/", **fields)
    story = Article.objects.get(slug="tin-dau")
    post_form(client, f"/admin/articles/article/{story.pk}/change/", slug="tin-dau-da-sua")
    first = Version.objects.get_for_object(story).order_by("pk").first()
    post_form(client, f"/admin/articles/article/{story.pk}/history/{first.pk}/")
    story.refresh_from_db()
    assert story.slug == "tin-dau"
    client.logout()
    assert client.get("/tin/tin-dau-da-sua/")["Location"] == "/tin/tin-dau/"


def test_a_reporter_cannot_take_a_published_storys_old_address(client, reporter, editor):
    """A slug that is another story's former address is refused by the form, naming
    that story; the old links keep leading to it whatever is saved."""
    story = ArticleFactory(slug="bai-goc", headline="Bài được đổi tên")
    rename(story, "bai-goc-da-doi")
    client.force_login(reporter)
    fields = {"headline": "Bài của phóng viên", "sapo": "Sapo.", "slug": "bai-goc"}
    response = post_form(client, "/admin/articles/article/add/", **fields)
    assert response.status_code == 200  # the form again, with its error
    page = response.content.decode()
    assert "địa chỉ cũ của bài số" in page and "Bài được đổi tên" in page
    assert not Article.objects.filter(headline="Bài của phóng viên").exists()
    assert client.get("/tin/bai-goc/")["Location"] == "/tin/bai-goc-da-doi/"
    # the box is an editor's: a reporter ticking it is not heard
    post_form(client, "/admin/articles/article/add/", **fields, take_over_slug="on")
    assert not Article.objects.filter(headline="Bài của phóng viên").exists()
    assert client.get("/tin/bai-goc/")["Location"] == "/tin/bai-goc-da-doi/"


def test_saving_a_story_removes_only_its_own_former_address(client):
    """The story with another's old address saved without the form (a command, a
    script) leaves the redirect alone: only its own former addresses are its to drop."""
    story = ArticleFactory(slug="dia-chi-cu")
    rename(story, "dia-chi-moi")
    ArticleFactory(slug="dia-chi-cu", status=Article.Status.DRAFT)
    assert client.get("/tin/dia-chi-cu/")["Location"] == "/tin/dia-chi-moi/"


def test_an_editor_takes_an_old_address_over_knowingly(client, editor):
    story = ArticleFactory(slug="bai-goc", headline="Bài được đổi tên")
    rename(story, "bai-goc-da-doi")
    client.force_login(editor)
    fields = {"headline": "Bài mới", "sapo": "Sapo.", "slug": "bai-goc", "move": "publish"}
    refused = post_form(client, "/admin/articles/article/add/", **fields)
    assert "Lấy địa chỉ cũ của bài khác" in refused.content.decode()
    assert not Article.objects.filter(headline="Bài mới").exists()
    post_form(client, "/admin/articles/article/add/", **fields, take_over_slug="on")
    taken = Article.objects.get(headline="Bài mới")
    assert taken.slug == "bai-goc" and not FormerSlug.objects.filter(slug="bai-goc").exists()
    client.logout()
    assert client.get("/tin/bai-goc/").context["object"] == taken
