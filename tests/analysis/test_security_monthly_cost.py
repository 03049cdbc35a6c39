"""AWS cost per month per entity (the CTO trend chart) sums every service of the month."""

from __future__ import annotations

from decimal import Decimal

from execbrief.analysis.security import CostLine, monthly_totals
from execbrief.snapshot import Provenance
from execbrief.values import Cadence, Money, MoneyRange

P = (Provenance("cur.csv", 2),)


def line(entity: str, service: str, months: dict[str, str]) -> CostLine:
    amounts = tuple((m, Money(Decimal(a))) for m, a in sorted(months.items()))
    values = [a for _, a in amounts]
    return CostLine(
        entity, service, amounts, MoneyRange(min(values), max(values), Cadence.MONTH), values[-1], P
    )


def test_monthly_totals_sum_services_and_keep_gaps_out() -> None:
    totals = monthly_totals(
        [
            line("harbor", "Lambda", {"2026-09": "1.10", "2026-10": "2.20"}),
            line("harbor", "CloudFront", {"2026-10": "10.05", "2026-11": "4.00"}),
            line("tide", "S3", {"2026-11": "0.99"}),
        ]
    )
    assert totals == {
        "harbor": (
            ("2026-09", Money(Decimal("1.10"))),
            ("2026-10", Money(Decimal("12.25"))),
            ("2026-11", Money(Decimal("4.00"))),
        ),
        "tide": (("2026-11", Money(Decimal("0.99"))),),
    }
