"""The desk at archive scale: each admin page an editor uses daily,
signed in as an editor, timed in-process (Django's test client, DEBUG off) on
PostgreSQL at each archive size, with its number of queries; then changes to
10,000 stories at once (the list's actions, as their job runs them), and how
large the tables that grow with the desk's work are, projected to a million.

    .venv/bin/python bench/desk.py [--sizes 100000,1000000] [--requests 20]

Uses the benchmark's databases (``toasoan_bench_<size>``, bench/run.py fills one
that is missing), each size in a process of its own. Budget: p95 under 300 ms,
queries the same at every size. Writes bench/results/desk-latest.md.
"""

import argparse
import datetime
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
BUDGET_MS = 300
BULK = 10_000  # stories changed at once (--bulk)
SAMPLE = 3  # ranking jobs timed after each change of many stories
NAMING = ("countries", "organizations", "people", "events", "tags", "authors")
# What each story brings over its life, for the projection (stated in the results):
# saves that make a revision, moves through the workflow.
REVISIONS_PER_STORY, MOVES_PER_STORY = 10, 4
# Sign-ins are the staff's, not the archive's: 100 people, twice a day, ten years.
SIGN_INS = 100 * 2 * 365 * 10
# The picture library beside the archive, as the budget states it.
PICTURES = 200_000
SMALL, ROW_HEADER = 10_000, 28  # a tuple's header and its line pointer, in bytes
GROWING = {
    "articles_article": "stories",
    "reversion_version": "versions (the story, and its tags, bylines, log lines, in each revision)",
    "reversion_revision": "revisions",
    "articles_statechange": "the desk's log",
    "articles_bulkchange": "changes to many stories",
    "axes_accesslog": "sign-ins",
}


def pages() -> list[tuple[str, str]]:
    """(name, address) of what an editor opens, for the archive loaded."""
    from articles.models import Article, Author, Organization, Picture, Section

    # The newest story that names one of each kind: its form shows every widget
    # filled, so its queries are comparable from one archive to the next.
    filled = {f"{relation}__isnull": False for relation in NAMING}
    story = Article.objects.filter(**filled).order_by("-published_at").only("pk").first()
    versions = revised(story)
    org = Organization.objects.order_by("pk").only("pk").first()
    section = Section.objects.order_by("pk").first()
    author = Author.objects.order_by("pk").first()
    year = story.published_at.year - 1
    picture = Picture.objects.order_by("-pk").only("pk").first()
    base = "/admin/articles/"
    auto = "/admin/autocomplete/?app_label=articles&model_name=article&field_name="
    compare = f"{base}article/{story.pk}/history/compare/?a={versions[0]}&b={versions[1]}"
    return [
        ("story list", f"{base}article/"),
        ("list, published", f"{base}article/?status__exact=published"),
        ("list, a section", f"{base}article/?section__id__exact={section.pk}"),
        ("list, an author", f"{base}article/?bylines__author__id__exact={author.pk}"),
        ("list, a year", f"{base}article/?nam={year}"),
        ("list, search", f"{base}article/?q={quote('năng lượng')}"),
        ("list, search a slug", f"{base}article/?q={story.slug}"),
        ("list, page 500", f"{base}article/?p=500"),
        ("list, published, page 500", f"{base}article/?status__exact=published&p=500"),
        ("a story's form", f"{base}article/{story.pk}/change/"),
        ("its history", f"{base}article/{story.pk}/history/"),
        ("its compare", compare),
        ("organizations", f"{base}organization/"),
        ("an organization", f"{base}organization/{org.pk}/change/"),
        ("people", f"{base}person/"),
        ("events", f"{base}event/"),
        ("autocomplete, organizations", f"{auto}organizations&term=ng"),
        ("autocomplete, people", f"{auto}people&term=ng"),
        ("import page", f"{base}article/import/"),
        ("the desk's log", f"{base}statechange/"),
        ("changes to many stories", f"{base}bulkchange/"),
        ("the day's plan", f"{base}plannedstory/"),
        ("the day's plan, by person", f"{base}plannedstory/?theo=nguoi"),
        ("notifications", f"{base}notification/"),
        ("picture library", f"{base}picture/"),
        ("library, search", f"{base}picture/?q={quote('năng lượng')}"),
        ("library, search a name", f"{base}picture/?q={quote('hong dien')}"),
        ("library, page 500", f"{base}picture/?p=500"),
        ("a picture", f"{base}picture/{picture.pk}/change/"),
        ("pictures for a body", f"{base}picture/choose/?q={quote('năng lượng')}"),
    ]


