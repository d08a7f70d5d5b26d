"""The benchmark: the production server on loopback, on PostgreSQL, at 1k and
100k stories, measured with wrk. ``make bench`` runs it; see the README.

For each archive size it
1. makes sure the database ``toasoan_bench_<size>`` holds that many stories
   (migrate, the seed stories, then ``seed_demo``, then ``rank_related``; kept
   between runs, since 100k take minutes to load), and VACUUMs and ANALYZEs it;
2. counts SQL queries per page, EXPLAINs each for sequential scans of the
   stories table, and times the related-news and search queries alone
   (bench/measure.py);
3. starts gunicorn in production mode (DEBUG off, WhiteNoise, Redis cache,
   persistent connections) twice: with the page cache off ("uncached": every
   request renders) and on ("cached": the first request fills it, the cold
   figure; then wrk measures the warm cache); wrk loads each page and the
   bare ``/healthz`` view, the framework's floor.
Then 64 connections for 60 s on the home and story pages at the largest size,
with the page cache on as in production; checks the pages' budgets and
writes a Markdown report to bench/results/ (and prints it).
"""

import argparse
import datetime
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import psycopg
import redis

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
GUNICORN = Path(sys.executable).with_name("gunicorn")
LISTINGS = ("home", "section", "filtered")
PAGES = (*LISTINGS, "detail", "seed", "search", "feed", "tracker", "live", "timeline")
# Made whole (nothing kept), at the largest size: each page's share of the bare
# view of the same server, at least.
MADE_BUDGETS = {
    "detail": ("story with related news", 0.05),
    "seed": ("seed story with its trip", 0.05),
    "home": ("home page", 0.12),
    "section": ("section", 0.12),
    "search": ("search", 0.05),
    "tracker": ("tracker", 0.05),
}
KEPT_STORY_SHARE = 0.25  # a story page, pieces kept and the page cache off
KEPT_TRACKER_P50_MS = 30


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000", help="archive sizes, comma-separated")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per page")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections per page")
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--load-connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=1, help="threads per worker")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15", help="flushed by the run")
    args = parser.parse_args()
    ensure_wrk()
    sizes = [int(size) for size in args.sizes.split(",")]
    static_root = Path(tempfile.mkdtemp(prefix="bench-static-"))
    results: dict[int, dict] = {}
    load: dict[str, dict] = {}
    try:
        for size in sizes:
            database = f"{args.postgres}/toasoan_bench_{size}"
            say(f"== {size} stories: {database}")
            fill(database, size, args.postgres)
            env = server_env(database, args, static_root)
            manage(env, "collectstatic", "--noinput", "-v0")
            measured = json.loads(run([PYTHON, "bench/measure.py"], env={**env, "DEBUG": "1"}))
            urls = {name: page["url"] for name, page in measured["pages"].items()}
            modes = ("uncached", "cached", "cold", "made")
            results[size] = {"measure": measured, **{mode: {} for mode in modes}}
            for mode in ("uncached", "cached"):
                redis.Redis.from_url(args.redis).flushdb()
                with server(env, cached=mode == "cached") as base:
                    for name, url in urls.items():
                        if mode == "cached":
                            results[size]["cold"][name] = first_request_ms(base + url)
                        results[size][mode][name] = wrk(base + url, args.seconds, args.connections)
                        say(f"  {mode:8} {name:8} {results[size][mode][name]}")
            redis.Redis.from_url(args.redis).flushdb()
            with server({**env, "CONTENT_CACHE": "0"}, cached=False) as base:
                for name in (*MADE_BUDGETS, "bare"):  # nothing kept: every piece made
                    results[size]["made"][name] = wrk(
                        base + urls[name], args.seconds, args.connections
                    )
                    say(f"  made     {name:8} {results[size]['made'][name]}")
            if size == max(sizes):
                with server(env, cached=True) as base:
                    for name in ("home", "detail"):
                        load[name] = wrk(
                            base + urls[name], args.load_seconds, args.load_connections
                        )
                        say(f"  load     {name:8} {load[name]}")
    finally:
        shutil.rmtree(static_root, ignore_errors=True)
    report, passed = render(results, load, args)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y-%m-%d-%H%M")
    (out / f"{stamp}.md").write_text(report)
    (out / "latest.md").write_text(report)
    print(report)
    say(f"written to bench/results/{stamp}.md and bench/results/latest.md")
    return 0 if passed else 1


