"""The edge: Varnish with xkey (deploy/varnish/default.vcl) started on a loopback
port in front of the live server, and the purges the app sends it."""

import datetime
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from articles.freshness import edge, surrogates
from articles.models import Article, Section
from tests.factories import ArticleFactory, OrganizationFactory, SectionFactory
from tests.tools import need
from tests.varnish import VARNISHD, Varnish

pytestmark = pytest.mark.tools


def get(url: str, cookie: str | None = None) -> tuple[str, str, dict]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers.get("X-Cache"), response.read().decode(), response.headers


@pytest.mark.django_db(transaction=True)
def test_the_edge_keeps_pages_and_drops_just_what_changed(varnish):
    economy, world = SectionFactory(name="Kinh tế"), SectionFactory(name="Thế giới")
    story = ArticleFactory(headline="Tin kinh tế", section=economy)
    other = ArticleFactory(headline="Tin thế giới", section=world)
    edge.wait()
    pages = {
        "story": story.get_absolute_url(),
        "other": other.get_absolute_url(),
        "economy": economy.get_absolute_url(),
        "world": world.get_absolute_url(),
        "home": "/",
    }
    for url in pages.values():
        assert get(varnish + url)[0] == "MISS"
    for url in pages.values():  # the second time, from the edge
        status, _, headers = get(varnish + url)
        assert status == "HIT", url
        assert "xkey" not in headers  # what a page shows is the edge's business

    # A reader's cookies do not make another copy; a signed-in user's go to the app.
    assert get(varnish + pages["story"], cookie="csrftoken=abc; _ga=1")[0] == "HIT"
    assert get(varnish + pages["story"], cookie="sessionid=abc")[0] == "MISS"

    # Saving an unrelated story (its own section, not shown on the story's page):
    other.headline = "Tin thế giới, sửa"
    other.save()
    edge.wait()
    assert get(varnish + pages["story"])[0] == "HIT"
    assert get(varnish + pages["economy"])[0] == "HIT"
    assert get(varnish + pages["other"])[0] == "MISS"
    assert get(varnish + pages["world"])[0] == "MISS"  # it lists the other story
    assert get(varnish + pages["world"])[0] == "HIT"

    # Editing the story: its page, its section's first page and the home page are fresh at once.
    story.headline = "Tin kinh tế, đã sửa"
    story.save()
    edge.wait()
    for name in ("story", "economy", "home"):
        status, html, _ = get(varnish + pages[name])
        assert (status, "Tin kinh tế, đã sửa" in html) == ("MISS", True), name
    assert get(varnish + pages["world"])[0] == "HIT"  # not the other sections

    # A story published into a section: that section's first page and the home page.
    get(varnish + pages["story"])
    new = ArticleFactory(headline="Tin kinh tế mới", section=economy)
    edge.wait()
    for name, fresh in (("economy", True), ("home", True), ("world", False), ("story", False)):
        status, html, _ = get(varnish + pages[name])
        assert status == ("MISS" if fresh else "HIT"), name
        assert ("Tin kinh tế mới" in html) == (name != "world" and fresh), name
    assert new.get_absolute_url()


@pytest.mark.django_db(transaction=True)
def test_the_desk_and_drafts_never_come_from_the_edge(varnish, admin_user):
    story = ArticleFactory(headline="Tin đã đăng")
    edge.wait()
    for _ in range(2):
        status, _, headers = get(varnish + "/admin/login/")
        assert status == "MISS" and "csrftoken" in headers.get("Set-Cookie", "")
    get(varnish + story.get_absolute_url())
    assert get(varnish + story.get_absolute_url())[0] == "HIT"
    # Unpublished, it is gone from the edge at once: readers get a 404, never kept.
    story.status = Article.Status.DRAFT
    story.save()
    edge.wait()
    for _ in range(2):
        with pytest.raises(urllib.error.HTTPError) as missing:
            get(varnish + story.get_absolute_url())
        assert missing.value.code == 404 and missing.value.headers.get("X-Cache") == "MISS"


