"""Several ledger files, one entity (issue 14, item 4a): ``[[entities.ledger]]`` tables (or an
inline array of them), each with its own options, form one cash pool; a Stripe balance export
beside the Chase export that receives its payouts counts the sales once.

The Stripe fixtures are laid out as Stripe's Balance report downloads them: "Itemized balance
change from activity" (balance_change_from_activity.itemized.3) and "Itemized payouts"
(payouts.itemized.3), default columns, amounts in major units (docs.stripe.com/reports/
report-types/balance). The Chase fixture is tests/data/layouts/chase-checking.csv, whose 10/28
"ORIG CO NAME:STRIPE ... TRANSFER" credit of 1,940.00 is the payout of 10/26.
"""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from execbrief.config import load_config
from execbrief.errors import ConfigError
from execbrief.plugins import get_registry
from execbrief.records.ledger import CashBalance, Transaction
from execbrief.sources.base import SourceRequest
from execbrief.sources.ledger import LedgerSource
from kits.ops import messages

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "layouts"
FILES = ("chase-checking.csv", "stripe-balance-activity.csv", "stripe-itemized-payouts.csv")

ARRAY_OF_TABLES = """
[portfolio]
name = "Test"
as_of = 2026-11-20

[[entities]]
id = "boats"
name = "Boats"
kind = "charter"

[[entities.ledger]]
path = "chase-checking.csv"
default_accounts = { money_in = "Income:Charters", money_out = "Expenses:Operating" }

[[entities.ledger]]
paths = ["stripe-balance-activity.csv", "stripe-itemized-payouts.csv"]
"""

INLINE_ARRAY = """
[portfolio]
name = "Test"
as_of = 2026-11-20

[[entities]]
id = "boats"
name = "Boats"
kind = "charter"
ledger = [ { path = "chase-checking.csv", default_accounts = { money_in = "Income:Charters", money_out = "Expenses:Operating" } }, { paths = ["stripe-balance-activity.csv", "stripe-itemized-payouts.csv"] } ]
"""


def run(tmp_path: Path, text: str, files: tuple[str, ...] = FILES):  # type: ignore[no-untyped-def]
    for name in files:
        shutil.copy(FIXTURES / name, tmp_path / name)
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


@pytest.mark.parametrize("text", [ARRAY_OF_TABLES, INLINE_ARRAY], ids=["array", "inline"])
def test_bank_and_processor_are_one_pool_and_the_payout_is_a_transfer(
    tmp_path: Path, text: str
) -> None:
    result = run(tmp_path, text)
    assert messages(result) == []
    assert [m.layout for m in result.mappings] == ["chase", "stripe-balance", "stripe-payouts"]
    txns = [r for r in result.records if isinstance(r, Transaction)]
    income = [t for t in txns if t.account_type == "income"]
    # Chase's Zelle 620 (its own option: Income:Charters) + Stripe's gross 1,200 + 798.56; the
    # Chase STRIPE credit of 1,940 (= 1,164.90 + 775.10 net) is the payout, not income again.
    assert sorted((t.account, t.amount.amount) for t in income) == [
        ("Income:Charters", Decimal("620.00")),
        ("Income:Sales (Stripe)", Decimal("798.56")),
        ("Income:Sales (Stripe)", Decimal("1200.00")),
    ]
    fees = [t for t in txns if "Stripe" in t.account and t.account_type == "expense"]
    assert sum(t.amount.amount for t in fees) == Decimal("58.56")  # 35.10 + 23.46
    chase_out = [t for t in txns if t.account == "Expenses:Operating"]
    assert sum(t.amount.amount for t in chase_out) == Decimal("1560.00")
    # The cash is the bank's: its running balances still reconcile and close at 10,450.
    balances = [r for r in result.records if isinstance(r, CashBalance)]
    assert all(b.reconciles for b in balances)
    closing = [b for b in balances if b.kind == "closing"]
    assert closing[0].balance.amount == Decimal("10450.00")


def test_a_payout_the_bank_export_does_not_show_is_said(tmp_path: Path) -> None:
    text = ARRAY_OF_TABLES
    shutil.copy(FIXTURES / "chase-checking.csv", tmp_path / "chase-checking.csv")
    # The same payout a month later: no Chase line of 1,940 within seven days of it.
    later = (FIXTURES / "stripe-itemized-payouts.csv").read_text().replace("2026-10-2", "2026-11-2")
    (tmp_path / "stripe-itemized-payouts.csv").write_text(later)
    result = run(tmp_path, text, files=("stripe-balance-activity.csv",))
    said = messages(result)
    assert len(said) == 2
    assert "payout po_1Q3eJmN6oPrS4tUv2cD3eF4g of 1940.00 on 2026-11-28" in said[0]
    assert "stripe-itemized-payouts.csv" in said[0]
    # and the Chase STRIPE credit no payout matched is said as a possible double count
    assert "chase-checking.csv" in said[1] and "naming Stripe" in said[1]
    income = [
        r for r in result.records if isinstance(r, Transaction) and r.account_type == "income"
    ]
    assert Decimal("1940.00") in {t.amount.amount for t in income}  # the Chase credit stays


def test_only_the_ledger_and_timesheets_take_a_list_of_tables(tmp_path: Path) -> None:
    text = ARRAY_OF_TABLES.replace("[[entities.ledger]]", "[[entities.bookings]]", 1)
    with pytest.raises(ConfigError, match="only ledger and timesheets take a list of tables"):
        run(tmp_path, text)


def test_quickbooks_transaction_detail_is_recognised_as_grouped(tmp_path: Path) -> None:
    # tests/data/layouts/quickbooks-online-transaction-detail.csv: the QBO export of
    # tests/sources/test_ledger.py (title rows, account headings, Total rows, basis footer).
    name = "quickbooks-online-transaction-detail.csv"
    shutil.copy(FIXTURES / name, tmp_path / name)
    text = ARRAY_OF_TABLES.split("[[entities.ledger]]")[0] + (
        f'ledger = {{ path = "{name}", account_types = {{ "Business Checking" = "asset", '
        '"Fuel" = "expense", "Sales" = "income", "Opening Balance Equity" = "equity" } }\n'
    )
    (tmp_path / "portfolio.toml").write_text(text)
    result = run(tmp_path, text, files=())
    assert messages(result) == []
    assert result.mappings[0].layout == "quickbooks-online"
    txns = [r for r in result.records if isinstance(r, Transaction)]
    assert sorted((t.account, t.amount.amount) for t in txns) == [
        ("Fuel", Decimal("45.00")),
        ("Sales", Decimal("1200.00")),
    ]
    closing = [r for r in result.records if isinstance(r, CashBalance) and r.kind == "closing"]
    assert closing[0].balance.amount == Decimal("6155.00")  # QuickBooks' own Total row
