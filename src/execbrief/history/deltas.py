"""What changed since the last report: metric moves, and findings new, still open and resolved.

A pure function of the current document, the previous report's document (from the store) and a
little stored history, so the same history gives the same lines. The result is a ``Section`` that
``with_section`` puts first in the document.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from execbrief.document import (
    SINCE_LAST_REPORT,
    Bullet,
    BulletList,
    Chart,
    Document,
    KeyFigure,
    Paragraph,
    Point,
    Section,
    Series,
    brief_of,
)
from execbrief.findings import Finding, Metric, MetricValue, metric_number
from execbrief.precision import brief_money
from execbrief.values import Money, MoneyRange, Percent, format_money

SECTION_ID = SINCE_LAST_REPORT
#: What each list of the section says when it is empty.
EMPTY_LINES = {
    "Figures that moved": "No figure moved beyond the threshold.",
    "New findings": "No new findings.",
    "Still open": "Nothing carried over.",
    "Resolved": "Nothing resolved.",
}
SECTION_TITLE = "Since last report"


@dataclass(frozen=True)
class PriorRun:
    """The previous report of the same kind, and the stored history the deltas need.

    ``open_periods`` maps a finding id to the number of consecutive earlier periods, ending with
    the previous report's, in which it was open. ``series`` maps a metric's comparison key to its
    stored values by period (oldest first), for trends.
    """

    period: str
    document: Document
    open_periods: dict[str, int] = field(default_factory=dict)
    series: dict[str, list[tuple[str, MetricValue]]] = field(default_factory=dict)


def comparison_key(metric: Metric) -> str:
    """How a metric is matched across reports: its id and entity (its period moves on)."""
    return f"{metric.id}@{metric.entity or '*'}"


def comparable_metrics(document: Document) -> dict[str, Metric]:
    """The document's metrics that describe its own period, by comparison key (first wins)."""
    out: dict[str, Metric] = {}
    for metric in document.metrics():
        if metric.period not in (None, document.period):
            continue
        out.setdefault(comparison_key(metric), metric)
    return out


def describe(value: MetricValue, unit: str | None = None) -> str:
    """A value in a delta line: compact money, percents, plain numbers with their unit."""
    if isinstance(value, Money | MoneyRange):
        number = metric_number(value) or Decimal(0)
        return format_money(value, compact=abs(number) >= 10_000)
    if isinstance(value, Percent):
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)
    return f"{text} {unit}" if unit else text


def _change(old: MetricValue, new: MetricValue, unit: str | None) -> str:
    before, after = metric_number(old), metric_number(new)
    assert before is not None and after is not None
    direction = "up" if after > before else "down"
    difference = abs(after - before)
    if isinstance(new, Money | MoneyRange):
        currency = new.currency if isinstance(new, Money) else new.low.currency
        amount = format_money(
            Money(difference.quantize(Decimal("0.01")), currency), compact=difference >= 10_000
        )
        if before:
            return f"{direction} {amount} ({_percent(before, after)})"
        return f"{direction} {amount}"
    if isinstance(new, Percent):
        return f"{direction} {difference.normalize():f} points"
    if before and not unit:
        return f"{direction} {_percent(before, after)}"
    return f"{direction} {difference.normalize():f}" + (f" {unit}" if unit else "")


