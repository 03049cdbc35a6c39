"""The notes weighed against the data: for each figure both a handoff note and the data give
(cash, burn, revenue, unbilled work, occupancy), the data's figure and whether the note's agrees
with it within the documented tolerance.

Like the KPI framework it reads other analyses' results (``briefing``, ``finance``,
``operations``), so it is a function reports call with those results. The rule and the
tolerance are in ``docs/metrics.md`` ("Notes against the data").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal

from execbrief.analysis.briefing import BriefingResult, EntityBrief, best_fact
from execbrief.analysis.finance import FinanceResult
from execbrief.analysis.operations import OperationsResult
from execbrief.findings import Metric, MetricValue
from execbrief.records.handoff import Fact
from execbrief.snapshot import Provenance, Snapshot
from execbrief.values import Cadence, Money, MoneyRange, Percent, Period, format_money

#: Money agrees when the data lies within the note's figure (or range) widened by this share of
#: the note's figure, or by MONEY_FLOOR, whichever is larger.
MONEY_TOLERANCE = Decimal("0.10")
MONEY_FLOOR = Decimal(100)
#: A percentage (occupancy) agrees within this many points.
PERCENT_POINTS = Decimal(5)
#: Shown per claim when the data has no figure: the figures compared, in order.
TOPICS = ("cash", "burn", "revenue", "unbilled", "occupancy")


@dataclass(frozen=True)
class Claim:
    """One figure a note states and the data computes, and whether they agree."""

    entity: str
    topic: str
    label: str
    note: Money | MoneyRange | Percent
    note_provenance: tuple[Provenance, ...]
    data: Money | MoneyRange | Percent
    data_source: str
    data_provenance: tuple[Provenance, ...]
    agrees: bool

    def sentence(self) -> str:
        """'the note says cash $38,900 (notes/x.md:12); the ledger says -$4,450 (ledger.csv:214)'."""
        return (
            f"the note says {self.label} {_show(self.note)} ({_cite(self.note_provenance)}); "
            f"{self.data_source} {self._verb()} {_show(self.data)} "
            f"({_cite(self.data_provenance[:1])})"
        )

    def _verb(self) -> str:
        return "say" if self.data_source.split(" (")[0].endswith("s") else "says"


def _show(value: Money | MoneyRange | Percent) -> str:
    if isinstance(value, Percent):
        return str(value)
    return format_money(value.quantize() if isinstance(value, Money) else value)


def _cite(provenance: tuple[Provenance, ...]) -> str:
    return ", ".join(p.cite() for p in provenance[:2]) or "no row"


def money_agrees(note: Money | MoneyRange, data: Money | MoneyRange) -> bool:
    """Whether ``data`` (or a part of its range) lies within the note's figure or range,
    widened by the tolerance."""
    low, high = (note, note) if isinstance(note, Money) else (note.low, note.high)
    bottom, top = (data, data) if isinstance(data, Money) else (data.low, data.high)
    slack = max(abs(high.amount) * MONEY_TOLERANCE, MONEY_FLOOR)
    return bottom.amount <= high.amount + slack and top.amount >= low.amount - slack


def percent_agrees(note: Percent, data: Percent) -> bool:
    """Whether two percentages are within :data:`PERCENT_POINTS` of each other."""
    return abs(note.value - data.value) <= PERCENT_POINTS


def _monthly(value: object) -> Money | MoneyRange | None:
    """A note's money as a monthly figure (a yearly range ÷ 12); None for anything else."""
    if isinstance(value, MoneyRange) and value.cadence not in (None, Cadence.MONTH):
        return value.per(Cadence.MONTH)
    return value if isinstance(value, Money | MoneyRange) else None


def _money(value: object) -> Money | MoneyRange | None:
    return value if isinstance(value, Money | MoneyRange) else None


def _metric(finance: FinanceResult, metric_id: str, entity: str) -> Metric | None:
    """An entity's money metric; a range of one amount (the headline burn) as that amount."""
    found = finance.metric(metric_id, entity)
    if found is None:
        return None
    value = found.value
    if isinstance(value, MoneyRange) and value.low == value.high:
        return replace(found, value=value.low)
    return found if isinstance(value, Money | MoneyRange) else None


@dataclass(frozen=True)
class _Sources:
    snapshot: Snapshot
    finance: FinanceResult
    operations: OperationsResult


DataGetter = Callable[[_Sources, str], tuple[MetricValue, str, tuple[Provenance, ...]] | None]


def _ledger(metric_id: str) -> DataGetter:
    def get(s: _Sources, entity: str) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
        metric = _metric(s.finance, metric_id, entity)
        return (metric.value, "the ledger", metric.provenance) if metric else None

    return get


def _unbilled_data(
    s: _Sources, entity: str
) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
    gap = s.operations.billing_gap(entity)
    if gap is None or gap.unbilled_unknown is not None:
        return None  # an export with no invoice column cannot say what is unbilled
    rows = tuple(e.provenance for e in gap.unbilled_entries)
    return gap.unbilled_value, "the timesheets", rows or gap.provenance


