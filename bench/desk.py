"""The desk at archive scale (issue 20): each admin page an editor uses daily,
signed in as an editor, timed in-process (Django's test client, DEBUG off) on
PostgreSQL at each archive size, with its number of queries.

    .venv/bin/python bench/desk.py [--sizes 100000] [--requests 20]

Uses the benchmark's databases (``toasoan_bench_<size>``, bench/run.py fills one
that is missing). Budget: p95 under 300 ms, queries not growing with the archive.
Writes bench/results/desk-latest.md.
"""

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BUDGET_MS = 300


def pages() -> list[tuple[str, str]]:
    """(name, address) of what an editor opens, for the archive loaded."""
    from articles.models import Article, Organization

    story = Article.objects.order_by("-published_at").only("pk").first()
    org = Organization.objects.order_by("pk").only("pk").first()
    base = "/admin/articles/"
    auto = "/admin/autocomplete/?app_label=articles&model_name=article&field_name="
    return [
        ("story list", f"{base}article/"),
        ("list, published", f"{base}article/?status__exact=published"),
        ("list, a section", f"{base}article/?section__id__exact=1"),
        ("list, search", f"{base}article/?q={quote('năng lượng')}"),
        ("list, page 500", f"{base}article/?p=500"),
        ("a story's form", f"{base}article/{story.pk}/change/"),
        ("its history", f"{base}article/{story.pk}/history/"),
        ("organizations", f"{base}organization/"),
        ("an organization", f"{base}organization/{org.pk}/change/"),
        ("people", f"{base}person/"),
        ("events", f"{base}event/"),
        ("autocomplete, organizations", f"{auto}organizations&term=ng"),
        ("autocomplete, people", f"{auto}people&term=ng"),
        ("import page", f"{base}article/import/"),
    ]


def measure(size: int, requests: int) -> list[dict]:
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    editor, _ = User.objects.get_or_create(username="bench-desk", defaults={"is_staff": True})
    editor.groups.add(Group.objects.get(name="Biên tập viên"))
    client = Client()
    client.force_login(editor)
    rows = []
    for name, url in pages():
        response = client.get(url)  # warm
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries = len(captured)  # now: the next request empties the log it reads
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        rows.append({
            "page": name, "url": url, "status": response.status_code, "queries": queries,
            "p50": statistics.median(times), "p95": p95,
        })  # fmt: skip
        print(f"  {name:30} {response.status_code} {queries:3} queries "
              f"p50 {rows[-1]['p50']:7.1f} ms p95 {p95:7.1f} ms", flush=True)  # fmt: skip
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    import run  # the benchmark's database loader

    sizes = [int(s) for s in args.sizes.split(",")]
    results = {}
    for size in sizes:
        database = f"{args.postgres}/toasoan_bench_{size}"
        print(f"== {size} stories: {database}", flush=True)
        run.fill(database, size, args.postgres)
        # A fresh process per size would be cleaner; one size per run is the usual use.
        os.environ.update(
            DATABASE_URL=database, DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0",
            DJANGO_SETTINGS_MODULE="newsroom.settings",
            STATIC_ROOT=tempfile.mkdtemp(prefix="toasoan-desk-static-"),
        )  # fmt: skip
        import django
        from django.core.management import call_command

        django.setup()
        call_command("collectstatic", "--noinput", "-v0")
        results[size] = measure(size, args.requests)
    lines = [
        f"# The desk at archive scale, {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC\n",
        f"Signed in as an editor; Django's test client in-process, DEBUG off, PostgreSQL; "
        f"{args.requests} requests per page after one to warm. Budget: p95 < {BUDGET_MS} ms.\n",
    ]
    failed = 0
    for size, rows in results.items():
        lines += [f"\n## {size:,} stories\n", "| page | status | queries | p50 ms | p95 ms | |",
                  "| --- | ---: | ---: | ---: | ---: | --- |"]  # fmt: skip
        for r in rows:
            ok = r["p95"] < BUDGET_MS and r["status"] == 200
            failed += not ok
            page = f"{r['page']} `{r['url']}`"
            figures = f"{r['status']} | {r['queries']} | {r['p50']:.0f} | {r['p95']:.0f}"
            lines.append(f"| {page} | {figures} | {'pass' if ok else 'FAIL'} |")
    text = "\n".join(lines) + "\n"
    (ROOT / "bench" / "results" / "desk-latest.md").write_text(text)
    print("\n" + text)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
