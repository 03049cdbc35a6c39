"""Stored forecasts: each send run keeps its forecast weeks, and the next report reads the latest
forecast made before its date to set it against what happened (``ReportContext.history``)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from execbrief.store.db import Store
from execbrief.store.forecasts import ForecastRow, ForecastTable
from execbrief.values import Money


@dataclass(frozen=True)
class StoredWeek:
    """One week of a stored forecast, made on ``made`` for ``entity`` (or ``portfolio``)."""

    entity: str
    made: date
    week: int
    start: date
    end: date
    opening: Money
    inflow: Money
    outflow: Money
    closing: Money


class ForecastHistory:
    """The forecasts of earlier runs in one ``Store``."""

    def __init__(self, store: Store) -> None:
        self.table = ForecastTable(store)

    def record(self, run_id: int, period: str, weeks: Iterable[StoredWeek]) -> None:
        """Store a run's forecast weeks (a run stored again replaces its own)."""
        rows = [
            ForecastRow(
                run_id, period, w.made.isoformat(), w.entity, w.week, w.start.isoformat(),
                w.end.isoformat(), str(w.opening.amount), str(w.inflow.amount),
                str(w.outflow.amount), str(w.closing.amount), w.closing.currency,
            )
            for w in weeks
        ]  # fmt: skip
        if rows:
            self.table.record(rows)

    def forecast_before(self, as_of: date) -> tuple[StoredWeek, ...]:
        """The weeks of the latest forecast made before ``as_of`` (empty when none)."""
        return tuple(
            StoredWeek(
                r.entity,
                date.fromisoformat(r.as_of),
                r.week,
                date.fromisoformat(r.start),
                date.fromisoformat(r.end),
                Money(r.opening, r.currency),
                Money(r.inflow, r.currency),
                Money(r.outflow, r.currency),
                Money(r.closing, r.currency),
            )
            for r in self.table.latest_before(as_of.isoformat())
        )