def _percent(before: Decimal, after: Decimal) -> str:
    share = (abs(after - before) / abs(before) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return f"{share}%"


def _who(entity: str | None, names: Mapping[str, str]) -> str:
    return f" ({names.get(entity, entity)})" if entity else ""


def moved(
    old: Metric, new: Metric, threshold_percent: Decimal, names: Mapping[str, str] | None = None
) -> str | None:
    """The delta line for one metric, or None when it did not move beyond the threshold."""
    label = new.label + _who(new.entity, names or {})
    before, after = metric_number(old.value), metric_number(new.value)
    if before is None or after is None:
        if old.value != new.value and not isinstance(new.value, Money | MoneyRange):
            return f"{label}: changed from {describe(old.value, old.unit)} to {describe(new.value, new.unit)}"
        return None
    if before == after:
        return None
    if before != 0 and abs(after - before) / abs(before) * 100 < threshold_percent:
        return None
    return f"{label}: {_change(old.value, new.value, new.unit)} ({describe(old.value, old.unit)} → {describe(new.value, new.unit)})"


def _finding_line(finding: Finding, names: Mapping[str, str]) -> str:
    who = _who(finding.entity, names)
    if finding.entity and names.get(finding.entity, finding.entity) in finding.title:
        who = ""  # the title already names it
    return f"[{finding.severity.value.upper()}] {finding.title}{who}"


def since_last_report(
    document: Document,
    prior: PriorRun | None,
    threshold_percent: Decimal,
    names: Mapping[str, str] | None = None,
) -> Section:
    """The "Since last report" section for ``document``; ``names`` maps entity ids to names."""
    names = names or {}
    if prior is None:
        return Section(
            SECTION_TITLE,
            (
                Paragraph(
                    "This is the first report of its kind; there is no earlier one to compare with."
                ),
            ),
            id=SECTION_ID,
        )
    before = comparable_metrics(prior.document)
    now = comparable_metrics(document)
    moves: list[Bullet] = []
    for key, metric in now.items():
        if key in before:
            line = moved(before[key], metric, threshold_percent, names)
            if line:
                moves.append(Bullet(line, metric.provenance))
    old_findings = {f.id: f for f in prior.document.findings()}
    new_findings = {f.id: f for f in document.findings()}
    new = [
        Bullet(_finding_line(f, names), f.provenance)
        for fid, f in new_findings.items()
        if fid not in old_findings
    ]
    still = [
        Bullet(
            f"{_finding_line(f, names)} — open {prior.open_periods.get(fid, 1) + 1} reports running",
            f.provenance,
        )
        for fid, f in new_findings.items()
        if fid in old_findings
    ]
    accepted = set(document.meta.get("accepted", "").split())  # left out, not resolved
    resolved = [
        Bullet(_finding_line(f, names))
        for fid, f in old_findings.items()
        if fid not in new_findings and fid not in accepted
    ]
    blocks: list[Paragraph | BulletList | Chart] = [
        Paragraph(
            f"Compared with the {prior.document.title} for {prior.period} "
            f"(as of {prior.document.as_of.isoformat()}); figures that moved by {threshold_percent.normalize():f}% or more."
        )
    ]
    for title, items in (
        ("Figures that moved", moves),
        ("New findings", new),
        ("Still open", still),
        ("Resolved", resolved),
    ):
        empty = EMPTY_LINES[title]
        blocks.append(BulletList(tuple(items) if items else (Bullet(empty),), title=title))
    blocks.extend(trends(document, now, prior, names))
    return Section(SECTION_TITLE, tuple(blocks), id=SECTION_ID)


def trends(
    document: Document,
    now: dict[str, Metric],
    prior: PriorRun,
    names: Mapping[str, str] | None = None,
    limit: int = 4,
) -> list[Chart]:
    """Charts of the numeric metrics with the longest stored history, across reports."""
    series: list[Series] = []
    for key, metric in now.items():
        history = prior.series.get(key, [])
        if not history or metric_number(metric.value) is None:
            continue
        points = [Point(period, value) for period, value in history if period != document.period]
        points.append(Point(document.period, metric.value))
        name = metric.label + _who(metric.entity, names or {})
        series.append(Series(name, tuple(points), metric.unit))
    series.sort(key=lambda s: (-len(s.points), s.name))
    return [Chart(f"Trend: {item.name}", (item,)) for item in series[:limit]]


def with_deltas(
    document: Document,
    prior: PriorRun | None,
    threshold_percent: Decimal,
    names: Mapping[str, str] | None = None,
) -> Document:
    """The document with "Since last report" first, and its brief told what changed: each key
    figure's change since the previous report, and the section's lines that matter most
    (figures that moved, then new and resolved findings)."""
    section = since_last_report(document, prior, threshold_percent, names)
    document = with_section(document, section)
    brief = brief_of(document)
    before = comparable_metrics(prior.document) if prior is not None else {}
    figures = tuple(
        replace(figure, change=figure_change(before.get(comparison_key(figure.metric)), figure))
        for figure in brief.figures
    )
    return replace(document, brief=replace(brief, figures=figures, changes=brief_changes(section)))


def figure_change(old: Metric | None, figure: KeyFigure) -> str:
    """A key figure's change since the previous report: "up $1.3K (18%)", "unchanged", or ""
    when the previous report did not have it (or it is not a number)."""
    new = figure.metric
    if old is None:
        return ""
    before, after = metric_number(old.value), metric_number(new.value)
    if before is None or after is None:
        return "" if old.value == new.value else f"was {describe(old.value, old.unit)}"
    if before == after:
        return "unchanged"
    if isinstance(new.value, Money | MoneyRange):  # at the brief's precision
        currency = new.value.currency if isinstance(new.value, Money) else new.value.low.currency
        amount = brief_money(Money(abs(after - before), currency))
        share = f" ({_percent(before, after)})" if before else ""
        return f"{'up' if after > before else 'down'} {amount}{share}"
    return _change(old.value, new.value, new.unit)


#: The brief's change lines: which lists of the section, and how each line is introduced.
BRIEF_LISTS = (("Figures that moved", ""), ("New findings", "New: "), ("Resolved", "Resolved: "))


def brief_changes(section: Section) -> tuple[Bullet, ...]:
    """The lines of "Since last report" a brief shows: moved figures, new and resolved findings
    (lists that only say "nothing" are left out); the first report says so in one line."""
    lists = {b.title: b for b in section.blocks if isinstance(b, BulletList)}
    if not lists:
        return (Bullet("First report of its kind: there is nothing earlier to compare with."),)
    out: list[Bullet] = []
    for title, lead in BRIEF_LISTS:
        block = lists.get(title)
        if block is None or block.items == (Bullet(EMPTY_LINES[title]),):
            continue
        out.extend(replace(item, text=lead + item.text) for item in block.items)
    return tuple(out) or (
        Bullet("Nothing moved beyond the threshold; no finding is new or resolved."),
    )


def with_section(document: Document, section: Section) -> Document:
    """The document with ``section`` first (replacing an earlier one with the same id)."""
    rest = tuple(s for s in document.sections if s.id != section.id)
    return replace(document, sections=(section, *rest))
