"""The whole topology on one machine's loopback, for trying it and for
``make cluster-check``: two app servers behind the Varnish edge, PostgreSQL
and a streaming replica, Redis, SeaweedFS for media, and the job worker.

    python deploy/cluster.py up       # make cluster: starts it all, prints addresses and sign-ins
    python deploy/cluster.py down     # make cluster-down: stops it all and removes its data
    python deploy/cluster.py start|stop|kill NAME   # one part (the fault checks use them)

Everything it keeps is in ``.cluster/`` (``env.json``: the settings the app
nodes run with; ``signins.json``; each part's log and pid, SeaweedFS's data),
and what other users must read (the replica's data, Varnish's VCL) in
``/var/tmp/toasoan-cluster/``: the primary, a PostgreSQL cluster of its own at
127.0.0.1:5434 (database ``toasoan_cluster``) that archives its WAL to a
pgBackRest repository there (a full backup is taken at the start; ``make backup
PGBACKREST_CONFIG=/var/tmp/toasoan-cluster/pgbackrest.conf`` takes another).
Prometheus (deploy/prometheus/, at 127.0.0.1:9090) scrapes the app servers, the
worker and the edge's exporter. Everything is started here, on ports of its own.

The job workers run as a server runs them (deploy/systemd/): each lane's unit's
command, started again ``RestartSec`` after it ends, whatever ended it:

    python deploy/cluster.py kill worker-long   # its process killed, as by the OOM
                                                # killer: it is back in 2 s by itself
    python deploy/cluster.py stop primary       # PostgreSQL stopped (start: again)
"""

import contextlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / ".cluster"
# What other users read (PostgreSQL's replica, Varnish's compiled VCL): outside the
# checkout, whose parents (a home directory) they may not be allowed to enter.
SHARED = Path("/var/tmp/toasoan-cluster")
REPLICA_DIR = SHARED / "replica"
PRIMARY_DIR = SHARED / "primary"
BACKUPS = SHARED / "pgbackrest.conf"
PY = str(ROOT / ".venv" / "bin" / "python")
DATABASE = "toasoan_cluster"
NODES = {"app1": 8001, "app2": 8002}
EDGE, PRIMARY_PORT, REPLICA, REDIS, STORE = 8080, 5434, 5433, 6380, 8333
PROMETHEUS, EDGE_METRICS = 9090, 9131  # the worker's figures: its unit's --metrics-port
PRIMARY = f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}"
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "deploy"))
from backup import Instance, Repository, archive_settings, write_config  # noqa: E402

from tests.objectstore import KEY_ID, SECRET  # noqa: E402

# The project's own settings, whoever starts a part: a check run from the test suite
# would otherwise hand its app nodes the suite's settings (tests/settings.py).
SETTINGS = {"DJANGO_SETTINGS_MODULE": "newsroom.settings"}


def environment() -> dict[str, str]:
    """The settings every app node and the worker run with (docs/deploying.md)."""
    saved = HOME / "env.json"
    if saved.exists():
        return {**json.loads(saved.read_text()), **SETTINGS}
    env = {
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # plain HTTP on loopback: no TLS to redirect to, cookies sent without it
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"{PRIMARY}/{DATABASE}",
        "DATABASE_REPLICA_URLS": f"postgres://postgres@127.0.0.1:{REPLICA}/{DATABASE}",
        "REDIS_URL": f"redis://127.0.0.1:{REDIS}/0",
        "EDGE_CACHE_URL": f"http://127.0.0.1:{EDGE}/",
        "MEDIA_STORAGE_URL": f"http://127.0.0.1:{STORE}/media",
        "MEDIA_STORAGE_KEY_ID": KEY_ID,
        "MEDIA_STORAGE_SECRET": SECRET,
        "JOBS_QUEUE": "1",
        "STATIC_ROOT": str(HOME / "static"),
        "WEB_CONCURRENCY": "2",
        "GUNICORN_ACCESS_LOG": "/dev/null",
        "PGBACKREST_CONFIG": str(BACKUPS),  # /metrics reads the last backup's age
    }
    if HOME.exists():  # a cluster being made; not a look at its VCL from a checkout
        saved.write_text(json.dumps(env, indent=1))
    return {**env, **SETTINGS}


