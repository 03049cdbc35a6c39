"""Metrics (named values with units and provenance), Findings and Actions: what analyses return."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import TypeVar

from execbrief.snapshot import Provenance, set_in_dict
from execbrief.values import Money, MoneyRange, Percent

#: What a metric may hold. Counts are ints, plain ratios Decimals; text is for non-numeric facts.
#: (The order matters for JSON decoding: a text value that reads as a number or date comes back
#: as one, so use text only for words.)
MetricValue = Money | MoneyRange | Percent | bool | int | Decimal | date | str | None


class Severity(enum.StrEnum):
    """How bad a finding is. ``rank`` orders them, critical first."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for critical .. 4 for info."""
        return _SEVERITY_RANK[self]

    @property
    def weight(self) -> int:
        """Weight used when ranking actions: critical 8, high 4, medium 2, low 1, info 0."""
        return _SEVERITY_WEIGHT[self]


class Effort(enum.StrEnum):
    """Rough effort to act on a finding: an hour, a day, a week, a month."""

    HOURS = "hours"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"

    @property
    def cost(self) -> int:
        """Relative cost used when ranking actions (1, 2, 4, 8)."""
        return _EFFORT_COST[self]


#: Looked up, not rebuilt, per call: a report ranks every finding of every entity.
_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(Severity)}
_SEVERITY_WEIGHT = {
    Severity.CRITICAL: 8,
    Severity.HIGH: 4,
    Severity.MEDIUM: 2,
    Severity.LOW: 1,
    Severity.INFO: 0,
}
_EFFORT_COST = {Effort.HOURS: 1, Effort.DAYS: 2, Effort.WEEKS: 4, Effort.MONTHS: 8}


class CostTier(enum.StrEnum):
    """Capital deployment tier of an action."""

    ZERO_COST = "zero-cost"
    LOW_COST = "low-cost"
    REVENUE = "revenue-producing"


