"""The "Đọc nhiều" list without tracking (articles/site/reads.py): reads counted by a beacon,
bots and repeats left out, nothing about the reader kept, the list ranked from the
last day and purged by its own key."""

import datetime
import urllib.request

import pytest
from django.core.cache import cache
from django.utils import timezone

from articles.freshness import edge
from articles.models import Article, MostRead, ReadCount
from articles.site import reads
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131 Mobile"


@pytest.fixture(autouse=True)
def _no_reads_remembered():
    cache.clear()
    yield
    cache.clear()


def read(client, story, agent: str = BROWSER, address: str = "203.0.113.7", **headers):
    return client.post(f"/doc/{story.pk}/", HTTP_USER_AGENT=agent, REMOTE_ADDR=address, **headers)


def reads_of(story) -> int:
    return sum(ReadCount.objects.filter(article=story).values_list("reads", flat=True))


def test_a_read_is_counted_once_per_address_in_its_window(client):
    story = ArticleFactory()
    for _ in range(3):
        response = read(client, story)
        assert response.status_code == 204 and response.content == b""
    assert reads_of(story) == 1
    read(client, story, address="198.51.100.9")  # another reader
    assert reads_of(story) == 2
    assert not response.cookies  # nothing set on the reader


@pytest.mark.parametrize(
    "agent",
    [
        "",
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "facebookexternalhit/1.1",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/131.0 Safari/537.36",
        "Mozilla/5.0 (Linux; Android 11) Chrome-Lighthouse",
    ],
)
def test_bots_and_programs_are_not_counted(client, agent):
    story = ArticleFactory()
    assert read(client, story, agent=agent).status_code == 204  # told nothing
    assert reads_of(story) == 0


def test_prefetches_and_other_sites_beacons_are_not_counted(client):
    story = ArticleFactory()
    read(client, story, HTTP_SEC_PURPOSE="prefetch")
    read(client, story, HTTP_SEC_FETCH_SITE="cross-site")
    assert reads_of(story) == 0


def test_nothing_about_the_reader_is_kept(client):
    story = ArticleFactory()
    read(client, story, address="203.0.113.77")
    row = ReadCount.objects.get(article=story)
    kept = {f.attname: getattr(row, f.attname) for f in ReadCount._meta.fields}
    assert set(kept) == {"id", "article_id", "hour", "reads"}
    assert kept["hour"].minute == 0 and kept["reads"] == 1
    remembered = "|".join(str(k) for k in cache._cache)  # the local cache of the tests
    assert "203.0.113.77" not in remembered


