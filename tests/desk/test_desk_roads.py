"""Every road that changes a story (the form, the list actions, restoring a
revision, recovering a deleted story, code) is judged against the story as the
database holds it now, through the desk's rules, and recorded; and a reporter
sees only their own stories on every admin page."""

import pytest
from django.core.exceptions import PermissionDenied
from reversion.models import Version

from articles.desk import workflow
from articles.models import Article, Author, Byline, StateChange
from tests.browser_form import form_values, post_form
from tests.factories import ArticleFactory, AuthorFactory, staff

pytestmark = pytest.mark.django_db
Status = Article.Status
ADMIN = "/admin/articles/article"


def as_user(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


@pytest.fixture
def published_after_drafts(client, reporter, editor):
    """A reporter writes a draft, rewrites it and sends it for review; an editor
    publishes it. Three revisions: draft, review, published."""
    mine = as_user(client.__class__, reporter)
    fields = {"headline": "Tin đã duyệt", "sapo": "Sapo.", "body": "<p>Bản nháp đầu.</p>"}
    assert post_form(mine, f"{ADMIN}/add/", **fields).status_code == 302
    story = Article.objects.get(headline="Tin đã duyệt")
    change = f"{ADMIN}/{story.pk}/change/"
    body = "<p>Bản gửi duyệt.</p>"
    assert post_form(mine, change, body=body, move="submit").status_code == 302
    desk = as_user(client.__class__, editor)
    published = post_form(desk, change, body="<p>Bản đã duyệt.</p>", move="publish")
    assert published.status_code == 302
    story.refresh_from_db()
    assert story.is_published
    first_draft = Version.objects.get_for_object(story).order_by("pk").first()
    return story, first_draft, mine, desk


def restore(client, story, version, **changes):
    return post_form(client, f"{ADMIN}/{story.pk}/history/{version.pk}/", **changes)


def test_a_reporter_cannot_unpublish_a_story_by_restoring_a_draft_revision(
    client, published_after_drafts
):
    story, first_draft, mine, _desk = published_after_drafts
    history = list(story.state_changes.values_list("pk", flat=True))

    page = mine.get(f"{ADMIN}/{story.pk}/history/{first_draft.pk}/")
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()  # read only
    data = form_values(page.content.decode())
    data["status"] = ["draft"]
    assert mine.post(f"{ADMIN}/{story.pk}/history/{first_draft.pk}/", data).status_code == 403

    story.refresh_from_db()
    assert story.is_published and story.body == "<p>Bản đã duyệt.</p>"
    assert list(story.state_changes.values_list("pk", flat=True)) == history
    assert client.get(story.get_absolute_url()).status_code == 200


def test_restoring_a_draft_revision_brings_back_its_text_not_its_status(
    client, published_after_drafts, editor
):
    """A revision restored with "Lưu" is its text: the story stays where it stands."""
    story, first_draft, _mine, desk = published_after_drafts
    assert restore(desk, story, first_draft).status_code == 302
    story.refresh_from_db()
    assert (story.status, story.body) == (Status.PUBLISHED, "<p>Bản nháp đầu.</p>")
    assert story.state_changes.first().action == StateChange.Action.RESTORE
    assert client.get(story.get_absolute_url()).status_code == 200


def test_an_editor_restoring_with_go_bai_is_a_recorded_unpublishing(
    client, published_after_drafts, editor
):
    story, first_draft, _mine, desk = published_after_drafts
    assert restore(desk, story, first_draft, move="unpublish").status_code == 302
    story.refresh_from_db()
    assert (story.status, story.body) == (Status.DRAFT, "<p>Bản nháp đầu.</p>")
    latest = story.state_changes.first()
    assert (latest.from_status, latest.to_status, latest.user) == (
        Status.PUBLISHED,
        Status.DRAFT,
        editor,
    )
    assert client.get(story.get_absolute_url()).status_code == 404


def test_restoring_is_judged_from_the_stored_status_for_reporters_too(client, reporter):
    """A reporter's own story in review, restored to its first revision: allowed,
    and "Rút về nháp" pressed with it is a move back to draft, recorded."""
    mine = as_user(client.__class__, reporter)
    fields = {"headline": "Tin của tôi", "sapo": "Sapo.", "body": "<p>Một.</p>"}
    post_form(mine, f"{ADMIN}/add/", **fields)
    story = Article.objects.get(headline="Tin của tôi")
    post_form(mine, f"{ADMIN}/{story.pk}/change/", body="<p>Hai.</p>", move="submit")
    first = Version.objects.get_for_object(story).order_by("pk").first()
    assert restore(mine, story, first, move="withdraw").status_code == 302
    story.refresh_from_db()
    assert (story.status, story.body) == (Status.DRAFT, "<p>Một.</p>")
    latest = story.state_changes.first()
    assert (latest.from_status, latest.to_status) == (Status.REVIEW, Status.DRAFT)


def test_a_restore_cannot_be_aimed_through_another_storys_revision(client, editor, reporter):
    """The revision page takes a version id: one of another model whose object id
    happens to be this story's, or a revision naming other stories, is refused."""
    mine = ArticleFactory(status=Status.DRAFT, published_at=None, created_by=reporter)
    target = ArticleFactory(headline="Tin người khác")
    desk = as_user(client.__class__, editor)
    post_form(desk, f"{ADMIN}/{target.pk}/change/", headline="Sửa lần một")
    byline = Byline.objects.create(article=target, author=AuthorFactory())
    post_form(desk, f"{ADMIN}/{target.pk}/change/", headline="Sửa lần hai")
    other_model = Version.objects.get_for_object(byline).first()
    assert other_model is not None
    reporter_client = as_user(client.__class__, reporter)
    for aim in (f"{ADMIN}/{other_model.object_id}/history/{other_model.pk}/",
                f"{ADMIN}/recover/{other_model.pk}/"):  # fmt: skip
        response = reporter_client.post(aim, {"headline": "x"})
        assert response.status_code in (403, 404), aim
    target.refresh_from_db(), mine.refresh_from_db()
    assert target.headline == "Sửa lần hai"


def test_recovering_a_deleted_story_is_an_editors_act_and_is_recorded(client, reporter, editor):
    mine = as_user(client.__class__, reporter)
    post_form(mine, f"{ADMIN}/add/", headline="Tin sẽ xoá", sapo="Sapo.", body="<p>Thân.</p>")
    story = Article.objects.get(headline="Tin sẽ xoá")
    assert mine.post(f"{ADMIN}/{story.pk}/delete/", {"post": "yes"}).status_code == 302
    deleted = Version.objects.get_deleted(Article).get()

    assert "recover/" not in mine.get(f"{ADMIN}/").content.decode()  # not offered
    assert mine.get(f"{ADMIN}/recover/").status_code == 403
    assert post_form(mine, f"{ADMIN}/recover/{deleted.pk}/").status_code == 403
    assert not Article.objects.filter(pk=story.pk).exists()

    desk = as_user(client.__class__, editor)
    assert post_form(desk, f"{ADMIN}/recover/{deleted.pk}/", move="publish").status_code == 302
    story = Article.objects.get(pk=story.pk)
    assert story.is_published
    change = story.state_changes.first()
    assert (change.from_status, change.to_status, change.user) == ("", Status.PUBLISHED, editor)


def test_a_move_is_judged_against_the_database_not_a_stale_copy(reporter, editor):
    mine = ArticleFactory(status=Status.REVIEW, published_at=None, created_by=reporter)
    stale = Article.objects.get(pk=mine.pk)
    workflow.transition(mine, Status.PUBLISHED, editor)
    with pytest.raises(PermissionDenied):
        workflow.transition(stale, Status.DRAFT, reporter)  # it reads "review"; it is published
    assert stale.status == Status.REVIEW  # left as it was
    mine.refresh_from_db()
    assert mine.is_published
    assert list(mine.state_changes.values_list("to_status", flat=True)) == [Status.PUBLISHED]


def test_a_form_opened_before_publication_cannot_take_the_story_back(client, reporter, editor):
    story = ArticleFactory(status=Status.REVIEW, published_at=None, created_by=reporter)
    mine = as_user(client.__class__, reporter)
    data = form_values(mine.get(f"{ADMIN}/{story.pk}/change/").content.decode())
    workflow.transition(story, Status.PUBLISHED, editor)
    data["status"], data["sapo"] = ["draft"], ["Sửa sau khi đã đăng."]
    response = mine.post(f"{ADMIN}/{story.pk}/change/", data)
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.is_published and story.sapo != "Sửa sau khi đã đăng."


# -- what a reporter sees


@pytest.fixture
def theirs(reporter):
    other = staff("phongvien2", "Phóng viên")
    story = ArticleFactory(
        status=Status.DRAFT, published_at=None, created_by=other, headline="Nháp của người khác"
    )
    return story


def test_a_reporter_reads_no_other_reporters_draft_anywhere_in_the_admin(
    client, reporter, editor, theirs
):
    desk = as_user(client.__class__, editor)
    post_form(desk, f"{ADMIN}/{theirs.pk}/change/", sapo="Một bản sửa.")
    versions = list(Version.objects.get_for_object(theirs))
    mine = as_user(client.__class__, reporter)
    listing = mine.get(f"{ADMIN}/").content.decode()
    assert "Nháp của người khác" not in listing
    assert "Nháp của người khác" not in mine.get(f"{ADMIN}/", {"q": "người khác"}).content.decode()
    pages = [
        f"{ADMIN}/{theirs.pk}/change/",
        f"{ADMIN}/{theirs.pk}/history/",
        f"{ADMIN}/{theirs.pk}/preview/",
        f"{ADMIN}/{theirs.pk}/delete/",
        f"{ADMIN}/{theirs.pk}/history/compare/?a={versions[0].pk}&b={versions[-1].pk}",
        f"{ADMIN}/{theirs.pk}/history/{versions[0].pk}/",
        f"{ADMIN}/recover/",
    ]
    for url in pages:
        response = mine.get(url, follow=True)
        assert "Nháp của người khác" not in response.content.decode(), url
        assert "Một bản sửa." not in response.content.decode(), url


def test_a_byline_opens_a_story_to_its_reporter(client, reporter, theirs):
    Byline.objects.create(article=theirs, author=Author.objects.create(name="PV", user=reporter))
    mine = as_user(client.__class__, reporter)
    assert "Nháp của người khác" in mine.get(f"{ADMIN}/").content.decode()
    page = mine.get(f"{ADMIN}/{theirs.pk}/change/")
    assert page.status_code == 200 and 'name="_save"' in page.content.decode()
    assert mine.get(f"{ADMIN}/{theirs.pk}/preview/").status_code == 200


def test_the_state_change_is_recorded_once_per_road(client, reporter, editor):
    """Form and list action both go through workflow.save: one record each."""
    story = ArticleFactory(status=Status.DRAFT, published_at=None, created_by=reporter)
    mine = as_user(client.__class__, reporter)
    post_form(mine, f"{ADMIN}/{story.pk}/change/", move="submit")
    desk = as_user(client.__class__, editor)
    desk.post(f"{ADMIN}/", {"action": "publish", "_selected_action": [story.pk]})
    moves = StateChange.objects.filter(article=story).order_by("at", "pk")
    assert [(m.from_status, m.to_status) for m in moves] == [
        (Status.DRAFT, Status.REVIEW),
        (Status.REVIEW, Status.PUBLISHED),
    ]


def test_a_reporter_cannot_delete_their_published_story_in_bulk(client, reporter):
    """The list's "delete selected" judges each story as the delete page does."""
    published = ArticleFactory(created_by=reporter, headline="Đã đăng")
    draft = ArticleFactory(status=Status.DRAFT, published_at=None, created_by=reporter)
    mine = as_user(client.__class__, reporter)
    for chosen in ([published.pk], [published.pk, draft.pk]):
        response = mine.post(
            f"{ADMIN}/", {"action": "delete_selected", "_selected_action": chosen, "post": "yes"}
        )
        assert response.status_code in (200, 302, 403)
        assert Article.objects.filter(pk=published.pk).exists()
    mine.post(f"{ADMIN}/", {"action": "delete_selected", "_selected_action": [draft.pk],
                            "post": "yes"})  # fmt: skip
    assert not Article.objects.filter(pk=draft.pk).exists()


def test_saving_through_the_desk_checks_who_may_edit_even_without_a_move(reporter, editor):
    theirs = ArticleFactory(status=Status.DRAFT, published_at=None)
    theirs.sapo = "Sửa trộm."
    with pytest.raises(PermissionDenied):
        workflow.save(theirs, reporter)
    published = ArticleFactory(created_by=reporter)
    published.sapo = "Sửa sau khi đăng."
    with pytest.raises(PermissionDenied):
        workflow.save(published, reporter)
    workflow.save(published, editor)
    assert Article.objects.get(pk=published.pk).sapo == "Sửa sau khi đăng."
    assert Article.objects.get(pk=theirs.pk).sapo != "Sửa trộm."
