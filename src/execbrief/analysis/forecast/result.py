"""The forecast analysis over a snapshot: every entity's 13 weeks and the portfolio's."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from pydantic import BaseModel

from execbrief.analysis import books
from execbrief.analysis.base import first_by
from execbrief.analysis.finance import FinanceResult, finance_options
from execbrief.analysis.finance import analyze as analyze_finance
from execbrief.analysis.forecast.budget import Variance, has_budget, sources, variances
from execbrief.analysis.forecast.entity import (
    PORTFOLIO,
    EntityForecast,
    entity_forecast,
    portfolio_forecast,
)
from execbrief.analysis.forecast.options import (
    ForecastEntityOptions,
    ForecastOptions,
    entity_forecast_options,
    forecast_options,
)
from execbrief.analysis.forecast.rules import ForecastLine
from execbrief.config import Config
from execbrief.findings import AnalysisResult, Metric
from execbrief.snapshot import Snapshot


@dataclass(frozen=True)
class ForecastResult(AnalysisResult):
    """Each entity's forecast (those whose cash is known) and the portfolio's."""

    entities: tuple[EntityForecast, ...] = ()
    portfolio: EntityForecast | None = None
    budget: tuple[Variance, ...] = ()
    budgeted: tuple[str, ...] = ()
    #: Where each budget came from: (entity, file, layout).
    budget_sources: tuple[tuple[str, str, str], ...] = ()

    def for_entity(self, entity: str) -> EntityForecast | None:
        """One entity's forecast (``"portfolio"`` for the roll-up)."""
        if entity == PORTFOLIO:
            return self.portfolio
        return self._by_entity.get(entity)

    @cached_property
    def _by_entity(self) -> dict[str, EntityForecast]:
        return first_by(self.entities, lambda f: f.entity)

    def lines_of(self, entity: str) -> tuple[ForecastLine, ...]:
        """Every line of one entity's 13 weeks (empty without a forecast)."""
        found = self.for_entity(entity)
        return found.lines if found else ()

    @property
    def all(self) -> tuple[EntityForecast, ...]:
        """The entities' forecasts, then the portfolio's."""
        return (*self.entities, *([self.portfolio] if self.portfolio else []))


def analyze(
    snapshot: Snapshot, config: Config | None = None, finance: FinanceResult | None = None
) -> ForecastResult:
    """The 13-week forecast of every entity whose cash on as_of is known, and the portfolio's.
    ``finance`` may be passed to reuse the run's finance result (it is computed otherwise)."""
    finance = finance or analyze_finance(snapshot, config)
    clean, _skipped = books.single_currency(snapshot)
    options, fin_options = forecast_options(config), finance_options(config)
    forecasts = []
    notes = []
    for fin in finance.entities:
        found = entity_forecast(
            clean, fin, fin_options, options, entity_forecast_options(config, fin.entity)
        )
        if found is None:
            if fin.has_ledger:
                notes.append(f"{fin.name}: no cash balance on the report date, so no forecast.")
            continue
        forecasts.append(found)
    portfolio = portfolio_forecast(forecasts, snapshot.currency)
    return ForecastResult(
        name="forecast",
        metrics=tuple(_metrics(forecasts, portfolio)),
        notes=tuple(notes),
        entities=tuple(forecasts),
        portfolio=portfolio,
        budget=tuple(v for e in clean.entities for v in variances(clean, e.id, clean.as_of)),
        budgeted=tuple(e.id for e in clean.entities if has_budget(clean, e.id)),
        budget_sources=tuple(s for e in clean.entities for s in sources(clean, e.id)),
    )


def _metrics(forecasts: list[EntityForecast], portfolio: EntityForecast | None) -> list[Metric]:
    out = []
    for f in [*forecasts, *([portfolio] if portfolio else [])]:
        entity = None if f.entity == PORTFOLIO else f.entity
        last = f.weeks[-1]
        out.append(
            Metric(
                "forecast.cash.week13",
                "Forecast cash at week 13",
                last.closing.quantize(),
                entity,
                # the cash of week 13's last day, a figure for that day (as cash is for as_of):
                # not compared with an earlier report's, which is for another day
                last.end.isoformat(),
                formula="cash on as_of + 13 weeks of expected inflows - outflows (docs/metrics.md)",
                provenance=f.opening_provenance[:2] + last.provenance[:2],
            )
        )
    return out


class ForecastAnalysis:
    """The ``forecast`` analysis plugin."""

    name = "forecast"
    description = "13-week cash forecast per entity and for the portfolio."
    Options: type[BaseModel] = ForecastOptions
    EntityOptions: type[BaseModel] | None = ForecastEntityOptions
    requires = ("finance",)  # the run's finance result is passed in, not computed again

    def analyze(
        self, snapshot: Snapshot, config: Config, finance: FinanceResult | None = None
    ) -> ForecastResult:
        """Compute the forecast (from the run's finance result when given)."""
        return analyze(snapshot, config, finance)