def metric_number(value: MetricValue) -> Decimal | None:
    """The number a value stands for, for comparisons and charts: a range's midpoint, a money
    amount, a percent's value; None for text, dates, yes/no and missing values."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, Money):
        return value.amount
    if isinstance(value, MoneyRange):
        return value.midpoint.amount
    if isinstance(value, Percent):
        return value.value
    if isinstance(value, Decimal | int):
        return Decimal(value)
    return None


@set_in_dict
@dataclass(frozen=True)
class Metric:
    """A named value with its unit and provenance.

    ``id`` is stable across runs (``finance.burn.net``) and, together with ``entity`` and ``period``,
    identifies the metric in history. ``formula`` states how it was computed, in words a reader can
    check, with the ``docs/metrics.md`` anchor where there is one.
    """

    id: str
    label: str
    value: MetricValue
    entity: str | None = None
    period: str | None = None
    unit: str | None = None
    formula: str | None = None
    provenance: tuple[Provenance, ...] = ()

    @property
    def key(self) -> str:
        """``id@entity@period`` — unique within one run."""
        return f"{self.id}@{self.entity or '*'}@{self.period or '*'}"


@set_in_dict
@dataclass(frozen=True)
class Finding:
    """Something wrong or missing, with evidence, a fix and its cost.

    ``id`` is stable across runs: the rule plus what it is about (never a line number alone, which
    moves when a file is edited), so the next run can say new, still open, or resolved.
    ``tags`` place it (``security``, ``finance``, ``kpi``, ``cost``, ``ux``, ...). ``shortfall``
    puts it among the CEO report's critical shortfalls (a critical finding is one anyway).
    ``monthly_effect`` is the expected monthly money effect of acting on it, where one is known.
    """

    id: str
    rule: str
    title: str
    severity: Severity
    entity: str | None
    evidence: str
    recommendation: str
    effort: Effort = Effort.DAYS
    impact: int = 1
    tags: tuple[str, ...] = ()
    provenance: tuple[Provenance, ...] = ()
    monthly_effect: Money | MoneyRange | None = None
    cost_tier: CostTier | None = None
    shortfall: bool = False

    @property
    def score(self) -> Decimal:
        """Ranking score: severity weight × impact ÷ effort cost."""
        return Decimal(self.severity.weight * max(self.impact, 1)) / Decimal(self.effort.cost)


@dataclass(frozen=True)
class Action:
    """One step of an action plan, derived from one or more findings."""

    title: str
    rationale: str
    due_in_days: int
    entity: str | None = None
    owner: str | None = None
    finding_ids: tuple[str, ...] = ()
    effort: Effort = Effort.DAYS
    cost_tier: CostTier | None = None
    monthly_effect: Money | MoneyRange | None = None
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class AnalysisResult:
    """The common shape of every analysis' output: metrics and findings, plus free-form tables.

    Analyses may subclass it to carry richer typed structures for their reports.
    """

    name: str
    metrics: tuple[Metric, ...] = ()
    findings: tuple[Finding, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def metric(
        self, metric_id: str, entity: str | None = None, period: str | None = None
    ) -> Metric | None:
        """The first metric with this id (and entity/period when given)."""
        for metric in self._metrics_by_key.get((metric_id, entity is not None, entity), ()):
            if period is None or metric.period == period:
                return metric
        return None

    def findings_of(self, entity: str | None) -> tuple[Finding, ...]:
        """The findings about one entity (None: the portfolio-wide ones), in order."""
        return self._of_entity[1].get(entity, ())

    def metrics_of(self, entity: str | None) -> tuple[Metric, ...]:
        """The metrics of one entity (None: the portfolio-wide ones), in order."""
        return self._of_entity[0].get(entity, ())

    @cached_property
    def _of_entity(
        self,
    ) -> tuple[dict[str | None, tuple[Metric, ...]], dict[str | None, tuple[Finding, ...]]]:
        """The metrics and the findings by entity: a report shows each entity's own, and a scan
        of every one for each entity grows with the square of the portfolio."""
        return _grouped(self.metrics), _grouped(self.findings)

    @cached_property
    def _metrics_by_key(self) -> dict[tuple[str, bool, str | None], list[Metric]]:
        """The metrics by (id, whether an entity is asked for, entity), in order: a report asks
        once per entity, and a scan of every metric each time grows with the square of them."""
        index: dict[tuple[str, bool, str | None], list[Metric]] = {}
        for metric in self.metrics:
            index.setdefault((metric.id, False, None), []).append(metric)
            index.setdefault((metric.id, True, metric.entity), []).append(metric)
        return index


E = TypeVar("E", "Metric", "Finding")


def _grouped(items: tuple[E, ...]) -> dict[str | None, tuple[E, ...]]:
    grouped: dict[str | None, list[E]] = {}
    for item in items:
        grouped.setdefault(item.entity, []).append(item)
    return {entity: tuple(group) for entity, group in grouped.items()}


def rank_findings(findings: list[Finding] | tuple[Finding, ...]) -> list[Finding]:
    """Findings best-first: score, then severity, then id (deterministic)."""
    return sorted(findings, key=lambda f: (-f.score, f.severity.rank, f.id))


@dataclass(frozen=True)
class Acceptance:
    """A finding accepted as known (``[[findings.accept]]``): its id or an id prefix, why, and
    until when (inclusive; None for good)."""

    id: str
    reason: str
    until: date | None = None

    def covers(self, finding_id: str) -> bool:
        """Whether this acceptance names the finding (its id, or a prefix of it)."""
        return finding_id == self.id or finding_id.startswith(self.id)

    def in_force(self, as_of: date) -> bool:
        """Whether it still holds on ``as_of``."""
        return self.until is None or as_of <= self.until


def acceptance_for(
    finding_id: str, acceptances: tuple[Acceptance, ...], as_of: date
) -> Acceptance | None:
    """The acceptance in force that covers a finding, if any."""
    return next((a for a in acceptances if a.in_force(as_of) and a.covers(finding_id)), None)


def stale_acceptances(
    acceptances: tuple[Acceptance, ...], finding_ids: set[str], as_of: date
) -> list[str]:
    """One sentence per acceptance past its ``until`` date or whose finding has gone."""
    out = []
    for accepted in acceptances:
        if not accepted.in_force(as_of):
            out.append(
                f"[[findings.accept]] {accepted.id!r} expired on {accepted.until}; its findings "
                "are open again: renew its until date or remove it"
            )
        elif not any(accepted.covers(fid) for fid in finding_ids):
            out.append(
                f"[[findings.accept]] {accepted.id!r} matches no current finding (resolved?); "
                "remove it"
            )
    return out
