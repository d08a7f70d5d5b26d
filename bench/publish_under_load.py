"""Readers and an editor at once (issue 7): 64 connections read the home page
and a story for 60 s from the production server on loopback (page cache on,
as in production) while an editor, through the desk's workflow, writes,
publishes, edits and unpublishes stories. Passes when no request failed and
every story published during the run is on the site afterwards, as last
edited, and no unpublished one is.

    .venv/bin/python bench/publish_under_load.py [--size 1000] [--seconds 60]

Uses bench/run.py's archive (toasoan_bench_<size>) and server.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=5)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    bench.ensure_wrk()
    database = f"{args.postgres}/toasoan_bench_{args.size}"
    bench.fill(database, args.size, args.postgres)
    env = bench.server_env(database, args, Path(tempfile.mkdtemp(prefix="bench-static-")))
    bench.manage(env, "collectstatic", "--noinput", "-v0")
    # The editor works in this process, on the same database and cache as the server.
    os.environ.update({**env, "DEBUG": "1", "ALLOWED_HOSTS": "*"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(bench.ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import User

    from articles import workflow
    from articles.models import Article, Section

    editor, _ = User.objects.get_or_create(username="bench-editor", defaults={"is_staff": True})
    editor.is_superuser = True
    editor.save()
    section = Section.objects.order_by("pk").first()
    story_url = Article.objects.published().first().get_absolute_url()
    published, unpublished = [], []
    with bench.server(env, cached=True) as base:
        command = ["wrk", "-t1", f"-c{args.connections // 2}", f"-d{args.seconds}s",
                   "--latency", "--timeout", "10s", "-H", "X-Forwarded-Proto: https"]  # fmt: skip
        readers = [
            subprocess.Popen([*command, base + url], stdout=subprocess.PIPE, text=True)
            for url in ("/", story_url)
        ]
        started, n = time.monotonic(), 0
        while time.monotonic() - started < args.seconds - 2:
            n += 1
            story = Article.objects.create(
                headline=f"Tin thử tải {os.getpid()}-{n}",
                sapo="Viết trong lúc đang có người đọc.",
                body="<p>Nội dung.</p>",
                section=section,
                created_by=editor,
            )
            workflow.transition(story, Article.Status.PUBLISHED, editor)
            story.headline += " (đã sửa)"
            story.save()
            if n % 5 == 0:
                workflow.transition(story, Article.Status.ARCHIVED, editor)
                unpublished.append(story)
            else:
                published.append(story)
            time.sleep(0.3)
        results = [bench.parse_wrk(reader.communicate()[0]) for reader in readers]
        problems = check(base, published, unpublished)
    failures = sum(r["errors"] + r["non_2xx"] for r in results)
    for name, result in zip(("home", "story"), results, strict=True):
        print(f"{name}: {result}")
    print(f"editor: {len(published)} published and edited, {len(unpublished)} unpublished")
    print(f"readers' failures: {failures}; wrong after the run: {len(problems)}")
    for problem in problems[:20]:
        print("  ", problem)
    passed = failures == 0 and not problems
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


def check(base: str, published, unpublished) -> list[str]:
    problems = []
    for story in published:
        status, html = get(base + story.get_absolute_url())
        if status != 200 or story.headline not in html:
            problems.append(f"published, not shown as edited: {story.slug} ({status})")
    for story in unpublished:
        status, _ = get(base + story.get_absolute_url())
        if status != 404:
            problems.append(f"unpublished, still shown: {story.slug} ({status})")
    _, home = get(base + "/")
    newest = [s for s in published[-5:] if s.headline not in home]
    problems += [f"not on the home page: {s.slug}" for s in newest]
    return problems


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(bench.request(url), timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, ""


if __name__ == "__main__":
    sys.exit(main())
