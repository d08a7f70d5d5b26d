"""Related news ("Tin liên quan"): other published stories, ranked by what they
share with a story, strongest first.

A shared event counts most, then an event of the same trip (its parent, its
meetings, or meetings of the same parent), then shared people, organizations
and tags; ties go to the newer story.

It is one SQL query, reading the story's own links from its prefetched
relations. Inside it, the link rows of everything the story names are summed
per story (an index range per link, never a pass over the archive), and only
the best ``CANDIDATES`` of those are scored again, published and by recency.
A candidate cut by id keeps a tie at the cut by newer id, not newer
publication, which in a newsroom's archive is nearly the same.

A page does not rank. The ranking runs when a story is saved or relinked, as a
job (``rank_later``, ``rerank``): it stores the story's list (``related_ids``)
and ranks again the lists of the stories it shares most with, which it may now
enter or leave, purging the key of each list that changed
(``list-article-<pk>``). The page reads the stored ids with the section's latest
("Tin khác") in one query (``stored_side_stories``), and keeps which stories
it shows under the keys of its section's listing and its own
(``articles/freshness/pieces.py``). A story never ranked yet (a story loaded
before the ranking was stored, until ``manage.py rank_related`` runs) is
ranked by its page, as before: both lists in one query (``side_stories``),
kept under the keys of the listings of what the story names, its section and
its own links. The page keeps what it shows of them by those ids
(site/views.py), and fetches the stories they name, in one query, only to make
that again.
"""

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.db import models, transaction
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from newsroom import jobs

from ..freshness import edge, pieces, store, surrogates
from ..models import Article, Event, Section, TaggedArticle
from ..models.stories import story_links

LINKED = ("events", "people", "organizations", "tags")  # what the ranking reads
WEIGHTS = {"event": 8, "trip": 4, "person": 3, "organization": 2, "tag": 1}
CANDIDATES = 50
SHOWN = 5  # stories in related news
# When a story changes, the lists ranked again besides its own: those of the
# stories it shares most with (the weights are the same both ways, so these are
# the lists it may enter or leave).
NEIGHBOURS = 20

# kind of link -> (join table, its story column, its linked-thing column)
RELATIONS = {
    "event": (Article.events.through, "article", "event"),
    "trip": (Article.events.through, "article", "event"),
    "person": (Article.people.through, "article", "person"),
    "organization": (Article.organizations.through, "article", "organization"),
    "tag": (TaggedArticle, "content_object", "tag"),
}


def _shared(kind: str, ids) -> Coalesce:
    """How many of ``ids`` the outer story links to, by one kind of link."""
    through, story, linked = RELATIONS[kind]
    counts = (
        through.objects.filter(**{story: OuterRef("pk"), f"{linked}__in": ids})
        .order_by()
        .values(story)
        .annotate(n=Count("*"))
        .values("n")
    )
    return Coalesce(Subquery(counts, output_field=IntegerField()), Value(0))


def _candidates(links: dict, exclude: int) -> Q:
    """The ``CANDIDATES`` stories with the highest summed weight of shared links."""
    return Q(pk__in=RawSQL(*_best(links, exclude)))


def _best(links: dict, exclude: int) -> tuple[str, tuple]:
    """``_candidates``' SQL: the summed link rows of everything the story names."""
    parts = []
    for kind, ids in links.items():
        through, story, linked = RELATIONS[kind]
        parts.append(
            through.objects.filter(**{f"{linked}__in": ids})
            .order_by()
            .annotate(story=F(f"{story}_id"), weight=Value(WEIGHTS[kind]))
            .values_list("story", "weight")
        )
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    sql, params = rows.query.sql_with_params()
    return (
        f"SELECT story FROM ({sql}) AS links WHERE story <> %s "
        "GROUP BY story ORDER BY SUM(weight) DESC, story DESC LIMIT %s",
        (*params, exclude, CANDIDATES),
    )


