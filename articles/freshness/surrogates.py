"""What each reader response shows, named as surrogate keys, and which keys a
change makes stale: the edge drops just those responses (articles/freshness/edge.py).

Three kinds of key:

- ``<model>-<pk>`` (``article-12``, ``section-3``): a thing a response shows.
  Every link to a story or a thing of a kind goes through its
  ``get_absolute_url``, which notes its key: a page shows what it links to.
- ``list-<model>-<pk>``: which stories a thing's listing holds (its page and
  feeds). ``stories``: which stories the site's listings hold (the home page,
  the latest, search, the main feeds, sitemaps); ``home``: the front page's
  pins; ``commitments``: the tracker's outcomes; ``revised``: when stories
  last changed, as the sitemaps list them; ``all-<model>``: the things of a
  kind, as the menu, the filter forms and the sitemaps list them.
  ``list-article-<pk>``: what a story's own links and place are, which decide
  the stories beside it (related.py); no page shows it.
- A story's save purges its own key; it purges listings only when it is or was
  published and its place in them may have moved (status, time, section,
  language, or a thing it names): its section's page and the home page, not the
  other sections', nor the pages of other stories.
"""

from typing import Any

from django.db import models
from django.utils import timezone

from ..kinds import KINDS
from ..models import Article, Event, Section
from ..models.base import surrogate_key as key
from . import edge

STORIES = "stories"
HOME = "home"
COMMITMENTS = "commitments"
REVISED = "revised"
# A story's fields that decide which listings hold it, and where.
PLACE = ("status", "published_at", "section_id", "language")
LISTED_BY = {kind.model._meta.model_name for kind in KINDS}
EVERY_KIND = tuple(f"all-{name}" for name in sorted(LISTED_BY, key=str))
# The kinds readers know only through published stories (a tag): which of them the
# menus, filters, sitemaps and the API list changes as stories come and go.
SHOWN_BY_STORIES = {f"all-{kind.model._meta.model_name}" for kind in KINDS if kind.shown_when}


def key_of(model: type[models.Model], pk: object) -> str:
    """``key`` of row ``pk`` of ``model``, without the row at hand."""
    return f"{model._meta.model_name}-{pk}"


def live(story_pk: object) -> str:
    """A live story's timeline: its updates (its page and the fragment readers poll)."""
    return f"live-{story_pk}"


def listing(model: type[models.Model] | models.Model, pk: object) -> str:
    return f"list-{model._meta.model_name}-{pk}"


def everything(model: type[models.Model]) -> str:
    return f"all-{model._meta.model_name}"


def show_listing(thing: models.Model) -> None:
    """The page of ``thing`` and the stories it lists."""
    edge.show(key(thing), listing(thing, thing.pk))


def story_changed(story: Article, stored: dict[str, Any] | None, *, gone: bool = False) -> set[str]:
    """The keys a story's save (``stored``: its row before, None if new) or
    deletion makes stale."""
    keys = {key(story)}
    if story.pk is None:
        return keys
    was_public = stored is not None and stored["status"] == story.Status.PUBLISHED
    if not (was_public or story.status == story.Status.PUBLISHED):
        return keys  # a draft: nothing readers see has changed
    keys.add(REVISED)
    if story.translation_of_id:  # the original's page names its translations
        keys.add(key_of(Article, story.translation_of_id))
    moved = gone or stored is None or any(stored[f] != getattr(story, f) for f in PLACE)
    if moved:
        keys |= {STORIES, HOME, COMMITMENTS, listing(story, story.pk)} | named_by(story)
        keys |= SHOWN_BY_STORIES
        if stored and stored["section_id"]:
            keys.add(listing(Section, stored["section_id"]))
    return keys


