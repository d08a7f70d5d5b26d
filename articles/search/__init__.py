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
Either way only the newest ``CANDIDATES`` matches are ranked, and beside them
the newest ``HEADLINE_CANDIDATES`` stories whose headline holds every word (``HeadlineWords``,
an index of its own), wherever they are in the archive: those rank first, so an
old story is found by its headline however many newer ones mention its words.
Words in more than ``HEADLINE_PROBE`` headlines tell no story apart: then only
the newest matches rank (among them, those with the words in their headline first).

SQLite, the embedded default, matches the same folded text with ``LIKE``,
among the newest ``SQLITE_WINDOW`` published stories: it has no index for
it, and a scan must stay bounded whatever the archive's size. Headlines it
reads in the slug (the folded headline), among the newest ``SQLITE_HEADLINES``.
When nothing matches, each word the vocabulary lacks is replaced by its
nearest word there (``difflib``, among those of the same first two letters).
"""

import difflib
import functools
import operator
import re
import unicodedata
from typing import Any

from django.db import connections
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..models import Article
from ..models.bounded import among, read_through_indexes
from ..text.slugs import fold
from . import tsvector
from .indexing import (  # noqa: F401  (the package's public names)
    NAMED,
    WORD,
    WORDS_TABLE,
    add_words,
    batched,
    document,
    fields,
    index,
    index_by_pk,
    index_many,
    is_postgres,
    names_of,
    refresh,
)

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
# Ranked on PostgreSQL: the newest matches, at most this many. A common word
# matches most of an archive, and ranking every match costs a pass over it;
# a reader of news wants the relevant among the recent anyway.
CANDIDATES = 300
# SQLite reads the text of at most this many stories for one search.
SQLITE_WINDOW = 20_000
# Candidates by their headline, besides: they rank first, and a page shows twenty.
HEADLINE_CANDIDATES = 100
# Headlines read to find them, at most: the words of more are common ones.
HEADLINE_PROBE = 1_000
# SQLite reads the slug (the folded headline) of at most this many stories.
SQLITE_HEADLINES = 200_000
# Spellings tried for one mistyped word.
SUGGESTIONS = 3
# SQLite: the archive's words read to find the nearest to one mistyped word, at most.
SQLITE_SPELLINGS = 5_000
NEWEST_FIRST = (F("published_at").desc(nulls_last=True), F("created_at").desc())


def terms(query: str) -> list[str]:
    """The distinct folded words of a query, at most ``MAX_WORDS`` of them: each
    costs a pass over the candidates (SQLite) or a look-up of its spelling."""
    return list(dict.fromkeys(WORD.findall(fold(query[:MAX_QUERY_LENGTH]))))[:MAX_WORDS]


# -- querying


def search(articles: QuerySet[Article], query: str) -> QuerySet[Article]:
    """``articles`` that match ``query``, best first, each with a ``rank``."""
    words = terms(query)
    if not words:
        return articles.none()
    if is_postgres():
        return _search_postgres(articles, query, words)
    found = _search_sqlite(articles, query, words)
    if found.exists():
        return found
    # Nothing matched: perhaps a typo. Try the nearest spellings, as PostgreSQL does.
    respelled = _respelled_sqlite(words, using=articles.db)
    if respelled is None or respelled == words:
        return found
    return _search_sqlite(articles, " ".join(respelled), respelled)


def in_order_of(ids: list[int]) -> Func | Case:
    """An ordering that puts stories in the order of ``ids`` (matches read once,
    best first): one expression with one parameter on PostgreSQL, which costs
    nothing to write out however many they are; a ``CASE`` elsewhere."""
    if not is_postgres():
        return Case(*(When(pk=pk, then=Value(n)) for n, pk in enumerate(ids)))
    from django.contrib.postgres.fields import ArrayField

    return Func(
        Value(ids, output_field=ArrayField(BigIntegerField())),
        F("pk"),
        function="array_position",
        output_field=IntegerField(),
    )


def _search_postgres(
    articles: QuerySet[Article], query: str, words: list[str]
) -> QuerySet[Article]:
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
    # Asked as "any of the newest matches?", not "the newest match?": with LIMIT 1
    # the planner walks the archive newest first, expecting a match soon, and a
    # rare word then costs a pass over every story. (A headline's words are in
    # the whole vector too.)
    if not articles.filter(among("pk", _newest(articles, folded))).exists():
        # Nothing matched word for word: perhaps a typo. Try the nearest spellings.
        folded = exact = _respelled(words, using=articles.db)
        if folded is None:
            return articles.none()
    return (
        _candidates(articles, folded)
        .annotate(
            in_headline=_matching(HeadlineWords("search_vector"), folded),
            rank=Greatest(
                SearchRank(F("search_vector"), folded) + 2 * SearchRank(F("search_vector"), exact),
                Value(0.0),
                output_field=FloatField(),
            ),
        )
        .order_by(
            F("in_headline").desc(), F("rank").desc(), F("published_at").desc(nulls_last=True)
        )
    )


class HeadlineWords(Func):
    """The headline's words of a story's search vector (its weight A), indexed
    on its own (migration 0029)."""

    template = "ts_filter(%(expressions)s, '{a}'::\"char\"[])"

    @property
    def output_field(self) -> Any:
        from django.contrib.postgres.search import SearchVectorField

        return SearchVectorField()


def _matching(vector: Func, query: Any) -> Any:
    """``vector @@ query``, as a value."""
    from django.contrib.postgres.search import SearchVectorExact

    return SearchVectorExact(vector, query)


def _newest(articles: QuerySet[Article], query: Any) -> QuerySet[Article, Any]:
    """The ids of the newest ``CANDIDATES`` stories matching ``query``."""
    return articles.filter(search_vector=query).order_by(*NEWEST_FIRST).values("pk")[:CANDIDATES]


def _candidates(articles: QuerySet[Article], query: Any) -> QuerySet[Article]:
    """The newest ``CANDIDATES`` stories matching ``query`` and those of
    ``_by_headline`` (each found in its GIN index), asked so that a table never
    analysed is not read once per story (bounded.py)."""
    newest = among("pk", _newest(articles, query))
    by_headline = _by_headline(articles, query)
    return articles.filter(newest | Q(pk__in=by_headline) if by_headline else newest)


def _by_headline(articles: QuerySet[Article], query: Any) -> list[int]:
    """The newest ``HEADLINE_CANDIDATES`` stories whose headline matches ``query``,
    if at most ``HEADLINE_PROBE`` do; none if more do. Read from the headline
    index, its rows fetched only until one more than that is found: a common
    phrase costs as much as a rare one, whatever the archive's size, and no
    statistics decide it (bounded.py)."""
    headlines = (
        articles.alias(headline_words=HeadlineWords("search_vector"))
        .filter(headline_words=query)
        .order_by()
        .values_list("pk", Coalesce("published_at", "created_at"))
    )
    with read_through_indexes(articles.db):
        found = list(headlines[: HEADLINE_PROBE + 1])
    if len(found) > HEADLINE_PROBE:
        return []
    found.sort(key=lambda row: row[1], reverse=True)
    return [pk for pk, _time in found[:HEADLINE_CANDIDATES]]


def _respelled(words: list[str], using: str) -> Any:
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


def _respelled_sqlite(words: list[str], using: str) -> list[str] | None:
    """Each word as written if the archive has it, else the archive's word nearest
    to it in spelling (``difflib``) among those of its first two letters and about
    its length: read from the vocabulary by its key, ``SQLITE_SPELLINGS`` at most,
    never from the stories. None if a word is like nothing the archive holds."""
    respelled = []
    with connections[using].cursor() as cursor:
        for word in words:
            cursor.execute(f"SELECT 1 FROM {WORDS_TABLE} WHERE word = %s", [word])
            if cursor.fetchone():
                respelled.append(word)
                continue
            start = word[:2]
            cursor.execute(
                f"SELECT word FROM {WORDS_TABLE} WHERE word >= %s AND word < %s "
                "AND length(word) BETWEEN %s AND %s LIMIT %s",
                [start, start + "\uffff", len(word) - 2, len(word) + 2, SQLITE_SPELLINGS],
            )
            nearest = difflib.get_close_matches(word, [row[0] for row in cursor], n=1, cutoff=0.75)
            if not nearest:
                return None
            respelled.append(nearest[0])
    return respelled


def teach_sqlite_unicode_lower(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite's LOWER() and LIKE fold ASCII only: give it Python's lower()
    (connected to each new connection when the app is ready)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("unicode_lower", 1, str.lower, deterministic=True)


class UnicodeLower(Func):
    function = "unicode_lower"
    output_field = TextField()


def _search_sqlite(articles: QuerySet[Article], query: str, words: list[str]) -> QuerySet[Article]:
    raw = unicodedata.normalize("NFC", query[:MAX_QUERY_LENGTH]).strip().lower()
    window = articles.order_by(*NEWEST_FIRST).values("pk")[:SQLITE_WINDOW]
    matching = articles.filter(pk__in=window)
    for word in words:
        matching = matching.filter(search_text__contains=word)

    def bonus(condition: Q, points: int) -> Case:
        return Case(When(condition, then=Value(points)), default=Value(0))

    folded_phrase = " ".join(words)
    rank = (
        bonus(Q(headline_lower__contains=raw), 8)  # as typed, diacritics and all
        + bonus(Q(sapo_lower__contains=raw), 4)
        + bonus(Q(search_text__startswith=folded_phrase), 2)  # the headline comes first
        + bonus(Q(search_text__contains=folded_phrase), 1)
    )
    headlines = articles.filter(
        pk__in=articles.order_by(*NEWEST_FIRST).values("pk")[:SQLITE_HEADLINES]
    )
    for word in words:
        headlines = headlines.filter(slug__contains=word)
    newest = matching.order_by(*NEWEST_FIRST).values("pk")[:CANDIDATES]
    in_headlines = headlines.order_by(*NEWEST_FIRST).values("pk")[:HEADLINE_CANDIDATES]
    return (
        articles.filter(Q(pk__in=newest) | Q(pk__in=in_headlines))
        .alias(headline_lower=UnicodeLower("headline"), sapo_lower=UnicodeLower("sapo"))
        .annotate(
            in_headline=Case(
                When(pk__in=in_headlines, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            rank=rank,
        )
        .order_by(
            F("in_headline").desc(), F("rank").desc(), F("published_at").desc(nulls_last=True)
        )
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