def test_a_story_readers_may_not_see_is_not_found_and_a_read_must_be_posted(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    later = ArticleFactory(published_at=timezone.now() + datetime.timedelta(hours=2))
    assert read(client, draft).status_code == 404
    assert read(client, later).status_code == 404
    assert client.post("/doc/999999/", HTTP_USER_AGENT=BROWSER).status_code == 404
    assert client.get(f"/doc/{ArticleFactory().pk}/").status_code == 405
    assert not ReadCount.objects.exists()


def test_behind_the_edge_the_reader_is_the_address_the_edge_saw(rf, settings):
    request = rf.post("/", HTTP_X_FORWARDED_FOR="10.1.1.1, 203.0.113.5", HTTP_X_EDGE_DESK="x")
    assert reads.reader_address(request) == "203.0.113.5"  # what a reader claims is ignored
    settings.BEHIND_TLS_PROXY = True  # TLS proxy, then the edge
    request = rf.post(
        "/", HTTP_X_FORWARDED_FOR="10.1.1.1, 198.51.100.2, 127.0.0.1", HTTP_X_EDGE_DESK="x"
    )
    assert reads.reader_address(request) == "198.51.100.2"
    settings.BEHIND_TLS_PROXY = False
    request = rf.post("/", HTTP_X_FORWARDED_FOR="10.1.1.1", REMOTE_ADDR="192.0.2.1")
    assert reads.reader_address(request) == "192.0.2.1"  # no proxy: the header is a claim


def test_the_list_ranks_the_last_day_most_read_first_in_each_language():
    now = timezone.now()
    a, b, c = ArticleFactory.create_batch(3)
    english = ArticleFactory(language="en")
    old = ArticleFactory()
    for story, count, hours_ago in (
        (a, 5, 1),
        (b, 9, 3),
        (c, 2, 20),
        (english, 4, 2),
        (old, 50, 30),
    ):
        ReadCount.objects.create(
            article=story, hour=now - datetime.timedelta(hours=hours_ago), reads=count
        )
    assert reads.rank(now) == {reads.MOST_READ}
    assert reads.most_read("vi") == [b, a, c]  # not the one read more, but a day and more ago
    assert reads.most_read("en") == [english]
    assert reads.rank(now) == set()  # nothing changed: nothing purged


def test_a_story_withdrawn_leaves_the_list_at_once():
    a, b = ArticleFactory.create_batch(2)
    ReadCount.objects.create(article=a, hour=timezone.now(), reads=3)
    ReadCount.objects.create(article=b, hour=timezone.now(), reads=1)
    reads.rank()
    a.status = Article.Status.DRAFT
    a.save()
    assert reads.most_read("vi") == [b]  # before the list is ranked again


def test_old_counts_are_deleted_when_ranking():
    story = ArticleFactory()
    now = timezone.now()
    ReadCount.objects.create(article=story, hour=now - datetime.timedelta(hours=49), reads=1)
    ReadCount.objects.create(article=story, hour=now - datetime.timedelta(hours=2), reads=1)
    reads.rank(now)
    assert ReadCount.objects.count() == 1


def test_the_front_page_shows_the_list_and_changes_only_by_its_key(client, monkeypatch):
    a, b = ArticleFactory(headline="Đọc nhiều A"), ArticleFactory(headline="Đọc nhiều B")
    ReadCount.objects.create(article=a, hour=timezone.now(), reads=3)
    reads.rank()
    purged = []
    monkeypatch.setattr(
        "articles.freshness.edge.purge", lambda keys, **kw: purged.append(set(keys))
    )
    html = client.get("/").content.decode()
    ranked = html[html.index('id="most-read-title"') :]
    ranked = ranked[: ranked.index("</section>")]
    assert "Đọc nhiều A" in ranked and "Đọc nhiều B" not in ranked
    ReadCount.objects.create(article=b, hour=timezone.now(), reads=7)
    assert reads.rank() == {reads.MOST_READ}
    assert purged == [{reads.MOST_READ}]  # its own key: no story, no listing
    html = client.get("/").content.decode()
    ranked = html[html.index('id="most-read-title"') :]
    assert ranked.index("Đọc nhiều B") < ranked.index("Đọc nhiều A")
    assert MostRead.objects.filter(language="vi").count() == 2


def test_a_read_ranks_the_list_where_no_worker_does(client, settings):
    settings.JOBS_QUEUE = False
    story = ArticleFactory(headline="Tin được đọc")
    read(client, story)
    assert reads.most_read("vi") == [story]


def test_a_story_page_sends_its_beacon_and_a_preview_does_not(client, admin_client):
    story = ArticleFactory()
    html = client.get(story.get_absolute_url()).content.decode()
    assert f'data-read="/doc/{story.pk}/"' in html and "/static/js/read.js" in html
    assert "data-read" not in client.get("/").content.decode()


def through(url: str, method: str = "GET", agent: str = BROWSER) -> tuple[int, str, str]:
    request = urllib.request.Request(url, method=method, headers={"User-Agent": agent})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.headers.get("X-Cache", ""), response.read().decode()


@pytest.mark.tools
@pytest.mark.django_db(transaction=True)
def test_reads_through_the_edge_are_counted_and_the_list_purges_only_its_pages(varnish):
    first = ArticleFactory(headline="Tin đọc trước")
    second = ArticleFactory(headline="Tin đọc sau")
    edge.wait()
    story_page = varnish + second.get_absolute_url()
    assert through(story_page)[1] == "MISS" and through(story_page)[1] == "HIT"
    # The beacon passes the edge every time; one reader's repeats and a bot's count nothing.
    for _ in range(2):
        assert through(f"{varnish}/doc/{first.pk}/", "POST")[:2] == (204, "MISS")
    through(f"{varnish}/doc/{first.pk}/", "POST", agent="Googlebot/2.1")
    assert reads_of(first) == 1
    reads.rank()
    edge.wait()
    _status, _cached, home = through(varnish + "/")
    assert "Tin đọc trước" in home[home.index('id="most-read-title"') :]
    assert through(varnish + "/")[1] == "HIT"
    # More reads of the other story: ranked again, the front page is made again, the
    # story's page is still the edge's copy.
    ReadCount.objects.create(article=second, hour=timezone.now(), reads=40)
    assert reads.rank() == {reads.MOST_READ}
    edge.wait()
    _status, cached, home = through(varnish + "/")
    ranked = home[home.index('id="most-read-title"') :]
    assert cached == "MISS" and ranked.index("Tin đọc sau") < ranked.index("Tin đọc trước")
    assert through(story_page)[1] == "HIT"
