"""PayPal's running ``Balance`` is the cash held at PayPal (issue 14: "a running balance column gives
the cash position (each statement date an assertion), on exports in either date order").

The fixture is tests/data/layouts/paypal-activity.csv (PayPal's Activity download, its shape named
in tests/sources/test_layouts_payments.py), oldest first. Worked by hand, one assertion per date,
each the day's last Balance, checked against the Net of the Completed rows since the first:

    10/03  433.80                  (the anchor: the earliest assertion)
    10/05  433.80  = 433.80        (the Pending 192.53 does not move it)
    10/08  722.84  = 433.80 + 289.04
    10/10  626.33  = 722.84 - 96.51   (the refund, its fee given back)
    10/12  546.33  = 626.33 - 80.00   (a payment sent)
    10/14   46.33  = 546.33 - 500.00  (the withdrawal to the bank)

Beside the Chase export that received the withdrawal (8,198.78 on 10/28), the cash is
8,198.78 + 46.33 = 8,245.11.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

from tests.sources.test_layouts_payments import BANK, BANK_PART, FIXTURES, HEAD, collect_ledger

from execbrief.analysis.finance.cash import cash_at
from execbrief.records.ledger import AccountType, CashBalance, Transaction
from execbrief.snapshot import Provenance, SourceResult
from execbrief.values import Money
from kits.ops import messages

PAYPAL = "paypal-activity.csv"
ACCOUNT = "Assets:PayPal balance"
ASSERTED = [
    (date(2026, 10, 3), Decimal("433.80")),
    (date(2026, 10, 5), Decimal("433.80")),
    (date(2026, 10, 8), Decimal("722.84")),
    (date(2026, 10, 10), Decimal("626.33")),
    (date(2026, 10, 12), Decimal("546.33")),
    (date(2026, 10, 14), Decimal("46.33")),
]


def paypal_alone(tmp_path: Path, text: str) -> SourceResult:
    (tmp_path / PAYPAL).write_text(text, encoding="utf-8")
    return collect_ledger(tmp_path, HEAD + f'\n[[entities.ledger]]\npath = "{PAYPAL}"\n')


def balances(result: SourceResult, kind: str) -> list[CashBalance]:
    return [r for r in result.records if isinstance(r, CashBalance) and r.kind == kind]


def fixture_text() -> str:
    return (FIXTURES / PAYPAL).read_text(encoding="utf-8-sig")


def test_each_date_is_an_assertion_checked_against_the_rows(tmp_path: Path) -> None:
    result = paypal_alone(tmp_path, fixture_text())
    assert messages(result) == []
    stated = balances(result, "assertion")
    assert [(b.date, b.balance.amount) for b in stated] == ASSERTED
    assert {b.account for b in stated} == {ACCOUNT}
    assert all(b.reconciles for b in stated[1:]) and stated[0].computed is None  # the anchor
    assert [b.provenance.line for b in stated] == [2, 3, 4, 5, 6, 7]
    (closing,) = balances(result, "closing")
    assert (closing.account, closing.balance.amount) == (ACCOUNT, Decimal("46.33"))
    # PayPal's lines name the account they moved, and stay out of burn (cash = False)
    paypal = [r for r in result.records if isinstance(r, Transaction)]
    assert paypal and all(r.cash_account == ACCOUNT and not r.cash for r in paypal)


def test_a_newest_first_export_gives_the_same_assertions(tmp_path: Path) -> None:
    header, *rows = fixture_text().splitlines()
    result = paypal_alone(tmp_path, "\n".join([header, *reversed(rows)]) + "\n")
    assert messages(result) == []
    stated = balances(result, "assertion")
    assert [(b.date, b.balance.amount) for b in stated] == ASSERTED
    assert all(b.reconciles for b in stated[1:])
    assert stated[-1].provenance.line == 2  # the newest row is the file's first


def test_two_rows_on_one_day_assert_the_days_last_balance(tmp_path: Path) -> None:
    header, *rows = fixture_text().splitlines()
    # the payment sent moves to 10/10, after the refund: that day's closing balance is 546.33
    rows[4] = rows[4].replace('"10/12/2026"', '"10/10/2026"')
    result = paypal_alone(tmp_path, "\n".join([header, *rows]) + "\n")
    stated = [(b.date, b.balance.amount) for b in balances(result, "assertion")]
    assert (date(2026, 10, 10), Decimal("546.33")) in stated
    assert (date(2026, 10, 10), Decimal("626.33")) not in stated


def test_beside_the_bank_the_cash_is_both_accounts(tmp_path: Path) -> None:
    for name in (BANK, PAYPAL):
        shutil.copy(FIXTURES / name, tmp_path / name)
    result = collect_ledger(
        tmp_path, HEAD + BANK_PART + f'\n[[entities.ledger]]\npath = "{PAYPAL}"\n'
    )
    assert messages(result) == []
    rows = [r for r in result.records if isinstance(r, Transaction)]
    stated = [r for r in result.records if isinstance(r, CashBalance)]
    found = cash_at(stated, rows, date(2026, 11, 20))
    assert found is not None and found[0].amount == Decimal("8245.11")  # 8,198.78 + 46.33


def test_a_bank_line_after_its_last_balance_counts_though_paypal_is_later() -> None:
    """The implied cash lines (a bank's) count after the bank's own latest balance, not after a
    later PayPal balance: cash = 1,000.00 + 50.00 (the bank line of 10/30) + 46.33."""
    at = Provenance("x.csv", 1)

    def money(text: str) -> Money:
        return Money(Decimal(text), "USD")

    stated = [
        CashBalance("e", at, date(2026, 10, 28), "Cash", money("1000.00"), "assertion"),
        CashBalance("e", at, date(2026, 11, 2), ACCOUNT, money("46.33"), "assertion"),
    ]
    bank = Transaction(
        "e", at, date(2026, 10, 30), "Income:Other", AccountType.INCOME, "Other", money("50.00")
    )
    sale = Transaction(
        "e",
        at,
        date(2026, 11, 1),
        "Income:Sales (PayPal)",
        AccountType.INCOME,
        "Sales (PayPal)",
        money("20.00"),
        cash=False,
        cash_account=ACCOUNT,
    )
    found = cash_at(stated, [bank, sale], date(2026, 11, 20))
    assert found is not None and found[0].amount == Decimal("1096.33")


def test_balances_in_several_currencies_are_said_and_the_other_is_not_counted(
    tmp_path: Path,
) -> None:
    header, *rows = fixture_text().splitlines()
    # a EUR balance beside the USD one: a currency conversion of 100.00 USD into 92.00 EUR
    rows.append(rows[-1].replace('"General Withdrawal"', '"General Currency Conversion"'))
    rows[-1] = rows[-1].replace('"USD"', '"EUR"').replace('"46.33"', '"92.00"')
    result = paypal_alone(tmp_path, "\n".join([header, *rows]) + "\n")
    said = messages(result)
    assert len(said) == 1 and "EUR (first at line 8)" in said[0] and "not counted" in said[0]
    stated = balances(result, "assertion")
    assert [b.balance.amount for b in stated][-1] == Decimal("46.33")
    assert Decimal("92.00") not in {b.balance.amount for b in stated}
