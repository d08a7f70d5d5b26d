"""The job of search (the queue is ``newsroom/jobs.py``): stories' search fields,
indexed after the save that changed them."""

from django.apps import apps

from newsroom import jobs

from .. import search


@jobs.task("search.index")
def index_stories(model: str, ids: list[int]) -> None:
    """Stories' search fields, read as they are when it runs: run twice, the same fields."""
    search.index_many(apps.get_model(model).objects.filter(pk__in=ids))
