"""Search that understands Vietnamese.

``hoa ky``, ``Hoa Kỳ`` and ``HOA KY`` are the same words to a reader, and
``duong`` should find ``đường``. Text is folded (``slugs.fold``: NFC, lower
case, ``đ`` to ``d``, marks removed) and kept on each story as ``search_text``.

On PostgreSQL each story also keeps a weighted ``search_vector`` (GIN indexed):
headline A; sapo, tags and the names of the countries, organizations, people
(all with their other names) and authors B; body C. It holds the words both
as written and folded by ``unaccent``, so a query typed with its diacritics
ranks exact matches first. When the words match nothing (a typo), each is
replaced by the words of the archive nearest in spelling, found by trigrams
in a table of the archive's distinct words, never in the texts themselves:
the cost grows with the vocabulary, not the archive.
Either way only the newest ``CANDIDATES`` matches are ranked.

SQLite, the embedded default, matches the same folded text with ``LIKE``,
among the newest ``SQLITE_WINDOW`` published stories: it has no index for
it, and a scan must stay bounded whatever the archive's size.
"""

import functools
import html
import operator
import re
import unicodedata
from contextlib import contextmanager
from contextvars import ContextVar

import nh3
from django.apps import apps
from django.db import connection, connections
from django.db.models import Case, F, FloatField, Func, Q, QuerySet, TextField, Value, When
from django.db.models.functions import Greatest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from newsroom import jobs

from . import tsvector
from .bounded import among
from .slugs import fold
from .tsvector import WEIGHTS

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
# Ranked on PostgreSQL: the newest matches, at most this many. A common word
# matches most of an archive, and ranking every match costs a pass over it;
# a reader of news wants the relevant among the recent anyway.
CANDIDATES = 300
# SQLite reads the text of at most this many stories for one search.
SQLITE_WINDOW = 20_000
# Spellings tried for one mistyped word, and the longest word kept in the vocabulary.
SUGGESTIONS = 3
LONGEST_WORD = 40
WORDS_TABLE = "articles_search_word"
NEWEST_FIRST = (F("published_at").desc(nulls_last=True), F("created_at").desc())
WORD = re.compile(r"\w+")


def terms(query: str) -> list[str]:
    """The distinct folded words of a query, at most ``MAX_WORDS`` of them: each
    costs a pass over the candidates (SQLite) or a look-up of its spelling."""
    return list(dict.fromkeys(WORD.findall(fold(query[:MAX_QUERY_LENGTH]))))[:MAX_WORDS]


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


# -- indexing


def document(article, names: list[str] | None = None) -> dict[str, str]:
    """The story's searchable text by weight: what it names is found by every
    name it goes by (``Mỹ``, ``United States``). ``names`` are read from its
    relations with ``.all()`` (``index_many`` prefetches them for a whole
    batch), unless the caller has them at hand (``seed_demo``, before saving)."""
    if names is None:
        named = [*article.countries.all(), *article.organizations.all(), *article.people.all()]
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


# model -> the ids of its rows to index when the batch ends
_pending: ContextVar[dict[type, set[int]] | None] = ContextVar("search_pending", default=None)


@contextmanager
def batched():
    """Index each story touched inside the block once, at its end: one admin save
    moves the story, its tags, bylines and links, and each would re-index it."""
    pending: dict[type, set[int]] = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
        for model, ids in pending.items():
            refresh(model.objects.filter(pk__in=ids))


def index(article) -> None:
    """Bring one story's search fields up to date (at the end of a ``batched`` block)."""
    pending = _pending.get()
    if pending is not None:
        pending.setdefault(type(article), set()).add(article.pk)
        return
    if jobs.queued():
        _index_later(type(article), [article.pk])
        return
    _write(type(article), [(article.pk, document(article, names_of(article)))])


def names_of(article) -> list[str]:
    """The names ``document`` reads from a story's relations, in one query
    whatever it names: an editor's save read them thing by thing."""
    parts = [article.tags.values_list("name"), article.authors.values_list("name")]
    for relation in ("countries", "organizations", "people"):
        things = getattr(article, relation)
        parts.append(things.values_list("name"))
        parts.append(things.filter(aliases__isnull=False).values_list("aliases__name"))
    first, *rest = (part.order_by() for part in parts)
    return [name for (name,) in first.union(*rest, all=True)]


def index_many(articles: QuerySet, batch_size: int = 500) -> int:
    """Index many stories: a few queries per batch to read, one to write."""
    ids = list(articles.values_list("pk", flat=True))
    for start in range(0, len(ids), batch_size):
        batch = articles.model.objects.filter(pk__in=ids[start : start + batch_size])
        batch = batch.prefetch_related(*NAMED)
        _write(articles.model, [(article.pk, document(article)) for article in batch])
    return len(ids)


