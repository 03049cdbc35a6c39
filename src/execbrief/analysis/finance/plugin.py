"""The finance analysis over a snapshot, and the plugin that registers it."""

from __future__ import annotations

from pydantic import BaseModel

from execbrief.analysis import books
from execbrief.analysis.base import Analysis
from execbrief.analysis.finance.entity import entity_finance
from execbrief.analysis.finance.findings import FindingInputs, finance_findings
from execbrief.analysis.finance.metrics import finance_metrics
from execbrief.analysis.finance.options import (
    FinanceEntityOptions,
    FinanceOptions,
    entity_options,
    finance_options,
)
from execbrief.analysis.finance.pnl import ledger_periods
from execbrief.analysis.finance.result import FinanceResult
from execbrief.analysis.finance.rollup import portfolio_finance, rollup_problems
from execbrief.analysis.finance.rules import check_rules
from execbrief.config import Config
from execbrief.hookspecs import hookimpl
from execbrief.snapshot import Snapshot


def analyze(snapshot: Snapshot, config: Config | None = None) -> FinanceResult:
    """The finance analysis over a snapshot (pure: same snapshot and config, same result)."""
    options = finance_options(config)
    snapshot, skipped = books.single_currency(snapshot)
    periods = ledger_periods(snapshot)
    entities = [
        entity_finance(snapshot, info, periods, options, entity_options(config, info.id))
        for info in snapshot.entities
    ]
    portfolio = portfolio_finance(snapshot, entities, periods, options)
    problems = rollup_problems(entities, portfolio, periods, snapshot.currency)
    rules = check_rules(snapshot, options, entities, portfolio)
    first = periods[0] if periods else None

    def window(months: int) -> tuple[str, ...]:
        return (
            tuple(str(p) for p in books.trailing(months, snapshot.as_of, first)) if periods else ()
        )

    notes = list(skipped)
    if not periods:
        notes.append("No ledger data: P&L, burn and runway cannot be computed.")
    metrics = finance_metrics([*entities, portfolio], snapshot.as_of, (window(3), window(6)))
    return FinanceResult(
        name="finance",
        metrics=tuple(metrics),
        findings=tuple(finance_findings(FindingInputs(entities, portfolio, rules, options))),
        notes=tuple(notes),
        currency=snapshot.currency,
        periods=tuple(str(p) for p in periods),
        window_3m=window(3),
        window_6m=window(6),
        window_12m=window(12),
        entities=tuple(entities),
        portfolio=portfolio,
        rules=rules,
        rollup_ok=not problems,
        rollup_problems=tuple(problems),
    )


class FinanceAnalysis:
    """The ``finance`` analysis plugin."""

    name = "finance"
    description = (
        "P&L, burn, runway, break-even, revenue targets, capital deployment and financial rules."
    )
    Options: type[BaseModel] = FinanceOptions
    EntityOptions: type[BaseModel] | None = FinanceEntityOptions

    def analyze(self, snapshot: Snapshot, config: Config) -> FinanceResult:
        """Compute the finance result."""
        return analyze(snapshot, config)


@hookimpl
def register_analyses() -> list[Analysis]:
    """The finance analysis."""
    return [FinanceAnalysis()]
