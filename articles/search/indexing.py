"""Each story's search fields, kept current as it and what it names change:
its folded text (``search_text``) and, on PostgreSQL, its weighted
``search_vector`` and the vocabulary of the archive's words (see the package)."""

import html
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

import nh3
from django.db import connection
from django.db.models import QuerySet

from newsroom import jobs

from ..models import Article
from ..text.slugs import fold
from . import tsvector
from .tsvector import WEIGHTS

# The longest word kept in the vocabulary that mistyped words are matched against.
LONGEST_WORD = 40
WORD = re.compile(r"\w+")
WORDS_TABLE = "articles_search_word"


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def document(article: Article, names: list[str] | None = None) -> dict[str, str]:
    """The story's searchable text by weight: what it names is found by every
    name it goes by (``Mỹ``, ``United States``). ``names`` are read from its
    relations with ``.all()`` (``index_many`` prefetches them for a whole
    batch), unless the caller has them at hand (``seed_demo``, before saving)."""
    if names is None:
        named: list[Any] = [
            *article.countries.all(),
            *article.organizations.all(),
            *article.people.all(),
        ]
        names = [
            *(tag.name for tag in article.tags.all()),
            *(thing.name for thing in named),
            *(alias.name for thing in named for alias in thing.aliases.all()),
            *(author.name for author in article.authors.all()),
        ]
    return {
        "A": article.headline,
        "B": "\n".join([article.sapo, *sorted(names)]),  # the same whoever reads them
        "C": html.unescape(nh3.clean(_BLOCK_START.sub("\n<", article.body), tags=set())),
    }


# A paragraph's last word and the next one's first are two words, not one
# (``USD.</p><p>The`` would read as the address ``usd.the``).
_BLOCK_START = re.compile(
    r"<(?=/?(?:p|div|h[1-6]|li|ul|ol|blockquote|figure|figcaption|table|tr|td|th|br|hr)\b)",
    re.IGNORECASE,
)


NAMED = ("tags", "countries__aliases", "organizations__aliases", "people__aliases", "authors")


# model -> its rows to index when the batch ends: id -> the story saved (None: read it then)
_pending: ContextVar[dict[type[Article], dict[int, Article | None]] | None] = ContextVar(
    "search_pending", default=None
)


@contextmanager
def batched() -> Iterator[None]:
    """Index each story touched inside the block once, at its end: one admin save
    moves the story, its tags, bylines and links, and each would re-index it. A
    story saved in the block is indexed as saved, its names read in one query."""
    pending: dict[type[Article], dict[int, Article | None]] = {}
    token = _pending.set(pending)
    try:
        yield
    except BaseException:
        for stories in pending.values():  # what was saved may be undone: read as stored
            stories.update(dict.fromkeys(stories))
        raise
    finally:
        _pending.reset(token)
        for model, stories in pending.items():
            saved = [story for story in stories.values() if story is not None]
            if saved and not jobs.queued():
                _write(model, [(story.pk, document(story, names_of(story))) for story in saved])
            elif saved:
                _index_later(model, sorted(story.pk for story in saved))
            if unread := [pk for pk, story in stories.items() if story is None]:
                refresh(model.objects.filter(pk__in=unread))


def index(article: Article) -> None:
    """Bring one story's search fields up to date (at the end of a ``batched`` block)."""
    pending = _pending.get()
    if pending is not None:
        pending.setdefault(type(article), {})[article.pk] = article
        return
    if jobs.queued():
        _index_later(type(article), [article.pk])
        return
    _write(type(article), [(article.pk, document(article, names_of(article)))])


def index_by_pk(model: type[Article], pk: int) -> None:
    """``index`` for a story known by its id (a byline or a tag of it changed)."""
    pending = _pending.get()
    if pending is not None:
        pending.setdefault(model, {}).setdefault(pk, None)
        return
    refresh(model.objects.filter(pk=pk))


def names_of(article: Article) -> list[str]:
    """The names ``document`` reads from a story's relations, in one query
    whatever it names: an editor's save read them thing by thing."""
    parts = [article.tags.values_list("name"), article.authors.values_list("name")]
    for relation in ("countries", "organizations", "people"):
        things = getattr(article, relation)
        parts.append(things.values_list("name"))
        parts.append(things.filter(aliases__isnull=False).values_list("aliases__name"))
    first, *rest = (part.order_by() for part in parts)
    return [name for (name,) in first.union(*rest, all=True)]


