"""Readers' throughput through the edge of the running cluster (``make cluster``,
deploy/cluster.py): with two app nodes and one, with the replica and without.

Two kinds of request, wrk with 8 connections for SECONDS each:
- *hits*: the home page, which the edge keeps: what the edge alone serves;
- *made*: readers' pages the edge and the app's cache cannot have (the home
  page, a story, the latest stories and a search, each with a tracking tag
  that changes every request): made whole by an app node, no kept piece used
  (the app keeps nothing for an address with a parameter it does not read),
  every query run, on the replica when there is one. The worst case.

    make cluster && .venv/bin/python bench/cluster.py [--seconds 10]

Writes bench/results/cluster-latest.md. Every app node and the database share
this machine's cores, so a second node adds workers, not cores: the figure it
shows is what a second node costs and brings here, not on a second machine.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / ".cluster"
EDGE = "http://127.0.0.1:8080"
MADE = """
local paths = {"/", "%s", "/tin-moi/", "/tim-kiem/?q=hoa+ky"}
local n = 0
request = function()
  n = n + 1
  local path = paths[n %% #paths + 1]
  local join = string.find(path, "?", 1, true) and "&" or "?"
  return wrk.format("GET", path .. join .. "utm_source=" .. n .. "-" .. math.random(1e9))
end
"""


def part(action: str, name: str) -> None:
    command = [sys.executable, "deploy/cluster.py", action, name]
    subprocess.run(command, cwd=ROOT, check=True, capture_output=True, timeout=120)


def wrk(url: str, seconds: int, script: str | None = None) -> dict:
    extra = ["-s", script] if script else []
    bench.run(["wrk", "-t1", "-c8", "-d2s", *extra, url])  # warm
    output = bench.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", "--timeout", "10s", *extra, url]
    )
    return bench.parse_wrk(output)


def story_path() -> str:
    env = json.loads((HOME / "env.json").read_text())
    import psycopg

    with psycopg.connect(env["DATABASE_URL"]) as connection:
        (slug,) = connection.execute(
            "SELECT slug FROM articles_article WHERE status = 'published' ORDER BY id LIMIT 1"
        ).fetchone()
    return f"/tin/{slug}/"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    args = parser.parse_args()
    if not (HOME / "env.json").exists():
        raise SystemExit("no cluster is running here: make cluster first")
    bench.ensure_wrk()
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(MADE % story_path())
    setups = [
        ("two app nodes, replica", []),
        ("two app nodes, no replica", ["replica"]),
        ("one app node, replica", ["app2"]),
        ("one app node, no replica", ["app2", "replica"]),
    ]
    rows = []
    for name, stopped in setups:
        for each in stopped:
            part("stop", each)
        time.sleep(3)  # the edge's probes see a node gone; the nodes, the replica
        try:
            hits = wrk(EDGE + "/", args.seconds)
            made = wrk(EDGE, args.seconds, str(script))
        finally:
            for each in stopped:
                part("start", each)
        time.sleep(3)
        failed = sum(made[k] + hits[k] for k in ("errors", "non_2xx"))
        rows.append(
            f"| {name} | {hits['rps']:,} | {made['rps']:,} | {made['p50']} | {made['p99']} "
            f"| {failed} |"
        )
        print(rows[-1], flush=True)
    report = "\n".join(
        [
            f"# Readers through the cluster's edge ({time.strftime('%Y-%m-%d %H:%M')})",
            "",
            f"`bench/cluster.py --seconds {args.seconds}`: wrk, 2 threads, 8 connections, on "
            "this machine's loopback with the whole cluster (deploy/cluster.py); each app "
            "node is gunicorn with 2 workers. *Made*: pages neither cache can have, made "
            "whole (no kept piece), each query on the replica where there is one.",
            "",
            "| setup | edge hits req/s | made req/s | made p50 ms | made p99 ms | failed |",
            "| --- | --- | --- | --- | --- | --- |",
            *rows,
            "",
        ]
    )
    (ROOT / "bench/results/cluster-latest.md").write_text(report)
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
