"""Varnish with the project's VCL (deploy/varnish/default.vcl) on a loopback
port in front of an app server: for the edge tests and the benchmark."""

import contextlib
import json
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VARNISHSTAT = shutil.which("varnishstat") or "/usr/bin/varnishstat"
VARNISHADM = shutil.which("varnishadm") or "/usr/bin/varnishadm"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def free_ports(count: int) -> list[int]:
    """``count`` different free ports: each held until all are chosen, since a
    port let go may be the next one handed out (two of a server's ports once
    came out the same)."""
    with contextlib.ExitStack() as held:
        sockets = [held.enter_context(socket.socket()) for _ in range(count)]
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]


class Varnish:
    """``with Varnish(backend_port) as url:`` varnishd runs, finds the app healthy,
    and is gone afterwards."""

    def __init__(
        self, backend_port: int, port: int | None = None, memory: str = "64m", vcl: str = ""
    ):
        self.backend_port, self.port, self.memory = backend_port, port or free_port(), memory
        self.vcl = vcl  # the project's VCL as it is, unless given
        self.url = f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> str:
        self.workdir = Path(tempfile.mkdtemp(prefix="edge-"))
        self.workdir.chmod(0o755)  # varnishd's workers read it as their own user
        vcl = self.vcl or (ROOT / "deploy/varnish/default.vcl").read_text()
        if '.port = "8000";' not in vcl:
            raise RuntimeError("the VCL's backend is no longer 127.0.0.1:8000")
        vcl_file = self.workdir / "default.vcl"
        vcl_file.write_text(vcl.replace('.port = "8000";', f'.port = "{self.backend_port}";'))
        listen = ["-a", f"127.0.0.1:{self.port}", "-s", f"malloc,{self.memory}"]
        self.process = subprocess.Popen(
            [VARNISHD, "-F", "-n", str(self.workdir / "n"), "-f", str(vcl_file), *listen],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while True:  # until it listens and its probe finds the app healthy
            try:
                urllib.request.urlopen(self.url + "/healthz", timeout=2).read()
                return self.url
            except (OSError, urllib.error.URLError):
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.process.kill()
                    output = self.process.stdout.read().decode()
                    raise RuntimeError(f"varnishd did not start: {output}") from None
                time.sleep(0.3)

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process.stdout.close()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def set_health(self, state: str) -> None:
        """The app backend taken for ``sick`` (as if no app server answered) or back to
        ``auto`` (its probe decides), with varnishadm."""
        command = [VARNISHADM, "-n", str(self.workdir / "n"), "backend.set_health", "app", state]
        subprocess.run(command, capture_output=True, check=True)

    def counters(self) -> dict[str, int]:
        """Its own counters (``varnishstat``): ``MAIN.cache_hit``, ``MAIN.cache_miss``..."""
        command = [VARNISHSTAT, "-n", str(self.workdir / "n"), "-1", "-j"]
        output = json.loads(subprocess.run(command, capture_output=True, check=True).stdout)
        counters = output.get("counters", output)  # the layout of varnishstat 7, or of 6
        return {
            name: counter["value"]
            for name, counter in counters.items()
            if isinstance(counter, dict) and "value" in counter
        }
