"""Live coverage for readers (_live.html, LiveTimelineView): the timeline newest
first on the story's page, which works without script; the timeline alone for
the page to poll with a conditional GET; a "Trực tiếp" badge while live;
schema.org LiveBlogPosting; an update purges the timeline alone."""

import datetime
import json
import re
import urllib.error
import urllib.request

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.desk import workflow
from articles.freshness import edge, surrogates
from articles.models import Article, LiveUpdate
from tests.factories import ArticleFactory, EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def live(editor):
    story = ArticleFactory(
        headline="Trực tiếp: Bộ trưởng tại Hoa Kỳ",
        live_from=timezone.now() - datetime.timedelta(hours=3),
    )
    for minutes, text, key in ((150, "Đoàn tới Washington.", False),
                               (90, "Gặp lãnh đạo SpaceX.", True),
                               (30, "Gặp Excelerate Energy.", False)):  # fmt: skip
        posted = timezone.now() - datetime.timedelta(minutes=minutes)
        update = LiveUpdate(article=story, body=text, key_moment=key, posted_at=posted)
        workflow.post_update(update, editor)
    return story


def timeline_address(story) -> str:
    return story.get_absolute_url() + "truc-tiep/"


def json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html)[1])


def test_a_live_story_shows_its_updates_newest_first_and_polls_for_more(client, live):
    html = client.get(live.get_absolute_url()).content.decode()
    timeline = html[html.index('id="dien-bien"') :]
    order = [timeline.index(t) for t in ("Excelerate", "SpaceX", "Washington")]
    assert order == sorted(order)
    assert 'class="live-badge">Trực tiếp' in timeline
    assert f'data-poll="{timeline_address(live)}"' in html and "/static/js/live.js" in html
    assert re.search(
        r'class="live-update key-moment"[^>]*>\s*<p class="live-when">.*Diễn biến chính', timeline
    )
    assert html.index('id="dien-bien"') < html.index('class="body"')  # before the story's text


def test_the_timeline_alone_answers_a_copy_still_current_with_304(client, live, editor):
    first = client.get(timeline_address(live))
    assert first.status_code == 200 and first["ETag"]
    assert "<html" not in first.content.decode() and "Excelerate" in first.content.decode()
    again = client.get(timeline_address(live), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    workflow.post_update(LiveUpdate(article=live, body="Ký thoả thuận LNG."), editor)
    fresh = client.get(timeline_address(live), HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200 and "Ký thoả thuận LNG." in fresh.content.decode()
    assert "Ký thoả thuận LNG." in client.get(live.get_absolute_url()).content.decode()


def test_an_update_purges_the_timeline_alone(live, editor, monkeypatch):
    purged = []
    monkeypatch.setattr(
        "articles.freshness.edge.purge", lambda keys, **kw: purged.append(set(keys))
    )
    workflow.post_update(LiveUpdate(article=live, body="Tin mới"), editor)
    assert purged == [{surrogates.live(live.pk)}]  # not the story's key: no listing is made again


def test_ended_it_reads_as_a_story_with_its_timeline(client, live):
    live.live_until = timezone.now()
    live.save()
    html = client.get(live.get_absolute_url()).content.decode()
    assert "Diễn biến" in html and "Đã tường thuật trực tiếp từ" in html
    assert "data-poll" not in html and "live.js" not in html and "live-badge" not in html
    assert "Gặp lãnh đạo SpaceX." in html
    data = json_ld(html)
    assert data["@type"] == "LiveBlogPosting" and data["coverageEndTime"]


def test_schema_org_names_a_live_blog_and_its_updates(client, live):
    data = json_ld(client.get(live.get_absolute_url()).content.decode())
    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageStartTime"].startswith(str(timezone.localtime(live.live_from).date()))
    assert "coverageEndTime" not in data
    updates = data["liveBlogUpdate"]
    assert [u["articleBody"] for u in updates] == [
        "Gặp Excelerate Energy.",
        "Gặp lãnh đạo SpaceX.",
        "Đoàn tới Washington.",
    ]
    assert all(u["@type"] == "BlogPosting" and u["datePublished"] for u in updates)
    assert updates[0]["url"].endswith(f"#cap-nhat-{LiveUpdate.objects.first().pk}")


def test_the_front_page_and_the_event_mark_a_live_story(client, live):
    event = EventFactory(title="Chuyến công tác Hoa Kỳ")
    live.events.add(event)
    home = client.get("/").content.decode()
    assert re.search(
        r'live-badge">Trực tiếp</span> <a href="' + re.escape(live.get_absolute_url()), home
    )
    page = client.get(event.get_absolute_url()).content.decode()
    assert f'href="{live.get_absolute_url()}#dien-bien"' in page and "live-now" in page


def test_nothing_of_an_unpublished_or_unlive_story_is_shown(client, live, editor):
    live.status = Article.Status.DRAFT
    live.save()
    assert client.get(timeline_address(live)).status_code == 404
    assert client.get(timeline_address(ArticleFactory())).status_code == 404


def test_a_live_story_s_page_runs_the_same_queries_however_many_updates(client, live, editor):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    # each made again after an update (what was kept of the story's text is purged;
    # the related news beside it is not)
    count(live.get_absolute_url())
    workflow.post_update(LiveUpdate(article=live, body="Cập nhật đầu"), editor)
    before = (count(live.get_absolute_url()), count(timeline_address(live)))
    for n in range(40):
        workflow.post_update(LiveUpdate(article=live, body=f"Cập nhật {n}"), editor)
    after = (count(live.get_absolute_url()), count(timeline_address(live)))
    assert after == before, (before, after)


def through(url: str, etag: str = "") -> tuple[int, str, str, str]:
    headers = {"If-None-Match": etag} if etag else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read().decode()
            return response.status, response.headers["X-Cache"], response.headers["ETag"], body
    except urllib.error.HTTPError as answer:  # a 304
        return answer.code, answer.headers["X-Cache"], answer.headers["ETag"], ""


@pytest.mark.tools
@pytest.mark.django_db(transaction=True)
def test_through_the_edge_readers_poll_with_304s_and_an_update_reaches_them(varnish):
    editor = User.objects.create_superuser("truc-tiep", password="x")
    story = ArticleFactory(live_from=timezone.now() - datetime.timedelta(hours=1))
    other = ArticleFactory(headline="Tin khác")
    workflow.post_update(LiveUpdate(article=story, body="Cập nhật thứ nhất"), editor)
    edge.wait()
    poll = varnish + timeline_address(story)
    status, cached, etag, body = through(poll)
    assert (status, "Cập nhật thứ nhất" in body) == (200, True)
    assert through(poll)[1] == "HIT"
    assert through(poll, etag)[:2] == (304, "HIT")  # the edge answers the reader's copy
    for page in ("/", other.get_absolute_url(), story.get_absolute_url()):
        through(varnish + page)
    workflow.post_update(LiveUpdate(article=story, body="Cập nhật thứ hai"), editor)
    edge.wait()
    status, cached, new_etag, body = through(poll, etag)
    assert (status, cached, "Cập nhật thứ hai" in body) == (200, "MISS", True)
    assert new_etag != etag
    assert "Cập nhật thứ hai" in through(varnish + story.get_absolute_url())[3]
    # nothing else was made again: the front page and another story are the edge's copies
    assert through(varnish + "/")[1] == "HIT"
    assert through(varnish + other.get_absolute_url())[1] == "HIT"
