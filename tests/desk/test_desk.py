"""The editors' desk through the admin: roles, every workflow path, scheduling,
state history, preview, revisions, and edits that must not be lost."""

import datetime
import re
import threading
import time

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles.desk import workflow
from articles.desk.forms import ArticleForm
from articles.models import Article, Author, StateChange
from tests.browser_form import form_values, post_form
from tests.factories import ArticleFactory, SectionFactory, staff

pytestmark = pytest.mark.django_db
Status = Article.Status
ADD = "/admin/articles/article/add/"
LIST = "/admin/articles/article/"


def change_url(article) -> str:
    return f"/admin/articles/article/{article.pk}/change/"


def new_story(client, **changes):
    fields = {"headline": "Tin mới của phóng viên", "sapo": "Mở đầu.", "body": "<p>Thân bài.</p>"}
    return post_form(client, ADD, **{**fields, **changes})


def test_the_two_roles_exist_and_only_editors_publish(reporter, editor):
    assert not reporter.has_perm("articles.publish_article")
    assert reporter.has_perm("articles.add_article")
    assert editor.has_perm("articles.publish_article")


# -- reporters


def test_a_reporter_writes_and_sends_for_review(client, reporter):
    client.force_login(reporter)
    response = new_story(client, move="submit")
    assert response.status_code == 302, response.context and response.context["errors"]
    story = Article.objects.get(headline="Tin mới của phóng viên")
    assert (story.status, story.created_by, story.published_at) == (Status.REVIEW, reporter, None)
    change = story.state_changes.get()
    assert (change.user, change.from_status, change.to_status) == (reporter, "", Status.REVIEW)


def test_a_reporter_is_offered_no_publishing(client, reporter):
    client.force_login(reporter)
    html = client.get(ADD).content.decode()
    assert 'name="status"' not in html  # no drop-down: buttons, each a move it may make
    assert 'name="move" value="submit"' in html
    for editorial in ("publish", "schedule", "archive", "return"):
        assert f'name="move" value="{editorial}"' not in html


