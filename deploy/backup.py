"""PostgreSQL's backups with pgBackRest: ``make backup`` on PostgreSQL.

    python deploy/backup.py backup [--type full|diff|incr]   # differential by default
    python deploy/backup.py info                             # the repository's backups

The primary archives every WAL segment into a pgBackRest repository as it is
filled, or after ``archive_timeout`` at most (``archive_settings``); a backup is
a base copy (full, then differential) to which the archived WAL is replayed, so
a restore reaches any moment since the oldest backup kept (``Repository.restore``).
pgBackRest reads its configuration from ``PGBACKREST_CONFIG``
(``deploy/pgbackrest.conf`` shows one) and runs as the user that owns
PostgreSQL's data. ``deploy/restore_drill.py`` proves it all, on a primary of
its own (``make restore-drill``); ``make cluster`` runs its primary this way.
"""

import argparse
import contextlib
import datetime
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = str(ROOT / ".venv" / "bin" / "python")
STANZA = "toasoan"
ARCHIVE_TIMEOUT = 10  # seconds: the most a quiet primary holds a written change unarchived


def postgres_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not found or not shutil.which("pgbackrest"):
        sys.exit("PostgreSQL's server and pgBackRest are needed: make backup-tools")
    return found[-1].parent


def as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:
        command = ("runuser", "-u", "postgres", "--", *command)
    return subprocess.run(command, text=True, **{"check": True, **kwargs})


def archive_settings(config: Path | None = None) -> dict[str, str]:
    """What a primary needs to archive its WAL through pgBackRest."""
    where = f" --config={config}" if config else ""
    return {
        "wal_level": "replica",
        "archive_mode": "on",
        "archive_command": f"'pgbackrest{where} --stanza={STANZA} archive-push %p'",
        "archive_timeout": f"{ARCHIVE_TIMEOUT}s",
    }


def write_config(config: Path, repository: Path, instance: "Instance") -> None:
    """pgBackRest's configuration for ``instance`` backed up into ``repository`` on
    this disk (the drill's, the local cluster's; deploy/pgbackrest.conf for production)."""
    config.write_text(
        f"[global]\nrepo1-path={repository}\nrepo1-retention-full=2\nlog-level-file=off\n"
        "start-fast=y\nprocess-max=2\ncompress-type=lz4\nlog-level-console=warn\n\n"
        f"[{STANZA}]\npg1-path={instance.folder}\npg1-port={instance.port}\n"
        f"pg1-socket-path={instance.socket}\n"
    )


class Repository:
    """pgBackRest with one configuration file and the project's stanza."""

    def __init__(self, config: Path | None = None):
        self.config = config or (
            Path(os.environ["PGBACKREST_CONFIG"]) if "PGBACKREST_CONFIG" in os.environ else None
        )

    def run(self, *arguments: str, **kwargs) -> subprocess.CompletedProcess:
        where = [f"--config={self.config}"] if self.config else []
        return as_postgres("pgbackrest", *where, f"--stanza={STANZA}", *arguments, **kwargs)

    def backup(self, kind: str = "full") -> None:
        self.run(f"--type={kind}", "backup")

    def info(self) -> dict:
        output = self.run("--output=json", "info", capture_output=True).stdout
        return json.loads(output)[0]

    def restore(self, into: Path, target: datetime.datetime | None = None) -> None:
        """The latest backup into ``into``, replayed to ``target`` (a moment) or
        to the end of the archived WAL; the restored server is promoted."""
        aim = ["--type=default"]
        if target:
            moment = target.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S.%f+00")
            aim = ["--type=time", f"--target={moment}", "--target-action=promote"]
        self.run(f"--pg1-path={into}", *aim, "restore")


class Instance:
    """A PostgreSQL cluster of its own (the drill's, the local cluster's primary):
    made, started and stopped here, its socket beside its data."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port, self.bin = folder, port, postgres_bin()
        self.socket = folder.with_name(f"{folder.name}.socket")  # not in what is backed up

    def url(self, database: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def create(self, settings: dict[str, str]) -> None:
        self.folder.mkdir(parents=True)
        shutil.chown(self.folder, "postgres", "postgres")
        self.folder.chmod(0o700)
        as_postgres(
            str(self.bin / "initdb"), "-D", str(self.folder), "-U", "postgres",
            "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8",
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        lines = "".join(f"{name} = {value}\n" for name, value in settings.items())
        with (self.folder / "postgresql.conf").open("a") as conf:
            conf.write(lines)

    def start(self, *options: str) -> None:
        self.socket.mkdir(exist_ok=True)
        shutil.chown(self.socket, "postgres", "postgres")
        flags = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.socket} " + " ".join(
            options
        )
        as_postgres(
            str(self.bin / "pg_ctl"), "-D", str(self.folder), "-l", str(self.folder / "log"),
            "-w", "-t", "3600", "-o", flags, "start", stdout=subprocess.DEVNULL,
        )  # fmt: skip

    def stop(self) -> None:
        if (self.folder / "postmaster.pid").exists():
            as_postgres(
                str(self.bin / "pg_ctl"), "-D", str(self.folder), "-m", "fast", "-w", "stop",
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
            )  # fmt: skip

    def kill(self) -> None:
        """The machine lost at once: no shutdown, nothing more archived."""
        pid = int((self.folder / "postmaster.pid").read_text().split()[0])
        os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            for _ in range(100):
                os.kill(pid, 0)
                time.sleep(0.05)
        # Its children go when they find it gone; wait for the port to be free.
        for _ in range(200):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)):
                    return
            time.sleep(0.05)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    actions = parser.add_subparsers(dest="action", required=True)
    backup = actions.add_parser("backup")
    backup.add_argument("--type", default="diff", choices=["full", "diff", "incr"])
    actions.add_parser("info")
    args = parser.parse_args()
    if args.action == "backup":
        Repository().backup(args.type)  # pgBackRest takes a full one where there is none
        last = Repository().info()["backup"][-1]
        ended = datetime.datetime.fromtimestamp(last["timestamp"]["stop"], datetime.UTC)
        size, new = (last["info"][key] / 2**20 for key in ("size", "delta"))
        print(
            f"Backup {last['label']} ({last['type']}) ended {ended:%Y-%m-%d %H:%M:%S} UTC: "
            f"{size:.0f} MB of data, {new:.0f} MB new."
        )
    else:
        print(json.dumps(Repository().info(), indent=1))


if __name__ == "__main__":
    main()
