"""Live coverage through the edge: 64 readers poll a live story's timeline (its
fragment, with the ETag of the copy they have, as static/js/live.js does) every
polling interval through Varnish in front of the production server, while an
editor posts an update every 10 s (through the workflow, as the desk does, so the
purges go out as from the desk).

    .venv/bin/python bench/live.py [--size 1000] [--seconds 30] [--rounds 3]

Budgets: every reader sees every update within one polling interval plus one
second of its post (the time from the post's commit to the poll that brought it);
with the readers polling and the editor posting, wrk's throughput on the live
story's page and on its timeline through the edge is 90% or more of the quiet
figure (no poller, no post), each busy run right after its quiet one, the median
of the rounds' ratios; no request fails.
"""

import argparse
import datetime
import random
import re
import statistics
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import run as bench

from tests.varnish import VARNISHD, Varnish

POSTED = re.compile(r"Cập nhật số \d+, [0-9a-f]{8}\.")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--readers", type=int, default=64)
    parser.add_argument("--interval", type=float, default=10.0, help="LIVE_POLL_SECONDS")
    parser.add_argument("--every", type=float, default=10.0, help="seconds between posts")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    bench.ensure_wrk()
    if not Path(VARNISHD).exists():
        raise SystemExit("varnishd is needed: apt-get install varnish varnish-modules")
    env, edge_port = bench.behind_an_edge(args, LIVE_POLL_SECONDS=str(int(args.interval)))
    from django.contrib.auth.models import User
    from django.core.cache import cache
    from django.utils import timezone

    from articles.desk import workflow
    from articles.freshness import edge
    from articles.models import Article, LiveUpdate

    cache.clear()
    editor, _ = User.objects.get_or_create(username="bench-live-editor")
    editor.is_staff = editor.is_superuser = True
    editor.save()
    story = Article.objects.published().order_by("-published_at").first()
    LiveUpdate.objects.filter(article=story).delete()
    story.live_from, story.live_until = timezone.now() - datetime.timedelta(hours=1), None
    story.save()

    def post(text: str) -> float:
        workflow.post_update(LiveUpdate(article=story, body=text), editor)
        committed = time.time()
        edge.wait()
        return committed

    page, timeline = story.get_absolute_url(), story.get_absolute_url() + "truc-tiep/"
    runs: dict[str, list[dict]] = {}
    delays: list[float] = []
    failures: list[str] = []
    posts = 0
    with (
        bench.server(env, cached=True) as app,
        Varnish(int(app.rsplit(":", 1)[1]), edge_port) as front,
    ):
        post("Bắt đầu tường thuật.")
        for _ in range(args.rounds):
            for name, url in (("page", page), ("timeline", timeline)):
                runs.setdefault(f"{name} quiet", []).append(
                    bench.wrk(front + url, args.seconds, args.connections)
                )
                readers = Readers(front + timeline, args.readers, args.interval, failures)
                desk = Desk(post, args.every)
                runs.setdefault(f"{name} busy", []).append(
                    bench.wrk(front + url, args.seconds, args.connections)
                )
                desk.stop()
                time.sleep(args.interval + 1.5)  # the last post reaches every reader
                readers.stop()
                posts += len(desk.posted)
                delays += readers.delays(desk.posted)
    ratios = {
        name: statistics.median(
            busy["rps"] / quiet["rps"]
            for quiet, busy in zip(runs[f"{name} quiet"], runs[f"{name} busy"], strict=True)
        )
        for name in ("page", "timeline")
    }
    report, passed = render(runs, ratios, delays, posts, failures, args)
    print(report)
    (bench.ROOT / "bench" / "results" / "live-latest.md").write_text(report + "\n")
    return 0 if passed else 1


class Desk:
    """Posts an update every ``every`` seconds in a thread: the text and when its
    post committed."""

    def __init__(self, post, every: float):
        self.post, self.every, self.posted, self.running = post, every, {}, True
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        n = 0
        while self.running:
            n += 1
            text = f"Cập nhật số {n}, {random.getrandbits(32):08x}."
            self.posted[text] = self.post(text)
            deadline = time.monotonic() + self.every
            while self.running and time.monotonic() < deadline:
                time.sleep(0.1)

    def stop(self) -> None:
        self.running = False
        self.thread.join()


