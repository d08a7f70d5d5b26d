"""The job of the readers' site (the queue is ``newsroom/jobs.py``): related news
ranked again after the change that moved it."""

from newsroom import jobs

from . import related


@jobs.task("related.rank")
def rank_related(ids: list[int]) -> None:
    """The lists of these stories and of their nearest, as they are when it runs:
    run twice, the same lists."""
    related.rerank(ids)
