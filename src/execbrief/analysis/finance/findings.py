"""Finance's findings, one function per rule, run in the order of ``FINDING_RULES``: an entity that
loses money on every unit or sells below break-even, a short runway (when no ``cash-months`` rule
reports it), and every financial rule that failed."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from execbrief.analysis.finance.entity import PORTFOLIO, EntityFinance
from execbrief.analysis.finance.options import FinanceOptions
from execbrief.analysis.finance.rules import RuleCheck
from execbrief.analysis.finance.wording import fmt_months, money_text
from execbrief.findings import CostTier, Effort, Finding, Severity


@dataclass(frozen=True)
class FindingInputs:
    """What finance's finding rules read: the entities, the roll-up, the rule checks, the options."""

    entities: Sequence[EntityFinance]
    portfolio: EntityFinance | None
    rules: Sequence[RuleCheck]
    options: FinanceOptions


FindingRule = Callable[[FindingInputs], Iterator[Finding]]


def finance_findings(inputs: FindingInputs) -> list[Finding]:
    """Every finding of every rule, rule by rule."""
    return [finding for rule in FINDING_RULES for finding in rule(inputs)]


def break_even_findings(inputs: FindingInputs) -> Iterator[Finding]:
    """An entity loses money on every unit (high), or its revenue is below break-even (medium)."""
    for fin in inputs.entities:
        be = fin.break_even
        if be is not None and be.status == "not reachable":
            yield Finding(
                f"finance.breakeven-unreachable:{fin.entity}",
                "finance.breakeven-unreachable",
                f"{fin.name} loses money on every {be.unit}",
                Severity.HIGH,
                fin.entity,
                be.text,
                f"Raise the price per {be.unit} above its variable cost ({be.variable_cost}) or cut that cost.",
                Effort.DAYS,
                3,
                ("finance", "pricing"),
                be.provenance,
                None,
                CostTier.ZERO_COST,
                shortfall=True,
            )
        elif (
            be is not None
            and be.break_even_revenue is not None
            and be.revenue_per_month is not None
            and be.revenue_per_month < be.break_even_revenue
        ):
            gap = be.break_even_revenue - be.revenue_per_month
            loss = (gap * be.contribution_ratio) if be.contribution_ratio is not None else gap
            units = f" ({be.text})" if be.units_needed is not None else ""
            yield Finding(
                f"finance.below-breakeven:{fin.entity}",
                "finance.below-breakeven",
                f"{fin.name} is below break-even",
                Severity.MEDIUM,
                fin.entity,
                f"Revenue averages {be.revenue_per_month}/mo over {be.window[0]}..{be.window[-1]} against "
                f"{be.break_even_revenue}/mo needed to break even{units}.",
                f"Add {gap.quantize()}/mo of revenue (or cut fixed costs of {be.fixed_costs}/mo).",
                Effort.WEEKS,
                3,
                ("finance", "revenue"),
                be.provenance,
                loss.quantize(),
                CostTier.REVENUE,
                shortfall=True,
            )


def runway_findings(inputs: FindingInputs) -> Iterator[Finding]:
    """Runway at the worst month's burn under ``min_cash_months`` (critical under one month). The
    ``cash-months`` rule, when configured, already reports a short runway with its evidence."""
    options = inputs.options
    if any(rule.kind == "cash-months" for rule in options.rules):
        return
    for fin in [*inputs.entities, *([inputs.portfolio] if inputs.portfolio else [])]:
        run = fin.runway
        if run is None or run.months_low is None or run.months_low >= options.min_cash_months:
            continue
        yield Finding(
            f"finance.runway-short:{fin.entity}",
            "finance.runway-short",
            f"{fin.name} has {fmt_months(run.months_low)} months of runway at the worst month's burn",
            Severity.CRITICAL if run.months_low < 1 else Severity.HIGH,
            None if fin.entity == PORTFOLIO else fin.entity,
            f"Cash {money_text(run.cash)}; net burn {run.burn}; runway {run.text}.",
            "Cut the largest discretionary spend this month and collect what is owed before any new spend.",
            Effort.DAYS,
            4,
            ("finance", "cash"),
            run.provenance,
            None,
            CostTier.ZERO_COST,
            shortfall=True,
        )


#: What to do about a failed rule, by the rule's kind.
RULE_RECOMMENDATIONS = {
    "cash-months": "Rebuild the cash reserve before new spending: pause discretionary costs, collect receivables.",
    "max-spend": "Write a one-paragraph revenue case (expected monthly return, payback) for each large spend before paying.",
    "equity-agreement": "Put the equity promise in a signed agreement (vesting, cliff, amount) or withdraw it in writing.",
}


def broken_rule_findings(inputs: FindingInputs) -> Iterator[Finding]:
    """Every failed rule check (an unsigned equity promise is critical, the rest high)."""
    for check in inputs.rules:
        if check.status != "fail":
            continue
        yield Finding(
            f"finance.rule.{check.rule}:{check.entity or PORTFOLIO}",
            f"finance.rule.{check.rule}",
            f"Rule broken: {check.description}",
            Severity.CRITICAL if check.kind == "equity-agreement" else Severity.HIGH,
            check.entity,
            check.evidence,
            RULE_RECOMMENDATIONS[check.kind],
            Effort.HOURS if check.kind != "cash-months" else Effort.DAYS,
            3,
            ("finance", "policy"),
            check.provenance,
            None,
            CostTier.ZERO_COST,
            shortfall=True,
        )


#: Finance's finding rules, in the order their findings are listed.
FINDING_RULES: tuple[FindingRule, ...] = (
    break_even_findings,
    runway_findings,
    broken_rule_findings,
)
