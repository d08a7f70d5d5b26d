"""The jobs that keep readers' pages current (the queue is ``newsroom/jobs.py``):
scheduled stories going live at their moment, and purges sent to the edge until
it takes them."""

from procrastinate.contrib.django import app

from newsroom import jobs

from . import edge, moments


@app.periodic(cron="* * * * * */15", periodic_id="stories-go-live")
@jobs.task("stories.go_live", queueing_lock="stories-go-live")
def go_live(timestamp: int) -> None:
    """A scheduled story goes live at its moment, its listings and the edge
    purged, with no reader needing to ask first (``moments.schedule``)."""
    moments.schedule()


@jobs.task("edge.purge")
def purge_edge(keys: list[str], hard: bool = True) -> None:
    """A purge sent to the edge, retried until it takes it (freshness/edge.py)."""
    edge.send_purge(keys, hard)
