"""Payment processor and platform layouts (issue 14, item 1): Square, PayPal and Airbnb exports
read as sales, fees and payouts, like Stripe's, so a bank export beside them counts each sale once.

Fixtures (tests/data/layouts/), laid out as each tool writes them (the sources are in each
layout's ``reference`` in ``sources/layouts.py``):

- square-transactions.csv: the Square Dashboard Transactions export, 55 columns in the
  dashboard's order, ISO dates, money as ``$224.40``, discounts and fees negative, a refund row all
  negative with its fee given back (positive); a cash sale has no Deposit ID.
- paypal-activity.csv: PayPal's Activity download, CSV with its 2018 default fields (hledger's
  examples/csv/paypal-custom.csv.rules), every cell quoted, a UTF-8 BOM, M/D/YYYY, ``Fee``
  negative when charged, ``Balance`` the running PayPal balance; one Pending row.
- airbnb-transaction-history.csv: Airbnb's Transaction history export (current 21 columns),
  newest first, each Payout row above the Reservation rows it pays, thousands quoted.
- chase-checking-processors.csv: a Chase activity download (the layout of chase-checking.csv)
  receiving those payouts as ACH credits.

Figures worked by hand:

Square  sales = Total Collected - Tax - Tip: 180.00 + 50.00 + 120.00 - 120.00 + 300.00 = 530.00;
        fees 5.93 + 3.73 - 3.46 (given back on the refund) + 8.52 = 14.72; tax 42.40, tips 40.00;
        deposit Dp1 = 218.47 + 135.87 = 354.34 (10/19), Dp2 = 315.48 - 126.14 = 189.34 (10/21);
        the 54.00 cash sale is in no deposit.
PayPal  Completed only: sales 450.00 + 300.00 - 100.00 (refund) = 650.00; fees 16.20 + 10.96 - 3.49
        = 23.67; payment sent 80.00; withdrawal 500.00 (10/14); the Pending 200.00 is left out;
        Net of the Completed rows = 46.33 = the last Balance.
Airbnb  sales (Gross earnings) 480.00 + 600.00 + 750.00 - 20.00 (adjustment) = 1,810.00; service
        fees 14.40 + 18.00 + 22.50 = 54.90; payouts 1,047.60 (arriving 10/14) and 707.50 (10/28)
        = 1,810.00 - 54.90.
Chase   5,400.00 after the dockage; + 1,047.60 + 500.00 + 354.34 + 189.34 + 707.50 = 8,198.78.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from execbrief.config import load_config
from execbrief.plugins import get_registry
from execbrief.records.ledger import CashBalance, Transaction
from execbrief.snapshot import SourceResult
from execbrief.sources import layouts
from execbrief.sources.base import SourceRequest
from execbrief.sources.ledger import LedgerSource
from execbrief.sources.processor import BY_LAYOUT
from kits.ops import messages

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "layouts"
BANK = "chase-checking-processors.csv"
EXPORTS = ("square-transactions.csv", "paypal-activity.csv", "airbnb-transaction-history.csv")

HEAD = """
[portfolio]
name = "Test"
as_of = 2026-11-20

