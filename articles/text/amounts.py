"""Figures written the way the reader's language writes them: ``khoảng 1,5 tỷ
USD``, ``10–15 trạm mặt đất``, ``5% → 2%`` (``about 1.5 billion USD`` in English).

Large amounts are read in the words a newspaper uses (triệu, tỷ, nghìn tỷ),
with at most two decimals; smaller ones are written out with the language's
grouping. What separates decimals and thousands is the active language's.
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils import formats, numberformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The word a story qualifies a figure with, kept so that readers read "hơn 98 tỷ
# USD" as the story wrote it, not "khoảng": its code, its name in the desk.
QUALIFIERS = {
    "about": gettext_lazy("khoảng"),
    "nearly": gettext_lazy("gần"),
    "over": gettext_lazy("hơn"),
    "at_least": gettext_lazy("ít nhất"),
    "up_to": gettext_lazy("tối đa"),
}
# The words of copy each code stands for, Vietnamese and English.
QUALIFIER_WORDS = {
    "about": "khoảng chừng|khoảng|xấp xỉ|ước tính|ước|chừng|"
    "about|around|approximately|roughly|some",
    "nearly": "gần|nearly|almost",
    "over": "hơn|trên|more than|over",
    "at_least": "ít nhất|tối thiểu|at least",
    "up_to": "tối đa|up to",
}

ARROW = " → "
DASH = "–"
# Units written against the number, as "5%", not "5 %".
GLUED_UNITS = {"%", "‰"}


def _scales() -> list[tuple[int, str]]:
    return [(10**12, _("nghìn tỷ")), (10**9, _("tỷ")), (10**6, _("triệu"))]


def _scale_of(value: Decimal) -> tuple[int, str]:
    return next(((s, word) for s, word in _scales() if abs(value) >= s), (1, ""))


def _plain(value: Decimal) -> str:
    """``value`` with no trailing zeros, in the active language's separators."""
    value = value.quantize(Decimal("0.01")) if value != value.to_integral() else value
    value = value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return numberformat.format(
        value,
        formats.get_format("DECIMAL_SEPARATOR"),
        grouping=3,
        thousand_sep=formats.get_format("THOUSAND_SEPARATOR"),
        force_grouping=True,
    )


def _number(value: Decimal) -> str:
    size, word = _scale_of(value)
    text = _plain(value / size)
    return f"{text} {word}" if word else text


def _with_unit(number: str, unit: str) -> str:
    if not unit:
        return number
    return f"{number}{unit}" if unit in GLUED_UNITS else f"{number} {unit}"


def amount_text(
    amount: Decimal | None,
    *,
    upper: Decimal | None = None,
    before: Decimal | None = None,
    unit: str = "",
    currency: str = "",
    approximate: bool = False,
    qualifier: str = "",
) -> str:
    """One figure as readers read it, with the word the story qualified it with
    ("gần", "hơn"; "khoảng" for one only known to be approximate); empty when
    there is none."""
    if amount is None:
        return ""
    suffix = currency or unit
    if upper is not None and upper != amount:
        scale = _scale_of(upper)
        # One scale word for both ends when they share it: "1,7–1,8 tỷ".
        low = _plain(amount / scale[0]) if _scale_of(amount) == scale else _number(amount)
        text = _with_unit(f"{low}{DASH}{_number(upper)}", suffix)
    else:
        text = _with_unit(_number(amount), suffix)
    if before is not None:
        text = f"{_with_unit(_number(before), suffix)}{ARROW}{text}"
    word = QUALIFIERS.get(qualifier) or (QUALIFIERS["about"] if approximate else None)
    return _("%(word)s %(amount)s") % {"word": word, "amount": text} if word else text


def outcome_amount(outcome) -> str:
    return amount_text(
        outcome.amount,
        upper=outcome.amount_max,
        before=outcome.amount_before,
        unit=outcome.unit,
        currency=outcome.currency,
        approximate=outcome.approximate,
        qualifier=outcome.qualifier,
    )


# Reading figures back out of copy: "khoảng 1,5 tỷ USD", "từ 10 đến 15 trạm mặt
# đất", "từ 5% xuống còn 2%", "gần 123 tỷ USD", "$1.5 billion", "from 5% to 2%".