def _occupancy_data(
    s: _Sources, entity: str
) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
    unit = s.operations.rental(entity)
    if unit is None or unit.occupancy is None:
        return None
    sheets = {p for r in s.snapshot.results_for(entity=entity, kind="bookings") for p in r.paths}
    rows = tuple(p for p in unit.provenance if p.source in sheets)
    return unit.occupancy, "the bookings", rows or unit.provenance


def _last_month_revenue(
    s: _Sources, entity: str
) -> tuple[MetricValue, str, tuple[Provenance, ...]] | None:
    """The ledger's revenue of the last complete month as of as_of (``Period.last_complete``:
    the report's own month, which an as-of on its last day completes): the month a note written
    now speaks of ("Monthly revenue: $3,940 (October)")."""
    month = str(Period.last_complete(s.snapshot.as_of))
    metric = s.finance.metric("finance.revenue", entity, month)
    if metric is None or not isinstance(metric.value, Money):
        return None
    return metric.value, f"the ledger ({month})", metric.provenance


#: topic -> (label in the sentence, the data's figure).
DATA: dict[str, tuple[str, DataGetter]] = {
    "cash": ("cash", _ledger("finance.cash")),
    "burn": ("burn", _ledger("finance.burn.net.average")),
    "gross burn": ("burn", _ledger("finance.burn.gross.3m")),
    "revenue": ("revenue", _last_month_revenue),
    "unbilled": ("unbilled work", _unbilled_data),
    "occupancy": ("occupancy", _occupancy_data),
}


def _stated(
    topic: str, facts: list[Fact], brief: EntityBrief
) -> tuple[Money | MoneyRange | Percent, tuple[Provenance, ...]] | None:
    """What the notes state for a topic: a labelled fact, or for unbilled work a sentence's
    amount (as the briefing analysis found it)."""
    if topic == "unbilled":
        found = brief.unbilled
        return (found[0], (found[1],)) if found else None
    fact = best_fact(facts, topic)
    if fact is None:
        return None
    if topic == "occupancy":
        return (fact.value, (fact.provenance,)) if isinstance(fact.value, Percent) else None
    value = _monthly(fact.value) if topic in ("burn", "revenue") else _money(fact.value)
    return (value, (fact.provenance,)) if value is not None else None


def weigh_notes(
    snapshot: Snapshot,
    briefing: BriefingResult,
    finance: FinanceResult,
    operations: OperationsResult,
) -> list[Claim]:
    """Every figure a note states that the data also gives, entity by entity, in TOPICS order."""
    sources = _Sources(snapshot, finance, operations)
    out: list[Claim] = []
    for brief in briefing.entities:
        facts = snapshot.records(Fact, brief.entity)
        for topic in TOPICS:
            stated = _stated(topic, facts, brief)
            getter = DATA[topic][1]
            found = getter(sources, brief.entity)
            if stated is None or found is None:
                continue
            claim = _claim(brief.entity, topic, stated, found)
            if claim is not None and topic == "burn" and not claim.agrees:
                claim = _gross_instead(sources, brief.entity, stated, facts) or claim
            if claim is not None:
                out.append(claim)
    return out


def _claim(
    entity: str,
    topic: str,
    stated: tuple[Money | MoneyRange | Percent, tuple[Provenance, ...]],
    found: tuple[MetricValue, str, tuple[Provenance, ...]],
) -> Claim | None:
    note, note_cites = stated
    data, source, data_cites = found
    label = DATA[topic][0]
    if isinstance(data, Percent) and isinstance(note, Percent):
        agrees = percent_agrees(note, data)
    elif isinstance(data, Money | MoneyRange) and not isinstance(note, Percent):
        agrees = money_agrees(note, data) or (topic == "burn" and _both_not_burning(note, data))
    else:
        return None
    return Claim(entity, topic, label, note, note_cites, data, source, data_cites, agrees)


def _both_not_burning(note: Money | MoneyRange, data: Money | MoneyRange) -> bool:
    """A note's burn of zero and a ledger that earns more than it spends say the same thing."""
    high = note if isinstance(note, Money) else note.high
    top = data if isinstance(data, Money) else data.high
    return high.is_zero and top.amount <= 0


def _gross_instead(
    sources: _Sources,
    entity: str,
    stated: tuple[Money | MoneyRange | Percent, tuple[Provenance, ...]],
    facts: list[Fact],
) -> Claim | None:
    """Many notes call their spending "burn": a stated burn that is not labelled net and
    disagrees with the net burn is compared with the gross burn (trailing 3 months) instead,
    whether or not it agrees with that."""
    fact = best_fact(facts, "burn")
    if fact is not None and "net" in fact.label.lower().split():
        return None
    found = DATA["gross burn"][1](sources, entity)
    if found is None:
        return None
    value, _source, cites = found
    return _claim(entity, "burn", stated, (value, "the ledger (gross burn, 3 months)", cites))
