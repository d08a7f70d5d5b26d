"""Search vectors built in Python (``articles.search.tsvector``) are the vectors the
database builds, word for word and position for position, or are not built."""

import random
import unicodedata
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from articles import search
from articles.models import Article
from articles.search import indexing, tsvector
from articles.text.slugs import fold
from tests.factories import ArticleFactory

postgres_only = pytest.mark.postgres(reason="the vectors are PostgreSQL's")


def database_vector(texts: list[str]) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT ({tsvector.SQL_OF_PARAMETERS})::text",
            [text for text in texts for _ in range(2)],
        )
        return cursor.fetchone()[0]


def python_vector(texts: list[str]) -> str | None:
    literal = tsvector.literal_of(texts, [fold(text) for text in texts])
    if literal is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::tsvector::text", [literal])
        return cursor.fetchone()[0]


@pytest.mark.parametrize(
    "text",
    [
        "ab-cd",  # a hyphenated word is three words to the parser
        "thẻ 1e4a2b",  # a number in scientific notation, then a word
        "1ệ5a",  # folded, a number in scientific notation
        "giá 1.5 triệu",  # a number with a point
        "usd.the",  # an address
        "hello.việt",
        "a@b",
        "50%off",
        "l'eau",
        "/đường/dẫn",
        "«hoa» kỳ",  # unaccent writes << and >>, which the parser reads as markup
        "&amp;",
        "<b>x</b>",
        "đi_về",
        "中文",  # another script
        "không\u00a0gian",  # a space PostgreSQL does not read as one
        "a" * 700,  # too long a word to be indexed
    ],
)
def test_text_that_is_not_plain_is_left_to_the_database(text):
    assert tsvector.tokens(text) is None
    assert tsvector.literal_of([text, "", ""], [fold(text), "", ""]) is None


def test_plain_text_is_split_into_its_words():
    assert tsvector.tokens('hoa kỳ, (việt nam): 12 thoả thuận! "xanh" 50% đầu tư.') == [
        "hoa", "kỳ", "việt", "nam", "12", "thoả", "thuận", "xanh", "50", "đầu", "tư",
    ]  # fmt: skip


def literal(*texts: str) -> str | None:
    return tsvector.literal_of(list(texts), [fold(text) for text in texts])


def test_positions_run_on_across_weights_folded_then_as_written():
    assert literal("kinh tế", "tin", "tế.") == ("'kinh':1A,3A 'te':2A,7C 'tế':4A,8C 'tin':5B,6B")


def test_a_word_said_too_often_is_left_to_the_database():
    assert literal("", "", "tin " * 127) is not None  # 254 times, folded and as written
    assert literal("", "", "tin " * 128) is None


@postgres_only
@pytest.mark.django_db
@pytest.mark.parametrize("seed_value", range(4))
def test_random_text_gets_the_database_vector_or_none(seed_value):
    """Words, numbers and marks thrown together: wherever Python builds a vector,
    it is the one PostgreSQL builds from the same text."""
    rng = random.Random(seed_value)
    pieces = [
        "1", "e", "ệ", "0x", "hoa", "Kỳ", "ĐƯỜNG", "sắt", "tin", "123", "x9", "ngày1", "USD", "a",
        "ờ", "Ưu",
        *[" "] * 12, "\n", "\t", ".", ",", ":", ";", "!", "?", '"', "'", "(", ")", "[", "]",
        "%",
    ]  # fmt: skip
    others = [
        "«", "»", "“", "”", "–", "—", "…", "-", "/", "@", "_", "&", "<", "+", "#", "é", "ß",
        "\u00a0", "\u0301",
    ]  # fmt: skip
    built = 0
    for n in range(600):
        alphabet = pieces + others if n % 3 == 0 else pieces
        texts = [
            unicodedata.normalize(
                "NFC", "".join(rng.choices(alphabet, k=rng.randint(0, 30)))
            ).lower()
            for _ in range(3)
        ]
        ours = python_vector(texts)
        if ours is not None:
            built += 1
            assert ours == database_vector(texts), texts
    assert built > 30  # the test reaches what it tests


@postgres_only
@pytest.mark.django_db
def test_the_seed_stories_and_a_synthetic_archive_get_their_vectors_in_python(seed):
    """The seed stories have numbers and hyphens (the database builds theirs);
    every story ``seed_demo`` writes is plain, so Python builds its vector, and
    it is the vector indexing builds."""
    seeds = set(Article.objects.values_list("pk", flat=True))
    call_command("seed_demo", stories=40, seed=11, stdout=StringIO())
    for article in Article.objects.prefetch_related(*search.NAMED):
        _, texts, folded = indexing._texts(search.document(article))
        if article.pk not in seeds:
            assert tsvector.literal_of(texts, folded) is not None
        assert python_vector(texts) in (None, database_vector(texts))


def test_a_paragraph_ends_a_word(db):
    """``USD.</p><p>The`` is two words, not the address ``usd.the``."""
    story = ArticleFactory(
        status=Article.Status.PUBLISHED,
        body="<p>Giá tính bằng USD.</p><p>Ethereum tăng<br>Bitcoin giảm</p>",
    )
    parts = search.document(story)
    assert parts["C"].split() == [
        "Giá",
        "tính",
        "bằng",
        "USD.",
        "Ethereum",
        "tăng",
        "Bitcoin",
        "giảm",
    ]
    for word in ("ethereum", "usd", "bitcoin", "tang"):
        assert story in search.search(Article.objects.published(), word), word
