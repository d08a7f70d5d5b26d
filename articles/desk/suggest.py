"""What a story names, found in its text: every country, organization, person
and event, under any of their names, whatever the diacritics or case
(``Lockheed``, ``Mỹ``, ``nguyen hong dien``), on word boundaries (``Google``
is not in ``Googleplex``).

One Aho-Corasick automaton (pyahocorasick) holds every folded name, so a text
is scanned once whatever the number of names. Each process builds it once and
again only after a name changes (``names_changed``, connected in desk/handlers.py to
the named models and their other names): saving stories does not rebuild it.
Names of three characters or fewer (``US``, ``SK``) match only as written, so
the English word "us" is not the United States.
"""

import threading
import uuid
from dataclasses import dataclass

import ahocorasick
from django.core.cache import cache
from django.db import transaction

from ..kinds import BY_NAME
from ..text.slugs import fold

SUGGESTED = ("country", "organization", "person", "event")
SHORT = 3
MAX_TEXT = 200_000  # characters: a very long story, and a bound on the work


@dataclass(frozen=True)
class Named:
    kind: str  # the story's relation: "countries", "organizations", "people", "events"
    pk: int
    slug: str
    name: str


# The kinds (kinds.py) a story's text can name: the story's relation -> the model.
SOURCES = {BY_NAME[name].relation: BY_NAME[name].model for name in SUGGESTED}


_built: dict[str, object] = {}
_lock = threading.Lock()


def _names():
    for relation, model in SOURCES.items():
        field = model.slug_source
        has_aliases = any(r.name == "aliases" for r in model._meta.related_objects)
        rows = model.objects.only("pk", "slug", field)
        if has_aliases:
            rows = rows.prefetch_related("aliases")
        for row in rows.iterator(chunk_size=2000):
            thing = Named(relation, row.pk, row.slug, getattr(row, field))
            yield thing.name, thing
            if has_aliases:
                for alias in row.aliases.all():
                    yield alias.name, thing


def build() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for name, thing in _names():
        key = fold(name).strip()
        if len(key) < 2:
            continue
        found = automaton.get(key, [])
        found.append((name, thing))
        automaton.add_word(key, found)
    if len(automaton):
        automaton.make_automaton()
    return automaton


VERSION_KEY = "suggest:names"


def names_changed(**kwargs) -> None:
    """A name was added, changed or removed: every process rebuilds its matcher,
    now and again once the change is committed."""

    def bump():
        cache.set(VERSION_KEY, uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)


def _automaton():
    token = cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, None)
    with _lock:
        if token not in _built:
            _built.clear()
            _built[token] = build()
        return _built[token]


def _bounded(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else " "
    after = text[end + 1] if end + 1 < len(text) else " "
    return not (before.isalnum() or after.isalnum())


def mentions(text: str) -> list[tuple[int, int, Named]]:
    """Every place ``text`` names a known thing: (start, end, thing), in order,
    the longest name where two overlap ("Bộ Công Thương", not "Công Thương")."""
    text = text[:MAX_TEXT]
    folded = fold(text)
    automaton = _automaton()
    if not len(automaton):
        return []
    found: list[tuple[int, int, Named]] = []
    for end, candidates in automaton.iter(folded):
        for name, thing in candidates:
            start = end - len(fold(name).strip()) + 1
            if not _bounded(folded, start, end):
                continue
            if len(name.strip()) <= SHORT and text[start : end + 1] != name.strip():
                continue
            found.append((start, end + 1, thing))
            break
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    kept: list[tuple[int, int, Named]] = []
    for mention in found:
        if kept and mention[0] < kept[-1][1]:
            continue  # inside a longer name already kept
        kept.append(mention)
    return kept


def find(text: str) -> list[tuple[Named, str]]:
    """Each thing ``text`` names, once, with the words that named it first."""
    text = text[:MAX_TEXT]
    found: dict[Named, str] = {}
    for start, end, thing in mentions(text):
        found.setdefault(thing, text[start:end])
    return list(found.items())
