"""Stored forecasts: each send run keeps its forecast weeks, and the next report reads the latest
forecast made before its date to set it against what happened (``ReportContext.history``)."""

from __future__ import annotations

from datetime import date

from execbrief.analysis.forecast import ForecastResult
from execbrief.analysis.forecast.accuracy import PastWeek
from execbrief.store.db import Store
from execbrief.store.forecasts import ForecastRow, ForecastTable
from execbrief.values import Money


class ForecastHistory:
    """The forecasts of earlier runs in one ``Store``."""

    def __init__(self, store: Store) -> None:
        self.table = ForecastTable(store)

    def record(self, run_id: int, period: str, as_of: date, result: ForecastResult) -> None:
        """Store a run's forecast weeks (every entity's and the portfolio's)."""
        rows = [
            ForecastRow(
                run_id, period, as_of.isoformat(), f.entity, w.number, w.start.isoformat(),
                w.end.isoformat(), str(w.opening.amount), str(w.inflow.amount),
                str(w.outflow.amount), str(w.closing.amount), w.closing.currency,
            )
            for f in result.all
            for w in f.weeks
        ]  # fmt: skip
        if rows:
            self.table.record(rows)

    def forecast_before(self, as_of: date) -> tuple[PastWeek, ...]:
        """The weeks of the latest forecast made before ``as_of`` (empty when none)."""
        return tuple(
            PastWeek(
                r.entity,
                date.fromisoformat(r.as_of),
                r.week,
                date.fromisoformat(r.start),
                date.fromisoformat(r.end),
                Money(r.inflow, r.currency),
                Money(r.outflow, r.currency),
                Money(r.closing, r.currency),
            )
            for r in self.table.latest_before(as_of.isoformat())
        )