def refresh(articles: QuerySet) -> None:
    """Index ``articles`` now, or by the queue's worker once the save commits
    (one waiting job per story: a story edited ten times is indexed once)."""
    if not jobs.queued():
        index_many(articles)
        return
    _index_later(articles.model, sorted(articles.values_list("pk", flat=True)))


def _index_later(model, ids: list[int]) -> None:
    label = model._meta.label
    lock = f"search:{label}:{ids[0]}" if len(ids) == 1 else None
    if ids:
        jobs.defer(index_job, model=label, ids=ids, queueing_lock=lock)


@jobs.task("search.index")
def index_job(model: str, ids: list[int]) -> None:
    """Reads the stories as they are when it runs: run twice, the same fields."""
    index_many(apps.get_model(model).objects.filter(pk__in=ids))


def _texts(parts: dict[str, str]) -> tuple[str, list[str], list[str]]:
    """The folded text; the text of each weight as stored, and folded."""
    folded = [fold(parts[w]) for w in WEIGHTS]  # one character for one: lines agree
    texts = [unicodedata.normalize("NFC", parts[w]).lower() for w in WEIGHTS]
    return "\n".join(folded), texts, folded


def fields(parts: dict[str, str]) -> dict:
    """The search fields of a story not yet saved whose ``document`` is ``parts``,
    to be written with it (``bulk_create``, ``COPY``): one write instead of two.
    On PostgreSQL ``search_vector`` is a ``tsvector`` literal built in Python
    (``tsvector.literal_of``), or None where the text is not plain or this
    database's parser reads it otherwise: index those stories once saved
    (``index_many``). Its words go to the vocabulary with ``add_words``."""
    folded, texts, folded_texts = _texts(parts)
    if not _is_postgres():
        return {"search_text": folded}
    vector = tsvector.literal_of(texts, folded_texts) if tsvector.literals_agree() else None
    return {"search_text": folded, "search_vector": vector}


def _write(model, docs: list[tuple[int, dict[str, str]]]) -> None:
    """Store the search fields of ``docs``, stories of ``model`` (the search module
    is told the model rather than importing it: the model's queryset uses this one)."""
    if not docs:
        return
    if not _is_postgres():
        for pk, parts in docs:
            model.objects.filter(pk=pk).update(search_text=_texts(parts)[0])
        return
    rows, params, folded_texts = [], [], []
    for pk, parts in docs:
        folded, texts, _ = _texts(parts)
        rows.append("(%s, %s" + ", %s" * len(WEIGHTS) + ")")
        params += [pk, folded, *texts]
        folded_texts.append(folded)
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(WEIGHTS.lower())
    sql = (
        f"UPDATE {table} SET search_text = v.search_text, search_vector = {tsvector.SQL_OF_ROW} "
        f"FROM (VALUES {', '.join(rows)}) AS v(id, search_text, {columns}) "
        f"WHERE {table}.id = v.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    add_words(folded_texts)


def add_words(folded_texts: list[str]) -> None:
    """Add the words of stories' folded texts to the vocabulary that mistyped
    words are matched against (PostgreSQL)."""
    if not _is_postgres() or not folded_texts:
        return
    # The parser's words never span a space (only markup such as <a href=…>
    # does, and it is not indexed): the words of the distinct pieces between
    # spaces are the words of the texts, for a fraction of the reading.
    pieces = set()
    for text in folded_texts:
        pieces.update(text.split())
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {WORDS_TABLE} (word) SELECT DISTINCT word "
            "FROM unnest(tsvector_to_array(to_tsvector('simple', %s))) AS word "
            # in order: loads running at once take the words' locks in one order
            "WHERE length(word) <= %s ORDER BY word ON CONFLICT DO NOTHING",
            [" ".join(sorted(pieces)), LONGEST_WORD],
        )


# -- querying


def search(articles: QuerySet, query: str) -> QuerySet:
    """``articles`` that match ``query``, best first, each with a ``rank``."""
    words = terms(query)
    if not words:
        return articles.none()
    if _is_postgres():
        return _search_postgres(articles, query, words)
    return _search_sqlite(articles, query, words)


def _search_postgres(articles, query, words):
    from django.contrib.postgres.search import SearchQuery, SearchRank

    raw = unicodedata.normalize("NFC", query[:MAX_QUERY_LENGTH]).lower()
    folded = SearchQuery(
        Func(
            Value(raw),
            template=tsvector.FOLD_SQL.format("%(expressions)s"),
            output_field=TextField(),
        ),
        config="simple",
    )
    exact = SearchQuery(raw, config="simple")
    candidates = _newest(articles, folded)
    # Asked as "any of the candidates?", not "the newest match?": with LIMIT 1 the
    # planner walks the archive newest first, expecting a match soon, and a rare
    # word then costs a pass over every story.
    if not candidates.exists():
        # Nothing matched word for word: perhaps a typo. Try the nearest spellings.
        folded = exact = _respelled(words, using=articles.db)
        if folded is None:
            return articles.none()
        candidates = _newest(articles, folded)
    return candidates.annotate(
        rank=Greatest(
            SearchRank(F("search_vector"), folded) + 2 * SearchRank(F("search_vector"), exact),
            Value(0.0),
            output_field=FloatField(),
        )
    ).order_by(F("rank").desc(), F("published_at").desc(nulls_last=True))