def test_purges_name_what_changed_once_the_save_commits(
    db, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EDGE_CACHE_URL = "http://edge.invalid/"
    sent, kinds = [], []
    monkeypatch.setattr(edge._sender, "put", lambda keys, hard=True, **_: sent.append(keys))
    section = Section.objects.create(name="Kinh tế")
    story = ArticleFactory(section=section)
    draft = ArticleFactory(status=Article.Status.DRAFT, section=section)
    stored = {field: getattr(story, field) for field in surrogates.PLACE}
    assert surrogates.story_changed(story, stored) == {f"article-{story.pk}", "revised"}
    assert surrogates.story_changed(draft, None) == {f"article-{draft.pk}"}  # unseen
    moved = surrogates.story_changed(story, {**stored, "section_id": None})
    assert {"stories", "home", f"list-section-{section.pk}"} <= moved
    sent.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        story.headline = "Sửa"
        story.save()
        assert not sent  # nothing before the commit
    for callback in callbacks:
        callback()
    # a headline: the pages that show the story, and the sitemaps' modification times
    assert sent == [{f"article-{story.pk}", "revised"}]
    sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        story.section = SectionFactory()
        story.save()
    keys = set().union(*sent)
    assert {f"list-section-{section.pk}", f"list-section-{story.section_id}", "home"} <= keys

    # an edit's pages stay at the edge as stale copies; a story withdrawn goes outright
    monkeypatch.setattr(edge._sender, "put", lambda keys, hard=True, **_: kinds.append(hard))
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Sửa lần nữa"
        story.save()
        story.status = Article.Status.DRAFT
        story.save()
    with django_capture_on_commit_callbacks(execute=True):
        ArticleFactory().delete()
    # the edit soft, the unpublishing hard; a new story's saves soft, its deletion hard
    assert kinds[:2] == [False, True] and True not in kinds[2:-1] and kinds[-1] is True


@pytest.mark.django_db
def test_only_a_purged_edge_may_keep_pages_and_not_past_a_scheduled_minute(client, settings):
    story = ArticleFactory()
    assert "s-maxage" not in client.get("/")["Cache-Control"]  # no edge to purge: no keeping
    settings.EDGE_CACHE_URL = "http://127.0.0.1:6081/"
    settings.EDGE_CACHE_SECONDS = 86400
    assert "s-maxage=86400" in client.get("/tin-moi/")["Cache-Control"]
    ArticleFactory(published_at=timezone.now() + datetime.timedelta(minutes=10))
    for url in ("/", story.get_absolute_url()):  # served again from the page cache too
        control = client.get(url)["Cache-Control"]
        seconds = int(control.split("s-maxage=")[1].split(",")[0])
        assert 0 < seconds <= 600, control


@pytest.mark.django_db
def test_feeds_sitemaps_and_pages_name_what_they_show(client, settings):
    section = SectionFactory()
    story = ArticleFactory(section=section)
    story.tags.add("LNG")
    tag = story.tags.get()
    expected = {
        "/rss/": {"stories", f"article-{story.pk}"},
        f"/chuyen-muc/{section.slug}/rss/": {f"list-section-{section.pk}", f"article-{story.pk}"},
        "/sitemap-stories.xml": {"stories"},
        "/cam-ket/": {"commitments", "all-organization"},
        f"/the/{tag.slug}/": {f"list-tag-{tag.pk}", f"tag-{tag.pk}", f"article-{story.pk}"},
        story.get_absolute_url(): {f"article-{story.pk}", f"tag-{tag.pk}", "all-section"},
    }
    for url in expected:  # without an edge, readers are not told
        assert "xkey" not in client.get(url), url
    settings.EDGE_CACHE_URL = "http://127.0.0.1:6081/"
    for url, keys in expected.items():
        response = client.get(url)
        assert response.status_code == 200, url
        assert keys <= set(response["xkey"].split()), (url, response["xkey"])
    assert "stories" not in client.get(story.get_absolute_url())["xkey"].split()
    assert "xkey" not in client.get("/admin/login/")


@pytest.mark.django_db
def test_a_translation_published_refreshes_its_original(client):
    """The original's page names its published translations (language links,
    hreflang): publishing one purges it, though the original did not change."""
    original = ArticleFactory(headline="Tin gốc")
    assert client.get(original.get_absolute_url()).status_code == 200  # kept
    english = ArticleFactory(
        headline="The original", language="en", translation_of=original, section=original.section
    )
    html = client.get(original.get_absolute_url()).content.decode()
    assert f'hreflang="en" href="http://testserver{english.get_absolute_url()}"' in html


@pytest.mark.django_db
def test_searches_find_a_story_by_a_name_given_after_they_were_kept(client):
    story = ArticleFactory(headline="Tập đoàn Sao Mai đầu tư")
    org = OrganizationFactory(name="Tập đoàn Sao Mai")
    story.organizations.add(org)
    assert story.headline not in client.get("/tim-kiem/?q=sm+group").content.decode()
    org.aliases.create(name="SM Group")
    assert story.headline in client.get("/tim-kiem/?q=sm+group").content.decode()


@pytest.mark.django_db(transaction=True)
def test_each_request_through_the_edge_has_its_own_id_hit_or_not(varnish):
    ids = [get(varnish + "/")[2]["X-Request-ID"] for _ in range(3)]  # a miss, then hits
    assert all(i.startswith("edge-") for i in ids) and len(set(ids)) == 3
    given = get_with(varnish + "/", {"X-Request-ID": "lb-0123456789"})
    assert given == "lb-0123456789"  # a valid id from a balancer in front is kept


def get_with(url: str, headers: dict) -> str:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
        return r.headers["X-Request-ID"]


@pytest.mark.django_db(transaction=True)
def test_the_app_s_metrics_are_never_served_through_the_edge(varnish, live_server):
    with urllib.request.urlopen(live_server.url + "/metrics", timeout=10) as direct:
        assert direct.status == 200  # this machine, asking the app server itself
    # The edge refuses the address; one spelt otherwise reaches the app, which sees
    # the edge's X-Forwarded-For and refuses it too.
    for path in ("/metrics", "/metrics?format=text", "/%6Detrics", "/metrics/"):
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(varnish + path, timeout=10)
        assert refused.value.code == 404, path
        assert b"django_http" not in refused.value.read()


@pytest.mark.django_db(transaction=True)
def test_a_save_from_a_command_that_ends_at_once_still_purges_the_edge(varnish, settings):
    """No queue: purges go from a thread of the saving process, which waits for
    them when it ends, so a save from ``manage.py shell`` (or a cron script) is not
    left stale at the edge for a day."""
    import os
    import subprocess
    import sys

    from django.db import connection

    settings.CONTENT_CACHE = False  # the app's own cache is this process's memory here
    story = ArticleFactory(headline="Tin trước khi sửa")
    edge.wait()
    url = varnish + story.get_absolute_url()
    get(url)
    assert get(url)[0] == "HIT"
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        database_url = f"sqlite:///{database['NAME']}"
    else:
        database_url = f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}"
    code = (
        "from articles.models import Article; "
        f"story = Article.objects.get(pk={story.pk}); "
        "story.headline = 'Tin đã sửa từ lệnh'; story.save()"
    )
    env = {**os.environ, "DATABASE_URL": database_url, "EDGE_CACHE_URL": varnish + "/"}
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    status, html, _ = get(url)
    assert (status, "Tin đã sửa từ lệnh" in html) == ("MISS", True)


