"""A story's weighted search vector: the SQL that builds it in the database,
and the same vector built in Python for plain text.

PostgreSQL's ``to_tsvector('simple', …)`` reads Vietnamese at about 5 MB a
second on this project's machines (0.7 ms of the database's time for a story
of 600 words, folded and as written). For plain text (Vietnamese or ASCII
letters and digits, separated by spaces and ASCII punctuation) its parser does
what a regular expression does: each run of letters and digits is a word,
counted from 1. Such text gets its vector here, as a ``tsvector`` literal the
database only reads (0.16 ms), the rest of the work moving to the process
that loads, of which there can be many; any other text (hyphens, numbers like
``1.5``, addresses, other scripts, a word said more than 255 times) gets None,
and the caller has the database build it (``SQL_OF_PARAMETERS``).
``tests/test_search_vector.py`` holds the two equal.
"""

import functools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable

from django.db import connection

from ..text.slugs import fold

WEIGHTS = "ABC"


def _sql(text: Callable[[str], str]) -> str:
    """SQL for the weighted vector, built in the database (unaccent lives there)
    from the text of each weight (``text(weight)``) twice, folded and as is."""
    return " || ".join(
        f"setweight(to_tsvector('simple', {FOLD_SQL.format(text(w))}), '{w}')"
        f" || setweight(to_tsvector('simple', {text(w)}), '{w}')"
        for w in WEIGHTS
    )


# Text folded in the database, as ``search.fold`` folds it in Python. ``unaccent``
# writes « » ‹ › as << >> < >, which the parser reads as a tag, losing the words
# in it (``«Hợp tác»``): the folded text keeps no < or >.
FOLD_SQL = "translate(unaccent(replace({}, 'đ', 'd')), '<>', '  ')"
SQL_OF_ROW = _sql(lambda weight: f"v.{weight.lower()}")
SQL_OF_PARAMETERS = _sql(lambda weight: "%s")  # each weight's text twice

# Lower-case letters whose folded form is one ASCII letter, as ``unaccent`` folds them.
_VIETNAMESE = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
_WORD = f"a-z0-9{_VIETNAMESE}"
# ASCII marks only: ``unaccent`` rewrites others (``«`` to ``<<``, ``…`` to ``...``),
# and the parser then reads the folded text otherwise (``<<usd`` opens a tag).
_PUNCTUATION = ".,;:!?\"'()[]%"
_PLAIN = re.compile(rf"[{_WORD} \t\r\n{re.escape(_PUNCTUATION)}]*")
# Punctuation between two words makes tokens of its own (``1.5``, ``a.b``, ``x'y``);
# looked for only where a mark touches the word after it, which is rare.
_GLUED = re.compile(rf"[{_WORD}][{re.escape(_PUNCTUATION)}]+[{_WORD}]")
_TOUCHING = re.compile(rf"[{re.escape(_PUNCTUATION)}][{_WORD}]")
# A word that opens with digits, ``e`` and a digit is a number to the parser
# (``1e4a``), folded or not (``1ệ4a`` folds to ``1e4a``).
_SCIENTIFIC = re.compile(rf"(?:^|[^{_WORD}])[0-9]+[eèéẻẽẹêềếểễệ][0-9]")
# PostgreSQL keeps at most 255 positions of a word in one to_tsvector and none
# past 16383, and does not index a word of more than 2046 bytes (682 letters
# of three bytes: longer is not plain here).
_MOST_POSITIONS = 255
_LAST_POSITION = 16383
_TOO_LONG = re.compile(rf"[{_WORD}]{{683}}")
# "1A", "2A", …: each weight's positions as written, made once.
_AT = {weight: [f"{n}{weight}" for n in range(_LAST_POSITION + 1)] for weight in WEIGHTS}


def tokens(text: str) -> list[str] | None:
    """The words of lower-case ``text`` as ``to_tsvector('simple')`` reads them,
    or None when it is not plain text."""
    if not _PLAIN.fullmatch(text) or _TOO_LONG.search(text) or _SCIENTIFIC.search(text):
        return None
    if _TOUCHING.search(text) and _GLUED.search(text):
        return None
    return _split(text)


def _split(text: str) -> list[str]:
    for mark in _PUNCTUATION:  # what separates words, then spaces (str.split: C speed)
        if mark in text:
            text = text.replace(mark, " ")
    return text.split()


def literal_of(texts: list[str], folded_texts: list[str]) -> str | None:
    """The ``tsvector`` literal ``SQL_OF_PARAMETERS`` builds from ``texts`` (lower
    case, one per weight) and ``folded_texts``, their ``fold``: for each weight,
    ``setweight(to_tsvector('simple', folded), w) || setweight(to_tsvector('simple',
    text), w)``, all concatenated with ``||``, positions running on. None if a
    text is not plain or too long for its positions to be kept as they are."""
    positions: defaultdict[str, list[str]] = defaultdict(list)
    offset = 0
    for weight, folded_text, text in zip(WEIGHTS, folded_texts, texts, strict=True):
        words = tokens(text)
        if words is None:
            return None
        # ``fold`` keeps one letter for one, as ``unaccent`` does for plain text:
        # the folded text has the same words, folded, at the same places.
        folded, count = _split(folded_text), len(words)
        if len(folded) != count or offset + 2 * count >= _LAST_POSITION:
            return None
        at = _AT[weight]
        for plain, word, plain_at, word_at in zip(
            folded,
            words,
            at[offset + 1 : offset + count + 1],
            at[offset + count + 1 : offset + 2 * count + 1],
            strict=True,
        ):
            positions[plain].append(plain_at)
            positions[word].append(word_at)
        offset += 2 * count
    if positions and max(map(len, positions.values())) > _MOST_POSITIONS:
        return None
    return " ".join([f"'{word}':{','.join(at)}" for word, at in positions.items()])


# Vietnamese with digits and punctuation, to compare the two ways of building a vector.
_SAMPLE = [
    "Hoa Kỳ và Việt Nam ký 12 thoả thuận",
    'Đường sắt, "năng lượng sạch" (2024): 50% vốn; ĐẦU TƯ!',
    "Bộ trưởng Nguyễn Hồng Diên gặp Tập đoàn... Quốc phòng (Ngoại giao)?",
]


@functools.cache
def _agree_on(database: tuple[object, ...]) -> bool:
    texts = [unicodedata.normalize("NFC", text).lower() for text in _SAMPLE]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {SQL_OF_PARAMETERS} = %s::tsvector",
            [text for text in texts for _ in range(2)]
            + [literal_of(texts, [fold(text) for text in texts])],
        )
        return bool(cursor.fetchone()[0])


def literals_agree() -> bool:
    """Whether this database's parser reads plain text as ``literal_of`` does (its
    locale decides what a letter is): asked once per database."""
    settings = connection.settings_dict
    return _agree_on((settings["NAME"], settings["HOST"], settings["PORT"]))
