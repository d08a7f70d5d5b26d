"""What one editor's save costs the machine (a busy desk): the
production server (gunicorn, page cache on Redis) behind Varnish, at 1k stories
on PostgreSQL (bench/run.py's archive), and no readers at all.

An editor saves a story's headline, as bench/edge.py's does, its purges go out,
and its page is asked for through the edge, which must make it again. The
machine's CPU time (every process: the app, the database, Redis, Varnish, this
one) per cycle, less what the idle machine spends, is what a cycle takes from
the readers of a machine that is busy serving them; at two cycles a second on
two cores, each 10 ms is 1% of the machine. Printed for the whole cycle and for
the save alone, the median of ``--rounds``.

    .venv/bin/python bench/desk_cost.py [--cycles 60] [--rounds 3]
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import run as bench

from tests.varnish import VARNISHD, Varnish, free_port

TICKS = os.sysconf("SC_CLK_TCK")


def busy_seconds() -> float:
    """The machine's CPU time so far, all but idle and steal, in seconds."""
    times = bench.cpu_times()
    return (sum(times[:8]) - times[3] - times[4] - times[7]) / TICKS


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cycles", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if not Path(VARNISHD).exists():
        raise SystemExit("varnishd is needed: apt-get install varnish varnish-modules")
    database = f"{args.postgres}/toasoan_bench_1000"
    bench.fill(database, 1000, args.postgres)
    edge_port = free_port()
    env = bench.server_env(database, args, Path(tempfile.mkdtemp(prefix="bench-static-")))
    env["EDGE_CACHE_URL"] = f"http://127.0.0.1:{edge_port}/"
    bench.manage(env, "collectstatic", "--noinput", "-v0")
    os.environ.update({**env, "ALLOWED_HOSTS": "*"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(bench.ROOT))
    import django

    django.setup()
    from django.core.cache import cache

    from articles.freshness import edge
    from articles.models import Article

    cache.clear()
    stories = list(Article.objects.published().order_by("-published_at")[50:400])
    figures: dict[str, list[float]] = {"cycle": [], "save": []}
    with (
        bench.server(env, cached=True) as app,
        Varnish(int(app.rsplit(":", 1)[1]), edge_port) as front,
    ):

        def page(story) -> bytes:
            url = front + story.get_absolute_url()
            with urllib.request.urlopen(bench.request(url), timeout=10) as response:
                return response.read()

        for story in stories:  # pages readers have read: kept, and their pieces
            page(story)
        idle_before, idle_started = busy_seconds(), time.monotonic()
        time.sleep(3)
        idle = (busy_seconds() - idle_before) / (time.monotonic() - idle_started)
        for _ in range(args.rounds):
            for part in figures:
                before, started = busy_seconds(), time.monotonic()
                for number in range(args.cycles):
                    story = random.choice(stories)
                    story.headline = f"{story.headline.split(' ·')[0]} · {number}"
                    story.save()
                    edge.wait()
                    if part == "cycle" and story.headline.encode() not in page(story):
                        raise SystemExit(f"stale after its purge: {story.get_absolute_url()}")
                spent = busy_seconds() - before - idle * (time.monotonic() - started)
                figures[part].append(1000 * spent / args.cycles)
    cycle, save = (round(statistics.median(figures[part]), 1) for part in ("cycle", "save"))
    print(
        f"Machine CPU per editor's cycle (save, purge, its page made again through the edge): "
        f"{cycle} ms; the save alone: {save} ms (median of {args.rounds} rounds of "
        f"{args.cycles}; idle machine {round(1000 * idle, 1)} ms/s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
