"""The jobs of the readers' site (the queue is ``newsroom/jobs.py``): related news
ranked again after the change that moved it; "Đọc nhiều" ranked on a schedule."""

from procrastinate.contrib.django import app

from newsroom import jobs

from . import reads, related


@jobs.task("related.rank", queue=jobs.LONG)
def rank_related(ids: list[int]) -> None:
    """The lists of these stories and of their nearest, as they are when it runs:
    run twice, the same lists. On the lane of long jobs: a tag taken from ten
    thousand stories asks for ten thousand rankings, which purges, indexing and
    stories going live must not wait behind."""
    related.rerank(ids)


@app.periodic(cron="*/5 * * * *", periodic_id="most-read")
@jobs.task("reads.rank", queueing_lock="most-read")
def rank_most_read(timestamp: int) -> None:
    """ "Đọc nhiều" ranked again from the last day's reads; a list that changed
    purges its own key, and only the pages showing it are made again."""
    reads.rank()