def run(*command: str, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, **environment(), **kwargs.pop("env", {})}
    return subprocess.run(command, cwd=ROOT, env=env, check=True, text=True, **kwargs)


def spawn(name: str, *command: str, env: dict | None = None) -> None:
    """A part in its own process group, its pid and log in .cluster/."""
    log = open(HOME / f"{name}.log", "ab")  # noqa: SIM115 (the child keeps it)
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env={**os.environ, **environment(), **(env or {})},
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    (HOME / f"{name}.pid").write_text(str(process.pid))


def kill(name: str, sig: int = signal.SIGTERM) -> None:
    pidfile = HOME / f"{name}.pid"
    if not pidfile.exists():
        return
    pid = int(pidfile.read_text())
    try:
        os.killpg(pid, sig)
        for _ in range(100):
            os.killpg(pid, 0)
            time.sleep(0.1)
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    pidfile.unlink(missing_ok=True)


def replica(action: str, *port: int) -> None:
    """deploy/replica.sh on the cluster's replica."""
    command = ["deploy/replica.sh", action, str(REPLICA_DIR), *map(str, port)]
    env = {**os.environ, "PRIMARY_PORT": str(PRIMARY_PORT)}
    subprocess.run(command, cwd=ROOT, check=True, env=env)


def primary() -> Instance:
    return Instance(PRIMARY_DIR, PRIMARY_PORT)


def primary_up() -> None:
    """The primary, archiving every WAL segment to pgBackRest's repository."""
    (SHARED / "backups").mkdir()
    shutil.chown(SHARED / "backups", "postgres", "postgres")
    write_config(BACKUPS, SHARED / "backups", primary())
    primary().create(archive_settings(BACKUPS) | {"wal_keep_size": "'512MB'"})
    primary().start()
    Repository(BACKUPS).run("stanza-create", stdout=subprocess.DEVNULL)


# The bucket keeps earlier versions of what is overwritten or deleted.
KEEP_VERSIONS = (
    "from django.core.files.storage import default_storage as s; "
    "from newsroom.storage import keep_versions; assert keep_versions(s)"
)


def psql(statement: str) -> None:
    subprocess.run(["psql", f"{PRIMARY}/postgres", "-qc", statement], check=True)


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).read()
            return
        except (OSError, urllib.error.URLError) as error:
            if time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not answer: {error}") from None
            time.sleep(0.3)


def edge_vcl() -> str:
    """The site's VCL (``manage.py edge_vcl``, for the cluster's settings) with the
    app nodes for its one backend: a round-robin director over them, each probed,
    a node that stops answering skipped."""
    vcl = run(PY, "manage.py", "edge_vcl", capture_output=True).stdout
    single = re.search(r"backend app \{.*?\n\}\n", vcl, re.DOTALL).group(0)
    backends = "".join(
        single.replace("backend app", f"backend {name}").replace('"8000"', f'"{port}"')
        for name, port in NODES.items()
    )
    adds = "".join(f"    nodes.add_backend({name});\n" for name in NODES)
    director = f"sub vcl_init {{\n    new nodes = directors.round_robin();\n{adds}}}\n"
    vcl = vcl.replace("import xkey;", "import xkey;\nimport directors;")
    vcl = vcl.replace(single, backends + "\n" + director)
    return vcl.replace(
        "sub vcl_recv {", "sub vcl_recv {\n    set req.backend_hint = nodes.backend();", 1
    )


# The lanes' job workers, as deploy/systemd/ runs them on a server.
UNITS = {"worker": "toasoan-worker.service", "worker-long": "toasoan-worker-long.service"}


