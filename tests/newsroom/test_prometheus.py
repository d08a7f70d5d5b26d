"""deploy/prometheus/: the configuration ``make cluster`` starts Prometheus with,
and its alert rules, each checked by promtool against series made up for it."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.tools import ROOT, need

pytestmark = pytest.mark.tools

FOLDER = ROOT / "deploy" / "prometheus"


def promtool(*args: str) -> subprocess.CompletedProcess:
    need(shutil.which("promtool") is not None, "promtool is missing: apt-get install prometheus")
    return subprocess.run(
        ["promtool", *args], cwd=FOLDER, capture_output=True, text=True, timeout=120
    )


def test_the_configuration_is_valid():
    checked = promtool("check", "config", "prometheus.yml")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_each_alert_fires_when_it_should_and_not_before():
    tested = promtool("test", "rules", "alerts_test.yml")
    assert tested.returncode == 0, tested.stdout + tested.stderr
    rules = set(re.findall(r"^\s+- alert: (\w+)", (FOLDER / "alerts.yml").read_text(), re.M))
    covered = set(re.findall(r"alertname: (\w+)", (FOLDER / "alerts_test.yml").read_text()))
    assert rules == covered, f"alerts without a test: {rules - covered}"


def test_the_alerts_read_figures_the_site_gives():
    """A rule on a name no code exports would never fire."""
    source = Path(ROOT / "newsroom" / "metrics.py").read_text()
    used = set(re.findall(r"\b(toasoan_[a-z_]+)", (FOLDER / "alerts.yml").read_text()))
    assert used
    for name in used:
        base = re.sub(r"_(total|bucket|count|sum)$", "", name)
        assert f'"{base}"' in source, name