def test_a_gunicorn_worker_that_ends_sends_its_purges_first(settings, monkeypatch, tmp_path):
    """gunicorn.conf.py's worker_exit (a worker recycled by max_requests, a reload)
    waits for the purges its saves asked for."""
    import http.server
    import runpy
    import threading

    received = []

    class Edge(http.server.BaseHTTPRequestHandler):
        def do_PURGE(self):
            time.sleep(0.3)  # an edge that takes its time
            received.append(self.headers[edge.PURGE_HEADER])
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Edge)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EDGE_CACHE_URL = f"http://127.0.0.1:{server.server_port}/"
    try:
        edge._sender.put({"article-1", "home"})
        monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))  # the file sets it
        hooks = runpy.run_path(str(Path(settings.BASE_DIR) / "gunicorn.conf.py"))
        hooks["worker_exit"](None, None)
        assert received == ["article-1 home"]
    finally:
        server.shutdown()


def test_the_vcl_is_written_for_the_site_s_desk_address_and_session_cookie():
    """``manage.py edge_vcl`` passes the desk at ADMIN_URL and anyone carrying
    SESSION_COOKIE_NAME to the app, and Varnish compiles what it writes."""
    import os
    import subprocess
    import sys

    from django.conf import settings

    need(Path(VARNISHD).exists(), "varnishd is missing (apt-get install varnish varnish-modules)")
    env = {**os.environ, "ADMIN_URL": "ban-bien-tap/", "SESSION_COOKIE_NAME": "toasoan_phien"}
    run = {"env": env, "cwd": settings.BASE_DIR, "capture_output": True, "text": True}
    written = subprocess.run([sys.executable, "manage.py", "edge_vcl"], **run, check=True).stdout
    assert 'req.url ~ "^/ban\\-bien\\-tap/"' in written and "toasoan_phien=" in written
    assert "/admin/" not in written and "sessionid" not in written
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="edge-vcl-"))
    folder.chmod(0o755)  # varnishd reads it as its own user, wherever the checkout is
    vcl = folder / "edge.vcl"
    vcl.write_text(written)
    vcl.chmod(0o644)
    try:
        compiled = subprocess.run([VARNISHD, "-C", "-f", str(vcl)], capture_output=True)
        assert compiled.returncode == 0, compiled.stderr.decode()[-2000:]
    finally:
        shutil.rmtree(folder)