# -- the archive


def fill(database: str, size: int, postgres: str, rank: bool = True) -> None:
    """Create the database if needed and bring it to ``size`` stories, their related
    news ranked unless ``rank`` is false (the desk's benchmark at a million shows none)."""
    name = database.rsplit("/", 1)[1]
    with psycopg.connect(f"{postgres}/postgres", autocommit=True) as admin:
        if not admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            admin.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": database}
    manage(env, "migrate", "--noinput", "-v0")
    with psycopg.connect(database) as db:
        count = db.execute("SELECT count(*) FROM articles_article").fetchone()[0]
    if count == 0:
        manage(env, "loaddata", "seed", "-v0")
        count = 2
    if count < size:
        say(f"  adding {size - count} stories (seed_demo) ...")
        started = time.perf_counter()
        manage(env, "seed_demo", "--stories", str(size - count))
        say(f"  loaded in {time.perf_counter() - started:.0f} s")
    # A bulk load saves no story one by one: related news is ranked here, once
    # (about 25 minutes for 100k stories, in two processes).
    parts = [] if not rank else [
        subprocess.Popen(
            [PYTHON, "manage.py", "rank_related", f"--part={n}/2"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL,
        )
        for n in range(2)
    ]  # fmt: skip
    if any(part.wait() for part in parts):
        raise SystemExit("manage.py rank_related failed")
    with psycopg.connect(database, autocommit=True) as db:
        db.execute("VACUUM ANALYZE")  # or autovacuum would, in the middle of a measurement


# -- the server


def server_env(database: str, args, static_root: Path) -> dict:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "BEHIND_TLS_PROXY": "1",  # wrk says X-Forwarded-Proto: https, as a TLS proxy would
        "DATABASE_URL": database,
        "REDIS_URL": args.redis,
        "STATIC_ROOT": str(static_root),
        "WEB_CONCURRENCY": str(args.workers),
        "GUNICORN_THREADS": str(args.threads),
        "GUNICORN_MAX_REQUESTS": "0",  # no worker restarts in the middle of a measurement
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }


class server:
    """gunicorn on a free loopback port, for a ``with`` block."""

    def __init__(self, env: dict, cached: bool):
        self.env = {**env, "PORT": str(free_port()), "PAGE_CACHE_SECONDS": "600" if cached else "0"}

    def __enter__(self) -> str:
        self.process = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py"],
            env=self.env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{self.env['PORT']}"
        for _ in range(100):
            try:
                urllib.request.urlopen(request(base + "/healthz"), timeout=1)
                return base
            except OSError:
                time.sleep(0.2)
        self.process.kill()
        raise SystemExit("gunicorn did not start")

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def behind_an_edge(args, **settings: str) -> tuple[dict, int]:
    """For a benchmark of the edge: the archive of ``args.size`` stories filled, the
    environment of a production server on it that purges an edge on a free port
    (with ``settings`` besides), and this process set up as Django on the same
    archive, to write to it as the desk does. The environment and the edge's port."""
    database = f"{args.postgres}/toasoan_bench_{args.size}"
    fill(database, args.size, args.postgres)
    edge_port = free_port()
    env = server_env(database, args, Path(tempfile.mkdtemp(prefix="bench-static-")))
    env.update({"EDGE_CACHE_URL": f"http://127.0.0.1:{edge_port}/", **settings})
    manage(env, "collectstatic", "--noinput", "-v0")
    os.environ.update({**env, "DEBUG": "1", "ALLOWED_HOSTS": "*"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return env, edge_port


def request(url: str) -> urllib.request.Request:
    return urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})


def first_request_ms(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(request(url), timeout=30) as response:
        response.read()
    return round((time.perf_counter() - started) * 1000, 1)


# -- the load generator


def ensure_wrk() -> None:
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-q", "wrk"], check=True, capture_output=True)
        return
    raise SystemExit("wrk is needed: apt-get install wrk (Debian), brew install wrk (macOS)")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def wrk(url: str, seconds: int, connections: int) -> dict:
    """Requests per second, p50 and p99 in ms, and every kind of failure."""
    # Warm every worker (templates, connections) before measuring.
    run(["wrk", "-t1", f"-c{connections}", "-d2s", "-H", "X-Forwarded-Proto: https", url])
    before = cpu_times()
    output = run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s",
         "-H", "X-Forwarded-Proto: https", url]
    )  # fmt: skip
    spent = [after - before for before, after in zip(before, cpu_times(), strict=True)]
    # The share of the machine's time its host took for others (a virtual machine's
    # "steal"): a run with much of it measured a slower machine.
    return {**parse_wrk(output), "steal": round(100 * spent[7] / max(1, sum(spent)), 1)}