def withdrawn(story: Article, stored: dict[str, Any] | None, *, gone: bool = False) -> bool:
    """Whether a save (``stored``: the row before) or deletion takes a story away
    from readers: its pages must then go from the edge outright, never to be
    served again as a stale copy, even while no app server answers."""
    now = timezone.now()

    def public(status: str, published_at: Any) -> bool:
        return status == story.Status.PUBLISHED and (published_at is None or published_at <= now)

    was = stored is not None and public(stored["status"], stored["published_at"])
    return was and (gone or not public(story.status, story.published_at))


def named_by(story: Article) -> set[str]:
    """The listings that hold ``story``: its section's and those of every thing it
    names (kinds.py), and the trips of the meetings it covers."""
    keys = set()
    for kind in KINDS:
        if kind.relation == "section":
            pks = [story.section_id] if story.section_id else []
        else:  # .all(): what a change to many stories prefetched (bulk_changes.py)
            pks = [thing.pk for thing in getattr(story, kind.relation).all()]
        keys |= {listing(kind.model, pk) for pk in pks}
    trips = {event.parent_id for event in story.events.all() if event.parent_id}
    return keys | {listing(Event, pk) for pk in trips}


def links_changed(
    owner: models.Model, model: type[models.Model], pks: list[Any] | set[Any] | None
) -> set[str]:
    """Many-to-many links between ``owner`` and rows ``pks`` of ``model`` were
    added or removed: both ends, and the listings of whichever end lists stories
    (a story linked to an organization, an outcome to the stories reporting it),
    with a meeting's trip, which lists its meetings' stories, and a story's own
    links; and, for a published story, the things of the kind it now names or no
    longer does."""
    keys = {key_of(model, pk) for pk in pks or ()}
    if _listed(model):
        keys |= {listing(model, pk) for pk in pks or ()}
    if _listed(type(owner)):
        keys.add(listing(owner, owner.pk))
    # The things of a kind in the news (the filter forms' lists) change with what
    # published stories name.
    if model._meta.model_name in LISTED_BY and getattr(owner, "is_published", True):
        keys.add(everything(model))
    if type(owner)._meta.model_name in LISTED_BY:
        keys.add(everything(type(owner)))
    events = [owner.pk] if isinstance(owner, Event) else pks if model is Event else None
    if events:
        trips = Event.objects.filter(pk__in=events).exclude(parent=None).values("parent")
        keys |= {listing(Event, row["parent"]) for row in trips}
    return keys


def row_changed(row: models.Model) -> set[str]:
    """A row of the newsroom other than a story: its own key, the things it
    points to (an alias's organization, a participant's event), and the listings
    of a link between a story and a thing (a byline, a tag on a story)."""
    keys = {key(row)}
    pointed: dict[type[models.Model], Any] = {}
    for field in row._meta.concrete_fields:
        if field.is_relation and (pk := getattr(row, field.attname)) is not None:
            related: type[models.Model] = field.related_model  # type: ignore[assignment]
            pointed[related] = pk
            keys.add(key_of(related, pk))
    if Article in pointed:
        # a link between a story and a thing (a byline, a tag on a story): the
        # thing's listing, and the story's own links
        keys |= {listing(model, pk) for model, pk in pointed.items() if _listed(model)}
    name = row._meta.model_name
    if name in LISTED_BY:
        keys.add(everything(type(row)))
    return keys | ALSO.get(str(name), set())


# What else rows of these models change: the tracker, the pins, a story's revision
# time, and what searches find (a story is found by the other names of what it names).
ALSO = {
    "outcome": {COMMITMENTS},
    "outcomereport": {COMMITMENTS},
    "pin": {HOME},
    "taggedarticle": SHOWN_BY_STORIES,  # a tag a published story now carries, or no longer
    "correction": {REVISED},
    **{f"{kind}alias": {STORIES} for kind in ("country", "organization", "person")},
}


def _listed(model: type[models.Model]) -> bool:
    """A listing key of its rows exists: the kinds', and a story's own links."""
    return model is Article or model._meta.model_name in LISTED_BY