@pytest.mark.django_db(transaction=True)
def test_a_session_cookie_of_another_name_still_takes_staff_past_the_edge(
    live_server, settings, client
):
    need(Path(VARNISHD).exists(), "varnishd is missing (apt-get install varnish varnish-modules)")
    settings.SESSION_COOKIE_NAME = "toasoan_phien"
    story = ArticleFactory(headline="Tin cho bạn đọc")
    with Varnish(urlparse(live_server.url).port, vcl=edge.vcl()) as url:
        settings.EDGE_CACHE_URL = url + "/"
        page = url + story.get_absolute_url()
        get(page)
        assert get(page)[0] == "HIT"
        assert get(page, cookie="toasoan_phien=abc")[0] == "MISS"  # to the app
        assert get(page, cookie="toasoan_phien=abc")[0] == "MISS"


@pytest.mark.django_db(transaction=True)
def test_an_edge_set_up_for_another_session_cookie_keeps_nothing(live_server, settings, caplog):
    """The VCL as shipped names ``sessionid``; a site whose cookie is another would
    have staff's requests answered from the cache: the app says so and keeps nothing
    there."""
    need(Path(VARNISHD).exists(), "varnishd is missing (apt-get install varnish varnish-modules)")
    settings.SESSION_COOKIE_NAME = "toasoan_phien"
    story = ArticleFactory(headline="Tin cho bạn đọc")
    with Varnish(urlparse(live_server.url).port) as url:
        settings.EDGE_CACHE_URL = url + "/"
        page = url + story.get_absolute_url()
        assert [get(page)[0] for _ in range(3)] == ["MISS", "MISS", "MISS"]
    assert "the edge's VCL was written for" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_an_edit_leaves_a_stale_copy_for_an_outage_and_a_withdrawal_leaves_none(
    live_server, settings
):
    """An edit soft-purges: while no app server answers the edge serves the page as
    it was, and once one does the next reader gets the new one. An unpublished
    story is purged outright: never served again, not even in an outage."""
    need(Path(VARNISHD).exists(), "varnishd is missing (apt-get install varnish varnish-modules)")
    edited = ArticleFactory(headline="Tin trước khi sửa")
    withdrawn = ArticleFactory(headline="Tin sắp bị gỡ")
    edge_varnish = Varnish(urlparse(live_server.url).port)
    with edge_varnish as url:
        settings.EDGE_CACHE_URL = url + "/"
        pages = {story.pk: url + story.get_absolute_url() for story in (edited, withdrawn)}
        for page in pages.values():
            get(page)
            assert get(page)[0] == "HIT"
        edited.headline = "Tin đã sửa"
        edited.save()
        withdrawn.status = Article.Status.DRAFT
        withdrawn.save()
        edge.wait()

        edge_varnish.set_health("sick")  # no app server answers
        html = get(pages[edited.pk])[1]
        assert "Tin trước khi sửa" in html  # the stale copy, rather than an error
        with pytest.raises(urllib.error.HTTPError) as refused:
            get(pages[withdrawn.pk])
        assert refused.value.code == 503  # nothing of the withdrawn story is left

        edge_varnish.set_health("auto")
        status, html, _ = get(pages[edited.pk])
        assert (status, "Tin đã sửa" in html) == ("MISS", True)