def a_days_work(stories: int = 30) -> None:
    """Today's plan (items on the newest stories, assigned) and a backlog of the
    editor's notifications, as a busy desk has them: made once per database."""
    from django.utils import timezone

    from articles.models import Article, Notification, PlannedStory

    user = editor()
    if not PlannedStory.objects.filter(day=timezone.localdate()).exists():
        unplanned = Article.objects.filter(plan=None)  # a story is one day's item, not two
        newest = unplanned.order_by("-published_at").only("pk", "headline")[:stories]
        for n, story in enumerate(newest):
            item = PlannedStory.objects.create(
                working_title=story.headline[:255], story=story if n % 2 else None,
                deadline=timezone.now() + datetime.timedelta(hours=n - 10),
            )  # fmt: skip
            item.assignees.add(user)
    if not Notification.objects.filter(recipient=user).exists():
        newest = Article.objects.order_by("-published_at").only("pk", "headline")[:500]
        Notification.objects.bulk_create(
            Notification(recipient=user, kind=Notification.Kind.MENTIONED, article=story,
                         subject=story.headline[:300], text="@bench-desk")
            for story in newest
        )  # fmt: skip


def a_library(pictures: int = PICTURES) -> None:
    """``pictures`` in the library, captioned with the archive's headlines, credited
    to a score of outlets, one in five showing a person; made once per database,
    in SQL (the files are not read by the pages measured: their rows are)."""
    from django.db import connection, transaction

    from articles.models import Picture

    missing = pictures - Picture.objects.count()
    if missing <= 0:
        return
    fold = "lower(translate(unaccent(replace(lower({}), 'đ', 'd')), '<>', '  '))"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id) FROM articles_article")
        first, last = cursor.fetchone()
        cursor.execute(
            f"""
            INSERT INTO articles_picture (file, alt, caption, credit, focal_x, focal_y,
                uploaded_at, renditions, search_text)
            SELECT 'pictures/bench/' || n || '.jpg', left(a.headline, 255), left(a.headline, 500),
                   credit, 50, 50, now() - n * interval '7 minutes',
                   jsonb_build_object('source', 'pictures/bench/' || n || '.jpg',
                       'width', 1600, 'height', 1067, 'focus', jsonb_build_array(50, 50),
                       'webp', jsonb_build_object('480', 'renditions/bench/' || n || '/480.webp'),
                       'crop', jsonb_build_object('480', 'renditions/bench/' || n || '/c.webp')),
                   {fold.format("a.headline || ' ' || credit || ' ' || a.headline")}
            FROM generate_series(1, %s) n
            JOIN articles_article a ON a.id = %s + (n * 7919) %% (%s - %s + 1)
            CROSS JOIN LATERAL (SELECT (ARRAY['TTXVN', 'Reuters', 'AFP', 'KTS', 'Bộ Công Thương',
                'VnExpress', 'Tuổi Trẻ', 'Thanh Niên', 'AP', 'Getty Images'])[1 + n %% 10]
                AS credit) c
            """,
            [missing, first, last, first],
        )
        cursor.execute(
            """
            INSERT INTO articles_picture_people (picture_id, person_id)
            SELECT p.id, (SELECT id FROM articles_person ORDER BY id
                          OFFSET p.id %% (SELECT count(*) FROM articles_person) LIMIT 1)
            FROM articles_picture p WHERE p.id %% 5 = 0
            ON CONFLICT DO NOTHING
            """,
            [],
        )
        cursor.execute(
            f"""
            UPDATE articles_picture p
            SET search_text = p.search_text || ' ' || {fold.format("n.name")}
            FROM articles_picture_people pp JOIN articles_person n ON n.id = pp.person_id
            WHERE pp.picture_id = p.id
            """
        )
        cursor.execute("ANALYZE articles_picture")
        cursor.execute("ANALYZE articles_picture_people")


