"""Bank, card and books layouts of the catalogue (issue 14, item 1): Wells Fargo (no header line),
American Express (a card's signs), QuickBooks Desktop, Xero and Wave. Each fixture in
tests/data/layouts/ is laid out as the tool exports it (where each shape was looked up is in the
layout's ``reference``, ``sources/layouts.py``); each is recognised with no ``layout`` option and
reads to figures worked by hand."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

from execbrief.config import Entity, SourceSpec
from execbrief.records.ledger import AccountType, CashBalance, Transaction
from execbrief.sources import layouts
from execbrief.sources.base import SourceRequest
from execbrief.sources.files import Location
from execbrief.sources.ledger import LedgerOptions, LedgerSource
from kits.ops import messages
from sources.test_layouts import AS_OF, FIXTURES, collect, of


def read(tmp_path: Path, name: str, **options: object):  # type: ignore[no-untyped-def]
    if (tmp_path / name).exists():  # a file the test wrote
        return written(tmp_path, name, LedgerOptions(**options))
    return collect(tmp_path, LedgerSource(), "ledger", [name], LedgerOptions(**options))


def written(tmp_path: Path, name: str, options: LedgerOptions):  # type: ignore[no-untyped-def]
    request = SourceRequest(
        entity=Entity(id="acme", name="Acme", kind="other"),
        spec=SourceSpec("ledger", (name,), options, "entities[0].ledger"),
        root=tmp_path,
        as_of=AS_OF,
        fingerprint_key=b"k",
    )
    return LedgerSource().collect(request)


def cash(result, kind: str) -> list[tuple[date, Decimal]]:  # type: ignore[no-untyped-def]
    return [(b.date, b.balance.amount) for b in of(result, CashBalance) if b.kind == kind]


def test_wells_fargo_has_no_header_line_and_is_known_by_its_first_row(tmp_path: Path) -> None:
    opening = {"date": "2026-09-30", "amount": "9000.00", "account": "Assets:Checking"}
    result = read(tmp_path, "wells-fargo-checking.csv", opening_balance=opening)
    assert messages(result) == []
    mapping = result.mappings[0]
    assert (mapping.layout, mapping.header_line) == ("wells-fargo", 0)
    assert dict(mapping.fields) == {
        "date": "Date",
        "amount": "Amount",
        "memo": "Description",
        "reference": "Check Number",
    }
    assert mapping.ignored == ("Star",)
    txns = of(result, Transaction)
    # every line is a row: line 1 is the newest, the November dockage
    assert [(t.provenance.line, t.date, t.account_type, t.amount.amount) for t in txns] == [
        (1, date(2026, 10, 30), AccountType.EXPENSE, Decimal("600.00")),
        (2, date(2026, 10, 25), AccountType.INCOME, Decimal("1940.00")),
        (3, date(2026, 10, 16), AccountType.EXPENSE, Decimal("200.00")),
        (4, date(2026, 10, 14), AccountType.EXPENSE, Decimal("310.00")),
        (5, date(2026, 10, 3), AccountType.INCOME, Decimal("620.00")),
    ]
    assert txns[2].reference == "1042"
    # in 1,940 + 620 = 2,560; out 600 + 200 + 310 = 1,110; 9,000 + 2,560 - 1,110 = 10,450
    assert cash(result, "closing") == [(date(2026, 11, 20), Decimal("10450.00"))]


def test_wells_fargo_without_an_opening_balance_says_its_cash_is_unknown(tmp_path: Path) -> None:
    # audit14b finding 3: no balance column and no opening_balance: its cash cannot be known; one
    # warning naming the file and the key to give, and no closing balance made up from the lines
    result = read(tmp_path, "wells-fargo-checking.csv")
    (warning,) = messages(result)
    assert "wells-fargo-checking.csv" in warning
    assert "has no opening balance or balance column, so its cash is unknown" in warning
    assert "opening_balance = { date = ..." in warning
    assert not any(e.fatal for e in result.errors)
    assert of(result, CashBalance) == []
    assert len(of(result, Transaction)) == 5


def test_a_headed_file_is_not_taken_for_wells_fargo(tmp_path: Path) -> None:
    loc_text = '"Date","Amount","*","","Description"\n"11/30/2026","-600.00","*","","X"\n'
    (tmp_path / "a.csv").write_text(loc_text)
    assert layouts.recognise("ledger", ["Date", "Amount", "*", "", "Description"]) is None
    shaped = layouts._wells_fargo_row  # the first row decides, and only the first
    assert shaped(["11/30/2026", "-600.00", "*", "", "MARINA"])
    assert not shaped(["2026-11-30", "-600.00", "*", "", "MARINA"])
    assert not shaped(["11/30/2026", "-600.00", "", "", "MARINA"])
    result = read(tmp_path, "a.csv", layout="wells-fargo", opening_balance={
        "date": "2026-10-31", "amount": "1.00", "account": "Assets:Checking"})  # fmt: skip
    # named outright, a header line is a row like any other: a bad date, said at line 1
    assert "line 1: bad date 'Date'" in messages(result)[0]


def test_american_express_charges_are_positive_and_a_payment_is_no_income(tmp_path: Path) -> None:
    result = read(tmp_path, "american-express-activity.csv")
    assert messages(result) == []
    mapping = result.mappings[0]
    assert mapping.layout == "american-express"
    assert dict(mapping.fields)["account"] == "Category"
    assert "Account #" in mapping.ignored
    txns = of(result, Transaction)
    # Extended Details spans lines: each row cites the line it starts on
    got = [(t.provenance.line, t.account, t.account_type, t.amount.amount) for t in txns]
    assert got == [
        (2, "Liabilities:Card payments and credits", AccountType.LIABILITY, Decimal("1250.00")),
        (3, "Merchandise & Supplies-Hardware Supplies", AccountType.EXPENSE, Decimal("425.50")),
        (7, "Merchandise & Supplies-Hardware Supplies", AccountType.EXPENSE, Decimal("-75.50")),
        (9, "Transportation-Fuel", AccountType.EXPENSE, Decimal("310.00")),
        (12, "Business Services-Internet Services", AccountType.EXPENSE, Decimal("18.00")),
    ]
    assert not any(t.account_type is AccountType.INCOME for t in txns)
    # Amex writes its Reference in apostrophes ('320263240301234567'): they are not part of it
    # (audit14b finding 13)
    assert txns[0].reference == "320263240301234567"
    # spent 425.50 + 310 + 18 - 75.50 (the return) = 678.00
    assert sum(t.amount.amount for t in txns if t.account_type is AccountType.EXPENSE) == Decimal(
        "678.00"
    )
    # a card's lines move no cash (the bank's payment to the card does): no cash of its own
    assert not any(t.cash for t in txns)
    assert of(result, CashBalance) == []


def test_quickbooks_desktop_general_ledger(tmp_path: Path) -> None:
    result = read(tmp_path, "quickbooks-desktop-general-ledger.csv")
    assert messages(result) == []
    mapping = result.mappings[0]
    assert mapping.layout == "quickbooks-desktop"
    assert dict(mapping.fields)["transaction_type"] == "Type"
    txns = of(result, Transaction)
    got = [(t.account, t.category, t.amount.amount, t.cash) for t in txns]
    assert got == [
        ("11000 · Accounts Receivable", "Accounts Receivable", Decimal("1200.00"), False),
        ("11000 · Accounts Receivable", "Accounts Receivable", Decimal("-1200.00"), True),
        ("40100 · Charter Sales", "Charter Sales", Decimal("1200.00"), False),  # the invoice
        ("40100 · Charter Sales", "Charter Sales", Decimal("300.00"), True),
        ("60100 · Fuel", "Fuel", Decimal("45.00"), True),
    ]
    # the Checking heading's beginning balance is the opening, at its first line's date
    assert cash(result, "opening") == [(date(2026, 1, 5), Decimal("5000.00"))]
    # 5,000 - 45 + 1,200 + 300 = 6,455, QuickBooks' own Total row of Checking
    assert cash(result, "closing") == [(date(2026, 11, 20), Decimal("6455.00"))]


XERO_TYPES = {
    "Business Bank Account (090)": "asset",
    "Accounts Receivable (610)": "asset",
    "Fuel (449)": "expense",
    "Sales (200)": "income",
}


def test_xero_account_transactions_is_recognised(tmp_path: Path) -> None:
    result = read(tmp_path, "xero-account-transactions.csv", account_types=XERO_TYPES)
    assert messages(result) == []
    mapping = result.mappings[0]
    assert (mapping.layout, mapping.header_line) == ("xero", 5)
    txns = of(result, Transaction)
    assert [(t.account, t.amount.amount, t.cash) for t in txns] == [
        ("Accounts Receivable (610)", Decimal("1200.00"), False),
        ("Accounts Receivable (610)", Decimal("-1200.00"), True),
        ("Fuel (449)", Decimal("45.00"), True),
        ("Sales (200)", Decimal("1200.00"), False),  # invoiced, cash came with the payment
    ]
    balances = of(result, CashBalance)
    # Opening Balance 5,000 before the first line; Closing Balance 6,155 = 5,000 - 45 + 1,200
    assert [(b.kind, b.date, b.balance.amount) for b in balances] == [
        ("opening", date(2026, 1, 5), Decimal("5000.00")),
        ("assertion", date(2026, 2, 10), Decimal("6155.00")),
        ("closing", date(2026, 11, 20), Decimal("6155.00")),
    ]
    assert all(b.reconciles for b in balances)


def test_wave_accounting_export_is_recognised(tmp_path: Path) -> None:
    result = read(tmp_path, "wave-accounting.csv")
    assert messages(result) == []
    mapping = result.mappings[0]
    assert mapping.layout == "wave"
    assert dict(mapping.fields)["account_type"] == "Account Group"
    assert dict(mapping.fields)["reference"] == "Transaction ID"
    txns = of(result, Transaction)
    assert [(t.account, t.amount.amount, t.cash) for t in txns] == [
        ("Fuel", Decimal("45.00"), True),
        ("Accounts Receivable", Decimal("1200.00"), False),
        ("Sales", Decimal("1200.00"), False),
        ("Accounts Receivable", Decimal("-1200.00"), True),
    ]
    # the opening line (5,000) against Owner Investment is counted once: 5,000 - 45 + 1,200
    assert cash(result, "closing") == [(date(2026, 11, 20), Decimal("6155.00"))]


def test_every_new_fixture_is_recognised_by_its_own_layout() -> None:
    expect = {
        "wells-fargo-checking.csv": "wells-fargo",
        "american-express-activity.csv": "american-express",
        "quickbooks-desktop-general-ledger.csv": "quickbooks-desktop",
        "xero-account-transactions.csv": "xero",
        "xero-account-transactions-receivables.csv": "xero",
        "wave-accounting.csv": "wave",
        "freshbooks-general-ledger.csv": "freshbooks",
        "chase-checking.csv": "chase",
        "bank-of-america.csv": "bank-of-america",
        "quickbooks-online-transaction-detail.csv": "quickbooks-online",
    }
    for name, key in expect.items():
        found = layouts.sniff(Location(name, FIXTURES / name), "ledger")
        assert found is not None and found.key == key, name


def test_collect_names_each_recognised_layout(tmp_path: Path) -> None:
    import json
    import shutil

    from click.testing import CliRunner

    from execbrief.cli import cli

    names = ["wells-fargo-checking.csv", "american-express-activity.csv", "wave-accounting.csv"]
    for name in names:
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / "portfolio.toml").write_text(
        '[portfolio]\nname = "T"\n\n[[entities]]\nid = "gull"\nname = "Gull"\nkind = "other"\n'
        f"ledger = [{', '.join(f'{{ path = {n!r} }}' for n in names)}]\n".replace("'", '"')
    )
    args = ["collect", "-c", str(tmp_path / "portfolio.toml"), "--as-of", "2026-11-20"]
    result = CliRunner().invoke(cli, [*args, "--json"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    found = json.loads(result.output)
    mappings = found["mappings"] if isinstance(found, dict) and "mappings" in found else found
    text = json.dumps(mappings)
    for key in ("wells-fargo", "american-express", "wave"):
        assert f'"layout": "{key}"' in text
    table = CliRunner().invoke(cli, args, env={"COLUMNS": "200"}, catch_exceptions=False)
    assert "wells-fargo-checking.csv (layout wells-fargo): memo <- Description" in table.output
    assert "american-express-activity.csv (layout american-express)" in table.output


def test_freshbooks_general_ledger_is_recognised(tmp_path: Path) -> None:
    result = read(tmp_path, "freshbooks-general-ledger.csv")
    assert messages(result) == []
    mapping = result.mappings[0]
    assert mapping.layout == "freshbooks"
    assert dict(mapping.fields)["account"] == "Parent Account: Sub Account"
    txns = of(result, Transaction)
    got = [(t.account, t.category, t.account_type, t.amount.amount, t.cash) for t in txns]
    assert got == [
        ("Accounts Receivable: Accounts Receivable", "Accounts Receivable", AccountType.ASSET,
         Decimal("1200.00"), False),
        ("Accounts Receivable: Accounts Receivable", "Accounts Receivable", AccountType.ASSET,
         Decimal("-1200.00"), True),
        ("Sales: Sales", "Sales", AccountType.INCOME, Decimal("1200.00"), False),
        ("Car & Truck Expenses: Gas & Fuel", "Gas & Fuel", AccountType.EXPENSE,
         Decimal("45.00"), True),
    ]  # fmt: skip
    # the bank's initial_balance line is its opening; the equity side is not counted again
    assert cash(result, "opening") == [(date(2026, 1, 1), Decimal("5000.00"))]
    # 5,000 - 45 + 1,200 = 6,155, FreshBooks' own last Running Balance of Checking
    assert cash(result, "closing") == [(date(2026, 11, 20), Decimal("6155.00"))]


def test_a_positional_header_reads_any_headerless_bank_and_an_empty_file_says_so(
    tmp_path: Path,
) -> None:
    (tmp_path / "bank.csv").write_text(
        "\n2026-10-02,Zelle from J Smith,620.00\n2026-10-03,Fuel,-45\n"
    )
    opening = {"date": "2026-10-01", "amount": "100.00", "account": "Assets:Checking"}
    options = {"header": ["Date", "Description", "Amount"], "sign": "bank", "default_accounts": {}}
    result = read(tmp_path, "bank.csv", opening_balance=opening, **options)
    assert messages(result) == []
    assert result.mappings[0].layout is None
    got = [(t.provenance.line, t.account, t.amount.amount) for t in of(result, Transaction)]
    assert got == [
        (2, "Income:Uncategorized", Decimal("620.00")),  # line 1 is blank, and no header
        (3, "Expenses:Uncategorized", Decimal("45.00")),
    ]
    assert cash(result, "closing") == [(date(2026, 11, 20), Decimal("675.00"))]  # 100 + 620 - 45
    (tmp_path / "empty.csv").write_text("\n\n")
    empty = read(tmp_path, "empty.csv", **options)
    assert messages(empty) == ["empty.csv:1: is empty; expected rows of Date, Description, Amount"]


def test_a_card_paid_from_the_bank_counts_its_charges_once(tmp_path: Path) -> None:
    # The Amex fixture's 1,250.00 AUTOPAY of 11/20 is the bank's "AMEX EPAYMENT" of 11/19: without
    # the match the bank's line is one more uncategorised expense beside the card's charges.
    shutil.copy(FIXTURES / "american-express-activity.csv", tmp_path / "amex.csv")
    (tmp_path / "bank.csv").write_text(
        "Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #\n"
        'DEBIT,11/19/2026,"AMEX EPAYMENT    ACH PMT    W4512 WEB ID: 2005032111",-1250.00,'
        "ACH_DEBIT,3750.00,,\n"
        'DEBIT,11/05/2026,"CENTRAL MAINE POWER PAYMENT",-1250.00,ACH_DEBIT,5000.00,,\n'
        'CREDIT,11/01/2026,"DEPOSIT",250.00,ACH_CREDIT,6250.00,,\n'
    )
    spec = SourceSpec("ledger", ("bank.csv",), LedgerOptions(), "entities[0].ledger")
    parts = (spec, SourceSpec("ledger", ("amex.csv",), LedgerOptions(), "entities[0].ledger[1]"))
    request = SourceRequest(
        entity=Entity(id="acme", name="Acme", kind="other"),
        spec=dataclasses.replace(spec, parts=parts),
        root=tmp_path,
        as_of=AS_OF,
        fingerprint_key=b"k",
    )
    result = LedgerSource().collect(request)
    assert messages(result) == []
    txns = of(result, Transaction)
    bank = [
        (t.memo[:20], t.account, t.amount.amount) for t in txns if t.provenance.source == "bank.csv"
    ]
    assert bank == [
        ("AMEX EPAYMENT    ACH", "Liabilities:Card payments and credits", Decimal("-1250.00")),
        # the same amount, but not a card's payment: the power bill stays an expense
        ("CENTRAL MAINE POWER ", "Expenses:Uncategorized", Decimal("1250.00")),
        ("DEPOSIT", "Income:Uncategorized", Decimal("250.00")),
    ]
    spent = sum(t.amount.amount for t in txns if t.account_type is AccountType.EXPENSE)
    assert spent == Decimal("1928.00")  # the card's 678.00 and the power bill, not the payment
    # cash is the bank's: its running balances reconcile, the card's charges moved none of it
    balances = of(result, CashBalance)
    assert all(b.reconciles for b in balances)
    assert cash(result, "closing") == [(AS_OF, Decimal("3750.00"))]
    # the payment is cash out of the bank (burn), once; the card's side of it moved no cash
    paid = [t for t in txns if t.account == "Liabilities:Card payments and credits"]
    assert [(t.provenance.source, t.cash) for t in paid] == [
        ("bank.csv", True),
        ("amex.csv", False),
    ]


def test_the_plain_american_express_download_is_read_when_named(tmp_path: Path) -> None:
    (tmp_path / "amex.csv").write_text(
        "Date,Description,Amount\n"
        "11/20/2026,AUTOPAY PAYMENT RECEIVED - THANK YOU,-1250.00\n"
        "11/14/2026,WEST MARINE #1234     PORTLAND            ME,425.50\n"
    )
    assert layouts.sniff(Location("amex.csv", tmp_path / "amex.csv"), "ledger") is None
    result = read(tmp_path, "amex.csv", layout="american-express-basic")
    assert messages(result) == [] and result.mappings[0].layout == "american-express-basic"
    got = [(t.account, t.amount.amount, t.cash) for t in of(result, Transaction)]
    assert got == [
        ("Liabilities:Card payments and credits", Decimal("1250.00"), False),
        ("Expenses:Uncategorized", Decimal("425.50"), False),
    ]


def test_xero_receivable_section_keeps_its_own_balance_rows(tmp_path: Path) -> None:
    # The Accounts Receivable section's Opening Balance (line 14: owed before the period) and
    # Closing Balance (line 23, after the section's Total row) are the receivable's, not cash:
    # read as ReceivableBalance rows; the bank's own rows stay its cash opening and assertion.
    from execbrief.records.ledger import ReceivableBalance

    name = "xero-account-transactions-receivables.csv"
    result = read(tmp_path, name, account_types={**XERO_TYPES, "Sales (200)": "income"})
    assert messages(result) == []
    assert result.mappings[0].layout == "xero"
    got = [
        (b.kind, b.account, b.balance.amount, b.date, b.provenance.line)
        for b in of(result, ReceivableBalance)
    ]
    assert got == [
        ("opening", "Accounts Receivable (610)", Decimal("1500.00"), None, 14),
        ("closing", "Accounts Receivable (610)", Decimal("2701.15"), date(2026, 3, 15), 23),
    ]
    receivable = [t for t in of(result, Transaction) if t.account == "Accounts Receivable (610)"]
    # invoices raised (debits) are positive and move no cash; payments (credits) are the cash in
    assert [(t.provenance.line, t.amount.amount, t.cash, t.reference) for t in receivable] == [
        (15, Decimal("-1000.00"), True, "INV-0098"),
        (16, Decimal("1200.00"), False, "INV-0101"),
        (17, Decimal("2250.50"), False, "INV-0102"),
        (18, Decimal("-1200.00"), True, "INV-0101"),
        (19, Decimal("640.25"), False, "INV-0103"),
        (20, Decimal("-1000.00"), True, "INV-0102"),
        (21, Decimal("310.40"), False, "INV-0104"),
    ]
    # 5,000 + 1,000 + 1,200 + 1,000 = 8,200, the bank's own Closing Balance (line 12)
    assert [(b.kind, b.balance.amount) for b in of(result, CashBalance)][:2] == [
        ("opening", Decimal("5000.00")),
        ("assertion", Decimal("8200.00")),
    ]
    assert all(b.reconciles for b in of(result, CashBalance))
