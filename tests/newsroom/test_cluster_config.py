"""The cluster's own configuration (deploy/cluster.py), checked without running
it: the edge's VCL for several app nodes compiles and names each of them."""

import importlib.util
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.tools import need
from tests.varnish import VARNISHD

pytestmark = pytest.mark.tools

ROOT = Path(__file__).resolve().parents[2]


def cluster_module():
    spec = importlib.util.spec_from_file_location("cluster", ROOT / "deploy" / "cluster.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_edge_balances_over_every_app_node_and_the_vcl_compiles():
    cluster = cluster_module()
    vcl = cluster.edge_vcl()
    for name, port in cluster.NODES.items():
        assert f"backend {name} {{" in vcl and f'.port = "{port}";' in vcl
        assert f"nodes.add_backend({name});" in vcl
    assert "set req.backend_hint = nodes.backend();" in vcl
    assert "backend app {" not in vcl
    need(Path(VARNISHD).exists(), "varnishd is missing: apt-get install varnish varnish-modules")
    folder = Path(tempfile.mkdtemp(prefix="edge-vcl-"))
    folder.chmod(0o755)  # varnishd reads it as its own user
    try:
        (folder / "edge.vcl").write_text(vcl)
        compiled = subprocess.run(
            [VARNISHD, "-C", "-n", str(folder / "n"), "-f", str(folder / "edge.vcl")],
            capture_output=True,
            text=True,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert compiled.returncode == 0, compiled.stderr[-2000:]
