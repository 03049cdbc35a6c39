"""The SQL of the ``forecasts`` table: each send run's forecast weeks, and the latest forecast a
run made before a date. Rows go in and come out as plain strings; ``execbrief.history.forecasts``
gives them meaning."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from execbrief.store.db import Store


@dataclass(frozen=True)
class ForecastRow:
    """One stored forecast week (money as exact decimal strings)."""

    run_id: int
    period: str
    as_of: str
    entity: str
    week: int
    start: str
    end: str
    opening: str
    inflow: str
    outflow: str
    closing: str
    currency: str


class ForecastTable:
    """Reads and writes the ``forecasts`` table of one ``Store``."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def record(self, rows: Sequence[ForecastRow]) -> None:
        """Store a run's forecast weeks in one transaction (a run stored again replaces them)."""
        with self.store.transaction() as db:
            for run_id in {r.run_id for r in rows}:
                db.execute("DELETE FROM forecasts WHERE run_id = ?", (run_id,))
            db.executemany(
                "INSERT INTO forecasts (run_id, period, as_of, entity, week, start, end, opening,"
                " inflow, outflow, closing, currency) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        r.run_id, r.period, r.as_of, r.entity, r.week, r.start, r.end,
                        r.opening, r.inflow, r.outflow, r.closing, r.currency,
                    )
                    for r in rows
                ],
            )  # fmt: skip

    def latest_before(self, as_of: str) -> list[ForecastRow]:
        """The weeks of the latest run's forecast made on a date before ``as_of`` (the last run
        of that date wins), ordered by entity and week; empty when there is none."""
        found = self.store.db.execute(
            "SELECT run_id FROM forecasts WHERE as_of < ? ORDER BY as_of DESC, run_id DESC LIMIT 1",
            (as_of,),
        ).fetchone()
        if found is None:
            return []
        rows = self.store.db.execute(
            "SELECT run_id, period, as_of, entity, week, start, end, opening, inflow, outflow,"
            " closing, currency FROM forecasts WHERE run_id = ? ORDER BY entity, week",
            (found[0],),
        ).fetchall()
        return [ForecastRow(*tuple(row)) for row in rows]
