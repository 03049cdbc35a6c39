"""The forecast's one-pass groupings give what a scan per week or per direction gave: each line
lands in the week whose days hold it (week n: the days 7(n-1)+1..7n after as_of, none on as_of
or after week 13), in the lines' order before sorting; and the payees grouped once give the
recurring charges and the recurring income that grouping the rows for each call gave."""

from __future__ import annotations

from datetime import date, timedelta

from execbrief.analysis import books
from execbrief.analysis.forecast.options import ForecastOptions
from execbrief.analysis.forecast.rules import ForecastLine, Horizon, payees, recurring
from execbrief.analysis.forecast.weeks import week_table
from execbrief.values import Money
from kits.ledger import tx

AS_OF = date(2026, 11, 20)
HORIZON = Horizon(AS_OF, AS_OF + timedelta(days=91))


def _line(days: int, amount: str, label: str = "x") -> ForecastLine:
    return ForecastLine("boat", AS_OF + timedelta(days=days), "bill", label, Money(amount))


def test_each_line_is_in_the_week_whose_days_hold_it() -> None:
    offsets = [-3, 0, 1, 7, 8, 14, 15, 90, 91, 92, 200, 7, 1]
    lines = [_line(days, "-10.00" if n % 2 else "25.00", f"l{n}") for n, days in enumerate(offsets)]
    weeks = week_table(Money("1000.00"), lines, AS_OF)
    assert len(weeks) == 13
    for week in weeks:
        scanned = [x for x in lines if week.start <= x.day <= week.end]
        assert sorted(week.lines, key=lambda x: (x.day, x.label)) == sorted(
            scanned, key=lambda x: (x.day, x.label)
        )
    held = [x.label for week in weeks for x in week.lines]
    assert sorted(held) == sorted(f"l{n}" for n, days in enumerate(offsets) if 1 <= days <= 91)
    assert weeks[0].opening == Money("1000.00")
    assert weeks[-1].closing == Money("1000.00") + sum(
        (x.amount for week in weeks for x in week.lines), Money(0)
    )


def _ledger() -> list:  # type: ignore[type-arg]
    rows = []
    for month in range(4, 12):
        rows.append(tx("boat", f"2026-{month:02d}-03", "Expenses:Rent", "1200.00", "Dock rent"))
        rows.append(tx("boat", f"2026-{month:02d}-05", "Income:Charters", "900.00", "Sale"))
        rows.append(
            tx("boat", f"2026-{month:02d}-07", "Expenses:Fuel", "80.00", "Fuel", cash=False)
        )
    rows.append(tx("boat", "2026-12-03", "Expenses:Rent", "1200.00", "Dock rent"))  # known bill
    return rows


def test_payees_grouped_once_give_each_direction_what_its_own_grouping_gave() -> None:
    rows, options = _ledger(), ForecastOptions()
    grouped = payees(rows, HORIZON)
    for income in (False, True):
        alone = list(recurring("boat", rows, HORIZON, options, income=income))
        shared = list(recurring("boat", grouped, HORIZON, options, income=income))
        assert shared == alone
        assert alone  # the rent and the charters both recur
    assert grouped.known == {("dock rent", False): [date(2026, 12, 3)]}
    assert ("fuel", False) not in grouped.lines  # off cash: moves nothing


def test_months_are_counted_as_the_periods_holding_the_days() -> None:
    days = [date(2025, 12, 31), date(2026, 1, 1), date(2026, 1, 31), date(2027, 1, 2)]
    assert books.month_count(days) == len({books.month_of(day) for day in days}) == 3
    assert books.month_count([]) == 0
