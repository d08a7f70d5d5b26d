import time

from django.core.management.base import BaseCommand
from django.db.models import Q, prefetch_related_objects

from articles.models import Article
from articles.models.stories import story_links
from articles.site import related

BATCH = 500


class Command(BaseCommand):
    help = (
        "Rank and store the related news of published stories never ranked (after a "
        "bulk load, which saves no story one by one) or ranked before the list kept "
        "its floor, or of all of them with --all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="rank every published story again")
        parser.add_argument(
            "--part",
            default="0/1",
            help="n/m: rank only the stories whose id is n modulo m, for m processes at once",
        )

    def handle(self, *args, **options):
        stories = Article.objects.published()
        if not options["all"]:
            stories = stories.filter(Q(related_ids=None) | Q(related_floor=None))
        part, parts = (int(n) for n in options["part"].split("/"))
        ids = [
            pk for pk in stories.values_list("pk", flat=True).order_by("pk") if pk % parts == part
        ]
        started = time.monotonic()
        for start in range(0, len(ids), BATCH):
            batch = list(stories.filter(pk__in=ids[start : start + BATCH]).only("pk", "language"))
            prefetch_related_objects(batch, *story_links(*related.LINKED))
            for story in batch:
                related.rank(story).store(story.pk)
            if options["verbosity"] > 1:
                done = min(start + BATCH, len(ids))
                self.stdout.write(f"{done} of {len(ids)} ({time.monotonic() - started:.0f} s)")
        self.stdout.write(f"Ranked the related news of {len(ids)} stories.")