def _links(article: Article) -> dict[str, list[int] | QuerySet]:
    """What a story links to, by kind, leaving out kinds it has none of.

    Read from the story's prefetched relations when it has them; the trip's
    other events stay a subquery, so they cost no query of their own.
    """
    links: dict[str, list[int] | QuerySet] = {}
    events = list(article.events.all())
    if events:
        event_ids = [e.pk for e in events]
        parent_ids = {e.parent_id for e in events if e.parent_id}
        links["event"] = event_ids
        links["trip"] = (
            Event.objects.filter(Q(pk__in=parent_ids) | Q(parent__in=[*event_ids, *parent_ids]))
            .exclude(pk__in=event_ids)
            .values("pk")
        )
    for kind, related in (
        ("person", article.people.all()),
        ("organization", article.organizations.all()),
        ("tag", article.tags.all()),
    ):
        if ids := [obj.pk for obj in related]:
            links[kind] = ids
    return links


RANK = ("-relatedness", F("published_at").desc(nulls_last=True), "-pk")


def _scored(article: Article, links: dict) -> QuerySet[Article]:
    """Published stories in the story's language, each with its ``relatedness``."""
    score = sum((_shared(kind, ids) * WEIGHTS[kind] for kind, ids in links.items()), Value(0))
    return (
        Article.objects.published()
        .in_language(article.language)
        .for_listing()
        .annotate(relatedness=score)
    )


def related_articles(article: Article, limit: int = SHOWN) -> QuerySet[Article]:
    """Published stories sharing the most with ``article``, each with its ``relatedness``."""
    links = _links(article)
    if not links:
        return Article.objects.none()
    return _scored(article, links).filter(_candidates(links, article.pk)).order_by(*RANK)[:limit]


def more_from_section(article: Article, exclude=(), limit: int = SHOWN) -> QuerySet[Article]:
    """ "Tin khác": the latest stories of the same section, not already shown."""
    if article.section_id is None:
        return Article.objects.none()
    return (
        Article.objects.published()
        .in_language(article.language)
        .for_listing()
        .filter(section_id=article.section_id)
        .exclude(pk__in=[article.pk, *exclude])[:limit]
    )


def side_stories(article: Article, limit: int = SHOWN) -> tuple[list[Article], list[Article]]:
    """``related_articles`` and ``more_from_section`` in one query: the section's
    latest ``2 * limit`` first (``latest``), then the best-ranked candidates, so
    that "Tin khác" still has ``limit`` once the related ones are left out. A
    latest story that shares a link is ranked with the candidates: it scores no
    more than any of them, whose summed weight was the best."""
    links = _links(article)
    latest = more_from_section(article, limit=2 * limit)
    # One list of ids, not two IN tests joined by OR, which the planner meets
    # with a pass over the whole archive.
    parts = [_best(links, article.pk)] if links else []
    if article.section_id is not None:
        parts.append(latest.annotate(story=F("pk")).values("story").query.sql_with_params())
    if not parts:
        return [], []
    sql = " UNION ALL ".join(f"SELECT story FROM ({part}) AS part" for part, _ in parts)
    rows = list(
        _scored(article, links)
        .filter(pk__in=RawSQL(sql, tuple(param for _, params in parts for param in params)))
        .annotate(latest=Case(When(pk__in=latest.values("pk"), then=True), default=False))
        .order_by("-latest", *RANK)[: 3 * limit]
    )
    related = sorted((s for s in rows if s.relatedness), key=_rank)[:limit]
    more = sorted((s for s in rows if s.latest and s not in related), key=_newest)[:limit]
    return related, more


def _rank(story: Article) -> tuple:
    """As ``RANK`` sorts."""
    return (-story.relatedness, -_published(story), -story.pk)


def _newest(story: Article) -> tuple:
    """As ``Article.Meta.ordering`` sorts: newest first, undated last."""
    return (-_published(story), -story.created_at.timestamp())


def _published(story: Article) -> float:
    return story.published_at.timestamp() if story.published_at else float("-inf")


