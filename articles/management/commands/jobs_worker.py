from django.core.management import call_command
from django.core.management.base import BaseCommand

from newsroom import metrics, timeouts


class Command(BaseCommand):
    help = (
        "The job worker (procrastinate's), its own figures for Prometheus at "
        "127.0.0.1:PORT/metrics: the app servers' /metrics cannot see a worker's counters."
    )

    def add_arguments(self, parser):
        parser.add_argument("--metrics-port", type=int, default=0, help="0: none")

    def handle(self, *args, metrics_port: int, **options):
        timeouts.for_jobs()
        if metrics_port:
            metrics.serve_worker(metrics_port)
        call_command("procrastinate", "worker")
