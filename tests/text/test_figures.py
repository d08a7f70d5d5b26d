"""Figures read back out of copy the way readers read them (text/amounts.py
``read_figures``): scale words, ranges, changes, currencies, approximations,
and numbers that are no figures."""

from decimal import Decimal

import pytest

from articles.text.amounts import read_figures


def figures(text: str, language: str = "vi") -> list[tuple]:
    return [
        (f.value, f.upper, f.before, f.unit, f.currency, f.approximate)
        for f in read_figures(text, language)
    ]


D = Decimal


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dự kiến đầu tư khoảng 1,5 tỷ USD", (D(1_500_000_000), None, None, "", "USD", True)),
        ("từ 10 đến 15 trạm mặt đất tại Việt Nam", (D(10), D(15), None, "trạm mặt đất", "", False)),
        ("giảm thuế từ 5% xuống còn 2%.", (D(2), None, D(5), "%", "", False)),
        ("đạt gần 123 tỷ USD", (D(123_000_000_000), None, None, "", "USD", True)),
        ("xuất siêu hơn 98 tỷ USD", (D(98_000_000_000), None, None, "", "USD", True)),
        ("1,7–1,8 tỷ USD", (D(1_700_000_000), D(1_800_000_000), None, "", "USD", False)),
        ("1.200 tỷ đồng", (D(1_200_000_000_000), None, None, "", "VND", False)),
        (
            "14 nhà máy điện khí trong những năm tới",
            (D(14), None, None, "nhà máy điện khí", "", False),
        ),
        ("tài trợ 50 triệu AUD cho", (D(50_000_000), None, None, "", "AUD", False)),
        ("khoảng 120 tỷ yên", (D(120_000_000_000), None, None, "", "JPY", True)),
        ("từ 40% lên 60% vào năm 2028", (D(60), None, D(40), "%", "", False)),
    ],
)
def test_vietnamese_figures_are_read_with_their_unit_range_change_and_approximation(text, expected):
    assert figures(text)[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plans to invest about $500 million", (D(500_000_000), None, None, "", "USD", True)),
        ("cut tariffs from 5% to 2%", (D(2), None, D(5), "%", "", False)),
        ("train at least 1,000 engineers", (D(1000), None, None, "engineers", "", True)),
        ("20 million euros", (D(20_000_000), None, None, "", "EUR", False)),
    ],
)
def test_english_figures_group_thousands_with_commas(text, expected):
    assert figures(text, "en")[0] == expected


@pytest.mark.parametrize(
    "text",
    [
        "đối tác thương mại lớn thứ 7 của Hoa Kỳ",
        "Trong năm 2024, ngày 20/5/2025, lúc 17:05",
        "VINASAT-1 (2008) và VINASAT-2 (2012), danh sách D1, D3",
        "ba hướng hợp tác cụ thể",
        "nhiệm kỳ 2026–2028",
    ],
)
def test_ordinals_years_dates_and_names_with_digits_are_no_figures(text):
    assert figures(text) == []


def test_several_figures_are_read_in_order_each_with_its_own_unit():
    assert [f[3] or f[4] for f in figures("500 MW điện gió, 2.000 tấn gạo và 3 tỷ USD")] == [
        "MW điện gió",
        "tấn gạo",
        "USD",
    ]


@pytest.mark.parametrize(
    ("text", "language", "qualifier", "shown"),
    [
        ("đạt gần 123 tỷ USD", "vi", "nearly", "gần 123 tỷ USD"),
        ("xuất siêu hơn 98 tỷ USD", "vi", "over", "hơn 98 tỷ USD"),
        ("dự kiến đầu tư khoảng 1,5 tỷ USD", "vi", "about", "khoảng 1,5 tỷ USD"),
        ("ít nhất 10 trạm mặt đất", "vi", "at_least", "ít nhất 10 trạm mặt đất"),
        ("more than $2 billion", "en", "over", "hơn 2 tỷ USD"),
        ("up to 300 jobs", "en", "up_to", "tối đa 300 jobs"),
        ("1,5 tỷ USD", "vi", "", "1,5 tỷ USD"),
    ],
)
def test_the_word_a_figure_is_qualified_with_is_kept_and_written_back(
    text, language, qualifier, shown
):
    """ "gần" and "hơn" are not "khoảng": readers read what the story wrote."""
    figure = read_figures(text, language)[0]
    assert (figure.qualifier, figure.approximate) == (qualifier, bool(qualifier))
    assert figure.text == shown  # in the site's language (Vietnamese here)
