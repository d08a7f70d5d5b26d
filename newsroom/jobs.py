"""Work a request should not wait for, run as jobs on procrastinate's queue.

With ``JOBS_QUEUE`` on (PostgreSQL only), ``defer`` writes the job to the
queue's table *in the transaction of the save that asks for it*: a save that
rolls back leaves no job, one that commits is never without its jobs, and
the queue needs nothing besides the database every deployment already backs
up (Redis stays a cache that may be lost whole). ``manage.py procrastinate
worker`` runs them. Off, the default and always on SQLite, a job runs at once
in the process that asks for it, as if there were no queue: the README's two
commands need no service.

Jobs are written so that running one twice gives one result: each reads the
state it works on when it runs, skips what is already done, and the
``queueing_lock`` of ``defer`` keeps one job per thing waiting. A job that
raises is retried (``RETRY``); one whose worker died is found by the worker's
missing heartbeat and run again (``retry_stalled``).
"""

import contextlib
import functools
import logging
from collections.abc import Callable, Iterator
from contextvars import ContextVar

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import transaction
from procrastinate import RetryStrategy
from procrastinate.contrib.django import app
from procrastinate.exceptions import AlreadyEnqueued

from . import metrics, request_id

log = logging.getLogger(__name__)

# Retried at 1, 2, 4, 8, 16 s: a store or an edge that blinks, not one that is down for long.
RETRY = RetryStrategy(max_attempts=5, exponential_wait=1)
# Two lanes, each with a worker of its own (``manage.py jobs_worker``): jobs that may
# take minutes (renditions of a large picture, imports, changes to many stories) on
# LONG, so that edge purges, indexing and scheduled stories going live never wait
# behind them on DEFAULT.
DEFAULT, LONG = "default", "long"


def queued() -> bool:
    return settings.JOBS_QUEUE


def task(name: str, **options) -> Callable:
    """A function that may run as a job (named, so a renamed function keeps its
    waiting jobs), retried when it raises, under the id of the request that
    asked for it."""

    def register(function: Callable) -> Callable:
        @functools.wraps(function)
        def job(*args, **kwargs):
            given = kwargs.pop("request_id", None)  # none in-process: the request's own
            with request_id.carried(given or request_id.current.get()):
                try:
                    result = function(*args, **kwargs)
                except Exception:
                    metrics.JOB_RUNS.labels(name, "failed").inc()
                    raise
                metrics.JOB_RUNS.labels(name, "succeeded").inc()
                return result

        return app.task(name=name, retry=RETRY, **options)(job)

    return register


# Jobs a request asked to run after its response, where there is no queue.
_after_response: ContextVar[list | None] = ContextVar("after_response", default=None)
# gathered(): the jobs it gathers, and per job and other arguments, the ids asked for.
_gathered: ContextVar[dict | None] = ContextVar("gathered", default=None)


@contextlib.contextmanager
def gathered(*names: str, queue: str | None = None) -> Iterator[None]:
    """Defer each job of these ``names`` asked for inside the block (each with
    ``ids``) once, at its end, for all the ids asked: a change to a hundred
    stories ranks them in one job, not a hundred. ``queue``: the lane the merged
    jobs go to (a change of many stories is work for ``LONG``). Meant for jobs
    asked for once a change is committed: one the block's transaction would
    have written with it is written after it."""
    pending: dict = {}
    token = _gathered.set({"names": set(names), "pending": pending})
    try:
        yield
    finally:
        _gathered.reset(token)
        for (job, options), ids in pending.items():
            defer(job, ids=sorted(ids), queue=queue, **dict(options))


def defer(
    job,
    *,
    queueing_lock: str | None = None,
    lock: str | None = None,
    after_response: bool = False,
    delay: float = 0,
    queue: str | None = None,
    **kwargs,
) -> None:
    """Run ``job`` (a task, or the name of one: a model need not import the
    module its job lives in) with ``kwargs`` on the queue, or now in this process.

    ``queueing_lock``: while a job with it waits, another is not added (the
    waiting one reads the latest state when it runs). ``lock``: jobs with the
    same one run one after the other, never at once. ``after_response``: without
    a queue, a request's job runs once its response has been sent, so that how
    long the response took says nothing of what the job does. ``delay``: on the
    queue, run no sooner than that many seconds from now (without one: now).
    ``queue``: the lane, where not the job's own. Inside ``gathered``, a job
    with ``ids`` waits for the block's end, merged with the others like it.
    """
    if isinstance(job, str):
        job = app.tasks[job]
    gathering = _gathered.get()
    if gathering is not None and job.name in gathering["names"] and "ids" in kwargs:
        ids = kwargs.pop("ids")
        extra = {"after_response": after_response, "lock": lock, "delay": delay}
        options = tuple(sorted({**kwargs, **extra}.items()))  # its queueing lock is one id's
        gathering["pending"].setdefault((job.name, options), set()).update(ids)
        return
    if not queued():
        pending = _after_response.get()
        if after_response and pending is not None:
            pending.append(functools.partial(job, **kwargs))
        else:
            job(**kwargs)
        return
    # One is waiting: it will do. In a savepoint, since the refusal is an error
    # of the database's, which would abort the save's whole transaction.
    with contextlib.suppress(AlreadyEnqueued), transaction.atomic():
        later = {"schedule_in": {"seconds": delay}} if delay else {}
        lane = {"queue": queue} if queue else {}
        deferred = job.configure(queueing_lock=queueing_lock, lock=lock, **later, **lane)
        deferred.defer(**kwargs, request_id=request_id.current.get())


def _request_started(**kwargs) -> None:
    _after_response.set([])


def _request_finished(**kwargs) -> None:
    """The response has gone (the server closes it): the request's later jobs run."""
    pending, _ = _after_response.get(), _after_response.set(None)
    for job in pending or ():
        try:
            job()
        except Exception:
            log.exception("a job run after the response failed")


request_started.connect(_request_started, dispatch_uid="jobs-after-response-start")
request_finished.connect(_request_finished, dispatch_uid="jobs-after-response-end")


@app.periodic(cron="* * * * * */5", periodic_id="retry-stalled")
@app.task(name="jobs.retry_stalled", queueing_lock="retry-stalled", pass_context=True)
async def retry_stalled(context, timestamp: int) -> int:
    """Run again the jobs of workers that stopped answering (killed mid-job)."""
    manager = context.app.job_manager
    # a worker tells the queue it is alive every few seconds (settings.py)
    silent = settings.PROCRASTINATE_WORKER_DEFAULTS["stalled_worker_timeout"]
    stalled = await manager.get_stalled_jobs(seconds_since_heartbeat=silent)
    for job in stalled:
        log.warning("job %s (%s) was left by a dead worker: run again", job.id, job.task_name)
        await manager.retry_job(job)
    return len(stalled)