def editor():
    from django.contrib.auth.models import Group, User

    user, _ = User.objects.get_or_create(username="bench-desk", defaults={"is_staff": True})
    user.groups.add(Group.objects.get(name="Biên tập viên"))
    return user


def revised(story) -> list[int]:
    """Two revisions of ``story`` to compare, made through the desk's rules."""
    import reversion
    from reversion.models import Version

    from articles.desk import workflow
    from articles.models import Article

    story = Article.objects.get(pk=story.pk)
    versions = list(Version.objects.get_for_object(story).values_list("pk", flat=True)[:2])
    for n in range(2 - len(versions)):
        story.sapo = f"{story.sapo} (sửa {n})"
        with reversion.create_revision():
            reversion.set_user(editor())
            workflow.save(story, editor())
    return list(Version.objects.get_for_object(story).values_list("pk", flat=True)[:2])


def measure(requests: int) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    a_days_work()
    a_library()
    client = Client()
    client.force_login(editor())
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


def bulk(how_many: int = BULK) -> list[dict]:
    """10,000 published stories archived, published again, and tagged, each as the
    list's action asks (``bulk_changes.start``), its job run here to the end, on
    the queue as in production: related news is ranked again by a job per batch
    on the lane of long jobs, which runs after the change, so the change is timed
    alone and then ``SAMPLE`` of its ranking jobs, each against lists ranked
    beforehand as a live archive has them (this archive was loaded unranked).
    The tag is removed after, so the archive is as it was but for the history."""
    from django.db import connection

    from articles.desk import bulk_changes
    from articles.models import Article, Tag
    from articles.site import related

    user = editor()
    chosen = Article.objects.published().order_by("-published_at").values("pk")[:how_many]
    ids = sorted(chosen.values_list("pk", flat=True))
    stories = Article.objects.filter(pk__in=ids)
    sampled = ids[: SAMPLE * bulk_changes.BATCH]  # the first batches' stories (in id order)
    near = set(sampled)
    for story in related._with_links(Article.objects.filter(pk__in=sampled)):
        near.update(s.pk for s in related.related_articles(story, related.NEIGHBOURS))
    for story in related._with_links(Article.objects.published().filter(pk__in=near)):
        related.rank(story).store(story.pk)
    rows = []
    for name, change in (
        ("archive", {"to_status": Article.Status.ARCHIVED}),
        ("publish again", {"to_status": Article.Status.PUBLISHED}),
        ("add a tag", {"tag": f"bench {secrets.token_hex(3)}"}),
    ):
        with connection.cursor() as cursor:  # what earlier work left waiting is not this change's
            cursor.execute("DELETE FROM procrastinate_jobs WHERE task_name IN "
                           "('related.rank', 'desk.bulk_change')")  # fmt: skip
        started = time.perf_counter()
        done = bulk_changes.start(user, stories, **change)
        bulk_changes.run(done.pk)  # the job's work, here
        done.refresh_from_db()
        seconds = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("SELECT args->'ids' FROM procrastinate_jobs WHERE status = 'todo' "
                           "AND task_name = 'related.rank' ORDER BY id")  # fmt: skip
            waiting = [json.loads(r[0]) if isinstance(r[0], str) else r[0] for r in cursor]
            cursor.execute("DELETE FROM procrastinate_jobs WHERE task_name IN "
                           "('related.rank', 'desk.bulk_change')")  # done here  # fmt: skip
        ranking = []
        for job in waiting[:SAMPLE]:
            began = time.perf_counter()
            related.rerank(job)
            ranking.append(time.perf_counter() - began)
        rows.append({"change": name, "stories": done.total, "changed": done.changed,
                     "refused": done.refused_count, "seconds": seconds,
                     "rank_jobs": len(waiting), "rank_seconds": ranking})  # fmt: skip
        each = statistics.mean(ranking or [0])
        print(f"  {name:15} {done.changed}/{done.total} in {seconds:.0f} s; "
              f"{len(waiting)} ranking jobs, {each:.1f} s each", flush=True)  # fmt: skip
        if "tag" in change:
            Tag.objects.filter(name=change["tag"]).delete()
    return rows


