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


def _xml_statement(transactions: str, encoding: str = "UTF-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<?OFX OFXHEADER="200" VERSION="220"?>\n'
        "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>USD</CURDEF>\n"
        "<BANKACCTFROM><BANKID>1</BANKID><ACCTID>99887766</ACCTID><ACCTTYPE>SAVINGS</ACCTTYPE>"
        f"</BANKACCTFROM>\n<BANKTRANLIST>\n{transactions}</BANKTRANLIST>\n"
        "<LEDGERBAL><BALAMT>1000.00</BALAMT><DTASOF>20261031</DTASOF></LEDGERBAL>\n"
        "</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n"
    )


def test_an_xml_statement_in_utf8_with_a_payee_and_entities(tmp_path: Path) -> None:
    """OFX 2.x declares UTF-8 and writes no OFX 1.x ENCODING header (ofxparse then read the
    text as ASCII and refused the file at its first accented letter); a ``PAYEE`` aggregate
    names the counterparty in place of ``NAME``; ``&amp;`` is ``&``; an empty ``MEMO`` is none."""
    text = _xml_statement(
        "<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20261004</DTPOSTED><TRNAMT>-12,50</TRNAMT>"
        "<FITID>a1</FITID><NAME>CAFÉ DU PORT &amp; BAR</NAME><MEMO></MEMO></STMTTRN>\n"
        "<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20261005</DTPOSTED><TRNAMT>-30.00</TRNAMT>"
        "<FITID>a2</FITID><PAYEE><NAME>Harbor Sails</NAME><ADDR1>1 Pier</ADDR1></PAYEE></STMTTRN>\n"
    )
    (tmp_path / "savings.ofx").write_bytes(text.encode("utf-8"))
    result = collect(tmp_path, ["savings.ofx"])
    assert messages(result) == []
    got = [(t.provenance.line, t.amount.amount, t.counterparty, t.memo) for t in txns(result)]
    assert got == [
        (6, Decimal("12.50"), "CAFÉ DU PORT & BAR", "CAFÉ DU PORT & BAR"),  # 12,50: OFX's comma
        (7, Decimal("30.00"), "Harbor Sails", "Harbor Sails"),
    ]
    assert balances(result)[0] == ("assertion", date(2026, 10, 31), Decimal("1000.00"), 9)


def test_each_transaction_cites_its_own_line_and_bad_fields_are_named(tmp_path: Path) -> None:
    """Two lines with one FITID each cite their own ``<STMTTRN>`` (both cited the first before);
    a line with no ``FITID`` or a date that is no date is skipped at its line, named."""
    line = "<STMTTRN><DTPOSTED>{}<TRNAMT>{}{}</STMTTRN>\n"
    body = "".join(
        line.format(day, amount, fitid)
        for day, amount, fitid in (
            ("20261001", "-5.00", "<FITID>same"),
            ("20261002", "-6.00", "<FITID>same"),
            ("20261003", "-7.00", ""),
            ("20261345", "-8.00", "<FITID>x"),
            ("20261004", "1e3", "<FITID>y"),
        )
    )
    text = (FIXTURES / "bank-statement.qfx").read_text()
    start, end = text.index("<STMTTRN>"), text.index("</BANKTRANLIST>")
    (tmp_path / "bank.qfx").write_text(text[:start] + body + text[end:])
    result = collect(tmp_path, ["bank.qfx"])
    assert [(t.provenance.line, t.amount.amount) for t in txns(result)] == [
        (45, Decimal("5.00")),
        (46, Decimal("6.00")),
    ]
    (error,) = result.errors
    assert error.rows_skipped == 3
    assert "line 47: Missing FIT id (FITID, a required field)" in error.describe()
    assert "line 48: Invalid Transaction Date: '20261345'" in error.describe()
    assert "line 49: Invalid Transaction Amount: '1e3'" in error.describe()


def test_a_statement_not_in_its_declared_encoding_is_one_error_at_its_line(
    tmp_path: Path,
) -> None:
    text = _xml_statement(
        "<STMTTRN><DTPOSTED>20261004</DTPOSTED><TRNAMT>-1.00</TRNAMT><FITID>1</FITID>"
        "<NAME>CAF\udcc9</NAME></STMTTRN>\n"
    )
    (tmp_path / "bad.ofx").write_bytes(text.encode("utf-8", "surrogateescape"))
    result = collect(tmp_path, ["bad.ofx"])
    assert [e.describe() for e in result.errors] == [
        "bad.ofx:6: is not valid UTF-8 text, the encoding its header names (byte 0xc9); "
        "expected the bank's or card's OFX, QFX or Quicken download"
    ]