class Readers:
    """``count`` readers, each polling ``url`` every ``interval`` seconds from a
    moment of its own in the first interval, with the ETag of its copy; when each
    first saw each text."""

    def __init__(self, url: str, count: int, interval: float, failures: list):
        self.url, self.interval, self.failures, self.running = url, interval, failures, True
        self.seen: list[dict[str, float]] = [{} for _ in range(count)]
        self.threads = [
            threading.Thread(target=self.read, args=(n, interval * n / count), daemon=True)
            for n in range(count)
        ]
        for thread in self.threads:
            thread.start()

    def read(self, n: int, offset: float) -> None:
        time.sleep(offset)
        etag, body = "", ""
        while self.running:
            asked = time.monotonic()
            headers = {"X-Forwarded-Proto": "https"}
            if etag:
                headers["If-None-Match"] = etag
            try:
                with urllib.request.urlopen(
                    urllib.request.Request(self.url, headers=headers), timeout=10
                ) as response:
                    body, etag = response.read().decode(), response.headers.get("ETag", "")
            except urllib.error.HTTPError as answer:
                if answer.code != 304:
                    self.failures.append(f"{answer.code} on {self.url}")
            except OSError as error:
                self.failures.append(f"{error} on {self.url}")
            now = time.time()
            for text in _texts(body):
                self.seen[n].setdefault(text, now)
            time.sleep(max(0.0, self.interval - (time.monotonic() - asked)))

    def delays(self, posted: dict[str, float]) -> list[float]:
        """For each reader and each post: seconds from its commit to the reader's
        first sight of it (infinite if never)."""
        return [
            seen.get(text, float("inf")) - at for seen in self.seen for text, at in posted.items()
        ]

    def stop(self) -> None:
        self.running = False
        for thread in self.threads:
            thread.join()


def _texts(body: str) -> list[str]:
    """The posted texts a copy of the timeline shows."""
    return POSTED.findall(body)


def render(runs, ratios, delays, posts, failures, args) -> tuple[str, bool]:
    budget = args.interval + 1
    worst = max(delays) if delays else float("inf")
    ordered = sorted(delays)
    p99 = ordered[int(0.99 * (len(ordered) - 1))] if ordered else float("inf")
    failed = sum(r["errors"] + r["non_2xx"] for rs in runs.values() for r in rs) + len(failures)
    checks = [
        (f"slowest delivery of an update to a reader (s, {len(delays)} deliveries)",
         round(worst, 2), f"≤ {budget:g}", worst <= budget),
        *(
            (f"{name} through the edge, readers polling and a post every {args.every:g} s "
             "(% of quiet)", round(100 * ratio), "≥ 90", ratio >= 0.9)
            for name, ratio in ratios.items()
        ),
        ("failed requests", failed, "0", failed == 0),
    ]  # fmt: skip
    passed = all(ok for *_, ok in checks)
    lines = [
        f"# Live coverage through the edge ({args.size} stories, {args.workers} workers, "
        f"{args.readers} readers polling every {args.interval:g} s, a post every {args.every:g} s, "
        f"wrk -c{args.connections} -d{args.seconds}s, median of {args.rounds} rounds)",
        "",
        "| | req/s | p50 ms | p99 ms | failures |",
        "| --- | --- | --- | --- | --- |",
        *(
            f"| {name} | {statistics.median(r['rps'] for r in rs)} | "
            f"{statistics.median(r['p50'] for r in rs)} | "
            f"{statistics.median(r['p99'] for r in rs)} | "
            f"{sum(r['errors'] + r['non_2xx'] for r in rs)} |"
            for name, rs in runs.items()
        ),
        "",
        f"Posts: {posts}; deliveries: {len(delays)}; from a post's commit to a reader's sight "
        f"of it: median {statistics.median(delays) if delays else 0:.2f} s, p99 {p99:.2f} s, "
        f"slowest {worst:.2f} s.",
        "",
        "| budget | figure | wanted | |",
        "| --- | --- | --- | --- |",
        *(
            f"| {name} | {figure} | {wanted} | {'pass' if ok else 'FAIL'} |"
            for name, figure, wanted, ok in checks
        ),
        "",
        "PASS" if passed else "FAIL",
    ]
    return "\n".join(lines), passed


if __name__ == "__main__":
    sys.exit(main())
