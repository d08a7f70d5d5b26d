import ctypes
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from newsroom import jobs, metrics, timeouts


def _end_with_parent() -> None:
    """In the long lane's process: ended (SIGTERM) when the worker that started it ends."""
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Command(BaseCommand):
    help = (
        "The job workers (procrastinate's), one per lane: this process works the default "
        "lane (purges, indexing, stories going live) and starts one for the long lane "
        "(renditions, imports, changes to many stories), so that no long job holds up a "
        "purge. --queue works the named queues only. Its own figures for Prometheus are at "
        "127.0.0.1:PORT/metrics: the app servers' /metrics cannot see a worker's counters."
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
        timeouts.for_jobs()
        if metrics_port:
            metrics.serve_worker(metrics_port)
        if queues:
            call_command(
                "procrastinate", "worker", "--queues", ",".join(queues), "--name", queues[0]
            )
            return
        manage = str(settings.BASE_DIR / "manage.py")
        long_lane = subprocess.Popen(
            [sys.executable, manage, "jobs_worker", "--queue", jobs.LONG],
            preexec_fn=_end_with_parent,
        )
        try:
            call_command(
                "procrastinate", "worker", "--queues", jobs.DEFAULT, "--name", jobs.DEFAULT
            )
        finally:
            long_lane.terminate()
            try:
                long_lane.wait(timeout=30)
            except subprocess.TimeoutExpired:
                long_lane.kill()
