"""Finance's typed result: every entity's finance, the portfolio roll-up and the rule checks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from execbrief.analysis.base import first_by
from execbrief.analysis.finance.entity import PORTFOLIO, EntityFinance
from execbrief.analysis.finance.rules import RuleCheck
from execbrief.findings import AnalysisResult


@dataclass(frozen=True)
class FinanceResult(AnalysisResult):
    """Finance's typed result: per-entity finance, the portfolio roll-up and the rule checks."""

    currency: str = "USD"
    periods: tuple[str, ...] = ()
    window_3m: tuple[str, ...] = ()
    window_6m: tuple[str, ...] = ()
    window_12m: tuple[str, ...] = ()
    entities: tuple[EntityFinance, ...] = ()
    portfolio: EntityFinance | None = None
    rules: tuple[RuleCheck, ...] = ()
    rollup_ok: bool = True
    rollup_problems: tuple[str, ...] = ()

    def for_entity(self, entity: str) -> EntityFinance | None:
        """The finance of one entity (``"portfolio"`` for the roll-up)."""
        if entity == PORTFOLIO:
            return self.portfolio
        return self._by_entity.get(entity)

    @cached_property
    def _by_entity(self) -> dict[str, EntityFinance]:
        return first_by(self.entities, lambda e: e.entity)
