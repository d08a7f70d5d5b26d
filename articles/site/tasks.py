"""The job of the readers' site (the queue is ``newsroom/jobs.py``): related news
ranked again after the change that moved it."""

from newsroom import jobs

from . import related


@jobs.task("related.rank", queue=jobs.LONG)
def rank_related(ids: list[int]) -> None:
    """The lists of these stories and of their nearest, as they are when it runs:
    run twice, the same lists. On the lane of long jobs: a tag taken from ten
    thousand stories asks for ten thousand rankings, which purges, indexing and
    stories going live must not wait behind."""
    related.rerank(ids)