def unit(name: str) -> tuple[list[str], dict[str, str], float]:
    """What the systemd unit of ``name`` runs (``ExecStart``, in this checkout
    rather than /srv/toasoan), with its ``Environment``, and ``RestartSec``."""
    text = (ROOT / "deploy/systemd" / UNITS[name]).read_text()

    def setting(key: str) -> str:
        return re.search(rf"^{key}=(.*)$", text, re.MULTILINE).group(1)

    command = shlex.split(setting("ExecStart").replace("/srv/toasoan", str(ROOT)))
    env = dict(pair.split("=", 1) for pair in shlex.split(setting("Environment")))
    return command, env, float(setting("RestartSec"))


def supervise(name: str) -> None:
    """Run ``name``'s unit as systemd does with ``Restart=always``: started again
    ``RestartSec`` after it ends; on SIGTERM, stopped with it. Its main process's
    pid is in ``.cluster/NAME.main.pid`` (``kill NAME`` kills that one)."""
    command, env, pause = unit(name)
    stopping = False

    def stop(*args) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    while not stopping:
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
        (HOME / f"{name}.main.pid").write_text(str(process.pid))
        while process.poll() is None:
            if stopping:
                process.terminate()
                process.wait()
                break
            time.sleep(0.1)
        print(f"{name}: ended with {process.returncode}, again in {pause:g} s", flush=True)
        deadline = time.monotonic() + pause
        while not stopping and time.monotonic() < deadline:
            time.sleep(0.1)


def crash(name: str) -> None:
    """``name``'s process killed at once (SIGKILL), as by the OOM killer: a
    supervised part (a unit) starts again by itself; any other stays down."""
    main = HOME / f"{name}.main.pid"
    if name in UNITS and main.exists():
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(main.read_text()), signal.SIGKILL)
    elif name == "primary":
        primary().kill()
    else:
        kill(name, signal.SIGKILL)


STARTS = {
    "primary": lambda: primary().start(),
    "replica": lambda: replica("start", REPLICA),
    "redis": lambda: spawn(
        "redis", "redis-server", "--port", str(REDIS), "--bind", "127.0.0.1", "--save", ""
    ),
    "store": lambda: spawn(
        "store", PY, "-m", "tests.objectstore", "--port", str(STORE), "--dir", str(HOME / "media")
    ),
    **{
        name: (lambda name=name: spawn(name, PY, "deploy/cluster.py", "supervise", name))
        for name in UNITS
    },
    "edge-metrics": lambda: spawn(
        "edge-metrics",
        "prometheus-varnish-exporter",
        "-n",
        str(SHARED / "varnish"),
        "-web.listen-address",
        f"127.0.0.1:{EDGE_METRICS}",
    ),
    "prometheus": lambda: spawn(
        "prometheus",
        "prometheus",
        f"--config.file={ROOT / 'deploy/prometheus/prometheus.yml'}",
        f"--storage.tsdb.path={HOME / 'prometheus'}",
        f"--web.listen-address=127.0.0.1:{PROMETHEUS}",
    ),
    **{
        name: (
            lambda port=port, name=name: spawn(
                name, ".venv/bin/gunicorn", "-c", "gunicorn.conf.py", env={"PORT": str(port)}
            )
        )
        for name, port in NODES.items()
    },
}


def start(name: str) -> None:
    if name == "store":
        (HOME / "store.log").unlink(missing_ok=True)  # it says when it is ready
    STARTS[name]()
    if name in NODES:
        wait_for(f"http://127.0.0.1:{NODES[name]}/healthz")
    elif name == "store":
        _wait_store()


def _wait_store() -> None:
    """Until SeaweedFS says it is ready (tests/objectstore.py prints the address)."""
    log = HOME / "store.log"
    for _ in range(600):
        if log.exists() and "MEDIA_STORAGE_URL=" in log.read_text(errors="replace"):
            return
        time.sleep(0.1)
    raise RuntimeError(f"SeaweedFS did not start: see {log}")


