"""Finance: P&L by entity and month, burn, runway, break-even, revenue targets, capital deployment and
financial rules, every figure traced to the ledger rows (or booking, trip and timesheet rows) it sums.

Formulas are documented in ``docs/metrics.md`` ("Finance"). Conventions:

- Months are calendar months. A *trailing window* is the last N complete months before ``as_of``
  (the as_of month counts only when as_of is its last day), never before the entity's first ledger month.
- P&L is accrual: every ledger line counts, cash or not. Burn is cash: only lines with ``cash=True``.
- Money is rounded to cents only where a figure is shown; sums are exact.

One concern a module:

- ``options``: ``[analysis.finance]`` and ``[entities.settings.finance]``;
- ``pnl``: accrual P&L by month; ``cash``: burn, cash on a date, runway;
- ``breakeven``: break-even units and revenue targets;
- ``entity``: one entity's finance together; ``rollup``: the portfolio roll-up and its check;
- ``rules``: the financial rules (cash months, spend needs a revenue case, equity needs an agreement);
- ``capital``: the capital deployment tiers over every analysis' findings;
- ``metrics`` and ``findings``: what finance reports; ``result``: ``FinanceResult``;
- ``plugin``: ``analyze`` and the registered plugin.

This package is the plugin module (``execbrief.plugins.DEFAULT_PLUGINS``): ``register_analyses`` is
imported here so that pluggy finds it.
"""

from __future__ import annotations

from execbrief.analysis.finance.breakeven import DEFAULT_UNITS, SOLD, BreakEven, break_even
from execbrief.analysis.finance.capital import DeploymentAction, deploy_capital, tier_of
from execbrief.analysis.finance.cash import (
    DAYS_PER_MONTH,
    BurnMonth,
    HeadlineBurn,
    Runway,
    burn_months,
    cash_at,
    runway,
)
from execbrief.analysis.finance.entity import PORTFOLIO, EntityFinance
from execbrief.analysis.finance.options import (
    DEFAULT_VARIABLE_WORDS,
    FinanceEntityOptions,
    FinanceOptions,
    RuleKind,
    RuleSpec,
    entity_options,
    finance_options,
)
from execbrief.analysis.finance.plugin import FinanceAnalysis, analyze, register_analyses
from execbrief.analysis.finance.pnl import MonthLine, ledger_periods, pnl_months
from execbrief.analysis.finance.result import FinanceResult
from execbrief.analysis.finance.rollup import LEFT_OUT
from execbrief.analysis.finance.rules import RuleCheck, check_rules

__all__ = [
    "DAYS_PER_MONTH",
    "DEFAULT_UNITS",
    "DEFAULT_VARIABLE_WORDS",
    "LEFT_OUT",
    "PORTFOLIO",
    "SOLD",
    "BreakEven",
    "BurnMonth",
    "DeploymentAction",
    "EntityFinance",
    "FinanceAnalysis",
    "FinanceEntityOptions",
    "FinanceOptions",
    "FinanceResult",
    "HeadlineBurn",
    "MonthLine",
    "RuleCheck",
    "RuleKind",
    "RuleSpec",
    "Runway",
    "analyze",
    "break_even",
    "burn_months",
    "cash_at",
    "check_rules",
    "deploy_capital",
    "entity_options",
    "finance_options",
    "ledger_periods",
    "pnl_months",
    "register_analyses",
    "runway",
    "tier_of",
]
