"""How long a story's text is, as the desk counts it: words (in Vietnamese, each
syllable written apart is a word, "chữ"), and the minutes a reader needs.

static/articles/admin/word-count.js counts the same way as the text is typed."""

import html
import math
import re

# About as fast as an adult reads news on a screen, in words (syllables) a minute.
WORDS_PER_MINUTE = 220
_TAG = re.compile(r"<[^>]*>")
_LETTERS = r"(?:[^\W_]|[\u0300-\u036f])+"  # letters and digits, and accents typed apart
_WORD = re.compile(rf"{_LETTERS}(?:[-'’]{_LETTERS}|(?<=\d)[.,]\d+)*")


def count_words(*texts: str) -> int:
    """The words of ``texts`` (plain or HTML): runs of letters and digits, a word
    joined by a hyphen or an apostrophe, or a number with its decimal mark,
    counted once; markup and punctuation not."""
    return sum(len(_WORD.findall(html.unescape(_TAG.sub(" ", text or "")))) for text in texts)


def reading_minutes(words: int) -> int:
    """Minutes to read ``words``, rounded up; 0 for no text."""
    return math.ceil(words / WORDS_PER_MINUTE)
