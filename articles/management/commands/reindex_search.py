from django.core.management.base import BaseCommand

from articles import search
from articles.management import bulk
from articles.models import Article


class Command(BaseCommand):
    help = "Rebuild every story's search fields (after bulk loads that skip signals)."

    def handle(self, *args, **options):
        count = search.index_many(Article.objects.all())
        bulk.analyze(Article, search.WORDS_TABLE)  # the index's statistics, new
        self.stdout.write(f"Indexed {count} stories.")
