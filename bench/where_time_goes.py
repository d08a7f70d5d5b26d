"""Where a page's time goes when it is made from nothing: SQL, the ORM in Python,
templates, ``reverse()``, and the rest, from cProfile over repeated requests.

``DATABASE_URL=... python bench/where_time_goes.py [--runs N] [--top N] [url ...]`` prints,
for each page (the benchmark's pages and the tracker by default), the median time
per request and its split, then the functions that take the most time of their own.
Nothing is kept (CONTENT_CACHE off, the page cache off), as for the benchmark's
"made whole" figure; with ``--kept``, the pieces of pages are (Redis at REDIS_URL).
"""

import argparse
import cProfile
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
# With --kept, the pieces of pages are kept (on REDIS_URL): the "pieces kept" figure.
KEPT = "--kept" in sys.argv
os.environ.update(
    CONTENT_CACHE="1" if KEPT else "0", PAGE_CACHE_SECONDS="0", DEBUG="0", BEHIND_TLS_PROXY="1"
)
if KEPT:
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
os.environ.setdefault("SECRET_KEY", "where-time-goes-" + "x" * 50)
os.environ.setdefault("STATIC_ROOT", tempfile.mkdtemp(prefix="where-time-goes-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.client import RequestFactory  # noqa: E402

# Where a function lives says which part of the work it is.
PARTS = (
    ("SQL (driver and database)", ("psycopg", "sqlite3", "django/db/backends")),
    ("ORM in Python", ("django/db/models",)),
    ("templates", ("django/template", "jinja2", "/templatetags/")),
    ("reverse()", ("django/urls",)),
)


def part_of(filename: str) -> str:
    for name, places in PARTS:
        if any(place in filename for place in places):
            return name
    return "the rest (views, middleware, Python)"


def split(stats: pstats.Stats) -> dict[str, float]:
    """Seconds of own time per part."""
    parts: dict[str, float] = {}
    for (filename, _line, _name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        parts[part_of(filename)] = parts.get(part_of(filename), 0.0) + tottime
    return parts


class Server:
    """The WSGI application as gunicorn calls it: not the test client, whose
    instrumented templates and signals would be counted as the page's work."""

    def __init__(self) -> None:
        self.app = WSGIHandler()
        self.factory = RequestFactory(headers={"x-forwarded-proto": "https"})

    def get(self, url: str):
        environ = self.factory.get(url).environ
        chunks: list[bytes] = []
        response = self.app(environ, lambda status, headers, exc_info=None: chunks.append)
        body = b"".join(response)
        response.close()
        response.status_code = int(response.status_code)
        response.size = len(body)
        return response


def default_urls() -> list[str]:
    import measure  # the benchmark's pages, picked the same way on any archive

    urls = measure.pages()
    return [urls[name] for name in ("home", "section", "detail", "seed", "search")] + ["/cam-ket/"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("urls", nargs="*")
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--top", type=int, default=12)
    parser.add_argument("--kept", action="store_true", help="the pieces of pages kept (Redis)")
    args = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("collectstatic", "--noinput", verbosity=0)  # the pages name hashed files
    client = Server()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    for url in args.urls or default_urls():
        for _ in range(3):
            response = client.get(url)  # warm: templates compiled, translations loaded
        times = []
        profile = cProfile.Profile()
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        for _ in range(args.runs):
            profile.runcall(client.get, url)
        stats = pstats.Stats(profile)
        parts = split(stats)
        total = sum(parts.values())
        print(
            f"\n== {url} ({response.status_code}): {statistics.median(times):.1f} ms median "
            f"over {args.runs} ({connection.vendor})"
        )
        for name, seconds in sorted(parts.items(), key=lambda item: -item[1]):
            print(f"   {100 * seconds / total:5.1f}%  {name}")
        print("   own time, most first:")
        rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[: args.top]
        for (filename, line, name), (_cc, calls, tottime, _ct, _callers) in rows:
            where = filename.split("site-packages/")[-1].replace(str(settings.BASE_DIR) + "/", "")
            print(f"   {100 * tottime / total:5.1f}%  {calls:7}  {name}  {where}:{line}")


if __name__ == "__main__":
    main()
