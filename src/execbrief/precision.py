"""Executive precision: figures as a reader of a brief uses them (docs/metrics.md, "Rounding in
briefs"). Money of $1,000 or more to the nearest $100, written compact ("$112.7K",
"$8.5–20.9K/mo"), of $1M or more to the nearest $10,000 ("$1.23M"); under $1,000 to the dollar; plain numbers of 10 or more to whole numbers,
smaller ones to one decimal. The full report keeps every digit.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from execbrief.values import Money, MoneyRange, Percent, format_money

Value = object


def executive(value: Value) -> Value:
    """``value`` rounded as a brief shows it; anything but money and plain numbers unchanged."""
    if isinstance(value, Money):
        return _round_money(value)
    if isinstance(value, MoneyRange):
        return replace(value, low=_round_money(value.low), high=_round_money(value.high))
    if isinstance(value, Percent):
        number = executive(value.value)
        assert isinstance(number, Decimal)
        return Percent(number)
    if isinstance(value, Decimal):
        step = Decimal(1) if abs(value) >= 10 else Decimal("0.1")
        rounded = value.quantize(step, rounding=ROUND_HALF_UP)
        return rounded if rounded != rounded.to_integral_value() else rounded.quantize(Decimal(1))
    return value


def brief(value: object, missing: str = "—") -> str:
    """Any figure as a brief writes it: money compact ("$24.96K" -> "$25K"), a percentage or a
    plain number to a whole number from 10 up and to one decimal below; ``missing`` for None."""
    if value is None:
        return missing
    if isinstance(value, Money | MoneyRange):
        return brief_money(value)
    return str(executive(value))


def _round_money(money: Money) -> Money:
    size = abs(money.amount)
    step = Decimal(10_000) if size >= 1_000_000 else Decimal(100) if size >= 1000 else Decimal(1)
    amount = (money.amount / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step
    return replace(money, amount=amount)


def brief_money(value: Money | MoneyRange) -> str:
    """Money or a range as a brief writes it: "$112.7K", "$8.5–20.9K/mo", "$29"."""
    rounded = executive(value)
    assert isinstance(rounded, Money | MoneyRange)
    return format_money(rounded, compact=True)


#: A dollar amount or range written in a sentence with more digits than a brief shows
#: ("$1,726.72", "$16.65–17.73", "-$250"); an amount already compact ("$1.7K") is left alone.
_MONEY_IN_TEXT = re.compile(
    r"(?<![\w.$])(-?)\$(\d[\d,]*(?:\.\d+)?)(?:–(\d[\d,]*(?:\.\d+)?))?(?![\d.,]*\d|[KMB]|–)"
)


def brief_text(text: str) -> str:
    """A sentence of the full report as the brief says it: every dollar amount of $10 or more in
    it rounded by the money rule ("$1,726.72/mo" -> "$1.7K/mo"); the rest unchanged."""

    def rounded(match: re.Match[str]) -> str:
        sign, low, high = match.groups()
        if Decimal(low.replace(",", "")) < 10 and high is None:
            return match.group(0)  # "$0.50 each", "$4.33 per nm": cents matter at this size
        first = Money(Decimal(low.replace(",", "")).copy_negate() if sign else low.replace(",", ""))
        if high is None:
            return brief_money(first)
        return brief_money(MoneyRange(first, Money(high.replace(",", ""))))

    return _MONEY_IN_TEXT.sub(rounded, text)
