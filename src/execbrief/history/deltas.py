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
from execbrief.precision import brief_money, brief_text
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
#: What a report with nothing to compare with says, in its section and in its brief: the first
#: report of its kind, or the first one a reader gets who joined after others had had some.
FIRST_REPORT = (
    "This is the first report of its kind; there is no earlier one to compare with.",
    "First report of its kind: there is nothing earlier to compare with.",
)
FIRST_TO_READER = (
    "This is the first of these reports sent to you; the earlier ones went to other readers, so"
    " there is none of yours to compare with.",
    "First of these reports sent to you: there is nothing of yours to compare with.",
)


@dataclass(frozen=True)
class PriorRun:
    """The report compared with (the last one delivered), and the stored history the deltas need.

    ``open_periods`` maps a finding id to the number of consecutive delivered reports, ending with
    this one, that carried it. ``series`` maps a metric's comparison key to its delivered values
    by period (oldest first), for trends. ``delivered`` is the day it was sent (``YYYY-MM-DD``) and
    ``recipient`` whom the comparison is for (None: the last delivered to anyone).
    """

    period: str
    document: Document
    open_periods: dict[str, int] = field(default_factory=dict)
    series: dict[str, list[tuple[str, MetricValue]]] = field(default_factory=dict)
    delivered: str | None = None
    recipient: str | None = None


def comparison_key(metric: Metric) -> str:
    """How a metric is matched across reports: its id and entity (its period moves on)."""
    return f"{metric.id}@{metric.entity or '*'}"


def comparable_metrics(document: Document) -> dict[str, Metric]:
    """The figures a report states for itself, by comparison key (first wins): metrics of its
    period or of none, point-in-time figures stamped with its as-of date (cash, open receivables,
    pipeline), then its brief's key figures, so every figure a reader is shown can be compared."""
    own = (None, document.period, document.as_of.isoformat())
    out: dict[str, Metric] = {}
    for metric in document.metrics():
        if metric.period in own:
            out.setdefault(comparison_key(metric), metric)
    for figure in brief_of(document).figures:
        out.setdefault(comparison_key(figure.metric), figure.metric)
    return out


#: How a figure the report does not state reads in a delta line.
NOT_STATED = "not stated"
#: A figure the earlier report did not carry at all (the first forecast error): a first figure.
FIRST_STATED = "first stated:"
#: A figure the new report no longer carries at all.
NO_LONGER_STATED = "no longer stated"


