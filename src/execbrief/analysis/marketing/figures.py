"""Small arithmetic the marketing modules share: step rates, money shares, totals, percentages
written without trailing zeros, and row citations merged into ranges."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from execbrief.analysis import books
from execbrief.snapshot import Provenance
from execbrief.values import Money, Percent

CENT = Decimal("0.01")


def rate(part: int, whole: int) -> Percent | None:
    """``part`` as a percentage of ``whole`` to one decimal, None when ``whole`` is 0."""
    if whole == 0:
        return None
    return Percent((Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP))


def money_rate(part: Money, whole: Money) -> Percent | None:
    """``part`` as a percentage of ``whole`` to one decimal, None when ``whole`` is zero."""
    if whole.is_zero:
        return None
    return Percent((part.amount * 100 / whole.amount).quantize(Decimal("0.1"), ROUND_HALF_UP))


def total(amounts: Iterable[Money | None], currency: str) -> Money:
    """The sum of the amounts given (None skipped), zero in ``currency`` when there are none."""
    return books.total((amount for amount in amounts if amount is not None), currency)


def pct(fraction: Decimal) -> Percent:
    """A fraction as a Percent without trailing zeros (0.3580 -> 35.8%)."""
    return Percent(Percent.from_fraction(fraction).value.normalize())


def num(value: Decimal, places: int = 1) -> str:
    """A count rounded half-up to ``places`` decimals with thousands separators."""
    q = Decimal(1).scaleb(-places)
    return f"{value.quantize(q, ROUND_HALF_UP):,}"


def compact_rows(provenances: Iterable[Provenance]) -> tuple[Provenance, ...]:
    """Row citations with consecutive lines of one file merged: lines 4, 5, 6 -> ``4-6``."""
    by_file: dict[str, list[Provenance]] = defaultdict(list)
    for prov in provenances:
        by_file[prov.source].append(prov)
    out: list[Provenance] = []
    for source in sorted(by_file):
        items = sorted(by_file[source], key=lambda p: p.line or 0)
        start = items[0]
        end_line = start.end_line or start.line
        for prov in items[1:]:
            if prov.line is not None and end_line is not None and prov.line <= end_line + 1:
                end_line = max(end_line, prov.end_line or prov.line)
                continue
            out.append(start.at_line(start.line, end_line))
            start, end_line = prov, prov.end_line or prov.line
        out.append(start.at_line(start.line, end_line))
    return tuple(out)