APPROXIMATE = "|".join(sorted("|".join(QUALIFIER_WORDS.values()).split("|"), key=len, reverse=True))
SCALES = {
    "nghìn tỷ": 10**12,
    "ngàn tỷ": 10**12,
    "nghìn tỉ": 10**12,
    "ngàn tỉ": 10**12,
    "tỷ": 10**9,
    "tỉ": 10**9,
    "triệu": 10**6,
    "nghìn": 10**3,
    "ngàn": 10**3,
    "trillion": 10**12,
    "billion": 10**9,
    "bn": 10**9,
    "million": 10**6,
    "mn": 10**6,
    "thousand": 10**3,
}
# Written after the number (or "$" before it): the ISO code each stands for.
CURRENCIES = {
    "usd": "USD",
    "us$": "USD",
    "$": "USD",
    "đô la mỹ": "USD",
    "đô-la mỹ": "USD",
    "đô la": "USD",
    "đôla": "USD",
    "dollars": "USD",
    "dollar": "USD",
    "vnd": "VND",
    "vnđ": "VND",
    "đồng": "VND",
    "dong": "VND",
    "eur": "EUR",
    "euros": "EUR",
    "euro": "EUR",
    "€": "EUR",
    "yên nhật": "JPY",
    "yên": "JPY",
    "jpy": "JPY",
    "won": "KRW",
    "krw": "KRW",
    "nhân dân tệ": "CNY",
    "ndt": "CNY",
    "cny": "CNY",
    "yuan": "CNY",
    "sgd": "SGD",
    "bảng anh": "GBP",
    "gbp": "GBP",
    "aud": "AUD",
}
# Words that end the noun a count is of: "15 trạm mặt đất tại Việt Nam".
_UNIT_STOP_WORDS = (
    "tại trên trong và cho của để nhằm với vào năm từ đến tới theo khi mà là đã sẽ đang "
    "được sống làm có đạt tăng giảm bị do hoặc hay cùng các những này đó gồm như ở sang "
    "qua về so thì mỗi in on at of for to and with by from into per each a an the this "
    "that which was were is are be will would"
)
UNIT_STOP = frozenset(_UNIT_STOP_WORDS.split())
# What joins a figure before a change to the figure after it: "từ 5% xuống còn 2%".
CHANGE_LINKS = ("xuống còn", "xuống", "lên mức", "lên", "down to")
MAX_UNIT_WORDS = 4  # "nhà máy điện khí"
_NUMBER = r"\d+(?:[.,]\d+)*"
_SCALE = "|".join(sorted((re.escape(s) for s in SCALES), key=len, reverse=True))
_CURRENCY = "|".join(sorted((re.escape(c) for c in CURRENCIES if c != "$"), key=len, reverse=True))
_FIGURE = re.compile(
    rf"(?P<approx>\b(?:{APPROXIMATE})\s+)?"
    r"(?P<from>\b(?:từ|from|between)\s+)?"
    rf"(?P<dollar>(?:US)?\$\s?)?(?P<n1>(?<![\w/.,-]){_NUMBER})\s*(?P<s1>(?:{_SCALE})\b)?\s*"
    r"(?P<pct1>%)?"
    rf"(?:\s*(?P<c1>(?:{_CURRENCY})(?!\w)))?"
    r"(?:\s*(?P<link>–|-|—|đến|tới|to|and|xuống còn|xuống|lên mức|lên|down to|up to)\s*"
    rf"(?P<dollar2>(?:US)?\$\s?)?(?P<n2>{_NUMBER})(?![\w/])\s*(?P<s2>(?:{_SCALE})\b)?\s*(?P<pct2>%)?)?",
    re.IGNORECASE,
)
_YEARS = range(1900, 2101)
_NOT_A_COUNT = re.compile(r"\b(?:thứ|số|năm|in|no\.)\s*$", re.IGNORECASE)
_UNIT_WORD = re.compile(r"[ \t]*([^\W\d_]+)")


@dataclass(frozen=True)
class Figure:
    """A figure as a story gives it, read back into the fields an outcome keeps."""

    value: Decimal
    upper: Decimal | None = None
    before: Decimal | None = None
    unit: str = ""
    currency: str = ""
    approximate: bool = False
    qualifier: str = ""  # QUALIFIERS' code of the word before it
    start: int = 0
    end: int = 0

    @property
    def text(self) -> str:
        """The figure as readers read it: "khoảng 1,5 tỷ USD"."""
        return amount_text(
            self.value,
            upper=self.upper,
            before=self.before,
            unit=self.unit,
            currency=self.currency,
            approximate=self.approximate,
            qualifier=self.qualifier,
        )

    def as_dict(self) -> dict:
        number = lambda d: None if d is None else float(d)  # noqa: E731
        return {
            "value": number(self.value),
            "upper": number(self.upper),
            "before": number(self.before),
            "unit": self.unit,
            "currency": self.currency,
            "approximate": self.approximate,
            "qualifier": self.qualifier,
        }