@pytest.mark.django_db(transaction=True)
def test_a_page_the_app_cannot_make_is_served_from_the_copy_the_edge_has(
    live_server, settings, monkeypatch
):
    """Stale if error: an app server answering 500 (its database down) for a page the
    edge still holds as a stale copy gets the copy served, not the error; a page it
    never held still gets the error, and a withdrawn story's page stays gone."""
    from articles.site import views

    need(Path(VARNISHD).exists(), "varnishd is missing (apt-get install varnish varnish-modules)")
    kept = ArticleFactory(headline="Tin đã có ở biên")
    never = ArticleFactory(headline="Tin chưa ai đọc")
    with Varnish(urlparse(live_server.url).port) as url:
        settings.EDGE_CACHE_URL = url + "/"
        get(url + kept.get_absolute_url())
        kept.headline = "Tin đã sửa"
        kept.save()  # an edit: soft-purged, a stale copy kept
        edge.wait()

        def broken(self, request, *args, **kwargs):
            raise RuntimeError("the database is down")

        monkeypatch.setattr(views.ArticleDetailView, "get", broken)
        html = get(url + kept.get_absolute_url())[1]
        assert "Tin đã có ở biên" in html
        with pytest.raises(urllib.error.HTTPError) as failed:
            get(url + never.get_absolute_url())
        assert failed.value.code == 500


@pytest.mark.django_db(transaction=True)
def test_every_purge_is_sent_again_for_the_copies_in_flight(settings, monkeypatch):
    """A copy an app server was sending the edge as a purge arrived (made just
    before the change) would be kept a day: each purge goes again a moment later."""
    settings.EDGE_CACHE_URL = "http://edge.invalid/"
    monkeypatch.setattr(edge, "AGAIN_SECONDS", 0.3)
    sent = []
    monkeypatch.setattr(
        edge, "_send", lambda keys, hard=True: sent.append((time.monotonic(), keys, hard))
    )
    story = ArticleFactory(headline="Tin sẽ gỡ")
    time.sleep(0.5)  # the story's publication purged twice
    edge.wait()
    sent.clear()
    story.status = Article.Status.DRAFT
    purged_at = time.monotonic()
    story.save()
    edge.wait()
    outright = [(when, keys) for when, keys, hard in sent if f"article-{story.pk}" in keys]
    assert len(outright) == 1 and all(hard for *_, hard in sent)  # at once, outright
    time.sleep(0.6)
    edge.wait()
    (first, keys), (again, keys_again) = [
        (when, keys) for when, keys, hard in sent if hard and f"article-{story.pk}" in keys
    ]
    # again AGAIN_SECONDS after the purge was asked for (the first send may lag it)
    assert keys_again == keys and again - purged_at >= 0.3 and again > first


