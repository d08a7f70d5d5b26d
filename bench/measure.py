"""What each public page costs in SQL on the current database: the number of
queries, with its pieces made and with them kept (articles/freshness/pieces.py), whether
any of them scans the stories table sequentially (EXPLAIN on PostgreSQL), and
the time of the related-news and search queries alone.

Run by bench/run.py with DATABASE_URL set; prints JSON. Also usable alone:
``DATABASE_URL=... python bench/measure.py``.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"  # measure the work, not the cache

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.postgres.search import SearchQuery  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from articles import search  # noqa: E402
from articles.freshness import pieces  # noqa: E402
from articles.models import Article, LiveUpdate, Organization  # noqa: E402
from articles.search import fold  # noqa: E402
from articles.site.related import related_articles  # noqa: E402

SEARCH = "năng lượng"  # two common words: thousands of matches at 100k
RARE_SEARCH = "lockheed martin"  # a name: a handful
# The seed story of the meeting trip (fixtures/seed.json): four meetings, their outcomes.
SEED_STORY = (
    "bo-truong-nguyen-hong-dien-lam-viec-voi-lanh-dao-excelerate-energy-lockheed-martin"
    "-spacex-va-google-tai-hoa-ky"
)


def live_story(published, measured: Article) -> Article:
    """A live story with 30 updates, the same on any archive: made live the first
    time (the benchmark's database is its own), neither the seed story nor
    ``measured``, the story page measured as such."""
    story = published.filter(live_from__isnull=False).order_by("pk").first()
    if story is None:
        about = published.filter(events__isnull=False)  # a meeting, as live coverage is
        others = about.exclude(slug=SEED_STORY).exclude(pk=measured.pk)
        story = others.order_by("-published_at", "-pk").first()
        story.live_from = timezone.now() - timezone.timedelta(hours=3)
        story.save()
    if not story.live_updates.exists():
        LiveUpdate.objects.bulk_create(
            LiveUpdate(
                article=story,
                body=f"Cập nhật {n}: hai bên tiếp tục trao đổi.",
                key_moment=n % 7 == 0,
                posted_at=story.live_from + timezone.timedelta(minutes=5 * n),
            )
            for n in range(30)
        )
    return story


def pages() -> dict[str, str]:
    """The pages the benchmark loads, picked the same way on any archive."""
    published = Article.objects.published()
    story = published.filter(events__isnull=False, tags__isnull=False, live_from=None).first()
    live = live_story(published, story)
    org = (
        Organization.objects.annotate(n=Count("articles", filter=Q(articles__status="published")))
        .order_by("-n")
        .first()
    )
    since = (timezone.localdate() - timezone.timedelta(days=730)).isoformat()
    return {
        "home": "/",
        "section": "/chuyen-muc/kinh-te/",
        "filtered": f"/tin-moi/?organization={org.slug}&date_after={since}",
        "detail": story.get_absolute_url(),
        "seed": published.get(slug=SEED_STORY).get_absolute_url(),  # with its event boxes
        "search": "/tim-kiem/?" + urlencode({"q": SEARCH}),
        "feed": "/rss/",
        "tracker": "/cam-ket/",
        "live": live.get_absolute_url(),  # a live story, its timeline with it
        "timeline": live.get_absolute_url() + "truc-tiep/",  # what its page polls
        "bare": "/healthz",
    }


def seq_scans(sql: str) -> bool:
    """Does PostgreSQL plan a sequential scan of the stories table for ``sql``?"""
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        plan = cursor.fetchone()[0]

    def walk(node):
        if node.get("Node Type") == "Seq Scan" and node.get("Relation Name") == "articles_article":
            return True
        return any(walk(child) for child in node.get("Plans", []))

    return walk(plan[0]["Plan"])


def median_ms(func, runs: int = 15) -> float:
    func()  # warm the connection and caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        func()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    client = Client()
    urls = pages()
    report = {"stories": Article.objects.count(), "pages": {}}
    for name, url in urls.items():
        client.get(url)  # the first request of a process sets up translations etc.
        with CaptureQueriesContext(connection) as kept:
            client.get(url)
        # The page's whole work: its pieces made, not taken kept (articles/freshness/pieces.py).
        # The fewer of two requests: what the first request after a change reads
        # once for every page (the generation's next scheduled moment, a story gone
        # live) is not the page's own work.
        made = []
        for _ in range(2):
            with (
                mock.patch.object(pieces.edge, "is_recording", lambda: False),
                CaptureQueriesContext(connection) as queries,
            ):
                status = client.get(url).status_code
            made.append(queries.captured_queries)
        queries = min(made, key=len)
        scans = [
            q["sql"][:200]
            for q in queries
            if connection.vendor == "postgresql"
            and q["sql"].startswith("SELECT")
            and seq_scans(q["sql"])
        ]
        report["pages"][name] = {
            "url": url,
            "status": status,
            "queries": len(queries),
            "kept_queries": len(kept),
            "seq_scans": scans,
        }
    story = Article.objects.for_detail().get(slug=urls["detail"].strip("/").split("/")[-1])
    report["related_ms"] = median_ms(lambda: list(related_articles(story)))
    for key, words in (("search_ms", SEARCH), ("rare_search_ms", RARE_SEARCH)):
        report[key] = median_ms(
            lambda w=words: list(search.search(Article.objects.published(), w)[:21])
        )
    report["search"], report["rare_search"] = SEARCH, RARE_SEARCH
    report["search_matches"] = (
        Article.objects.published()
        .filter(search_vector=SearchQuery(fold(SEARCH), config="simple"))
        .count()
        if connection.vendor == "postgresql"
        else search.search(Article.objects.published(), SEARCH).count()
    )
    print(json.dumps(report, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
