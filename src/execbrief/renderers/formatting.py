"""Formatting shared by the renderers: values to strings, sparklines, and citation numbering."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import cast

from execbrief.document import BRIEF_LAYER, Document, Series
from execbrief.findings import Finding, MetricValue, metric_number
from execbrief.precision import brief_money, executive
from execbrief.snapshot import Provenance
from execbrief.values import Money, MoneyRange, Percent, format_money

SPARK_BARS = "▁▂▃▄▅▆▇█"
EMPTY = "—"


def format_value(value: MetricValue) -> str:
    """A value as the full report writes it: ``$7,500``, ``~$7,000–9,000/mo``, ``36%``, ``2026-11-20``, ``yes``."""
    if type(value) is str:  # the most common cell, first
        return value
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Money | MoneyRange):  # the full report keeps every digit
        return format_money(value)
    if isinstance(value, Percent):
        return str(value)
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def format_decimal(value: Decimal) -> str:
    """A plain number with thousands separators and no trailing zeros (``1,234.5``)."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    text = f"{value.normalize():,f}"
    return text


def remembering(format: Callable[[MetricValue], str]) -> Callable[[MetricValue], str]:
    """``format`` remembering the text of each number and amount it wrote: a report writes the
    same few thousand values hundreds of thousands of times (at 1,000 entities the text reports
    formatted 250,000 of them, 1,028 different per report)."""
    texts: dict[Hashable, str] = {}

    def formatted(value: MetricValue) -> str:
        if type(value) is str:  # the most common cell: every format writes it as it is
            return value
        if not isinstance(value, _REMEMBERED):
            return format(value)  # no cheaper to remember
        key = _exactly(value)
        text = texts.get(key)
        if text is None:
            text = texts[key] = format(value)
        return text

    return formatted


#: The values ``remembering`` keeps the text of (a tuple: ``isinstance`` of a union is slower).
_REMEMBERED = (Money, MoneyRange, Percent, Decimal)


def _exactly(value: Money | MoneyRange | Percent | Decimal) -> Hashable:
    """What tells ``value`` apart from any value written differently: its numbers as stored
    (equal amounts can be written apart: beyond 60 digits as stored, "1.50E+60")."""
    if isinstance(value, Money):
        return Money, value.currency, str(value.amount)
    if isinstance(value, MoneyRange):
        return (
            MoneyRange,
            _exactly(value.low),
            _exactly(value.high),
            value.cadence,
            value.approximate,
        )
    if isinstance(value, Percent):
        return Percent, str(value.value)
    return type(value), str(value)


def is_numeric(value: MetricValue) -> bool:
    """Whether a cell should be right-aligned."""
    return isinstance(value, Money | MoneyRange | Percent | Decimal | int) and not isinstance(
        value, bool
    )


def numeric(value: MetricValue) -> Decimal | None:
    """A number to plot for a value (range midpoints; None for text)."""
    return metric_number(value)


def sparkline(series: Series) -> str:
    """A text sparkline (``▁▃▅▇``) of a series; gaps show as spaces."""
    numbers = [numeric(point.value) for point in series.points]
    present = [n for n in numbers if n is not None]
    if not present:
        return ""
    low, high = min(present), max(present)
    span = high - low
    out = []
    for number in numbers:
        if number is None:
            out.append(" ")
        elif span == 0:
            out.append(SPARK_BARS[len(SPARK_BARS) // 2])
        else:
            index = int((number - low) / span * (len(SPARK_BARS) - 1))
            out.append(SPARK_BARS[index])
    return "".join(out)


@dataclass
class Citations:
    """Numbers provenance in order of first citation: ``[1]``, ``[2]``..."""

    numbers: dict[Provenance, int] = field(default_factory=dict)

    def mark(self, provenance: tuple[Provenance, ...] | list[Provenance]) -> str:
        """The citation marker for some provenance, e.g. ``[1][3]``; empty when none."""
        numbers = self.numbers
        if len(provenance) < 2:  # most cells cite one file or none: no dedup, no list
            if not provenance:
                return ""
            return f"[{numbers.setdefault(provenance[0], len(numbers) + 1)}]"
        # each number once, in order of first citation: a portfolio row cites every entity's
        # files, and a list's membership test grew with the square of them
        marks = list(dict.fromkeys(self._numbers(provenance)))
        if len(marks) > 4:
            return (
                f"[{marks[0]}–{marks[-1]}]"
                if _consecutive(marks)
                else "[" + ",".join(map(str, marks[:4])) + ",…]"
            )
        return "[" + "][".join(map(str, marks)) + "]"

    def _numbers(self, provenance: tuple[Provenance, ...] | list[Provenance]) -> list[int]:
        """Each item's number, a new one numbered next: looked up with one map in C first, as
        most were cited before (a finding or an action can cite 10,000 files)."""
        known = list(map(self.numbers.get, provenance))
        if None not in known:
            return cast("list[int]", known)
        numbers = self.numbers
        return [numbers.setdefault(item, len(numbers) + 1) for item in provenance]

    def notes(self) -> list[tuple[int, str]]:
        """The numbered source notes, in order, one line each: a file's git commit is named on
        its first note only (every line of a file has the file's one last commit)."""
        named: set[str] = set()
        out: list[tuple[int, str]] = []
        for item, number in self.numbers.items():
            commit = "" if item.source in named else _commit(item)
            if commit:
                named.add(item.source)
            out.append((number, item.cite() + commit))
        return out


def _consecutive(marks: list[int]) -> bool:
    """Whether ``marks`` (distinct numbers) count up by one: a list as long as their span is
    built only when they are as many as it, not for [3, 90, 120000] (the 120,000-number lists
    built for findings citing files far apart in the numbering took 0.3 CPU s at N=1000)."""
    first, last = marks[0], marks[-1]
    return len(marks) == last - first + 1 and marks == list(range(first, last + 1))


def _commit(item: Provenance) -> str:
    if item.commit:
        when = f", {item.commit_date.isoformat()}" if item.commit_date else ""
        return f" (commit {item.commit[:8]}{when})"
    return ""


def heading(document: Document) -> tuple[str, str]:
    """The title line (report and period) and the subtitle line (portfolio, reader, layer)."""
    title = f"{document.title} — {document.covers()}"
    layer = " · brief" if is_brief(document) else ""
    subtitle = f"{document.portfolio} · for {document.audience}{layer}"
    return title, subtitle


def is_brief(document: Document) -> bool:
    """Whether the document is a brief layer (figures at executive precision)."""
    return document.meta.get("layer") == BRIEF_LAYER


def format_brief_value(value: MetricValue) -> str:
    """A value in a brief: rounded as a reader uses it ("$112.7K", "$9–21.7K/mo", "1,152")."""
    if isinstance(value, Money | MoneyRange):
        return brief_money(value)
    rounded = executive(value)
    return format_value(rounded if isinstance(rounded, Decimal | Percent) else value)


def same_fix_groups(findings: tuple[Finding, ...]) -> list[list[Finding]]:
    """Findings that share a fix (the same recommendation) as one group, in the order of each
    group's first (highest-ranked) finding: the renderers state the fix once per group."""
    groups: dict[str, list[Finding]] = {}
    for finding in findings:
        groups.setdefault(" ".join(finding.recommendation.split()), []).append(finding)
    return list(groups.values())
