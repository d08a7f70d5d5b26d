"""The edge cache and a busy desk: the production server (gunicorn,
page cache on Redis) behind Varnish with deploy/varnish/default.vcl, on
loopback, at 1k stories on PostgreSQL (bench/run.py's archive).

Measured with wrk, each against the bare Django view (/healthz) of the same run:
a story page and the home page served by the edge (hits), and by the app's own
page cache; then the same while an editor saves a story every 0.5 s (its
headline, through the ORM, so the purges go out as from the desk), and after
each save its page through the edge must show the new headline.

    .venv/bin/python bench/edge.py [--size 1000] [--seconds 10]

Budgets: a hit at the edge at 3x the bare view or more; a page from the app's
cache at 70% of bare or more (2 workers); with the busy desk, 90% or more of
the quiet figure (each busy run right after its quiet one, the median of the
rounds' ratios), through the edge and direct, with no error and no stale page.
"""

import argparse
import random
import statistics
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import run as bench

from tests.varnish import VARNISHD, Varnish


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3, help="each figure is the median of these")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    bench.ensure_wrk()
    if not Path(VARNISHD).exists():
        raise SystemExit("varnishd is needed: apt-get install varnish varnish-modules")
    env, edge_port = bench.behind_an_edge(args)
    from django.core.cache import cache

    from articles.freshness import edge
    from articles.models import Article

    cache.clear()
    stories = list(Article.objects.published().order_by("-published_at")[:400])
    story_url = stories[0].get_absolute_url()
    results, problems = {}, []
    with bench.server(env, cached=True) as app:
        edge_cache = Varnish(int(app.rsplit(":", 1)[1]), edge_port)
        with edge_cache as front:
            pages = {"story": story_url, "home": "/"}
            runs: dict[str, list[dict]] = {}
            saves = 0
            # Rounds, each with the bare view, and each busy figure right after
            # its quiet one: a figure and the one it is compared with come from
            # the same minutes (the machine's speed drifts by ±10% over a run).
            for _ in range(args.rounds):
                runs.setdefault("bare", []).append(
                    bench.wrk(app + "/healthz", args.seconds, args.connections)
                )
                for name, url in pages.items():
                    for where, base in (("edge", front), ("app", app)):
                        for quiet_or_busy in ("quiet", "busy"):
                            busy = quiet_or_busy == "busy"
                            desk = Editor(stories[50:], edge, problems, front) if busy else None
                            before = edge_cache.counters()
                            result = bench.wrk(base + url, args.seconds, args.connections)
                            if where == "edge":
                                result["hit rate"] = hit_rate(before, edge_cache.counters())
                            if desk:
                                desk.stop()
                                saves += desk.saves
                            runs.setdefault(f"{name} {where} {quiet_or_busy}", []).append(result)
            results.update({name: median(figures) for name, figures in runs.items()})
            results["saves"] = saves
            # Busy over quiet, round by round: the median of the paired ratios.
            results["ratios"] = {
                key: statistics.median(
                    busy["rps"] / quiet["rps"]
                    for quiet, busy in zip(runs[f"{key} quiet"], runs[f"{key} busy"], strict=True)
                )
                for key in (f"{name} {where}" for name in pages for where in ("edge", "app"))
            }
    report, passed = render(results, problems, args)
    print(report)
    out = bench.ROOT / "bench" / "results" / "edge-latest.md"
    out.write_text(report + "\n")
    return 0 if passed else 1


def median(runs: list[dict]) -> dict:
    """The run of median throughput, with the failures of all the runs."""
    middle = dict(sorted(runs, key=lambda run: run["rps"])[len(runs) // 2])
    for failure in ("errors", "non_2xx"):
        middle[failure] = sum(run[failure] for run in runs)
    return middle


def hit_rate(before: dict, after: dict) -> float:
    """The share of requests the edge answered from its cache (a percentage),
    the warm-up included: after a purge, the first request is a miss."""
    hits = after["MAIN.cache_hit"] - before["MAIN.cache_hit"]
    misses = after["MAIN.cache_miss"] - before["MAIN.cache_miss"]
    return round(100 * hits / max(1, hits + misses), 3)


class Editor:
    """Saves a story's headline every 0.5 s in a thread; after each save (its
    purge sent), its page through the edge must show the new headline."""

    def __init__(self, stories, edge, problems: list, front: str):
        self.stories, self.edge, self.problems, self.front = stories, edge, problems, front
        self.saves, self.running = 0, True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while self.running:
            story = random.choice(self.stories)
            story.headline = f"{story.headline.split(' ·')[0]} · {self.saves}"
            story.save()
            self.saves += 1
            self.edge.wait()
            url = self.front + story.get_absolute_url()
            with urllib.request.urlopen(bench.request(url), timeout=10) as response:
                if story.headline not in response.read().decode():
                    self.problems.append(f"stale after its purge: {url}")
            time.sleep(0.5)

    def stop(self) -> None:
        self.running = False
        self.thread.join()


def render(results: dict, problems: list, args) -> tuple[str, bool]:
    bare = results["bare"]["rps"]
    rows, passed = [], not problems
    figures = {name: r for name, r in results.items() if name not in ("saves", "ratios")}
    failures = sum(r["errors"] + r["non_2xx"] for r in figures.values())
    passed &= failures == 0

    def row(name: str, figure: float, budget: str, ok: bool) -> None:
        nonlocal passed
        passed &= ok
        rows.append(f"| {name} | {figure} | {budget} | {'pass' if ok else 'FAIL'} |")

    for page in ("story", "home"):
        edge, app = results[f"{page} edge quiet"]["rps"], results[f"{page} app quiet"]["rps"]
        row(f"{page}, hit at the edge (× bare)", round(edge / bare, 2), "≥ 3", edge >= 3 * bare)
        row(f"{page}, app's cache (% of bare)", round(100 * app / bare), "≥ 70", app >= 0.7 * bare)
        for where in ("edge", "app"):
            ratio = round(100 * results["ratios"][f"{page} {where}"])
            row(f"{page}, {where}, busy desk (% of quiet)", ratio, "≥ 90", ratio >= 90)
    lines = [
        f"# The edge and a busy desk ({args.size} stories, {args.workers} workers, "
        f"wrk -c{args.connections} -d{args.seconds}s, median of {args.rounds} rounds)",
        "",
        "| | req/s | p50 ms | p99 ms | failures | edge hit rate % | steal % |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        *(
            f"| {name} | {r['rps']} | {r['p50']} | {r['p99']} | {r['errors'] + r['non_2xx']} "
            f"| {r.get('hit rate', '')} | {r['steal']} |"
            for name, r in figures.items()
        ),
        "",
        f"Saves during the busy runs: {results.get('saves', 0)}; stale pages after a purge: "
        f"{len(problems)}; failed requests: {failures}. Steal: the share of the machine's "
        "time its host gave to others during the run (of the median run of each row).",
        "",
        "| budget | figure | wanted | |",
        "| --- | --- | --- | --- |",
        *rows,
        "",
        "PASS" if passed else "FAIL",
    ]
    return "\n".join(lines), passed


if __name__ == "__main__":
    sys.exit(main())
