"""Requests an outside review found slow, timed on the current database: the
API's list and its deepest and absurd pages, a two-letter search that matches
nearly everything, searches for a typo and for nothing at all, on the site and
the API; and the commitments tracker (page, CSV, RSS, API), the busiest trip's
page with its full coverage, and a country's page. Each must answer within
BUDGET_MS however large the archive; the table says the median and the worst
of RUNS, the SQL queries, and how much the process grew.

``DATABASE_URL=postgres://…/toasoan_bench_100000 .venv/bin/python bench/bounded.py``
(``make bench`` runs it on both benchmark archives). Exits 1 if a budget fails.
"""

import logging
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"  # measure the work, not the cache
os.environ["CONTENT_CACHE"] = "0"

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article, Country, Event  # noqa: E402

BUDGET_MS = 300
RUNS = 5
REQUESTS = [
    ("/api/stories", 200),
    ("/api/stories?page=500", 200),
    ("/api/stories?page=100000000000000000000", 422),
    ("/api/stories?q=ng", 200),
    ("/api/stories?q=ng&page=15", 200),
    ("/api/tags?page=500", 200),
    ("/tim-kiem/?q=ng", 200),
    ("/tim-kiem/?q=nang+luongg", 200),  # a typo: the nearest spellings
    ("/tim-kiem/?q=xyzzyqw", 200),  # like nothing in the archive
    # Forty mistyped words, 200 characters: only the first ten are looked up.
    ("/tim-kiem/?q=" + "+".join(f"qx{n}w" for n in range(40)), 200),
    ("/tin-moi/?page=500", (200, 404)),  # 404 when the archive is shorter than 500 pages
    ("/sitemap.xml", 200),
    ("/sitemap-stories.xml", 200),
    ("/sitemap-stories.xml?p=200", (200, 404)),  # the deepest page at 100,000 stories
    ("/cam-ket/", 200),
    ("/cam-ket/?kind=pledge&status=announced", 200),
    ("/cam-ket/?page=20", (200, 404)),
    ("/cam-ket/csv/?kind=pledge", 200),
    ("/cam-ket/rss/?status=done", 200),
    ("/api/outcomes?page=10", 200),
]


def busiest() -> list[tuple[str, int]]:
    """The trip with the most stories about it, and the country most stories name."""
    trip = (
        Event.objects.filter(kind=Event.Kind.WORKING_TRIP)
        .annotate(n=Count("children__articles"))
        .order_by("-n")
        .first()
    )
    country = Country.objects.annotate(n=Count("articles")).order_by("-n").first()
    found = [(thing.get_absolute_url(), 200) for thing in (trip, country) if thing]
    if trip:
        found.append((f"/api/events/{trip.slug}", 200))
    return found


def main() -> int:
    settings.ALLOWED_HOSTS = ["*"]
    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 4xx are expected
    client = Client()
    stories = Article.objects.count()
    print(f"## {stories:,} stories on {connection.vendor}\n")
    print("| request | status | queries | median ms | worst ms |")
    print("| --- | --- | --- | --- | --- |")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    failed = []
    for url, expected in [*REQUESTS, *busiest()]:
        client.get(url)  # warm: translations, connection, the database's own caches
        times = []
        for _ in range(RUNS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                status = client.get(url).status_code
                times.append((time.perf_counter() - started) * 1000)
        median, worst = statistics.median(times), max(times)
        print(f"| `{url}` | {status} | {len(queries)} | {median:.0f} | {worst:.0f} |")
        allowed = expected if isinstance(expected, tuple) else (expected,)
        if status not in allowed or worst > BUDGET_MS:
            failed.append(url)
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    print(f"\nThe process grew by {grown:.0f} MB over all of them.")
    verdict = "FAIL: " + ", ".join(failed) if failed else "PASS"
    print(f"Every request under {BUDGET_MS} ms with its expected status: **{verdict}**\n")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
