"""How finance writes its figures into sentences: months of runway and money that may be unknown."""

from __future__ import annotations

from decimal import Decimal

from execbrief.analysis import books
from execbrief.values import Money


def fmt_months(value: Decimal) -> str:
    """Months to two decimals without trailing zeros: ``2.5``, ``3``."""
    return f"{books.round2(value).normalize():f}".rstrip(".")


def money_text(money: Money | None) -> str:
    """Money to cents, or ``unknown``."""
    return str(money.quantize()) if money is not None else "unknown"
