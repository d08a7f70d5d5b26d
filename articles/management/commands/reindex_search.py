from django.core.management.base import BaseCommand

from articles import search
from articles.models import Article


class Command(BaseCommand):
    help = "Rebuild every story's search fields (after bulk loads that skip signals)."

    def handle(self, *args, **options):
        count = search.index_many(Article.objects.all())
        self.stdout.write(f"Indexed {count} stories.")