def cpu_times() -> list[int]:
    """The machine's CPU time by kind (user, nice, system, idle, iowait, irq,
    softirq, steal, ...), in clock ticks; zeros where /proc/stat is missing."""
    try:
        return [int(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    except OSError:
        return [0] * 10


def parse_wrk(output: str) -> dict:
    """Requests per second, p50 and p99 in ms, and every kind of failure, from wrk --latency."""

    def latency(percent: str) -> float:
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(\w+)", output, re.M).groups()
        return round(float(value) * UNITS[unit], 2)

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))),
        "p50": latency("50"),
        "p99": latency("99"),
        "requests": int(re.search(r"(\d+) requests in", output).group(1)),
        "errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "timeouts": int(errors.group(4)) if errors else 0,
        "non_2xx": int(bad.group(1)) if bad else 0,
    }


# -- the report


# Queries a page may run where it runs more than 10: a live story is a story page
# (about a meeting: its event boxes) with its updates, one query more.
QUERIES = {"live": 11}


def render(results: dict, load: dict, args) -> tuple[str, bool]:
    small, large = min(results), max(results)
    budgets: list[tuple[str, bool, str]] = []
    lines = [
        f"# Benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}",
        "",
        f"gunicorn, {args.workers} workers x {args.threads} threads, DEBUG off, PostgreSQL, "
        f"Redis; wrk, 1 thread, {args.connections} connections, {args.seconds} s per page, on "
        f"the same {os.cpu_count()}-core machine. Uncached: the page cache off; what is kept "
        "until content changes (section menu, the filter form, its option lists, which "
        "stories the home page and a story's side show) and the pieces of pages kept until "
        "what they show changes (a story's text, teasers: articles/freshness/pieces.py) still come "
        "from the cache. Queries: with the pieces made (and kept). Cold: the first request "
        "after the cache was emptied. Made: nothing kept at all (CONTENT_CACHE=0), every "
        "request makes every piece, the menu included.",
        "",
    ]
    for size, result in sorted(results.items()):
        pages = result["measure"]["pages"]
        lines += [
            f"## {size:,} stories",
            "",
            "| page | queries | seq scan | uncached req/s | p50 ms | p99 ms "
            "| cold ms | cached req/s | p50 ms | p99 ms |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        ]
        for name in (*PAGES, "bare"):
            u, c = result["uncached"][name], result["cached"][name]
            lines.append(
                f"| {name} `{pages[name]['url'][:48]}` "
                f"| {pages[name]['queries']} ({pages[name]['kept_queries']}) "
                f"| {'yes' if pages[name]['seq_scans'] else 'no'} | {u['rps']} | {u['p50']} "
                f"| {u['p99']} | {result['cold'][name]} | {c['rps']} | {c['p50']} | {c['p99']} |"
            )
        m = result["measure"]
        made = result["made"]
        lines += [
            "",
            "Made whole every request: "
            + ", ".join(
                f"{name} {made[name]['rps']} req/s (p50 {made[name]['p50']} ms, "
                f"{made[name]['rps'] / made['bare']['rps']:.1%} of bare)"
                for name in MADE_BUDGETS
            )
            + f"; bare {made['bare']['rps']} req/s.",
            "",
            f"Related news query alone: {m['related_ms']} ms; search `{m['search']}` alone: "
            f"{m['search_ms']} ms ({m['search_matches']:,} matches); search `{m['rare_search']}`: "
            f"{m['rare_search_ms']} ms.",
            "",
        ]

    def budget(name: str, ok: bool, detail: str) -> None:
        budgets.append((name, ok, detail))

    for size in (small, large):
        pages = results[size]["measure"]["pages"]
        over = {n: p["queries"] for n, p in pages.items() if p["queries"] > QUERIES.get(n, 10)}
        worst = max(pages, key=lambda name: pages[name]["queries"])
        budget(
            f"at most 10 queries on any page, {QUERIES['live']} on a live story ({size:,})",
            not over,
            f"most: {worst}, {pages[worst]['queries']}" + (f"; over: {over}" if over else ""),
        )
    # On a small table a sequential scan is the planner's right choice; it is the
    # large archive where one would cost a pass over every story.
    pages = results[large]["measure"]["pages"]
    scans = [name for name in pages if pages[name]["seq_scans"]]
    budget(f"no sequential scan of stories ({large:,})", not scans, ", ".join(scans) or "none")
    a, b = results[small]["measure"]["pages"], results[large]["measure"]["pages"]
    differ = [n for n in a for k in ("queries", "kept_queries") if a[n][k] != b[n][k]]
    budget(
        f"queries per page the same at {small:,} and {large:,}, made and kept",
        not differ,
        ", ".join(
            f"{n}: {a[n]['queries']} ({a[n]['kept_queries']}) vs "
            f"{b[n]['queries']} ({b[n]['kept_queries']})"
            for n in differ
        )
        or "all equal",
    )
    made = results[large]["made"]
    for name, (what, share) in MADE_BUDGETS.items():
        rps, bare = made[name]["rps"], made["bare"]["rps"]
        budget(
            f"made whole, {what} >= {share:.0%} of the bare view ({large:,})",
            rps >= share * bare,
            f"{rps} / {bare} req/s = {rps / bare:.1%}, p50 {made[name]['p50']} ms",
        )
    bare = results[large]["uncached"]["bare"]["rps"]
    for name in ("detail", "seed"):
        rps = results[large]["uncached"][name]["rps"]
        budget(
            f"pieces kept, {name} story page >= {KEPT_STORY_SHARE:.0%} of the bare view",
            rps >= KEPT_STORY_SHARE * bare,
            f"{rps} / {bare} req/s = {rps / bare:.0%}",
        )
    p50 = results[large]["uncached"]["tracker"]["p50"]
    budget(
        f"pieces kept, tracker p50 < {KEPT_TRACKER_P50_MS} ms",
        p50 < KEPT_TRACKER_P50_MS,
        f"{p50} ms",
    )
    bare_cached = results[large]["cached"]["bare"]["rps"]
    for name in PAGES:
        rps = results[large]["cached"][name]["rps"]
        budget(
            f"cached {name} >= 70% of the bare view",
            rps >= 0.70 * bare_cached,
            f"{rps} / {bare_cached} req/s = {rps / bare_cached:.0%}",
        )
    for name in (*LISTINGS, "detail"):
        p_small = results[small]["uncached"][name]["p50"]
        p_large = results[large]["uncached"][name]["p50"]
        budget(
            f"uncached {name} p50 at {large:,} <= 1.3x at {small:,}",
            p_large <= 1.3 * p_small,
            f"{p_large} / {p_small} ms = {p_large / p_small:.2f}x",
        )
    m = results[large]["measure"]
    budget(
        f"related news query < 25 ms at {large:,}", m["related_ms"] < 25, f"{m['related_ms']} ms"
    )
    budget(f"search query < 25 ms at {large:,}", m["search_ms"] < 25, f"{m['search_ms']} ms")
    for name, figures in load.items():
        failures = figures["errors"] + figures["non_2xx"]
        budget(
            f"{args.load_connections} connections for {args.load_seconds} s on {name}: no error",
            failures == 0,
            f"{figures['requests']:,} requests, {figures['rps']} req/s, p50 {figures['p50']} ms, "
            f"p99 {figures['p99']} ms, {figures['errors']} socket errors "
            f"({figures['timeouts']} timeouts), {figures['non_2xx']} non-2xx",
        )
    lines += ["## Budgets", "", "| budget | result | figures |", "| --- | --- | --- |"]
    lines += [f"| {name} | {'PASS' if ok else 'FAIL'} | {d} |" for name, ok, d in budgets]
    passed = all(ok for _, ok, _ in budgets)
    lines += ["", f"**{'All budgets pass.' if passed else 'Some budgets fail.'}**", ""]
    return "\n".join(lines), passed


# -- helpers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(command: list[str], env: dict | None = None) -> str:
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    return result.stdout


def manage(env: dict, *args: str) -> str:
    return run([PYTHON, "manage.py", *args], env=env)


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
