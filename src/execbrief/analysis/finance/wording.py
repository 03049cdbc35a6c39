"""How finance writes its figures into sentences: months of runway and money that may be unknown."""

from __future__ import annotations

from decimal import Decimal

from execbrief.analysis import books
from execbrief.values import Money, MoneyRange


def fmt_months(value: Decimal) -> str:
    """Months to two decimals without trailing zeros: ``2.5``, ``3``."""
    return f"{books.round2(value).normalize():f}".rstrip(".")


def money_text(money: Money | None) -> str:
    """Money to cents, or ``unknown``."""
    return str(money.quantize()) if money is not None else "unknown"


def burn_text(burn: MoneyRange | None) -> str:
    """A net burn in words a reader takes the right way: "net burn $1,200–1,500/mo", or, when
    cash grew every month (a negative burn), "cash grew $113.98–2,536.63/mo"; "net burn unknown"."""
    if burn is None:
        return "net burn unknown"
    if burn.high.amount < 0:
        grew = MoneyRange(-burn.high, -burn.low)
        return f"cash grew {grew.low.quantize() if grew.low == grew.high else grew}/mo"
    return f"net burn {burn}"