def index_many(articles: QuerySet[Article], batch_size: int = 500) -> int:
    """Index many stories: a few queries per batch to read, one to write."""
    ids = list(articles.values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        batch = articles.model.objects.filter(pk__in=ids[start : start + batch_size])
        batch = batch.prefetch_related(*NAMED)
        _write(articles.model, [(article.pk, document(article)) for article in batch])
    return len(ids)


def refresh(articles: QuerySet[Article]) -> None:
    """Index ``articles`` now, or by the queue's worker once the save commits
    (one waiting job per story: a story edited ten times is indexed once)."""
    if not jobs.queued():
        index_many(articles)
        return
    _index_later(articles.model, sorted(articles.values_list("pk", flat=True)))


def _index_later(model: type[Article], ids: list[int]) -> None:
    label = model._meta.label
    lock = f"search:{label}:{ids[0]}" if len(ids) == 1 else None
    if ids:
        jobs.defer("search.index", model=label, ids=ids, queueing_lock=lock)


def _texts(parts: dict[str, str]) -> tuple[str, list[str], list[str]]:
    """The folded text; the text of each weight as stored, and folded."""
    folded = [fold(parts[w]) for w in WEIGHTS]  # one character for one: lines agree
    texts = [unicodedata.normalize("NFC", parts[w]).lower() for w in WEIGHTS]
    return "\n".join(folded), texts, folded


def fields(parts: dict[str, str]) -> dict[str, str | None]:
    """The search fields of a story not yet saved whose ``document`` is ``parts``,
    to be written with it (``bulk_create``, ``COPY``): one write instead of two.
    On PostgreSQL ``search_vector`` is a ``tsvector`` literal built in Python
    (``tsvector.literal_of``), or None where the text is not plain or this
    database's parser reads it otherwise: index those stories once saved
    (``index_many``). Its words go to the vocabulary with ``add_words``."""
    folded, texts, folded_texts = _texts(parts)
    if not is_postgres():
        return {"search_text": folded}
    vector = tsvector.literal_of(texts, folded_texts) if tsvector.literals_agree() else None
    return {"search_text": folded, "search_vector": vector}


def _write(model: type[Article], docs: list[tuple[int, dict[str, str]]]) -> None:
    """Store the search fields of ``docs``, stories of ``model``."""
    if not docs:
        return
    if not is_postgres():
        texts = []
        for pk, parts in docs:
            texts.append(_texts(parts)[0])
            model.objects.filter(pk=pk).update(search_text=texts[-1])
        add_words(texts)
        return
    rows: list[str] = []
    params: list[Any] = []
    folded_texts: list[str] = []
    for pk, parts in docs:
        folded, texts, _ = _texts(parts)
        rows.append("(%s, %s" + ", %s" * len(WEIGHTS) + ")")
        params += [pk, folded, *texts]
        folded_texts.append(folded)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(WEIGHTS.lower())
    update = (
        f"UPDATE {table} SET search_text = v.search_text, search_vector = {tsvector.SQL_OF_ROW} "
        f"FROM (VALUES {', '.join(rows)}) AS v(id, search_text, {columns}) "
        f"WHERE {table}.id = v.id"
    )
    # One statement: the fields written, and their words added to the vocabulary.
    add, words = _adding_words(folded_texts)
    with connection.cursor() as cursor:
        cursor.execute(f"WITH indexed AS ({update} RETURNING 1) {add}", [*params, *words])


def add_words(folded_texts: list[str]) -> None:
    """Add the words of stories' folded texts to the vocabulary that mistyped
    words are matched against."""
    if not folded_texts:
        return
    with connection.cursor() as cursor:
        if is_postgres():
            cursor.execute(*_adding_words(folded_texts))
            return
        words = {w for text in folded_texts for w in WORD.findall(text) if len(w) <= LONGEST_WORD}
        cursor.executemany(
            f"INSERT OR IGNORE INTO {WORDS_TABLE} (word) VALUES (%s)", [[w] for w in sorted(words)]
        )


def _adding_words(folded_texts: list[str]) -> tuple[str, list[Any]]:
    """The statement adding the texts' words to the vocabulary, and its parameters."""
    # The parser's words never span a space (only markup such as <a href=…>
    # does, and it is not indexed): the words of the distinct pieces between
    # spaces are the words of the texts, for a fraction of the reading.
    pieces = set()
    for text in folded_texts:
        pieces.update(text.split())
    sql = (
        f"INSERT INTO {WORDS_TABLE} (word) SELECT DISTINCT word "
        "FROM unnest(tsvector_to_array(to_tsvector('simple', %s))) AS word "
        # in order: loads running at once take the words' locks in one order
        "WHERE length(word) <= %s ORDER BY word ON CONFLICT DO NOTHING"
    )
    return sql, [" ".join(sorted(pieces)), LONGEST_WORD]
