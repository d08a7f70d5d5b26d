"""The desk's word count (articles/text/words.py): each Vietnamese syllable a
word, as newsrooms count "chữ"; markup, entities and punctuation not words."""

import unicodedata

from articles.text.words import count_words, reading_minutes


def test_each_syllable_is_a_word_and_markup_is_not():
    assert count_words("<p>Bộ trưởng <strong>Nguyễn Mạnh Hùng</strong> &amp; đoàn</p>") == 6


def test_a_number_with_its_decimal_mark_and_a_hyphenated_word_count_once():
    assert count_words("1,5 tỷ USD; 1.000.000 đồng; Wi-Fi; l’été") == 7


def test_sentences_run_together_are_still_two_words():
    assert count_words("Hết.Tiếp") == 2


def test_accents_typed_apart_count_as_their_letters():
    text = "Hà Nội, Việt Nam"
    assert count_words(unicodedata.normalize("NFD", text)) == count_words(text) == 4


def test_headline_sapo_and_body_add_up():
    assert count_words("Tít", "Sa pô", "<p>Một hai ba</p>") == 6


def test_reading_time_rounds_up_and_no_text_takes_none():
    assert reading_minutes(0) == 0
    assert reading_minutes(1) == 1
    assert reading_minutes(221) == 2
