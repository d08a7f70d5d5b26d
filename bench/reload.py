"""A deploy's reload under readers: gunicorn (production settings, page cache
off, so every request is a page made) serves 64 readers with wrk while its
master is told to reload (SIGHUP: new workers with the new code start, the old
ones finish what they hold, then stop) RELOADS times; every request must
succeed.

    .venv/bin/python bench/reload.py [--seconds 30] [--reloads 3]

On PostgreSQL at 1k stories (bench/run.py's archive) unless --database says
otherwise; writes bench/results/reload-latest.md. Fails when one request failed.
"""

import argparse
import os
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--reloads", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    parser.add_argument("--database", help="default: the benchmark's archive of 1k stories")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    args = parser.parse_args()
    bench.ensure_wrk()
    database = args.database or f"{args.postgres}/toasoan_bench_1000"
    if not args.database:
        bench.fill(database, 1000, args.postgres)
    env = bench.server_env(database, args, Path(tempfile.mkdtemp(prefix="bench-static-")))
    bench.manage(env, "collectstatic", "--noinput", "-v0")
    server = bench.server(env, cached=False)
    with server as base:
        master = server.process.pid  # gunicorn's master
        first_workers = workers(master)
        reloads = []

        def reload_now() -> None:
            pause = args.seconds / (args.reloads + 1)
            for _ in range(args.reloads):
                time.sleep(pause)
                os.kill(master, signal.SIGHUP)
                reloads.append(time.strftime("%H:%M:%S"))

        sender = threading.Thread(target=reload_now)
        sender.start()
        output = bench.run(
            ["wrk", "-t2", f"-c{args.connections}", f"-d{args.seconds}s", "--latency",
             "--timeout", "10s", "-H", "X-Forwarded-Proto: https", base + "/"]
        )  # fmt: skip
        sender.join()
        time.sleep(3)  # the last reload's old workers gone
        replaced = not (workers(master) & first_workers)
    figures = bench.parse_wrk(output)
    failed = figures["errors"] + figures["non_2xx"]
    report = "\n".join(
        [
            f"# A reload under readers ({time.strftime('%Y-%m-%d %H:%M')})",
            "",
            f"`bench/reload.py --seconds {args.seconds} --reloads {args.reloads}`: gunicorn, "
            f"{args.workers} workers, page cache off; wrk, {args.connections} connections on "
            f"the home page; SIGHUP to the master at {', '.join(reloads)}; every worker "
            f"{'replaced' if replaced else 'NOT replaced'} by then.",
            "",
            "| requests | req/s | p50 ms | p99 ms | failed (socket errors, non-2xx) |",
            "| --- | --- | --- | --- | --- |",
            f"| {figures['requests']:,} | {figures['rps']} | {figures['p50']} "
            f"| {figures['p99']} | {failed} |",
            "",
        ]
    )
    (ROOT / "bench/results/reload-latest.md").write_text(report)
    print(report)
    return 1 if failed or len(reloads) < args.reloads or not replaced else 0


def workers(master: int) -> set[int]:
    """The master's worker processes now."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return {int(pid) for pid in children}


if __name__ == "__main__":
    sys.exit(main())
