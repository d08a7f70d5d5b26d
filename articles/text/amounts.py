"""Figures written the way the reader's language writes them: ``khoảng 1,5 tỷ
USD``, ``10–15 trạm mặt đất``, ``5% → 2%`` (``about 1.5 billion USD`` in English).

Large amounts are read in the words a newspaper uses (triệu, tỷ, nghìn tỷ),
with at most two decimals; smaller ones are written out with the language's
grouping. What separates decimals and thousands is the active language's.
"""

from decimal import Decimal

from django.utils import formats, numberformat
from django.utils.translation import gettext as _

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
) -> str:
    """One figure as readers read it; empty when there is none."""
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
    return _("khoảng %(amount)s") % {"amount": text} if approximate else text


def outcome_amount(outcome) -> str:
    return amount_text(
        outcome.amount,
        upper=outcome.amount_max,
        before=outcome.amount_before,
        unit=outcome.unit,
        currency=outcome.currency,
        approximate=outcome.approximate,
    )
