"""The "Đọc nhiều" list without tracking: reads counted as pages are read, with no cookie,
no identifier and nothing about the reader kept.

A story's page (kept at the edge like any other) carries a small script that,
once the page is seen, sends a beacon: a ``POST`` to ``/doc/<id>/``, which the
edge passes to the app uncached. ``count`` adds one to the story's reads of the
hour unless the reader is a bot (its user agent says so, or it prefetches) or
the same address read the same story within ``WINDOW``: that is known by a keyed
digest of the address kept in the cache for the window alone, never the address.
``rank`` sums the last ``HOURS`` of counts into the list of each language
(``MostRead``), on a schedule (``tasks.py``) or, where no worker runs, when a read
finds the list older than ``RANK_EVERY``; when a list changes it purges its own
key, ``MOST_READ``, so that only the pages showing it are made again."""

import datetime
import hashlib
import re

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Sum
from django.http import HttpRequest
from django.utils import timezone

from ..freshness import edge, store
from ..models import Article, MostRead, ReadCount

MOST_READ = "most-read"
SHOWN = 10  # stories in the list
HOURS = 24  # reads counted over
WINDOW = 30 * 60  # one address's reads of one story count once in this many seconds
RANK_EVERY = 5 * 60  # seconds between rankings where no worker ranks on schedule
KEPT_HOURS = 48  # counts older than this are deleted when ranking
_RANKED = "reads:ranked"
# What a program names itself; a reader's browser never says these words.
BOTS = re.compile(
    r"bot|crawl|spider|slurp|archiv|fetch|scrap|preview|monitor|check|headless|lighthouse|"
    r"pagespeed|curl|wget|python|http-?client|java/|go-http|okhttp|axios|node|facebookexternal|"
    r"embedly|whatsapp|telegram|validator|^mozilla/[0-9.]+$",
    re.IGNORECASE,
)


def is_bot(request: HttpRequest) -> bool:
    """Whether the request comes from a program rather than a person's visit: a
    user agent naming one (or none at all), or a prefetch no one may ever see."""
    agent = request.headers.get("user-agent", "").strip()
    purpose = request.headers.get("sec-purpose", "") + request.headers.get("purpose", "")
    return not agent or bool(BOTS.search(agent)) or "prefetch" in purpose.lower()


def reader_address(request: HttpRequest) -> str:
    """The reader's address: each proxy in front (the TLS proxy, the edge, which
    says it is there) appends the address it saw to X-Forwarded-For, so the
    reader's is as many entries from the end as there are proxies."""
    hops = [hop.strip() for hop in request.headers.get("x-forwarded-for", "").split(",")]
    proxies = int(settings.BEHIND_TLS_PROXY) + int(edge.DESK_HEADER in request.headers)
    if proxies and len(hops) >= proxies and hops[-proxies]:
        return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def _seen_recently(request: HttpRequest, story_id: int) -> bool:
    """Whether this address read this story within ``WINDOW``, remembered by a
    digest keyed with the site's secret and the day: the address itself is never
    kept, and the digest cannot be followed from one day to the next."""
    day = timezone.now().date().isoformat()
    text = f"{settings.SECRET_KEY}|{day}|{reader_address(request)}|{story_id}"
    digest = hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    return not cache.add(f"read:{digest}", 1, WINDOW)


def count(request: HttpRequest, story: int) -> bool:
    """One read of ``story`` (a published story's id) counted, unless a bot or a
    repeated read sent it; whether it was."""
    if is_bot(request) or request.headers.get("sec-fetch-site", "same-origin") != "same-origin":
        return False
    if _seen_recently(request, story):
        return False
    hour = timezone.now().replace(minute=0, second=0, microsecond=0)
    if not ReadCount.objects.filter(article_id=story, hour=hour).update(reads=F("reads") + 1):
        try:
            with transaction.atomic():
                ReadCount.objects.create(article_id=story, hour=hour, reads=1)
        except IntegrityError:  # another read of the hour created it first
            ReadCount.objects.filter(article_id=story, hour=hour).update(reads=F("reads") + 1)
    if cache.add(_RANKED, 1, RANK_EVERY) and not settings.JOBS_QUEUE:
        rank()  # no worker ranks on schedule: the first read past the time does
    return True


def ranked(language: str, now: datetime.datetime | None = None) -> list[tuple[int, int]]:
    """The stories of ``language`` most read over the last ``HOURS``, with their
    reads, the most first (the newer first on a tie)."""
    since = (now or timezone.now()) - datetime.timedelta(hours=HOURS)
    rows = (
        ReadCount.objects.filter(
            hour__gte=since.replace(minute=0, second=0, microsecond=0),
            article__in=Article.objects.published().filter(language=language),
        )
        .values("article")
        .annotate(total=Sum("reads"))
        .order_by("-total", "-article")
        .values_list("article", "total")
    )
    return list(rows[:SHOWN])


def rank(now: datetime.datetime | None = None) -> set[str]:
    """Each language's list ranked again from the counts; the lists that changed
    stored and their key purged. Counts past ``KEPT_HOURS`` are deleted. The keys
    purged, if any."""
    now = now or timezone.now()
    changed = False
    with transaction.atomic():
        for language, _name in settings.LANGUAGES:
            new = ranked(language, now)
            old = list(
                MostRead.objects.filter(language=language)
                .order_by("position")
                .values_list("article", "reads")
            )
            if [pk for pk, _reads in new] == [pk for pk, _reads in old]:
                continue  # the same stories in the same places: readers see no change
            MostRead.objects.filter(language=language).delete()
            MostRead.objects.bulk_create(
                MostRead(language=language, position=place, article_id=pk, reads=reads)
                for place, (pk, reads) in enumerate(new, 1)
            )
            changed = True
        ReadCount.objects.filter(hour__lt=now - datetime.timedelta(hours=KEPT_HOURS)).delete()
    if changed:
        store.purge([MOST_READ])
        return {MOST_READ}
    return set()


def most_read(language: str) -> list[Article]:
    """The "Đọc nhiều" list of ``language`` as last ranked, as teasers show it, in
    one query; the page showing it is kept under ``MOST_READ``."""
    edge.show(MOST_READ)
    shown = Article.objects.published().for_listing()
    places = shown.filter(most_read_places__language=language)
    return list(places.order_by("most_read_places__position"))
