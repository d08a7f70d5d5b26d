from django.core.management.base import BaseCommand

from articles import search
from articles.models import Article


class Command(BaseCommand):
    help = "Rebuild every story's search fields (after bulk loads that skip signals)."

    def handle(self, *args, **options):
        count = 0
        for article in Article.objects.iterator(chunk_size=500):
            search.index(article)
            count += 1
        self.stdout.write(f"Indexed {count} stories.")
