"""The statements an editor's save of a story and a reporter's save of a draft
run, by kind and table, as tests/desk/test_save_queries.py counts them (on SQLite by
default; with DATABASE_URL, on that database).

    .venv/bin/python bench/save_queries.py
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    test = ROOT / "tests" / "test_save_queries.py"
    command = [sys.executable, "-m", "pytest", str(test), "-q", "-s", "-p", "no:cacheprovider"]
    sys.exit(subprocess.call(command, cwd=ROOT))