def describe(value: MetricValue, unit: str | None = None) -> str:
    """A value in a delta line: compact money, percents, plain numbers with their unit, and
    "not stated" for a missing value."""
    if value is None:
        return NOT_STATED
    if isinstance(value, Money | MoneyRange):
        return format_money(value)  # the full report keeps every digit; the brief rounds
    if isinstance(value, Percent):
        return str(value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = f"{value.normalize():f}" if isinstance(value, Decimal) else str(value)
    return f"{text} {unit}" if unit else text


def _change(
    old: MetricValue, new: MetricValue, unit: str | None, threshold: Decimal | None = None
) -> str:
    before, after = metric_number(old), metric_number(new)
    assert before is not None and after is not None
    direction = "up" if after > before else "down"
    difference = abs(after - before)
    if isinstance(new, Money | MoneyRange):
        currency = new.currency if isinstance(new, Money) else new.low.currency
        amount = format_money(Money(difference.quantize(Decimal("0.01")), currency))
        if before:
            return f"{direction} {amount} ({_percent(before, after, threshold)})"
        return f"{direction} {amount}"
    if isinstance(new, Percent):
        return f"{direction} {difference.normalize():f} points"
    if before and not unit:
        return f"{direction} {_percent(before, after, threshold)}"
    if unit and abs(difference) == 1 and unit.endswith("s"):
        unit = unit[:-1]  # "up 1 month", not "up 1 months"
    return f"{direction} {difference.normalize():f}" + (f" {unit}" if unit else "")


def _percent(before: Decimal, after: Decimal, threshold: Decimal | None = None) -> str:
    """The change as a whole percent, or to one decimal when rounding would carry it across
    ``threshold`` (9.76% under a 10% threshold reads "9.8%", not "10%")."""
    exact = abs(after - before) / abs(before) * 100
    share = exact.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    if threshold is not None and (share >= threshold) != (exact >= threshold):
        share = exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{share}%"


def _who(entity: str | None, names: Mapping[str, str]) -> str:
    return f" ({names.get(entity, entity)})" if entity else ""


def moved(
    old: Metric | None,
    new: Metric | None,
    threshold_percent: Decimal,
    names: Mapping[str, str] | None = None,
) -> str | None:
    """The delta line for one metric, or None when it did not move beyond the threshold. A figure
    only one report states reads, whatever its kind, "first stated: $8,000" when the earlier
    report did not carry it at all (``old`` is None), "$8,000, no longer stated" when the new
    one does not, and "not stated → $8,000" (or the reverse) when a report carries it with no
    value (a handoff note that stopped stating its cash)."""
    shown = new if new is not None else old
    if shown is None:
        return None
    label = shown.label + _who(shown.entity, names or {})
    old_value = None if old is None else old.value
    new_value = None if new is None else new.value
    old_unit = None if old is None else old.unit
    if old is None and new is not None and new_value is not None:
        return f"{label}: {FIRST_STATED} {describe(new_value, shown.unit)}"
    if new is None and old is not None and old_value is not None:
        return f"{label}: {describe(old_value, old_unit)}, {NO_LONGER_STATED}"
    if old_value is None or new_value is None:
        if old_value is None and new_value is None:
            return None
        return f"{label}: {describe(old_value, old_unit)} → {describe(new_value, shown.unit)}"
    before, after = metric_number(old_value), metric_number(new_value)
    if before is None or after is None:
        if old_value != new_value and not isinstance(new_value, Money | MoneyRange):
            return f"{label}: changed from {describe(old_value, old_unit)} to {describe(new_value, shown.unit)}"
        return None
    if before == after:
        return None
    if before != 0 and abs(after - before) / abs(before) * 100 < threshold_percent:
        return None
    return f"{label}: {_change(old_value, new_value, shown.unit, threshold_percent)} ({describe(old_value, old_unit)} → {describe(new_value, shown.unit)})"


def figure_moves(
    before: dict[str, Metric],
    now: dict[str, Metric],
    threshold_percent: Decimal,
    names: Mapping[str, str] | None = None,
) -> list[Bullet]:
    """The delta lines of two reports' figures: the current report's order, then the figures it
    no longer states. A figure of an entity the other report does not cover at all (a new or a
    dropped business) is left out: it did not appear or vanish, the entity did."""
    covered_before = {m.entity for m in before.values()}
    covered_now = {m.entity for m in now.values()}
    lines: list[Bullet] = []
    for key in [*now, *(k for k in before if k not in now)]:
        old, new = before.get(key), now.get(key)
        if old is None and new is not None and new.entity not in covered_before:
            continue
        if new is None and old is not None and old.entity not in covered_now:
            continue
        shown = new if new is not None else old
        line = moved(old, new, threshold_percent, names)
        if line and shown is not None:
            lines.append(Bullet(line, shown.provenance))
    return lines


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
    newcomer: bool = False,
) -> Section:
    """The "Since last report" section for ``document``; ``names`` maps entity ids to names;
    ``newcomer``: no earlier report reached this reader, though some reached others."""
    names = names or {}
    if prior is None:
        first = FIRST_TO_READER if newcomer else FIRST_REPORT
        return Section(SECTION_TITLE, (Paragraph(first[0]),), id=SECTION_ID)
    before = comparable_metrics(prior.document)
    now = comparable_metrics(document)
    moves = figure_moves(before, now, threshold_percent, names)
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
            f"{compared_with(prior)}; figures that moved by "
            f"{threshold_percent.normalize():f}% or more."
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


