"""The systemd units in deploy/systemd start the app servers and both lanes of job
workers, each started again whenever it ends, and systemd reads them without a
complaint."""

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.tools import ROOT, need

pytestmark = pytest.mark.tools

UNITS = sorted((ROOT / "deploy/systemd").glob("*.service"))


def unit(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # keys as written: ExecStart, not execstart
    parser.read(path)
    return parser


def test_every_service_is_started_again_whenever_it_ends():
    commands = {path.name: unit(path)["Service"]["ExecStart"] for path in UNITS}
    assert any("gunicorn -c gunicorn.conf.py" in c for c in commands.values())
    assert any("jobs_worker --queue default --metrics-port" in c for c in commands.values())
    assert any(c.endswith("jobs_worker --queue long") for c in commands.values())
    for path in UNITS:
        assert unit(path)["Service"]["Restart"] == "always", path.name
        # systemd's default gives up after 5 starts in 10 s: a database down for
        # longer would leave the service stopped for good
        assert unit(path)["Unit"]["StartLimitIntervalSec"] == "0", path.name


def test_systemd_reads_the_units(tmp_path):
    need(shutil.which("systemd-analyze") is not None, "systemd-analyze is missing (systemd)")
    for path in UNITS:  # as installed at /srv/toasoan: here, this checkout
        (tmp_path / path.name).write_text(path.read_text().replace("/srv/toasoan", str(ROOT)))
    done = subprocess.run(
        ["systemd-analyze", "verify", *(p.name for p in UNITS)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr  # e.g. a command not there