[[entities]]
id = "harbor"
name = "Harbor"
kind = "charter"
"""
BANK_PART = f"""
[[entities.ledger]]
path = "{BANK}"
default_accounts = {{ money_in = "Income:Other", money_out = "Expenses:Operating" }}
"""


def run(tmp_path: Path, files: tuple[str, ...], with_bank: bool = True) -> SourceResult:
    text = HEAD + (BANK_PART if with_bank else "")
    for name in (*files, *((BANK,) if with_bank else ())):
        shutil.copy(FIXTURES / name, tmp_path / name)
    for name in files:
        text += f'\n[[entities.ledger]]\npath = "{name}"\n'
    return collect_ledger(tmp_path, text)


def collect_ledger(tmp_path: Path, text: str) -> SourceResult:
    """The ledger source of the one entity of the portfolio ``text`` (written to tmp_path)."""
    (tmp_path / "portfolio.toml").write_text(text)
    config = load_config(tmp_path / "portfolio.toml", get_registry().option_models())
    entity = config.entities[0]
    request = SourceRequest(
        entity=entity,
        spec=entity.sources["ledger"],
        root=tmp_path,
        as_of=date(2026, 11, 20),
        fingerprint_key=b"k",
    )
    return LedgerSource().collect(request)


def total(result: SourceResult, account: str) -> Decimal:
    return sum(
        (
            r.amount.amount
            for r in result.records
            if isinstance(r, Transaction) and r.account == account
        ),
        Decimal(0),
    )


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("square-transactions.csv", "square-transactions"),
        ("paypal-activity.csv", "paypal-activity"),
        ("airbnb-transaction-history.csv", "airbnb-transactions"),
    ],
)
def test_each_export_is_recognised_from_its_header(name: str, key: str) -> None:
    loc_text = (FIXTURES / name).read_text(encoding="utf-8-sig").splitlines()[0]
    cells = [c.strip('"') for c in loc_text.split(",")]
    found = layouts.recognise("ledger", cells)
    assert found is not None and found.key == key and found.reader == "processor"


def test_square_sales_tax_tips_fees_and_deposits(tmp_path: Path) -> None:
    result = run(tmp_path, ("square-transactions.csv",))
    assert messages(result) == []
    assert [m.layout for m in result.mappings] == ["chase", "square-transactions"]
    assert total(result, "Income:Sales (Square)") == Decimal("530.00")
    assert total(result, "Expenses:Payment processing fees (Square)") == Decimal("14.72")
    assert total(result, "Liabilities:Sales tax collected (Square)") == Decimal("42.40")
    assert total(result, "Liabilities:Tips owed to staff (Square)") == Decimal("40.00")
    refund = [
        r
        for r in result.records
        if isinstance(r, Transaction)
        and r.account == "Income:Sales (Square)"
        and r.amount.amount < 0
    ]
    assert [(r.date, r.amount.amount, r.provenance.line) for r in refund] == [
        (date(2026, 10, 20), Decimal("-120.00"), 5)
    ]
    # Both Square deposits (354.34 and 189.34) are transfers: only PayPal's and Airbnb's credits,
    # whose exports are not listed here, stay income (Income:Other from the bank's default).
    assert total(result, "Income:Other") == Decimal("2255.10")  # 1,047.60 + 500.00 + 707.50


def test_paypal_completed_rows_only_and_withdrawal_is_a_payout(tmp_path: Path) -> None:
    result = run(tmp_path, ("paypal-activity.csv",))
    assert messages(result) == []
    mapping = result.mappings[1]
    assert mapping.layout == "paypal-activity"
    assert dict(mapping.fields)["balance"] == "Balance"
    assert any("only Completed rows count" in note for note in mapping.notes)
    assert total(result, "Income:Sales (PayPal)") == Decimal("650.00")
    assert total(result, "Expenses:Payment processing fees (PayPal)") == Decimal("23.67")
    assert total(result, "Expenses:Payments sent (PayPal)") == Decimal("80.00")
    paypal = [r for r in result.records if isinstance(r, Transaction) and "(PayPal)" in r.account]
    assert 3 not in {r.provenance.line for r in paypal}  # the Pending row
    assert total(result, "Income:Other") == Decimal(
        "2298.78"
    )  # 1,047.60 + 354.34 + 189.34 + 707.50


def test_airbnb_gross_earnings_service_fees_and_payouts(tmp_path: Path) -> None:
    result = run(tmp_path, ("airbnb-transaction-history.csv",))
    assert messages(result) == []
    assert total(result, "Income:Sales (Airbnb)") == Decimal("1810.00")
    assert total(result, "Expenses:Payment processing fees (Airbnb)") == Decimal("54.90")
    assert total(result, "Income:Other") == Decimal("1043.68")  # 500.00 + 354.34 + 189.34


def test_all_three_beside_the_bank_count_every_sale_once(tmp_path: Path) -> None:
    result = run(tmp_path, EXPORTS)
    assert messages(result) == []
    assert total(result, "Income:Other") == Decimal(0)  # every bank credit was a payout
    income = sum(
        (
            r.amount.amount
            for r in result.records
            if isinstance(r, Transaction) and r.account_type == "income"
        ),
        Decimal(0),
    )
    assert income == Decimal("2990.00")  # 530.00 + 650.00 + 1,810.00
    balances = [r for r in result.records if isinstance(r, CashBalance)]
    assert all(b.reconciles for b in balances)
    # the bank's cash and the money held at PayPal (its running Balance), each its own account
    closing = {b.account: b.balance.amount for b in balances if b.kind == "closing"}
    assert closing == {"Cash": Decimal("8198.78"), "Assets:PayPal balance": Decimal("46.33")}


def test_a_payout_the_bank_never_shows_is_said(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / BANK, tmp_path / BANK)
    text = (FIXTURES / "paypal-activity.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "paypal-activity.csv").write_text(text.replace('"10/14/2026"', '"11/14/2026"'))
    config_text = HEAD + BANK_PART + '\n[[entities.ledger]]\npath = "paypal-activity.csv"\n'
    said = messages(collect_ledger(tmp_path, config_text))
    assert len(said) == 2
    assert "payout 4KL67890MN123456J of 500.00 on 2026-11-14" in said[0]
    # the bank's PAYPAL credit of 10/14 then matches no payout: it is still income beside
    # PayPal's sales, and that is said with both files named, never counted silently
    assert BANK in said[1] and "naming PayPal" in said[1] and "paypal-activity.csv" in said[1]
    assert "counted twice" in said[1]


#: Airbnb's older Transaction history (2014): no Gross earnings column; a reservation's Amount is
#: what was paid out and its Host Fee was kept (the shape of public importers' fixtures of it).
AIRBNB_2014 = (
    "Date,Type,Confirmation Code,Start Date,Nights,Guest,Listing,Details,Reference,Currency,"
    "Amount,Paid Out,Host Fee,Cleaning Fee\n"
    "10/15/2014,Payout,,,,,,Transfer to ACH: *****4879,,USD,,92,,\n"
    "10/15/2014,Reservation,CKQ94D,10/14/2014,1,Jia Qi,Great Location 2BR,,,USD,92,,3,0\n"
    "10/14/2014,Payout,,,,,,Transfer to ACH: *****4879,,USD,,291,,\n"
    "10/14/2014,Reservation,J5MWQH,10/13/2014,6,Shane R,Huge 2br King Beds,,,USD,291,,9,0\n"
)


def test_airbnb_older_export_gross_is_amount_plus_host_fee(tmp_path: Path) -> None:
    (tmp_path / "airbnb-2014.csv").write_text(AIRBNB_2014)
    text = HEAD + '\n[[entities.ledger]]\npath = "airbnb-2014.csv"\n'
    result = collect_ledger(tmp_path, text)
    assert messages(result) == []
    assert result.mappings[0].layout == "airbnb-transactions"
    assert total(result, "Income:Sales (Airbnb)") == Decimal("395")  # (92 + 3) + (291 + 9)
    assert total(result, "Expenses:Payment processing fees (Airbnb)") == Decimal("12")


def test_a_paypal_row_in_another_currency_is_a_row_error(tmp_path: Path) -> None:
    text = (FIXTURES / "paypal-activity.csv").read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    lines[3] = lines[3].replace('"USD"', '"EUR"')  # the 10/08 payment of 300.00
    (tmp_path / "paypal-activity.csv").write_text("\n".join(lines) + "\n")
    result = collect_ledger(
        tmp_path, HEAD + '\n[[entities.ledger]]\npath = "paypal-activity.csv"\n'
    )
    said = messages(result)
    assert len(said) == 2 and "line 4" in said[0]
    assert "amounts in EUR, not the ledger's USD" in said[0]
    # its Balance cell is the EUR balance: said, and not counted as USD cash
    assert "EUR (first at line 4)" in said[1] and "not counted" in said[1]
    assert total(result, "Income:Sales (PayPal)") == Decimal("350.00")  # 450.00 - 100.00


def test_every_processor_layout_has_its_reader() -> None:
    readers = {c.key for c in layouts.CATALOGUE if c.reader == "processor"}
    assert readers == set(BY_LAYOUT)