def growth(size: int) -> list[dict]:
    from django.db import connection

    rows = []
    with connection.cursor() as cursor:
        for table, what in GROWING.items():
            cursor.execute(
                f"SELECT count(*), pg_total_relation_size('{table}'), "
                f"coalesce(avg(pg_column_size(t.*)), 0) FROM {table} t"
            )
            count, size_bytes, row_bytes = cursor.fetchone()
            rows.append({"table": table, "what": what, "rows": count, "bytes": size_bytes,
                         "row_bytes": float(row_bytes)})  # fmt: skip
    return rows


def one_size(size: int, requests: int, postgres: str, out: Path, how_many: int = BULK) -> None:
    import run  # the benchmark's database loader

    database = f"{postgres}/toasoan_bench_{size}"
    run.fill(database, size, postgres, rank=False)
    os.environ.update(
        DATABASE_URL=database, DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="testserver", SECURE_SSL_REDIRECT="0", SECURE_COOKIES="0",
        DJANGO_SETTINGS_MODULE="newsroom.settings", JOBS_QUEUE="1",
        STATIC_ROOT=tempfile.mkdtemp(prefix="toasoan-desk-static-"),
    )  # fmt: skip
    import logging

    import django
    from django.core.management import call_command

    django.setup()
    logging.disable(logging.INFO)  # a sign-in line per request is not the figure
    call_command("collectstatic", "--noinput", "-v0")
    # The changes first: the lists of the desk's log and of changes then hold some at every size.
    changes = bulk(how_many) if how_many else []  # --bulk 0: the pages alone
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would after them, not during a measurement
        cursor.execute("VACUUM ANALYZE")
    result = {"pages": measure(requests), "bulk": changes, "growth": growth(size)}
    out.write_text(json.dumps(result))


