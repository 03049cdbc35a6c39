"""The expense audit groups each account's rows by month in the one pass that groups the
accounts: every account's months and sums are those of its own rows, rows out of date order
and interleaved accounts included, and the income and asset lines stay out."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from execbrief.analysis import books
from execbrief.analysis.accounting import AccountingOptions, audit_categories
from execbrief.values import Money
from kits.ledger import tx

AS_OF = date(2026, 11, 20)


def test_each_account_has_the_months_and_sums_of_its_own_rows() -> None:
    rows = [
        tx("boat", "2026-10-03", "Expenses:Rent", "1200.00", "Dock rent"),
        tx("boat", "2026-09-14", "Expenses:Fuel", "80.10", "Fuel"),
        tx("boat", "2026-10-20", "Expenses:Fuel", "19.90", "Fuel"),
        tx("boat", "2026-09-03", "Expenses:Rent", "1150.00", "Dock rent"),
        tx("boat", "2026-10-05", "Income:Charters", "900.00", "Sale"),
        tx("boat", "2026-10-09", "COGS:Bait", "12.00", "Bait"),
        tx("boat", "2026-10-11", "Expenses:Fuel", "5.00", "Fuel"),
        tx("boat", "2026-10-12", "Assets:Boat", "5000.00", "Engine"),
    ]
    audits = audit_categories(rows, "boat", AS_OF, AccountingOptions(), "USD")
    expected: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for t in rows:
        if t.account_type in books.COSTS:
            expected[t.account][str(books.month_of(t.date))] += t.amount.amount
    assert [a.account for a in audits] == sorted(expected)
    for audit in audits:
        months = expected[audit.account]
        assert audit.by_month == tuple((m, Money(v)) for m, v in sorted(months.items()))
        assert audit.total == Money(sum(months.values(), Decimal(0)))
        assert audit.last_month == Money(months.get("2026-10", Decimal(0)))
        assert audit.previous_month == Money(months.get("2026-09", Decimal(0)))