def compared_with(prior: PriorRun) -> str:
    """Which report the section compares with: its period, its as-of date, and when it was
    delivered (to this recipient, or at all)."""
    text = f"Compared with the {prior.document.title} for {prior.document.covers()}"
    if prior.delivered:
        whom = "you" if prior.recipient else "its recipients"
        text += f", the last one delivered to {whom} (sent {prior.delivered})"
    return text


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
    newcomer: bool = False,
) -> Document:
    """The document with "Since last report" first, and its brief told what changed: each key
    figure's change since the previous report, and the section's lines that matter most
    (figures that moved, then new and resolved findings)."""
    section = since_last_report(document, prior, threshold_percent, names, newcomer)
    document = with_section(document, section)
    brief = brief_of(document)
    before = comparable_metrics(prior.document) if prior is not None else {}
    figures = tuple(
        replace(
            figure,
            change=figure_change(
                before.get(comparison_key(figure.metric)), figure, threshold_percent
            ),
        )
        for figure in brief.figures
    )
    changes = brief_changes(section, prior, newcomer)
    return replace(document, brief=replace(brief, figures=figures, changes=changes))


def figure_change(old: Metric | None, figure: KeyFigure, threshold: Decimal | None = None) -> str:
    """A key figure's change since the previous report: "up $1.3K (18%)", "unchanged", or ""
    when the previous report did not have it (or it is not a number)."""
    new = figure.metric
    if old is None:
        return ""
    if old.value is None or new.value is None:
        return "" if old.value == new.value else f"was {describe(old.value, old.unit)}"
    before, after = metric_number(old.value), metric_number(new.value)
    if before is None or after is None:
        return "" if old.value == new.value else f"was {describe(old.value, old.unit)}"
    if before == after:
        return "unchanged"
    if isinstance(new.value, Money | MoneyRange):  # at the brief's precision
        currency = new.value.currency if isinstance(new.value, Money) else new.value.low.currency
        amount = brief_money(Money(abs(after - before), currency))
        share = f" ({_percent(before, after, threshold)})" if before else ""
        return f"{'up' if after > before else 'down'} {amount}{share}"
    return _change(old.value, new.value, new.unit, threshold)


#: The brief's change lines: which lists of the section, and how each line is introduced.
BRIEF_LISTS = (("Figures that moved", ""), ("New findings", "New: "), ("Resolved", "Resolved: "))


def brief_changes(
    section: Section, prior: PriorRun | None = None, newcomer: bool = False
) -> tuple[Bullet, ...]:
    """The lines of "Since last report" a brief shows: which report they compare with (when
    ``prior`` is given), then moved figures, new and resolved findings (lists that only say
    "nothing" are left out); the first report says so in one line."""
    lists = {b.title: b for b in section.blocks if isinstance(b, BulletList)}
    if not lists:
        return (Bullet((FIRST_TO_READER if newcomer else FIRST_REPORT)[1]),)
    out: list[Bullet] = []
    for title, lead in BRIEF_LISTS:
        block = lists.get(title)
        if block is None or block.items == (Bullet(EMPTY_LINES[title]),):
            continue
        # the section's lines keep every digit; the brief says them at its precision
        out.extend(replace(item, text=brief_text(lead + item.text)) for item in block.items)
    if not out:
        out.append(Bullet("Nothing moved beyond the threshold; no finding is new or resolved."))
    basis = (Bullet(brief_basis(prior)),) if prior is not None else ()
    return (*basis, *out)


def brief_basis(prior: PriorRun) -> str:
    """The brief's line naming the report it compares with: "Compared with the CFO report for
    October 2026, as of 2026-11-20, sent to you 2026-12-01."."""
    sent = ""
    if prior.delivered:
        sent = f", sent {'to you ' if prior.recipient else ''}{prior.delivered}"
    return f"Compared with the {prior.document.title} for {prior.document.covers()}{sent}."


def with_section(document: Document, section: Section) -> Document:
    """The document with ``section`` first (replacing an earlier one with the same id)."""
    rest = tuple(s for s in document.sections if s.id != section.id)
    return replace(document, sections=(section, *rest))