def stop(name: str) -> None:
    if name == "replica":
        replica("stop")
    elif name == "primary":
        primary().stop()
    else:
        kill(name)


def up() -> None:
    down(quiet=True)
    HOME.mkdir()
    SHARED.mkdir(parents=True)
    SHARED.chmod(0o755)
    env = environment()
    print(
        f"== PostgreSQL at {PRIMARY_PORT} archiving to pgBackRest, a streaming replica at", REPLICA
    )
    primary_up()
    psql(f"CREATE DATABASE {DATABASE}")
    run(PY, "manage.py", "migrate", "--noinput", "-v0")
    replica("up", REPLICA)
    print("== Redis, SeaweedFS (versioned)")
    start("redis")
    start("store")
    run(PY, "manage.py", "loaddata", "seed", "-v0")
    run(PY, "manage.py", "shell", "-v0", "-c", KEEP_VERSIONS)
    print("== a full backup")
    Repository(BACKUPS).backup("full")
    users = run(PY, "manage.py", "demo_users", capture_output=True).stdout
    signins = dict(re.findall(r"^\s+(\S+)\s.*: password (\S+)$", users, re.MULTILINE))
    (HOME / "signins.json").write_text(json.dumps(signins))
    run(PY, "manage.py", "collectstatic", "--noinput", "-v0")
    print("== app servers, worker, edge")
    for name in (*NODES, *UNITS):
        start(name)
    (SHARED / "edge.vcl").write_text(edge_vcl())
    vcl = str(SHARED / "edge.vcl")
    spawn(
        "edge",
        "varnishd",
        "-F",
        "-n",
        str(SHARED / "varnish"),
        "-f",
        vcl,
        "-a",
        f"127.0.0.1:{EDGE}",
        "-s",
        "malloc,128m",
    )
    wait_for(f"http://127.0.0.1:{EDGE}/healthz")
    start("edge-metrics")
    start("prometheus")
    wait_for(f"http://127.0.0.1:{PROMETHEUS}/-/ready")
    print(f"""
Toà soạn runs on loopback:
  readers, through the edge  http://127.0.0.1:{EDGE}/
  app servers                http://127.0.0.1:{NODES["app1"]}/  http://127.0.0.1:{NODES["app2"]}/
  the desk                   http://127.0.0.1:{EDGE}/admin/
  PostgreSQL                 {env["DATABASE_URL"]} (replica at port {REPLICA})
  Redis                      {env["REDIS_URL"]}
  media (SeaweedFS)          {env["MEDIA_STORAGE_URL"]}
  job workers                deploy/systemd's units (logs: .cluster/worker*.log)
  Prometheus                 http://127.0.0.1:{PROMETHEUS}/ (alerts: /alerts)
  backups                    PGBACKREST_CONFIG={BACKUPS} make backup
Sign-ins:""")
    for user, password in signins.items():
        print(f"  {user:12} {password}")
    print("Check it: make cluster-check. Stop it: make cluster-down.")


def down(quiet: bool = False) -> None:
    for name in ("prometheus", "edge-metrics", "edge", *NODES, *UNITS, "store", "redis"):
        kill(name)
    if REPLICA_DIR.exists():
        replica("down")
    primary().stop()
    shutil.rmtree(HOME, ignore_errors=True)
    shutil.rmtree(SHARED, ignore_errors=True)
    if not quiet:
        print("The cluster is stopped and its data removed.")


def main() -> None:
    action, *names = sys.argv[1:] or ["up"]
    if action in ("start", "stop", "kill"):
        for name in names:
            {"start": start, "stop": stop, "kill": crash}[action](name)
    elif action == "supervise":
        supervise(*names)
    else:
        {"up": up, "down": down}[action]()


if __name__ == "__main__":
    main()
