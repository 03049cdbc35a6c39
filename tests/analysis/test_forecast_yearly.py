"""A yearly charge and the evidence for its cadence (docs/metrics.md, Cash forecast, "recurring
charge"): a payee recurs when paid about the same amount in at least ``recurring_months``
distinct months, three by default, whatever the cadence: a yearly bill is found after its third
payment (three years of ledger), not its second. Two payments a year apart are one repeat, the
same evidence as a one-off paid twice; ``recurring_months = 2`` accepts them."""

from __future__ import annotations

from datetime import date, timedelta

from execbrief.analysis.forecast.options import ForecastOptions
from execbrief.analysis.forecast.rules import Horizon, recurring
from kits.ledger import tx

AS_OF = date(2026, 11, 20)
HORIZON = Horizon(AS_OF, AS_OF + timedelta(days=91))


def _insurance(*years: int) -> list:  # type: ignore[type-arg]
    return [
        tx(
            "boat",
            f"{year}-12-01",
            "Expenses:Insurance",
            "1840.00",
            "Hull policy",
            counterparty="Coastal Marine Insurance",
            line=n,
        )
        for n, year in enumerate(years, 2)
    ]


def _carried(rows: list, options: ForecastOptions) -> list[tuple[date, str, str]]:  # type: ignore[type-arg]
    return [
        (line.day, line.label, str(line.amount.amount))
        for line in recurring("boat", rows, HORIZON, options, income=False)
    ]


def test_two_yearly_payments_are_not_a_cadence_by_default() -> None:
    assert _carried(_insurance(2024, 2025), ForecastOptions()) == []


def test_the_third_yearly_payment_is() -> None:
    assert _carried(_insurance(2023, 2024, 2025), ForecastOptions()) == [
        (date(2026, 12, 1), "Coastal Marine Insurance (Insurance), yearly", "-1840.00")
    ]


def test_recurring_months_2_carries_a_charge_paid_twice_a_year_apart() -> None:
    assert _carried(_insurance(2024, 2025), ForecastOptions(recurring_months=2)) == [
        (date(2026, 12, 1), "Coastal Marine Insurance (Insurance), yearly", "-1840.00")
    ]


def test_the_docs_say_a_yearly_charge_needs_three_payments() -> None:
    from pathlib import Path

    docs = Path(__file__).parents[2] / "docs" / "metrics.md"
    text = " ".join(docs.read_text().split())
    assert "a yearly charge after its third payment, three years of ledger" in text
    assert "two payments a year apart are one repeat" in text
