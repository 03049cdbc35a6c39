"""OFX/QFX statements read by the ledger source (issue 14, item 1): a bank's QFX (OFX 1.02 SGML,
with Intuit's INTU.BID) and a card's OFX 2.2 XML, laid out as the OFX specification and the banks'
Quicken downloads write them (tests/data/layouts/bank-statement.qfx, card-statement.ofx). Each
line is a transaction by the direction of its money, the LEDGERBAL a balance assertion."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

from execbrief.config import Entity, SourceSpec
from execbrief.records.ledger import AccountType, CashBalance, Transaction
from execbrief.snapshot import SourceResult
from execbrief.sources.base import SourceRequest
from execbrief.sources.ledger import LedgerOptions, LedgerSource
from kits.ops import messages

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "layouts"
AS_OF = date(2026, 11, 20)


def collect(tmp_path: Path, names: list[str], options: LedgerOptions | None = None) -> SourceResult:
    for name in names:
        if (FIXTURES / name).exists():
            shutil.copy(FIXTURES / name, tmp_path / name)
    request = SourceRequest(
        entity=Entity(id="acme", name="Acme", kind="other"),
        spec=SourceSpec("ledger", tuple(names), options or LedgerOptions(), "entities[0].ledger"),
        root=tmp_path,
        as_of=AS_OF,
        fingerprint_key=b"k",
    )
    return LedgerSource().collect(request)


def txns(result: SourceResult) -> list[Transaction]:
    return [r for r in result.records if isinstance(r, Transaction)]


def balances(result: SourceResult) -> list[tuple[str, date, Decimal, int | None]]:
    return [
        (b.kind, b.date, b.balance.amount, b.provenance.line)
        for b in result.records
        if isinstance(b, CashBalance)
    ]


def test_a_bank_qfx_reads_its_lines_and_its_ledger_balance(tmp_path: Path) -> None:
    result = collect(tmp_path, ["bank-statement.qfx"])
    assert messages(result) == []
    got = [(t.provenance.line, t.date, t.account, t.amount.amount) for t in txns(result)]
    assert got == [
        (45, date(2026, 10, 1), "Expenses:Uncategorized", Decimal("450.00")),
        (52, date(2026, 10, 2), "Income:Uncategorized", Decimal("620.00")),
        (59, date(2026, 10, 15), "Expenses:Uncategorized", Decimal("200.00")),
        (67, date(2026, 10, 15), "Expenses:Uncategorized", Decimal("310.00")),
        (75, date(2026, 10, 28), "Income:Uncategorized", Decimal("1940.00")),
    ]
    fuel, stripe = txns(result)[3], txns(result)[4]
    assert fuel.memo == "HARBOR FUEL DOCK 10/14 PURCHASE PORTLAND ME"
    assert txns(result)[2].reference == "1041"  # the check number, else the FITID
    assert stripe.reference == "202610280" and stripe.counterparty.startswith("ORIG CO NAME:STRIPE")
    # in 620 + 1,940 = 2,560; out 450 + 200 + 310 = 960
    assert sum(t.amount.amount for t in txns(result) if t.account_type is AccountType.INCOME) == (
        Decimal("2560.00")
    )
    # LEDGERBAL 10,610.00 as of 10/31 is the anchor; nothing moves after it
    assert balances(result) == [
        ("assertion", date(2026, 10, 31), Decimal("10610.00"), 84),
        ("closing", AS_OF, Decimal("10610.00"), None),
    ]


def test_a_card_ofx_charges_are_expenses_and_the_payment_no_income(tmp_path: Path) -> None:
    result = collect(tmp_path, ["card-statement.ofx"])
    assert messages(result) == []
    got = [(t.date, t.account, t.account_type, t.amount.amount) for t in txns(result)]
    assert got == [
        (date(2026, 10, 3), "Expenses:Uncategorized", AccountType.EXPENSE, Decimal("120.00")),
        (
            date(2026, 10, 12),
            "Liabilities:Card payments and credits",
            AccountType.LIABILITY,
            Decimal("500.00"),
        ),
        # 23:00 in New York on 10/30 is the statement's 10/30, not ofxparse's UTC 10/31
        (date(2026, 10, 30), "Expenses:Uncategorized", AccountType.EXPENSE, Decimal("64.25")),
    ]
    assert txns(result)[2].memo == "CASCO BAY LINES FERRY TICKETS"
    # a card's lines move no cash, and its LEDGERBAL (-184.25, what it owes) is no cash balance
    assert not any(t.cash for t in txns(result))
    assert balances(result) == []


def test_a_folder_reads_ofx_beside_csv_and_a_bad_file_is_one_error(tmp_path: Path) -> None:
    folder = tmp_path / "bank"
    folder.mkdir()
    shutil.copy(FIXTURES / "bank-statement.qfx", folder / "bank-statement.qfx")
    (folder / "broken.ofx").write_text("OFXHEADER:100\nDATA:OFXSGML\n\nthis is no statement\n")
    (folder / "picture.qfx").write_bytes(b"\x89PNG\x00\x00\x00")
    (folder / "other.csv").write_text("date,account,amount\n2026-10-05,Expenses:Fuel,30.00\n")
    result = collect(tmp_path, ["bank"])
    assert len(txns(result)) == 6  # the QFX's five and the CSV's one
    assert sorted(e.describe() for e in result.errors) == [
        "bank/broken.ofx: is not a readable OFX/QFX statement (it has no <OFX> element); "
        "expected the bank's or card's OFX, QFX or Quicken download",
        "bank/picture.qfx: is a binary file; expected an OFX or QFX statement (text)",
    ]


def test_a_bad_transaction_is_one_row_error_and_the_rest_is_read(tmp_path: Path) -> None:
    text = (FIXTURES / "bank-statement.qfx").read_text().replace("<TRNAMT>-200.00", "<TRNAMT>2OO")
    (tmp_path / "bank.qfx").write_text(text)
    result = collect(tmp_path, ["bank.qfx"])
    assert [t.provenance.line for t in txns(result)] == [45, 52, 67, 75]
    (error,) = result.errors
    assert not error.fatal and error.rows_skipped == 1
    assert error.describe() == (
        "bank.qfx:59: 1 row skipped: line 59: Invalid Transaction Amount: '2OO'"
    )


def test_a_currency_that_is_no_code_is_one_error_not_a_crash(tmp_path: Path) -> None:
    """Found by the fuzz harness: ``<CURDEF>USD`` followed by a control byte crashed the ledger
    source (``Money`` refuses the code) instead of naming the file."""
    text = (FIXTURES / "bank-statement.qfx").read_text().replace("<CURDEF>USD", "<CURDEF>USD\x7f")
    (tmp_path / "bank.qfx").write_text(text)
    result = collect(tmp_path, ["bank.qfx"])
    assert txns(result) == []
    assert [e.describe() for e in result.errors] == [
        "bank.qfx: has a statement currency (CURDEF) 'USD\\x7f' that is not a three-letter "
        "code; expected one such as USD in the bank's download"
    ]


def test_unclosed_transactions_are_refused_before_ofxparse_nests_them(tmp_path: Path) -> None:
    """Found by the fuzz harness: 1,000 ``<STMTTRN>`` never closed (in a file that closes some)
    made ofxparse nest each in the one before and search every nest (5 s at 40 KB)."""
    text = (FIXTURES / "bank-statement.qfx").read_text()
    at = text.index("<STMTTRN>")
    text = text[:at] + "<STMTTRN>\n<TRNTYPE>CREDIT\n" * 1_000 + text[at:]
    (tmp_path / "bank.qfx").write_text(text)
    result = collect(tmp_path, ["bank.qfx"])
    assert txns(result) == []
    [error] = result.errors
    assert "has 1,005 <STMTTRN> tags but 5 </STMTTRN>" in error.message, error.message