@pytest.mark.django_db(transaction=True)
def test_a_page_made_while_what_it_shows_was_purged_is_not_for_the_edge(
    client, settings, monkeypatch
):
    """The page an edit's purge overtook says nothing the edge could keep it by."""
    from articles.freshness import pages

    settings.EDGE_CACHE_URL = "http://edge.invalid/"
    monkeypatch.setattr(edge, "_send", lambda keys, hard=True: None)
    story = ArticleFactory(headline="Tin trước khi sửa")
    made = pages.Lookup.store

    def purged_meanwhile(lookup, response):
        story.headline = "Tin đã sửa"
        story.save()  # as another request's save, while this page was being made
        return made(lookup, response)

    monkeypatch.setattr(pages.Lookup, "store", purged_meanwhile)
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200 and "Tin trước khi sửa" in response.text
    assert edge.HEADER not in response
    monkeypatch.undo()
    settings.EDGE_CACHE_URL = "http://edge.invalid/"
    monkeypatch.setattr(edge, "_send", lambda keys, hard=True: None)
    response = client.get(story.get_absolute_url())
    assert "Tin đã sửa" in response.text and f"article-{story.pk}" in response[edge.HEADER]


@pytest.mark.django_db(transaction=True)
def test_a_save_the_database_cannot_take_gets_the_app_s_answer_through_the_edge(
    varnish, monkeypatch
):
    """A save while the database is down: the edge passes on the app's 503 (saving
    is paused, what was typed shown back), not an error page of its own."""
    import re

    import requests
    from django.contrib.auth.views import LoginView
    from django.db import OperationalError

    desk = requests.Session()
    page = desk.get(f"{varnish}/admin/login/", timeout=10).text
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def down(*args, **kwargs):
        raise OperationalError("connection failed: the database system is shutting down")

    monkeypatch.setattr(LoginView, "post", down)
    response = desk.post(
        f"{varnish}/admin/login/",
        data={"username": "bientap", "password": "x", "csrfmiddlewaretoken": token},
        headers={"Referer": f"{varnish}/admin/login/"},
        timeout=10,
    )
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "Cơ sở dữ liệu đang tạm ngừng" in response.text and "bientap" in response.text


def read(page: str) -> tuple[int, bool]:
    """Its status, and whether it is the stale copy."""
    try:
        return 200, "Tin trước khi sửa" in get(page)[1]
    except urllib.error.HTTPError as error:
        return error.code, False


class Flaky:
    """An app server that can fall over: forwards to ``port`` while up, and while
    down drops each connection without a word (as a process killed would)."""

    def __init__(self, port: int):
        import http.server
        import threading

        flaky = self

        class Forward(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                if not flaky.up:
                    self.close_connection = True
                    self.connection.close()
                    return
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}{self.path}") as answer:
                        status, headers, body = answer.status, answer.headers, answer.read()
                except urllib.error.HTTPError as error:
                    status, headers, body = error.code, error.headers, error.read()
                self.send_response(status)
                for name, value in headers.items():
                    if name.lower() not in ("connection", "transfer-encoding", "date", "server"):
                        self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.up = True
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forward)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.django_db(transaction=True)
def test_an_app_server_gone_mid_outage_never_hides_the_stale_copy(live_server, settings):
    """Every app server gone (connections dropped) before the probe notices: each
    reader of an edited page gets its stale copy, however many ask, and not the
    error the edge's refresh in the background met."""
    need(Path(VARNISHD).exists(), "varnishd is missing (apt-get install varnish varnish-modules)")
    story = ArticleFactory(headline="Tin trước khi sửa")
    app = Flaky(urlparse(live_server.url).port)
    try:
        with Varnish(app.port) as url:
            settings.EDGE_CACHE_URL = url + "/"
            page = url + story.get_absolute_url()
            get(page)
            assert get(page)[0] == "HIT"
            story.headline = "Tin đã sửa"
            story.save()  # soft-purged: a stale copy kept
            edge.wait()
            app.up = False
            with ThreadPoolExecutor(8) as readers:  # at once: they wait on one fetch
                answers = list(readers.map(lambda _: read(page), range(80)))
            assert answers == [(200, True)] * 80
            app.up = True
            assert "Tin đã sửa" in get(page)[1]
    finally:
        app.close()
