"""Pieces of readers' pages kept by what they show.

A story's text with its links, bylines and event boxes takes seven queries and
most of the templates' time to make, and a page is made again whenever any key
it shows is purged: a related story's save, a scheduled story going live. A
piece made once is kept with the surrogate keys it noted (``edge.show``) and
their versions, as whole pages are (``pages.py``), until one of them is
purged; reused, it notes them again, so that the page showing it is kept and
purged by them as if it had been made.

Pieces are kept for readers' responses (never for signed-in staff, nor a
preview) whenever the content cache is on, with the page cache on or off;
values the same for whoever asks (``shared``: the section menu, the filter
forms' lists, which stories the front page shows) for everyone. All are kept
under the release (the code, the templates, the translations), so that a
deploy never serves a piece of the old markup.
"""

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache

from . import edge, store
from .cache_keys import CHECKED, ENDED, PIECE, PURGES

SECONDS = 24 * 60 * 60
T = TypeVar("T")


def kept(name: str, make: Callable[[], T], *, note: bool = True, shared: bool = False) -> T:
    """``make()``'s value, kept under ``name`` until what it shows changes.
    ``name`` says everything else the value depends on (the language, the host).
    With ``note=False`` the page is not told what the value shows: a value the
    page does not show as such (which stories to list) is made again when its
    keys change without purging the pages made from it. A ``shared`` value (the
    section menu, the filter forms' lists: the same for whoever asks) is kept
    for staff too; a piece of a page is kept for readers only."""
    return kept_many({name: make}, note=note, shared=shared)[name]


def kept_many(
    pieces: dict[str, Callable[[], T]], *, note: bool = True, shared: bool = False
) -> dict[str, T]:
    """``kept`` for several pieces (a list's teasers) in two reads of the cache."""
    if not (settings.CONTENT_CACHE and (shared or edge.is_recording())):
        # Staff and previews see the database as it is.
        return {name: make() for name, make in pieces.items()}
    keys = {name: f"{PIECE}{release()}:{store.digest(name)}" for name in pieces}
    checked = {name: CHECKED + key for name, key in keys.items()}
    found = cache.get_many([PURGES, ENDED, *keys.values(), *checked.values()])
    ended = found.get(ENDED)
    entries = {name: found[key] for name, key in keys.items() if key in found}
    unsure = {n for n in entries if ended is None or found.get(checked[n]) != ended}
    if unsure:
        # One read of the versions of every key the unsure pieces show.
        now, token = store.versions_now({k for n in unsure for k in entries[n][0]})
        for name in unsure:
            if not store.unchanged(entries[name][0], now):
                del entries[name]
        if token is not None:
            cache.set_many({checked[n]: token for n in unsure if n in entries}, SECONDS)
    values = {}
    started = found.get(PURGES, 0)
    for name, make in pieces.items():
        if name in entries:
            shows, values[name] = entries[name]
            if note:
                edge.show(*shows)
        else:
            values[name] = _made(keys[name], checked[name], make, started, note)
    return values


def _made(key: str, checked: str, make: Callable[[], T], started: int, note: bool) -> T:
    with edge.recording() as shown:
        value = make()
    if note:
        edge.show(*shown)
    # A piece that names nothing could never be purged: it is not kept.
    if shown and (made := store.versions_since(shown, started)) is not None:
        versions, token = made
        cache.set_many({key: (versions, value), checked: token}, SECONDS)
    return value


def _folders(engine: dict[str, Any]) -> list[str]:
    """The template folders a ``TEMPLATES`` entry names."""
    return list(engine.get("DIRS", ()))


@functools.cache
def release() -> str:
    """A digest of what makes the pieces: the project's code, templates and
    translations, read once per process."""
    base = Path(settings.BASE_DIR)
    roots = {Path(folder) for engine in settings.TEMPLATES for folder in _folders(engine)}
    roots |= {Path(d) for d in settings.LOCALE_PATHS}
    roots |= {Path(a.path) for a in apps.get_app_configs() if Path(a.path).is_relative_to(base)}
    digest = hashlib.blake2b(digest_size=8)
    for root in sorted(roots):
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".html", ".mo") and path.is_file():
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()
