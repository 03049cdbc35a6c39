"""An assumption's sentence shows a share to a tenth of a percent (audit26 F4 saw
``deposit share: 29.86111111111111111111111111%``); the value itself stays exact."""

from __future__ import annotations

from decimal import Decimal

from execbrief.analysis.forecast.assumptions import Assumption, median


def test_a_share_reads_to_a_tenth_of_a_percent() -> None:
    share = median([Decimal(43) / Decimal(144), Decimal(1) / Decimal(4), Decimal(1) / Decimal(3)])
    told = Assumption("gullwing", "deposit share", share, "share", "median of 3")
    assert told.describe() == "deposit share: 29.9% (median of 3)"
    assert told.value == Decimal(43) / Decimal(144)
    assert "25%" in Assumption("a", "deposit share", Decimal("0.25"), "share", "b").describe()
    assert "30%" in Assumption("a", "deposit share", Decimal("0.2999"), "share", "b").describe()