def stored_side_stories(
    article: Article, limit: int = SHOWN
) -> tuple[list[Article], list[Article]]:
    """The stored related news (``related_ids``) and "Tin khác", in one query:
    the stored ids and the section's latest ``2 * limit``; a stored story no
    longer published drops out. Which rows are the section's latest is read from
    the rows themselves (its newest ``2 * limit`` of them: the query holds those,
    and any other of the section it holds is older), not asked again."""
    wanted = [int(pk) for pk in (article.related_ids or [])[:limit]]
    parts = [(" UNION ALL ".join(["SELECT %s AS story"] * len(wanted)), tuple(wanted))]
    if article.section_id is not None:
        section_latest = more_from_section(article, limit=2 * limit).annotate(story=F("pk"))
        parts.append(section_latest.values("story").query.sql_with_params())
    parts = [(sql, params) for sql, params in parts if sql]
    if not parts:
        return [], []
    sql = " UNION ALL ".join(f"SELECT story FROM ({part}) AS part" for part, _ in parts)
    rows = {
        story.pk: story
        for story in Article.objects.published()
        .in_language(article.language)
        .for_listing()
        .filter(pk__in=RawSQL(sql, tuple(param for _, params in parts for param in params)))
    }
    related = [rows[pk] for pk in wanted if pk in rows]
    section = [s for s in rows.values() if s.section_id == article.section_id and s != article]
    latest = sorted(section, key=_newest)[: 2 * limit] if article.section_id is not None else []
    more = [s for s in latest if s not in related]
    return related, more[:limit]


class Ranking(NamedTuple):
    """What is stored of a story's related news: the ids it shows, best first,
    and how much the last of them shares with it (0 while there are fewer than
    ``SHOWN``)."""

    ids: list[int]
    floor: int

    @classmethod
    def of(cls, ranked: Iterable[Any]) -> "Ranking":
        """From ``related_articles``' stories (each with its ``relatedness``)."""
        stories = list(ranked)
        floor = stories[-1].relatedness if len(stories) == SHOWN else 0
        return cls([story.pk for story in stories], floor)

    def store(self, pk: int) -> None:
        Article.objects.filter(pk=pk).update(related_ids=self.ids, related_floor=self.floor)


def rank(article: Article) -> Ranking:
    """Related news beside ``article``, as stored."""
    article.fetch_links(*LINKED)
    return Ranking.of(related_articles(article, SHOWN))


def rerank(ids: Iterable[int]) -> set[int]:
    """Rank again the lists of these stories and of the stories each shares most
    with that it may enter or leave, store those that changed and purge their
    keys; the ids whose list changed.

    A story no longer published keeps no list, and leaves the lists that hold
    it. A story readers may see enters a neighbour's list only if it shares
    with it at least as much as the last story there (``related_floor``; the
    weights are the same both ways), so only those lists are ranked again, not
    the twenty. Lists never ranked are left to their pages, which rank for
    themselves. A list stored for the first time purges nothing: its page
    ranked for itself until now, and kept that under the keys of what decided
    it, which the change purged."""
    changed: dict[int, Ranking | None] = {}
    first: set[int] = set()  # never ranked before
    near: dict[int, dict[int, int]] = {}  # neighbour -> {changed story: what they share}
    ids = set(ids)
    for story in _with_links(Article.objects.filter(pk__in=ids)):
        best: list[Any] = list(related_articles(story, NEIGHBOURS))  # with their relatedness
        # A scheduled story is ranked already; pages show it only once it is live.
        visible = story.status == Article.Status.PUBLISHED
        ranking = Ranking.of(best[:SHOWN]) if visible else None
        if (story.related_ids, story.related_floor) != (ranking or (None, None)):
            changed[story.pk] = ranking
        if story.related_ids is None:
            first.add(story.pk)
        for neighbour in best:
            # as if it shared nothing: a story that left enters no list
            near.setdefault(neighbour.pk, {})[story.pk] = neighbour.relatedness if visible else -1
    neighbours = Article.objects.published().filter(pk__in=set(near) - ids)
    for neighbour in _with_links(neighbours, lambda n: _may_change(n, near[n.pk])):
        ranking = Ranking.of(related_articles(neighbour, SHOWN))
        if (neighbour.related_ids, neighbour.related_floor) != ranking:
            changed[neighbour.pk] = ranking
    with store.batched():
        for pk, ranked in changed.items():
            if ranked is None:
                Article.objects.filter(pk=pk).update(related_ids=None, related_floor=None)
            else:
                ranked.store(pk)
        store.purge({surrogates.listing(Article, pk) for pk in set(changed) - first})
    return set(changed)


