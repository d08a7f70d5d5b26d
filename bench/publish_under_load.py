"""Readers and an editor at once: 64 connections read the home page
and a story for 60 s from the production server on loopback (page cache on,
as in production) while an editor, signed in to the admin of that same server,
writes, publishes, edits and unpublishes stories through its forms, as a
browser would. Passes when no reader's request failed, every save of the
editor's went through, and every story published during the run is on the
site afterwards, as last edited, and no unpublished one is.

    .venv/bin/python bench/publish_under_load.py [--size 1000] [--seconds 60]

Uses bench/run.py's archive (toasoan_bench_<size>) and server.
"""

import argparse
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import run as bench

from tests.browser_form import form_values


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
    # This process reads the database to check the site afterwards.
    os.environ.update({**env, "DEBUG": "1", "ALLOWED_HOSTS": "*"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(bench.ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import User

    from articles.models import Article, Section

    password = secrets.token_urlsafe(16)
    editor, _ = User.objects.get_or_create(username="bench-editor")
    editor.is_staff = editor.is_superuser = True
    editor.set_password(password)
    editor.save()
    section = Section.objects.order_by("pk").first()
    story_url = Article.objects.published().first().get_absolute_url()
    published, unpublished, saves = [], [], []
    with bench.server(env, cached=True) as base:
        command = ["wrk", "-t1", f"-c{args.connections // 2}", f"-d{args.seconds}s",
                   "--latency", "--timeout", "10s", "-H", "X-Forwarded-Proto: https"]  # fmt: skip
        readers = [
            subprocess.Popen([*command, base + url], stdout=subprocess.PIPE, text=True)
            for url in ("/", story_url)
        ]
        desk = Desk(base, editor.username, password)
        started, n = time.monotonic(), 0
        while time.monotonic() - started < args.seconds - 3:
            n += 1
            headline = f"Tin thử tải {os.getpid()}-{n}"
            saves.append(desk.save("articles/article/add/", headline=headline,
                                   sapo="Viết trong lúc đang có người đọc.",
                                   body="<p>Nội dung.</p>", section=section.pk))  # fmt: skip
            story = Article.objects.get(headline=headline)
            change = f"articles/article/{story.pk}/change/"
            saves.append(desk.save(change, status=Article.Status.PUBLISHED))
            saves.append(desk.save(change, headline=f"{headline} (đã sửa)"))
            if n % 5 == 0:
                saves.append(desk.save(change, status=Article.Status.ARCHIVED))
                unpublished.append(story)
            else:
                published.append(story)
            time.sleep(0.3)
        for story in (*published, *unpublished):
            story.refresh_from_db()
        results = [bench.parse_wrk(reader.communicate()[0]) for reader in readers]
        problems = check(base, published, unpublished)
    failures = sum(r["errors"] + r["non_2xx"] for r in results)
    for name, result in zip(("home", "story"), results, strict=True):
        print(f"{name}: {result}")
    refused = [s for s in saves if s]
    timings = sorted(desk.timings)
    print(f"editor: {len(published)} published and edited, {len(unpublished)} unpublished; "
          f"{len(saves)} saves, {len(refused)} refused; admin request p50 "
          f"{timings[len(timings) // 2]:.0f} ms, max {timings[-1]:.0f} ms")  # fmt: skip
    print(f"readers' failures: {failures}; wrong after the run: {len(problems)}")
    for problem in (refused + problems)[:20]:
        print("  ", problem)
    passed = failures == 0 and not refused and not problems
    print("PASS" if passed else "FAIL")
    return 0 if passed else 1


class Desk:
    """An editor in the admin over HTTP, as a browser: signs in, opens a form,
    changes fields and posts it. The server is behind a TLS proxy as far as it
    knows (X-Forwarded-Proto), so its cookies are Secure and kept here by hand."""

    def __init__(self, base: str, username: str, password: str):
        self.base, self.cookies, self.timings = base, {}, []
        self.admin = f"/{os.environ.get('ADMIN_URL', 'admin/')}"
        self.opener = urllib.request.build_opener(NoRedirect)
        self.open("login/")
        status, _ = self.open("login/", {
            "username": username, "password": password, "next": self.admin,
            "csrfmiddlewaretoken": self.cookies["csrftoken"],
        })  # fmt: skip
        if status != 302:
            raise SystemExit(f"the editor could not sign in ({status})")

    def open(self, path: str, data: dict | None = None) -> tuple[int, str]:
        url = self.base + self.admin + path
        headers = {
            "X-Forwarded-Proto": "https",
            "Referer": url.replace("http:", "https:"),
            "Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items()),
        }
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        started = time.perf_counter()
        try:
            response = self.opener.open(urllib.request.Request(url, body, headers), timeout=30)
        except urllib.error.HTTPError as error:  # 302 after a save, or a real error
            response = error
        with response:
            for raw in response.headers.get_all("Set-Cookie") or []:
                name, value = raw.split(";", 1)[0].split("=", 1)
                self.cookies[name] = value
            html = response.read().decode()
        self.timings.append((time.perf_counter() - started) * 1000)
        return response.status, html

    def save(self, path: str, **changes) -> str:
        """'' when the save went through, else what went wrong."""
        status, html = self.open(path)
        if status != 200:
            return f"{path}: opening the form answered {status}"
        values = form_values(html, "article_form")
        values.update({name: [str(value)] for name, value in changes.items()})
        status, html = self.open(path, values)
        if status == 302:
            return ""
        errors = re.findall(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', html, re.S)
        return f"{path} {changes}: {status} {errors[:2]}"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


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
