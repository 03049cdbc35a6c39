"""Capital deployment: every analysis' findings sorted into zero-cost, low-cost and
revenue-producing tiers, one action per rule and tier, largest monthly effect (the findings'
estimates added up) first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from execbrief.findings import CostTier, Effort, Finding, Severity
from execbrief.snapshot import Provenance
from execbrief.values import Money, MoneyRange


@dataclass(frozen=True)
class DeploymentAction:
    """One action of the capital deployment framework: one rule's findings in one tier, across
    the entities it applies to. ``monthly_effect`` sums the findings' expected monthly effects
    (None when none of them states one)."""

    tier: CostTier
    title: str
    rule: str
    entities: tuple[str | None, ...]
    finding_ids: tuple[str, ...]
    severity: Severity
    monthly_effect: Money | MoneyRange | None
    basis: str
    provenance: tuple[Provenance, ...] = ()
    recommendations: tuple[tuple[str | None, str], ...] = ()


_REVENUE_TAGS = frozenset(
    {"revenue", "sales", "marketing", "pricing", "billing", "growth", "conversion"}
)


def tier_of(finding: Finding) -> CostTier:
    """A finding's capital-deployment tier: its own ``cost_tier``, else revenue-producing when it is
    tagged as revenue work or has a positive monthly effect tagged so, else zero-cost for an hours'
    job and low-cost for anything longer."""
    if finding.cost_tier is not None:
        return finding.cost_tier
    if _REVENUE_TAGS & set(finding.tags):
        return CostTier.REVENUE
    return CostTier.ZERO_COST if finding.effort == Effort.HOURS else CostTier.LOW_COST


def _effect_key(effect: Money | MoneyRange | None) -> Decimal:
    if effect is None:
        return Decimal(0)
    return effect.amount if isinstance(effect, Money) else effect.midpoint.amount


def deploy_capital(findings: Sequence[Finding]) -> dict[CostTier, list[DeploymentAction]]:
    """Actions from every analysis' findings, sorted into zero-cost, low-cost and revenue-producing
    tiers. Findings of one rule in one tier become one action (the same fix at several entities);
    within a tier, largest summed monthly effect first, then severity, then rule. Info findings
    are left out (nothing to act on)."""
    groups: dict[tuple[CostTier, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        if finding.severity != Severity.INFO:
            groups[(tier_of(finding), finding.rule)].append(finding)
    tiers: dict[CostTier, list[DeploymentAction]] = {tier: [] for tier in CostTier}
    for (tier, rule), group in groups.items():
        group.sort(key=lambda f: (f.severity.rank, f.id))
        effects = [f.monthly_effect for f in group if f.monthly_effect is not None]
        effect: Money | MoneyRange | None = None
        for item in effects:
            effect = item if effect is None else _add_effects(effect, item)
        tiers[tier].append(
            DeploymentAction(
                tier,
                group[0].recommendation or group[0].title,
                rule,
                tuple(dict.fromkeys(f.entity for f in group)),
                tuple(f.id for f in group),
                group[0].severity,
                effect,
                "set by the analysis"
                if group[0].cost_tier is not None
                else "inferred from tags and effort",
                tuple(p for f in group for p in f.provenance[:2]),
                tuple((f.entity, f.recommendation or f.title) for f in group),
            )
        )
    for tier in tiers:
        tiers[tier].sort(key=lambda a: (-_effect_key(a.monthly_effect), a.severity.rank, a.rule))
    return tiers


def _add_effects(a: Money | MoneyRange, b: Money | MoneyRange) -> Money | MoneyRange:
    if isinstance(a, Money) and isinstance(b, Money):
        return a + b
    low = a if isinstance(a, MoneyRange) else MoneyRange.point(a)
    high = b if isinstance(b, MoneyRange) else MoneyRange.point(b)
    if low.cadence is not None and high.cadence is not None and low.cadence != high.cadence:
        high = high.per(low.cadence)
    return low + high
