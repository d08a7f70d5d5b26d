"""Loading an archive: ``seed_demo --stories N`` into a new
PostgreSQL database (migrated, with the seed stories), timed from the command's
start to its end, against the budget of 90 s for 100k stories (and in proportion
for another number: ``--stories 1000000`` has 900 s, and its own results file).
The database is dropped afterwards.

    .venv/bin/python bench/load.py [--stories 100000]
"""

import argparse
import os
import sys
import time
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent))
import run as bench

BUDGET_SECONDS = 90
DATABASE = "toasoan_bench_load"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stories", type=int, default=100_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
    env = {**os.environ, "DATABASE_URL": f"{args.postgres}/{DATABASE}"}
    try:
        bench.manage(env, "migrate", "--noinput", "-v0")
        bench.manage(env, "loaddata", "seed", "-v0")
        started = time.perf_counter()
        bench.manage(env, "seed_demo", "--stories", str(args.stories))
        seconds = round(time.perf_counter() - started, 1)
    finally:
        with psycopg.connect(f"{args.postgres}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}"')
    budget = BUDGET_SECONDS * args.stories / 100_000
    passed = seconds < budget
    report = "\n".join(
        [
            f"# Loading an archive ({args.stories:,} stories, PostgreSQL, {os.cpu_count()} cores)",
            "",
            "| budget | figure | wanted | |",
            "| --- | --- | --- | --- |",
            f"| seed_demo --stories {args.stories} | {seconds} s | < {budget:.0f} s "
            f"| {'pass' if passed else 'FAIL'} |",
            "",
            "PASS" if passed else "FAIL",
        ]
    )
    print(report)
    name = "load-latest.md" if args.stories == 100_000 else f"load-{args.stories}-latest.md"
    (bench.ROOT / "bench" / "results" / name).write_text(report + "\n")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