def test_a_reporter_cannot_publish_by_a_crafted_post(client, reporter):
    client.force_login(reporter)
    later = timezone.localtime() + datetime.timedelta(days=1)
    response = new_story(
        client,
        move="schedule",
        published_at_0=later.strftime("%Y-%m-%d"),
        published_at_1="08:00:00",
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert not Article.objects.filter(headline="Tin mới của phóng viên").exists()


def test_a_reporter_cannot_set_the_publication_time(client, reporter):
    client.force_login(reporter)
    new_story(client, published_at_0="2030-01-01", published_at_1="08:00:00")
    assert Article.objects.get(headline="Tin mới của phóng viên").published_at is None


def test_a_reporter_cannot_touch_another_reporters_story(client, reporter, other_reporter):
    theirs = ArticleFactory(status=Status.DRAFT, created_by=other_reporter, published_at=None)
    editor = staff("bientapvien", "Biên tập viên")
    desk = Client()
    desk.force_login(editor)
    data = form_values(desk.get(change_url(theirs)).content.decode())
    client.force_login(reporter)
    page = client.get(change_url(theirs))
    assert page.status_code == 302  # "does not exist": the desk shows reporters their own only
    data["headline"] = ["Sửa trộm"]
    assert client.post(change_url(theirs), data).status_code == 302
    theirs.refresh_from_db()
    assert theirs.headline != "Sửa trộm"


def test_a_reporter_cannot_edit_their_story_once_published(client, reporter):
    mine = ArticleFactory(created_by=reporter)
    client.force_login(reporter)
    assert 'name="_save"' not in client.get(change_url(mine)).content.decode()


def test_a_byline_makes_a_story_the_reporters_own(client, reporter):
    Author.objects.create(name="Phóng viên A", user=reporter)
    story = ArticleFactory(status=Status.DRAFT, published_at=None, authors=[reporter.author])
    client.force_login(reporter)
    assert post_form(client, change_url(story), move="submit").status_code == 302
    story.refresh_from_db()
    assert story.status == Status.REVIEW


def test_publishing_actions_are_not_offered_to_reporters(client, reporter):
    mine = ArticleFactory(status=Status.REVIEW, published_at=None, created_by=reporter)
    client.force_login(reporter)
    html = client.get(LIST).content.decode()
    assert 'value="submit_for_review"' in html and 'value="publish"' not in html
    response = client.post(LIST, {"action": "publish", "_selected_action": [mine.pk]})
    assert response.status_code in (200, 302)
    mine.refresh_from_db()
    assert mine.status == Status.REVIEW


def test_submit_action_moves_own_drafts_and_refuses_others(client, reporter, other_reporter):
    mine = ArticleFactory(status=Status.DRAFT, published_at=None, created_by=reporter)
    theirs = ArticleFactory(status=Status.DRAFT, published_at=None, created_by=other_reporter)
    client.force_login(reporter)
    response = client.post(
        LIST, {"action": "submit_for_review", "_selected_action": [mine.pk, theirs.pk]}, follow=True
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert "Đã gửi duyệt 1 bài." in text  # theirs is not on this reporter's desk at all
    mine.refresh_from_db(), theirs.refresh_from_db()
    assert (mine.status, theirs.status) == (Status.REVIEW, Status.DRAFT)


def test_no_other_path_lets_a_reporter_publish(reporter):
    story = ArticleFactory(status=Status.REVIEW, published_at=None, created_by=reporter)
    with pytest.raises(PermissionDenied, match="Chỉ biên tập viên"):
        workflow.transition(story, Status.PUBLISHED, reporter)
    story.refresh_from_db()
    assert story.status == Status.REVIEW


# -- editors


def test_editor_actions_report_how_many_stories_changed(client, editor):
    stories = [ArticleFactory(status=Status.REVIEW, published_at=None) for _ in range(3)]
    ids = [s.pk for s in stories]
    client.force_login(editor)

    def act(action):
        response = client.post(LIST, {"action": action, "_selected_action": ids}, follow=True)
        return " ".join(str(m) for m in response.context["messages"])

    assert "Đã xuất bản 3 bài." in act("publish")
    assert Article.objects.published().count() == 3
    assert all(s.published_at for s in Article.objects.filter(pk__in=ids))
    assert "Đã gỡ 3 bài về bản nháp." in act("unpublish")
    assert not Article.objects.published().exists()
    assert "Đã lưu trữ 3 bài." in act("archive")
    history = list(
        stories[0]
        .state_changes.order_by("at", "pk")
        .values_list("from_status", "to_status", "user__username")
    )
    assert history == [
        ("review", "published", "bientapvien"),
        ("published", "draft", "bientapvien"),
        ("draft", "archived", "bientapvien"),
    ]


def test_state_history_is_shown_on_the_story(client, editor):
    story = ArticleFactory(status=Status.REVIEW, published_at=None)
    workflow.transition(story, Status.PUBLISHED, editor)
    client.force_login(editor)
    html = client.get(change_url(story)).content.decode()
    assert "Nhật ký" in html and "bientapvien" in html and "Đã xuất bản" in html


def test_scheduled_story_goes_live_by_itself(client, editor, monkeypatch):
    story = ArticleFactory(status=Status.REVIEW, published_at=None, headline="Tin hẹn giờ")
    client.force_login(editor)
    soon = timezone.localtime() + datetime.timedelta(minutes=1)
    response = post_form(
        client,
        change_url(story),
        move="schedule",
        publish_without_byline="on",
        published_at_0=soon.strftime("%Y-%m-%d"),
        published_at_1=soon.strftime("%H:%M:%S"),
    )
    assert response.status_code == 302
    client.logout()
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "Tin hẹn giờ" not in client.get("/").content.decode()

    later = timezone.now() + datetime.timedelta(minutes=2)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert client.get(story.get_absolute_url()).status_code == 200
    assert "Tin hẹn giờ" in client.get("/").content.decode()


def test_reporters_see_their_own_stories_only(client, reporter):
    ArticleFactory(headline="Tin người khác mới hơn")
    ArticleFactory(
        headline="Tin của tôi",
        created_by=reporter,
        published_at=timezone.now() - datetime.timedelta(days=30),
    )
    client.force_login(reporter)
    html = client.get(LIST).content.decode()
    assert "Tin của tôi" in html and "Tin người khác mới hơn" not in html


# -- preview


def test_staff_preview_a_draft_exactly_as_readers_will(client, reporter):
    draft = ArticleFactory(
        status=Status.DRAFT, published_at=None, created_by=reporter, headline="Bản nháp xem trước"
    )
    url = f"/admin/articles/article/{draft.pk}/preview/"
    assert client.get(url).status_code == 302  # sign in first
    assert client.get(draft.get_absolute_url()).status_code == 404

    client.force_login(reporter)
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert "<h1>Bản nháp xem trước</h1>" in html and "Bản xem trước" in html
    assert 'href="' + url in client.get(change_url(draft)).content.decode()


# -- revisions


def test_every_save_keeps_a_revision_that_can_be_compared_and_restored(client, editor):
    client.force_login(editor)
    new_story(client, headline="Phiên bản một", body="<p>Đoạn cũ.</p>")
    story = Article.objects.get(headline="Phiên bản một")
    post_form(client, change_url(story), headline="Phiên bản hai", body="<p>Đoạn mới.</p>")
    versions = Version.objects.get_for_object(story)
    assert versions.count() == 2

    history = client.get(f"/admin/articles/article/{story.pk}/history/").content.decode()
    assert "So sánh hai phiên bản" in history
    newer, older = versions
    compare = client.get(
        f"/admin/articles/article/{story.pk}/history/compare/", {"a": older.pk, "b": newer.pk}
    ).content.decode()
    assert '<del class="diff-removed">Phiên bản một</del>' in compare
    assert '<ins class="diff-added">Phiên bản hai</ins>' in compare
    assert "Đoạn cũ." in compare and "Đoạn mới." in compare

    # Values as the desk reads them: a status by its label, a time in Vietnam
    # time, a section by its name; not "draft → published" and UTC stamps.
    section = SectionFactory(name="Thế giới")
    post_form(
        client,
        change_url(story),
        move="publish",
        section=section.pk,
        published_at_0="22/05/2025",
        published_at_1="09:15",
    )
    newest = Version.objects.get_for_object(story).first()
    compare = client.get(
        f"/admin/articles/article/{story.pk}/history/compare/", {"a": newer.pk, "b": newest.pk}
    ).content.decode()
    assert '<del class="diff-removed">Bản nháp</del>' in compare
    assert '<ins class="diff-added">Đã xuất bản</ins>' in compare
    assert '<ins class="diff-added">09:15, 22/05/2025</ins>' in compare
    assert '<ins class="diff-added">Thế giới</ins>' in compare

    revert = f"/admin/articles/article/{story.pk}/history/{older.pk}/"
    assert post_form(client, revert).status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.body) == ("Phiên bản một", "<p>Đoạn cũ.</p>")


def test_compare_with_bad_versions_is_a_message_not_an_error(client, editor):
    story = ArticleFactory()
    client.force_login(editor)
    url = f"/admin/articles/article/{story.pk}/history/compare/"
    for query in ({}, {"a": "x", "b": "1"}, {"a": "999999", "b": "999998"}):
        response = client.get(url, query, follow=True)
        assert response.status_code == 200
        assert "Hãy chọn hai phiên bản" in " ".join(str(m) for m in response.context["messages"])


# -- no lost edits


def test_a_stale_save_is_refused_naming_who_saved_and_keeping_the_text(client, editor):
    story = ArticleFactory(status=Status.REVIEW, published_at=None)
    client.force_login(editor)
    mine = form_values(client.get(change_url(story)).content.decode())

    colleague = staff("bientapvien2", "Biên tập viên")
    other = client.__class__()
    other.force_login(colleague)
    assert post_form(other, change_url(story), sapo="Sapo của đồng nghiệp.").status_code == 302

    mine["sapo"] = ["Sapo tôi vừa viết, không được mất."]
    response = client.post(change_url(story), mine)
    assert response.status_code == 200
    html = response.content.decode()
    assert "bientapvien2 đã lưu bài này lúc" in html
    assert "Sapo tôi vừa viết, không được mất." in html  # still in the form
    story.refresh_from_db()
    assert story.sapo == "Sapo của đồng nghiệp."

    # Having been warned, saving again goes through.
    again = form_values(html)
    assert client.post(change_url(story), again).status_code == 302
    story.refresh_from_db()
    assert story.sapo == "Sapo tôi vừa viết, không được mất."


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_cannot_both_win(monkeypatch):
    """Two editors press Lưu together on the same version: the lock taken by the
    staleness check (PostgreSQL's row lock; SQLite's write lock, taken when the
    transaction begins) makes one wait for the other and be told, not overwrite."""
    story = ArticleFactory(status=Status.REVIEW, published_at=None)
    clients, forms = [], []
    for name in ("bientap1", "bientap2"):
        client = Client()
        client.force_login(User.objects.create_superuser(name, password="x"))
        clients.append(client)
        forms.append(form_values(client.get(change_url(story)).content.decode()))

    check = ArticleForm._check_not_stale

    def slow_check(form):  # widen the window between the check and the write
        check(form)
        time.sleep(0.5)

    monkeypatch.setattr(ArticleForm, "_check_not_stale", slow_check)
    together = threading.Barrier(2)

    def save(client, data, sapo, results):
        data["sapo"] = [sapo]
        together.wait()
        try:
            response = client.post(change_url(story), data)
            results[sapo] = (response.status_code, response.content.decode())
        finally:
            connection.close()

    results = {}
    threads = [
        threading.Thread(target=save, args=(client, data, f"Sapo của {i}.", results))
        for i, (client, data) in enumerate(zip(clients, forms, strict=True))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    statuses = sorted(status for status, _ in results.values())
    assert statuses == [200, 302], statuses
    kept = next(sapo for sapo, (status, _) in results.items() if status == 302)
    refused_page = next(html for status, html in results.values() if status == 200)
    assert "đã lưu bài này lúc" in refused_page
    story.refresh_from_db()
    assert story.sapo == kept


# -- sanitising

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<img src="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="https://evil.example"><input name="q"></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<div onmouseover="alert(1)">hover</div>',
    "<<script>script>alert(1)<</script>/script>",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_html_never_gets_stored(client, editor, payload):
    client.force_login(editor)
    response = new_story(client, body=f"<p>Mở đầu</p>{payload}<p>Kết</p>")
    assert response.status_code == 302
    body = Article.objects.get(headline="Tin mới của phóng viên").body
    lowered = body.lower()
    for bad in (
        "<script",
        "onerror",
        "onload",
        "onmouseover",
        "javascript:",
        "data:",
        "<svg",
        "<iframe",
        "<object",
        "<embed",
        "<style",
        "<form",
        "<base",
        "<meta",
        "style=",
    ):
        assert bad not in lowered, (payload, body)
    assert body.startswith("<p>Mở đầu</p>")


def test_the_editors_html_survives(client, editor):
    client.force_login(editor)
    body = (
        "<h2>Đề mục</h2><p><strong>Đậm</strong>, <em>nghiêng</em>, "
        '<a href="https://example.org/bai">liên kết</a></p><ul><li>Một</li></ul>'
        "<blockquote><p>Trích dẫn</p></blockquote>"
        '<figure><img src="https://example.org/a.jpg" alt="Ảnh">'
        "<figcaption>Chú thích</figcaption></figure>"
    )
    new_story(client, body=body)
    stored = Article.objects.get(headline="Tin mới của phóng viên").body
    for kept in (
        "<h2>Đề mục</h2>",
        "<strong>Đậm</strong>",
        "<em>nghiêng</em>",
        "<li>Một</li>",
        "<blockquote>",
        '<img src="https://example.org/a.jpg" alt="Ảnh">',
        "<figcaption>",
    ):
        assert kept in stored
    assert re.search(r'<a href="https://example.org/bai" rel="noopener noreferrer">', stored)


def test_state_history_cannot_be_edited_or_forged(client, editor):
    story = ArticleFactory()
    StateChange.objects.create(
        article=story, user=editor, from_status="review", to_status="published"
    )
    client.force_login(editor)
    form = form_values(client.get(change_url(story)).content.decode())
    assert form["state_changes-MAX_NUM_FORMS"] == ["0"]
    editable = {f"state_changes-0-{field}" for field in ("at", "user", "from_status", "to_status")}
    assert not editable & set(form)
    form.update(
        {
            "state_changes-TOTAL_FORMS": ["2"],
            "state_changes-0-to_status": ["archived"],
            "state_changes-1-to_status": ["draft"],
            "state_changes-1-article": [str(story.pk)],
        }
    )
    client.post(change_url(story), form)
    assert list(story.state_changes.values_list("to_status", flat=True)) == ["published"]