def _may_change(neighbour: Article, shared: dict[int, int]) -> bool:
    """Whether a ranked list may change with the stories in ``shared`` (each with
    what it now shares with the list's story, -1 for one readers no longer see):
    one is in the list, or now shares enough to enter it."""
    if neighbour.related_ids is None:
        return False
    if neighbour.related_floor is None:  # stored before floors were: rank it to know
        return True
    held = set(neighbour.related_ids)
    return any(pk in held or n >= neighbour.related_floor for pk, n in shared.items())


def _with_links(stories: QuerySet[Article], keep=None) -> list[Article]:
    """The stories as the ranking reads them (those ``keep`` says yes to), with
    their links fetched in one query per kind."""
    rows = [
        story
        for story in stories.only("pk", "language", "status", "related_ids", "related_floor")
        if keep is None or keep(story)
    ]
    models.prefetch_related_objects(rows, *story_links(*LINKED))
    return rows


def rank_later(ids: Iterable[int]) -> None:
    """``rerank`` these stories as a job once the change that asks for it is
    committed: a page never waits for the ranking, and reads the last one stored."""
    ids = sorted(set(ids))
    if ids:
        lock = f"related:{ids[0]}" if len(ids) == 1 else None
        transaction.on_commit(
            functools.partial(
                jobs.defer, "related.rank", ids=ids, queueing_lock=lock, after_response=True
            )
        )


@dataclass
class SideLists:
    """Which stories a story page shows beside its text, by id: related news,
    then "Tin khác"."""

    related: list[int]
    more: list[int]
    made: dict[int, Article] = field(default_factory=dict)  # rows already at hand

    def stories(self) -> tuple[list[Article], list[Article]]:
        """The stories, as readers may see them now: one unpublished since drops out."""
        missing = [pk for pk in (*self.related, *self.more) if pk not in self.made]
        found = {**self.made, **Article.objects.published().for_listing().in_bulk(missing)}
        return [found[pk] for pk in self.related if pk in found], [
            found[pk] for pk in self.more if pk in found
        ]


def side_lists(article: Article, limit: int = SHOWN) -> SideLists:
    """Related news and "Tin khác" for a story page, kept until what decides
    them changes; when they are made, the ranking's rows are at hand."""
    made: dict[int, Article] = {}

    def ids() -> tuple[list[int], list[int]]:
        if article.related_ids is not None:  # ranked when it was saved
            edge.show(*stored_deciding(article))
            related, more = stored_side_stories(article, limit)
        else:
            article.fetch_links(*LINKED)  # as its page shows them: fetched once for both
            edge.show(*deciding(article))
            related, more = side_stories(article, limit)
        made.update((s.pk, s) for s in related + more)
        return [s.pk for s in related], [s.pk for s in more]

    name = f"side-lists:{article.pk}:{article.language}:{limit}"
    return SideLists(*pieces.kept(name, ids, note=False), made)


def stored_deciding(article: Article) -> set[str]:
    """The keys of what decides a story's side lists once its ranking is stored:
    its section's listing ("Tin khác") and its own (purged by ``rerank``)."""
    keys = {surrogates.listing(article, article.pk)}
    if article.section_id:
        keys.add(surrogates.listing(Section, article.section_id))
    return keys


def deciding(article: Article) -> set[str]:
    """The keys of what decides a story's side lists, from its prefetched links:
    the listings of what it names and of its trips (a story published or
    relinked there purges them), of its section, and of its own links and place."""
    events = list(article.events.all())
    trips = {e.parent_id for e in events if e.parent_id}
    keys = {surrogates.listing(Event, pk) for pk in {e.pk for e in events} | trips}
    for relation in ("people", "organizations", "tags"):
        keys |= {surrogates.listing(obj, obj.pk) for obj in getattr(article, relation).all()}
    if article.section_id:
        keys.add(surrogates.listing(Section, article.section_id))
    return keys | {surrogates.listing(article, article.pk)}