def report(results: dict, requests: int) -> tuple[str, int]:
    lines = [
        f"# The desk at archive scale, {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC\n",
        f"Signed in as an editor; Django's test client in-process, DEBUG off, PostgreSQL; "
        f"{requests} requests per page after one to warm. Budget: p95 < {BUDGET_MS} ms, "
        "queries the same at every size.\n",
    ]
    failed = 0
    sizes = sorted(results)
    lines += ["| page | " + " | ".join(f"{s:,}: queries, p50, p95 ms" for s in sizes) + " | |",
              "| --- |" + " ---: |" * len(sizes) + " --- |"]  # fmt: skip
    for i, first in enumerate(results[sizes[0]]["pages"]):
        cells, ok = [], True
        for size in sizes:
            r = results[size]["pages"][i]
            ok &= r["p95"] < BUDGET_MS and r["status"] == 200 and r["queries"] == first["queries"]
            cells.append(f"{r['queries']}, {r['p50']:.0f}, {r['p95']:.0f}"
                         + ("" if r["status"] == 200 else f" ({r['status']})"))  # fmt: skip
        failed += not ok
        lines.append(f"| {first['page']} `{first['url'].split('/admin/')[1]}` | "
                     + " | ".join(cells) + f" | {'pass' if ok else 'FAIL'} |")  # fmt: skip
    how_many = max((b["stories"] for size in sizes for b in results[size]["bulk"]), default=0)
    if not how_many:
        lines.append("\nChanges to many stories: not measured in this run (`--bulk 0`).")
    else:
        lines += [f"\n## Changes to {how_many:,} stories at once\n",
                  "Each story through the desk's rules (`workflow`), with its revision and log "
                  "entry, in batches of 100 that commit with the change's progress.\n",
                  "Related news is then ranked again by a job per batch, on the lane of long jobs "
                  f"(pages drop a story no longer published from a stored list meanwhile): "
                  f"{SAMPLE} of those jobs timed, against lists ranked beforehand, and the whole "
                  "projected from them.\n",
                  "| size | change | stories | changed | refused | seconds | stories/s "
                  "| ranking jobs | s per job (sample) | ranking, projected min |",
                  "| ---: | --- |" + " ---: |" * 8]  # fmt: skip
        for size in sizes:
            for b in results[size]["bulk"]:
                failed += b["changed"] != b["stories"]
                each = statistics.mean(b["rank_seconds"] or [0])
                lines.append(f"| {size:,} | {b['change']} | {b['stories']:,} | {b['changed']:,} | "
                             f"{b['refused']} | {b['seconds']:.0f} | "
                             f"{b['changed'] / b['seconds']:.0f} | {b['rank_jobs']} | {each:.1f} | "
                             f"{each * b['rank_jobs'] / 60:.0f} |")  # fmt: skip
    lines += ["\n## Growth\n",
              f"Rows and bytes (with indexes and TOAST) after the benchmark's changes; per row, "
              f"and at a million stories, projected with {REVISIONS_PER_STORY} revisions and "
              f"{MOVES_PER_STORY} moves per story, and {SIGN_INS:,} sign-ins (100 staff, twice "
              "a day, ten years; they do not grow with the archive).\n",
              f"† Fewer than {SMALL:,} rows: the rows' own stored size plus their headers, "
              "without indexes.\n",
              "| size | table | what | rows | MB | bytes/row | projected at 1M, GB |",
              "| ---: | --- | --- | ---: | ---: | ---: | ---: |"]  # fmt: skip
    per_story = {"reversion_revision": REVISIONS_PER_STORY, "articles_statechange": MOVES_PER_STORY,
                 "articles_article": 1}  # fmt: skip
    for size in sizes:
        growth_rows = {g["table"]: g for g in results[size]["growth"]}
        revisions = growth_rows["reversion_revision"]["rows"] or 1
        versions_per_revision = growth_rows["reversion_version"]["rows"] / revisions
        for g in results[size]["growth"]:
            # A small table is mostly its first pages: its rows' own size, with their headers.
            big = g["rows"] >= SMALL
            per_row = g["bytes"] / g["rows"] if big else g["row_bytes"] + ROW_HEADER
            if g["table"] == "reversion_version":
                projected_rows = 1_000_000 * REVISIONS_PER_STORY * versions_per_revision
            elif g["table"] == "axes_accesslog":
                projected_rows = SIGN_INS
            elif g["table"] == "articles_bulkchange":
                projected_rows = g["rows"]
            else:
                projected_rows = 1_000_000 * per_story[g["table"]]
            lines.append(f"| {size:,} | `{g['table']}` | {g['what']} | {g['rows']:,} | "
                         f"{g['bytes'] / 1e6:.0f} | {per_row:.0f}{'' if big else ' †'} | "
                         f"{projected_rows * per_row / 1e9:.1f} |")  # fmt: skip
    return "\n".join(lines) + "\n", failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--bulk", type=int, default=BULK, help="stories changed at once")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a size, in its process
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        one_size(args.one, args.requests, args.postgres, args.out, args.bulk)
        return
    results = {}
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"== {size} stories", flush=True)
        out = Path(tempfile.mkstemp(prefix="toasoan-desk-", suffix=".json")[1])
        command = [sys.executable, __file__, "--one", str(size), "--out", str(out),
                   "--requests", str(args.requests), "--postgres", args.postgres,
                   "--bulk", str(args.bulk)]  # fmt: skip
        subprocess.run(command, check=True)
        results[size] = json.loads(out.read_text())
        out.unlink()
    text, failed = report(results, args.requests)
    (ROOT / "bench" / "results" / "desk-latest.md").write_text(text)
    print("\n" + text)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
