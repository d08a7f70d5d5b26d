import ctypes
import logging
import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from newsroom import jobs, metrics, timeouts

log = logging.getLogger(__name__)
# Seconds before a lane's worker that ended is started again: its database restarting
# takes seconds, a network's loss longer; one that then ran a while starts over.
RESTART_PAUSES = (1, 2, 5, 10, 30)
RAN_WELL = 60  # seconds
# A worker stopping on an error waits for its connection pool, which may back off for
# minutes: past this it is ended, and its lane started again.
STOPPING_AT_MOST = 10  # seconds


def _end_with_parent() -> None:
    """In a lane's process: ended (SIGTERM) when the worker that started it ends."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class StoppedOnError(logging.Handler):
    """Notes that procrastinate's worker is stopping itself because one of its side
    tasks failed (the listener, when its database went away), rather than on a
    signal, and ends the process if that stop hangs."""

    def __init__(self):
        super().__init__()
        self.seen = False
        self.deadline = threading.Timer(STOPPING_AT_MOST, os._exit, args=(1,))
        self.deadline.daemon = True

    def emit(self, record: logging.LogRecord) -> None:
        failed = getattr(record, "action", "") in ("side_task_failed", "side_task_monitor_failed")
        if failed and not self.seen:
            self.seen = True
            self.deadline.start()


class Command(BaseCommand):
    help = (
        "The job workers (procrastinate's), a process per lane, each started again when it "
        "ends on an error (its database restarted): the default lane (purges, indexing, "
        "stories going live) and the long lane (renditions, imports, changes to many "
        "stories), so that no long job holds up a purge. --queue works one lane in this "
        "process, which then exits non-zero if its worker stops on an error (for a "
        "supervisor such as systemd to start it again). Its own figures for Prometheus are "
        "at 127.0.0.1:PORT/metrics: the app servers' /metrics cannot see a worker's counters."
    )

    def add_arguments(self, parser):
        parser.add_argument("--metrics-port", type=int, default=0, help="0: none")
        parser.add_argument(
            "--queue",
            action="append",
            dest="queues",
            choices=[jobs.DEFAULT, jobs.LONG],
            help="work these queues only, in this process (default: both lanes)",
        )

    def handle(self, *args, metrics_port: int, queues: list[str] | None, **options):
        if queues:
            timeouts.for_jobs()
            if metrics_port:
                metrics.serve_worker(metrics_port)
            if not self.work(queues):
                raise CommandError(f"the job worker of {','.join(queues)} stopped on an error")
            return
        self.supervise(metrics_port)

    def work(self, queues: list[str]) -> bool:
        """Work ``queues`` until asked to stop (True) or stopped by an error (False)."""
        stopped = StoppedOnError()
        logging.getLogger("procrastinate.worker").addHandler(stopped)
        try:
            call_command(
                "procrastinate", "worker", "--queues", ",".join(queues), "--name", queues[0]
            )
        finally:
            stopped.deadline.cancel()
        return not stopped.seen

    def supervise(self, metrics_port: int) -> None:
        """Each lane in a process of its own, started again whenever it ends, until
        this one is asked to stop."""
        stopping = threading.Event()
        for number in (signal.SIGTERM, signal.SIGINT):
            signal.signal(number, lambda *args: stopping.set())
        manage = [sys.executable, str(settings.BASE_DIR / "manage.py"), "jobs_worker"]
        lanes = {
            jobs.DEFAULT: [*manage, "--queue", jobs.DEFAULT, "--metrics-port", str(metrics_port)],
            jobs.LONG: [*manage, "--queue", jobs.LONG],
        }
        running = {lane: self.start(command) for lane, command in lanes.items()}
        failures = dict.fromkeys(lanes, 0)
        try:
            while not stopping.wait(0.5):
                for lane, (process, started) in running.items():
                    if process.poll() is None:
                        continue
                    ran = time.monotonic() - started
                    failures[lane] = 0 if ran > RAN_WELL else failures[lane] + 1
                    pause = RESTART_PAUSES[min(failures[lane], len(RESTART_PAUSES) - 1)]
                    log.error("the %s lane's worker ended (%s): started again in %s s",
                              lane, process.returncode, pause)  # fmt: skip
                    if stopping.wait(pause):
                        break
                    running[lane] = self.start(lanes[lane])
        finally:
            for process, _started in running.values():
                process.terminate()
            for process, _started in running.values():
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()

    def start(self, command: list[str]) -> tuple[subprocess.Popen, float]:
        return subprocess.Popen(command, preexec_fn=_end_with_parent), time.monotonic()
