"""A crawler walks the archive through the edge: every published story and
every entity page, each asked for once, from a cold edge and an empty cache
(as a search engine's crawler, or the first reader of each page of the long
tail, meets them). The production server (gunicorn, 2 workers, page cache on
Redis) behind Varnish with deploy/varnish/default.vcl, on loopback, on
bench/run.py's archive.

    .venv/bin/python bench/crawl.py [--size 100000] [--connections 8] [--limit N]

Reports pages per second, the failures by kind, and the time to crawl the
whole archive (measured, or with ``--limit``, the pages asked for as a share
of all of them, projected). Budget: the archive of 100k stories in under 10
minutes on the machine's two cores. Writes bench/results/crawl-latest.md.
"""

import argparse
import http.client
import os
import queue
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import redis
import run as bench

from tests.varnish import VARNISHD, Varnish, free_port

BUDGET_MINUTES = 10


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--limit", type=int, default=0, help="crawl this many pages and project")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15", help="flushed by the run")
    args = parser.parse_args()
    if not Path(VARNISHD).exists():
        raise SystemExit("varnishd is needed: apt-get install varnish varnish-modules")
    database = f"{args.postgres}/toasoan_bench_{args.size}"
    bench.fill(database, args.size, args.postgres)
    env = bench.server_env(database, args, Path(tempfile.mkdtemp(prefix="bench-static-")))
    edge_port = free_port()
    env["EDGE_CACHE_URL"] = f"http://127.0.0.1:{edge_port}/"
    bench.manage(env, "collectstatic", "--noinput", "-v0")
    everything = addresses(env)
    urls = list(everything)
    random.Random(39).shuffle(urls)  # a crawler's order is not the archive's
    if args.limit:
        urls = urls[: args.limit]
    redis.Redis.from_url(args.redis).flushdb()  # nothing kept: every page made once
    with (
        bench.server(env, cached=True) as app,
        Varnish(int(app.rsplit(":", 1)[1]), edge_port, memory="512m") as front,
    ):
        result = crawl(front, urls, args.connections)
    report, passed = render(result, len(urls), len(everything), args)
    print(report)
    (bench.ROOT / "bench" / "results" / "crawl-latest.md").write_text(report + "\n")
    return 0 if passed else 1


def addresses(env: dict) -> list[str]:
    """Every published story's address and every public entity page's."""
    os.environ.update({**env, "DEBUG": "1", "ALLOWED_HOSTS": "*"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(bench.ROOT))
    import django

    django.setup()
    from articles.kinds import KINDS
    from articles.models import Article
    from articles.models.base import address

    stories = Article.objects.published().values_list("slug", "language")
    urls = [address(Article, slug, language) for slug, language in stories.iterator()]
    for kind in KINDS:
        urls += [thing.get_absolute_url() for thing in kind.public().iterator()]
    return urls


def crawl(front: str, urls: list[str], connections: int) -> dict:
    """Each address asked for once, by ``connections`` clients at a time, each
    on a connection of its own kept open; the time of each request."""
    todo: queue.SimpleQueue[str] = queue.SimpleQueue()
    for url in urls:
        todo.put(url)
    host, port = front.removeprefix("http://").split(":")
    times: list[float] = []
    statuses: dict[str, int] = {}
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        while True:
            try:
                url = todo.get_nowait()
            except queue.Empty:
                break
            started = time.perf_counter()
            try:
                connection.request("GET", url, headers={"X-Forwarded-Proto": "https"})
                response = connection.getresponse()
                response.read()
                status = str(response.status)
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection(host, int(port), timeout=30)
            with lock:
                times.append(time.perf_counter() - started)
                statuses[status] = statuses.get(status, 0) + 1

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    ordered = sorted(times)
    return {
        "seconds": seconds,
        "statuses": statuses,
        "p50": statistics.median(ordered) * 1000,
        "p99": ordered[int(len(ordered) * 0.99) - 1] * 1000 if ordered else 0.0,
    }


def render(result: dict, asked: int, archive: int, args) -> tuple[str, bool]:
    rate = asked / result["seconds"]
    whole_minutes = archive / rate / 60
    failures = {s: n for s, n in result["statuses"].items() if s != "200"}
    passed = whole_minutes < BUDGET_MINUTES and not failures
    measured = "measured" if asked == archive else f"projected from {asked:,} pages"
    lines = [
        f"# A crawl through the edge ({args.size:,} stories, {args.workers} workers, "
        f"{args.connections} connections, cold edge and cache)",
        "",
        f"- pages in the archive (published stories and entity pages): {archive:,}",
        f"- pages asked for: {asked:,} in {result['seconds']:.0f} s: {rate:.0f} pages/s, "
        f"p50 {result['p50']:.1f} ms, p99 {result['p99']:.1f} ms",
        f"- answers: {', '.join(f'{s}: {n:,}' for s, n in sorted(result['statuses'].items()))}",
        f"- the whole archive: {whole_minutes:.1f} minutes ({measured}); "
        f"budget under {BUDGET_MINUTES}: {'PASS' if whole_minutes < BUDGET_MINUTES else 'FAIL'}",
        "",
        "PASS" if passed else "FAIL",
    ]
    return "\n".join(lines), passed


if __name__ == "__main__":
    sys.exit(main())
