"""The CFO's capital tiers say money as what it is (issue 12 item 6): one finding's estimate is
the expected effect of acting on it; several findings' estimates added up are a total, never
labelled an "expected effect"."""

from __future__ import annotations

from decimal import Decimal

from execbrief.analysis.finance import deploy_capital
from execbrief.findings import CostTier, Effort, Finding, Severity
from execbrief.reports.cfo import _actions
from execbrief.values import Money


def finding(fid: str, entity: str, effect: str, fix: str = "Raise the price.") -> Finding:
    return Finding(
        id=fid,
        rule="pricing.below-market",
        title="Priced below market",
        severity=Severity.HIGH,
        entity=entity,
        evidence="...",
        recommendation=fix,
        effort=Effort.HOURS,
        tags=("pricing",),
        monthly_effect=Money(Decimal(effect)),
        cost_tier=CostTier.REVENUE,
    )


NAMES = {"boats": "Boats", "loft": "Loft"}


def test_a_summed_gap_is_a_total_not_an_expected_effect() -> None:
    tiers = deploy_capital([finding("a", "boats", "300"), finding("b", "loft", "450")])
    (deployment,) = tiers[CostTier.REVENUE]
    assert deployment.monthly_effect == Money(Decimal(750))  # 300 + 450
    (action,) = _actions(deployment, CostTier.REVENUE, NAMES)
    assert action.monthly_effect is None  # the plan line does not call the sum expected
    assert "expected effect" not in action.rationale
    assert action.rationale == (
        "At: Boats, Loft; high; the 2 findings' estimates add up to $750/mo in total."
    )


def test_one_findings_estimate_is_its_expected_effect() -> None:
    (deployment,) = deploy_capital([finding("a", "boats", "300")])[CostTier.REVENUE]
    (action,) = _actions(deployment, CostTier.REVENUE, NAMES)
    assert action.monthly_effect == Money(Decimal(300))
    assert action.rationale == "At: Boats; high; the expected effect is its finding's estimate."


def test_different_fixes_get_no_share_of_the_sum() -> None:
    tiers = deploy_capital(
        [finding("a", "boats", "300"), finding("b", "loft", "450", "Add a weekend rate.")]
    )
    # one rule in one tier is one action (docs/metrics.md, capital deployment), so the tier's
    # count and its list agree; the other fix is listed, and no fix is given a share of the sum
    (action,) = _actions(tiers[CostTier.REVENUE][0], CostTier.REVENUE, NAMES)
    assert action.monthly_effect is None
    assert action.rationale.endswith(
        "the 2 findings' estimates add up to $750/mo in total. "
        "The rule's other fixes: Add a weekend rate."
    )