def _newest(articles, query) -> QuerySet:
    """The newest ``CANDIDATES`` stories matching ``query`` (found in the GIN index),
    asked so that a table never analysed is not read once per story (bounded.py)."""
    newest = articles.filter(search_vector=query).order_by(*NEWEST_FIRST).values("pk")
    return articles.filter(among("pk", newest[:CANDIDATES]))


def _respelled(words: list[str], using: str):
    """Each word OR the archive's words nearest to it in spelling, all of them
    ANDed; None if one of them is like nothing the archive holds. Read where the
    stories are (``using``: a reader's replica)."""
    from django.contrib.postgres.search import SearchQuery

    combined = None
    with connections[using].cursor() as cursor:
        for word in words:
            cursor.execute(
                f"SELECT word FROM {WORDS_TABLE} WHERE word %% %s "
                "ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                [word, word, SUGGESTIONS],
            )
            spellings = [row[0] for row in cursor.fetchall()]
            if not spellings:
                return None
            either = functools.reduce(
                operator.or_, (SearchQuery(s, config="simple") for s in spellings)
            )
            combined = either if combined is None else combined & either
    return combined


def teach_sqlite_unicode_lower(sender, connection, **kwargs):
    """SQLite's LOWER() and LIKE fold ASCII only: give it Python's lower()
    (connected to each new connection when the app is ready)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("unicode_lower", 1, str.lower, deterministic=True)


class UnicodeLower(Func):
    function = "unicode_lower"
    output_field = TextField()


def _search_sqlite(articles, query, words):
    raw = unicodedata.normalize("NFC", query[:MAX_QUERY_LENGTH]).strip().lower()
    window = articles.order_by(*NEWEST_FIRST).values("pk")[:SQLITE_WINDOW]
    matching = articles.filter(pk__in=window)
    for word in words:
        matching = matching.filter(search_text__contains=word)

    def bonus(condition, points):
        return Case(When(condition, then=Value(points)), default=Value(0))

    folded_phrase = " ".join(words)
    rank = (
        bonus(Q(headline_lower__contains=raw), 8)  # as typed, diacritics and all
        + bonus(Q(sapo_lower__contains=raw), 4)
        + bonus(Q(search_text__startswith=folded_phrase), 2)  # the headline comes first
        + bonus(Q(search_text__contains=folded_phrase), 1)
    )
    newest = matching.order_by(*NEWEST_FIRST).values("pk")[:CANDIDATES]
    return (
        articles.filter(pk__in=newest)
        .alias(headline_lower=UnicodeLower("headline"), sapo_lower=UnicodeLower("sapo"))
        .annotate(rank=rank)
        .order_by(F("rank").desc(), F("published_at").desc(nulls_last=True))
    )


# -- presenting


def highlight(text: str, query: str, width: int | None = 240) -> SafeString:
    """A stretch of ``text`` around the first match (all of it when ``width`` is
    None), matched words in ``<mark>``: neighbouring words in one (``Hoa Kỳ``)."""
    text = unicodedata.normalize("NFC", text or "")
    folded = fold(text)
    found = sorted(
        match.span()
        for word in set(terms(query))
        for match in re.finditer(rf"\b{re.escape(word)}\b", folded)
    )
    spans: list[list[int]] = []
    for begin, finish in found:
        if spans and begin <= spans[-1][1]:  # overlapping
            spans[-1][1] = max(spans[-1][1], finish)
        elif spans and text[spans[-1][1] : begin].isspace():  # the next word of a phrase
            spans[-1][1] = finish
        else:
            spans.append([begin, finish])
    start, end = 0, len(text)
    if width is not None:
        if spans and spans[0][0] > width // 3:
            start = text.rfind(" ", 0, spans[0][0] - width // 3) + 1
        end = min(len(text), start + width)
        if end < len(text):
            end = max(text.rfind(" ", start, end), start + width // 2)
    pieces, cursor = [], start
    for begin, finish in spans:
        if begin < cursor or finish > end:
            continue
        pieces += [escape(text[cursor:begin]), f"<mark>{escape(text[begin:finish])}</mark>"]
        cursor = finish
    pieces.append(escape(text[cursor:end]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(prefix + "".join(pieces) + suffix)
