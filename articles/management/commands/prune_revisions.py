"""Old revisions of stories pruned, the published history kept.

A story's revisions grow with every save (each holds the whole text). This
deletes those older than ``--days`` beyond each story's newest ``--keep``,
except every revision of a story as readers saw it (saved while published):
what was published, and each correction of it, stays restorable for ever. The
desk's log (``StateChange``) is never pruned. ``--dry-run`` counts only.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import models, transaction
from django.db.models import F, Window
from django.db.models.functions import Cast, RowNumber
from django.utils import timezone
from reversion.models import Revision, Version

from articles.models import Article

BATCH = 1000


def prunable(days: int, keep: int) -> models.QuerySet:
    """The revisions of stories that may go: old, beyond the newest ``keep``,
    and never a published text."""
    cutoff = timezone.now() - timezone.timedelta(days=days)
    newest = Window(
        RowNumber(),
        partition_by=F("object_id"),
        order_by=[F("revision__date_created").desc(), F("pk").desc()],
    )
    # ranked among all of a story's revisions (a filter on the date would rank the old alone)
    stories = Version.objects.get_for_model(Article)
    beyond = stories.annotate(newest=newest).filter(newest__gt=keep).values("pk")
    published = Article.Status.PUBLISHED.value
    return (
        stories.filter(pk__in=beyond, revision__date_created__lt=cutoff)
        .annotate(data=Cast("serialized_data", models.JSONField()))
        .exclude(data__0__fields__status=published)
        .values_list("revision_id", flat=True)
    )


class Command(BaseCommand):
    help = "Delete old revisions of stories beyond the newest K, keeping every published one."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=365, help="older than this (default 365)")
        parser.add_argument("--keep", type=int, default=20, help="newest per story kept (20)")
        parser.add_argument("--dry-run", action="store_true", help="count, delete nothing")

    def handle(self, *args, days: int, keep: int, dry_run: bool, **options):
        if days < 1 or keep < 1:
            raise CommandError("--days and --keep must be at least 1.")
        revisions = sorted(set(prunable(days, keep)))
        if dry_run:
            self.stdout.write(f"{len(revisions)} revisions would be deleted.")
            return
        for start in range(0, len(revisions), BATCH):
            with transaction.atomic():
                Revision.objects.filter(pk__in=revisions[start : start + BATCH]).delete()
            self.stdout.write(f"  {min(start + BATCH, len(revisions))} / {len(revisions)}")
        self.stdout.write(f"Deleted {len(revisions)} revisions.")