def _decimal(written: str, language: str) -> Decimal:
    """``1,5`` and ``1.500`` the Vietnamese way, ``1.5`` and ``1,500`` the English
    way: a mark followed by exactly three digits groups thousands in the
    language that groups with it; any other mark is the decimal one."""
    grouping = "," if language == "en" else "."
    parts = re.split(r"([.,])", written)
    digits, marks = parts[0::2], parts[1::2]
    if not marks:
        return Decimal(written)
    if all(m == grouping and len(d) == 3 for m, d in zip(marks, digits[1:], strict=True)):
        return Decimal("".join(digits))
    if len(marks) == 1:
        return Decimal(f"{digits[0]}.{digits[1]}")
    # "1.234.567,5": the last mark, if it differs, is the decimal one.
    whole = "".join(digits[:-1]) if marks[-1] != marks[0] else "".join(digits)
    return Decimal(f"{whole}.{digits[-1]}") if marks[-1] != marks[0] else Decimal(whole)


def _unit_after(text: str, end: int) -> tuple[str, int]:
    """The noun a count is of: the words right after it, up to the first that
    ends it (a preposition, a verb, a name, punctuation)."""
    words: list[str] = []
    position = end
    while len(words) < MAX_UNIT_WORDS:
        match = _UNIT_WORD.match(text, position)
        if not match:
            break
        word = match.group(1)
        if word.lower() in UNIT_STOP or (words and word[0].isupper()):
            break
        words.append(word)
        position = match.end()
    return " ".join(words), position


def _tidy(value: Decimal) -> Decimal:
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


def read_figures(text: str, language: str = "vi") -> list[Figure]:
    """Every figure ``text`` gives with what it counts (a currency, a percentage,
    a scale word or a noun), in order; bare numbers, years, dates and ordinals
    ("thứ 7", "D1", "VINASAT-1 (2008)") are no figures."""
    figures = []
    for match in _FIGURE.finditer(text):
        n1, n2 = match["n1"], match["n2"]
        if _NOT_A_COUNT.search(text[max(0, match.start("n1") - 6) : match.start("n1")]) or text[
            match.end("n1") : match.end("n1") + 1
        ] in ("/", ":"):
            continue  # "thứ 7", "năm 2026", "20/5/2025", "17:05"
        try:
            first = _decimal(n1, language) * SCALES.get((match["s1"] or "").lower(), 1)
            second = (
                _decimal(n2, language) * SCALES.get((match["s2"] or "").lower(), 1) if n2 else None
            )
        except (ArithmeticError, ValueError, IndexError):
            continue
        link = (match["link"] or "").lower()
        if (
            second is not None
            and match["s2"]
            and not match["s1"]
            and link not in (*CHANGE_LINKS, "up to")
        ):
            first *= SCALES[match["s2"].lower()]  # "1,7–1,8 tỷ": one scale for both
        percent = bool(match["pct1"] or match["pct2"])
        currency = CURRENCIES.get((match["c1"] or "").lower(), "")
        if match["dollar"] or match["dollar2"]:
            currency = "USD"
        end = match.end()
        unit = "%" if percent else ""
        if not currency and not percent:
            after = re.match(rf"\s*({_CURRENCY})(?!\w)", text[end:], re.IGNORECASE)
            if after:
                currency, end = CURRENCIES[after.group(1).lower()], end + after.end()
            else:
                unit, end = _unit_after(text, end)
        has_scale = bool(match["s1"] or match["s2"])
        if not (currency or unit or has_scale):
            continue
        if (
            not (currency or has_scale or percent)
            and re.fullmatch(r"\d{4}", n1)
            and int(n1) in _YEARS
        ):
            continue
        upper = before = None
        if second is not None:
            if link in CHANGE_LINKS or (match["from"] and link == "to" and percent):
                before, first = first, second
            elif link == "and" and not match["from"]:
                second = None  # "5% and 2%": two figures, not a range
                end = match.end("n1")
            else:
                upper = second
        figures.append(
            Figure(
                value=_tidy(first),
                upper=None if upper is None else _tidy(upper),
                before=None if before is None else _tidy(before),
                unit=unit,
                currency=currency,
                approximate=bool(match["approx"]),
                qualifier=qualifier_of(match["approx"] or ""),
                start=match.start(),
                end=end,
            )
        )
    return figures


def qualifier_of(word: str) -> str:
    """The code of the qualifying word ``word`` ("hơn " is "over"), "" for none."""
    word = " ".join(word.lower().split())
    return next((code for code, words in QUALIFIER_WORDS.items() if word in words.split("|")), "")
