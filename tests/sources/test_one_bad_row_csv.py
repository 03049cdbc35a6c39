"""One bad line of a CSV table or a note is its own error and the rest of the file is read
(issue 17 audit, items 3 and 8): a quote left open, a line of invalid UTF-8, a line of a
megabyte. The ledger rows are the shape of execbrief's own CSV ledger (docs/formats.md, *Ledger*:
date, account, amount, memo, counterparty, reference, type), as the audit's cases wrote them; the
bookings rows are the shape tests/sources/test_ops_bad_input.py reads for every table source."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from test_ops_bad_input import KINDS, SOURCES, run

from execbrief.records.handoff import Fact
from execbrief.records.ledger import CashBalance, Transaction
from execbrief.snapshot import SourceResult
from execbrief.sources.handoff import HandoffSource
from execbrief.sources.ledger import LedgerOptions, LedgerSource
from execbrief.values import Money
from kits.files import request, write
from kits.ops import messages, one_error

HEADER = "date,account,amount,memo,counterparty,reference,type\n"
OPENING = "2026-01-01,Assets:Checking,20000.00,Opening balance,,,opening\n"
STRAY = '2026-01-03,Expenses:Fuel,12.00,"Fuel 6 pump,Shell,,\n'  # the audit's row 3


def job(day: int) -> str:
    return f"2026-{1 + day // 28 % 10:02d}-{1 + day % 28:02d},Income:Hauling,250.00,Job {day},Client,,\n"


def ledger(tmp_path: Path, text: str | bytes) -> SourceResult:
    write(tmp_path, "mule.csv", text)
    return LedgerSource().collect(request(tmp_path, "mule.csv", LedgerOptions()))


def income(result: SourceResult) -> Decimal:
    return sum(
        (
            -r.amount.amount if r.amount.amount < 0 else r.amount.amount
            for r in result.records
            if isinstance(r, Transaction) and r.account.startswith("Income")
        ),
        Decimal(0),
    )


def lines_of(result: SourceResult) -> list[int]:
    return sorted(
        r.provenance.line or 0
        for r in result.records
        if isinstance(r, Transaction | CashBalance) and r.provenance.line
    )


@pytest.mark.parametrize("after", [600, 3])  # ledger-quote-year; ledger-quote-open
def test_an_unclosed_quote_is_one_row_error_and_the_rows_after_it_are_read(
    tmp_path: Path, after: int
) -> None:
    result = ledger(tmp_path, HEADER + OPENING + STRAY + "".join(job(d) for d in range(after)))
    assert lines_of(result) == [2, *range(4, 4 + after)]
    assert income(result) == Decimal(250) * after
    error = one_error(result)
    assert not error.fatal and error.rows_skipped == 1 and error.provenance.line == 3
    end = "within 20 lines" if after > 20 else "before the end of the file"
    assert f"line 3: a quoted cell opens on this line and is not closed {end}" in error.message


def test_a_stray_quote_closed_by_a_later_quoted_cell_loses_only_its_own_row(
    tmp_path: Path,
) -> None:
    later = '2026-02-01,Income:Hauling,250.00,"Move, two rooms",Client,,\n'
    rows = HEADER + OPENING + STRAY + job(1) + job(2) + later + job(3)
    result = ledger(tmp_path, rows)
    assert lines_of(result) == [2, 4, 5, 6, 7]
    assert one_error(result).provenance.line == 3


def test_a_quoted_cell_over_a_few_lines_still_reads(tmp_path: Path) -> None:
    # Amex's "Extended Details" and an address cell run over lines in real exports
    cell = '"Fuel\nMERCHANT ADDRESS\nPORTLAND, OR"'
    result = ledger(
        tmp_path, HEADER + OPENING + f"2026-01-03,Expenses:Fuel,12.00,{cell},Shell,,\n" + job(1)
    )
    assert not result.errors, messages(result)
    assert lines_of(result) == [2, 3, 6]
    memos = [r.memo for r in result.records if isinstance(r, Transaction)]
    assert "Fuel\nMERCHANT ADDRESS\nPORTLAND, OR" in memos


#: Five good rows per table source, in the shape test_ops_bad_input reads (SOURCES).
ROWS = {
    "bookings": [f"B{n},2026-10-0{n},booked" for n in range(1, 6)],
    "timesheets": [f"2026-10-0{n},Acme,2" for n in range(1, 6)],
    "invoices": [f"{n},Acme,2026-10-0{n},100" for n in range(1, 6)],
    "trips": [f"T{n},2026-10-0{n},A,B,10,100" for n in range(1, 6)],
    "subscribers": [f"a{n}@example.com" for n in range(1, 6)],
}


@pytest.mark.parametrize("kind", KINDS)
def test_every_table_source_reads_past_an_unclosed_quote(tmp_path: Path, kind: str) -> None:
    header = SOURCES[kind][2]
    first, *rest = ROWS[kind]
    cells = first.split(",")
    broken = ",".join([*cells[:-1], '"' + cells[-1]])
    write(tmp_path, "x.csv", "\n".join([header, broken, *rest]) + "\n")
    result = run(tmp_path, kind)
    error = one_error(result)
    assert not error.fatal and error.provenance.line == 2
    assert "a quoted cell opens on this line and is not closed" in error.message
    if kind == "subscribers":  # one count record over the rows read
        assert [r.rows for r in result.records] == [4]  # type: ignore[attr-defined]
    else:
        assert sorted(r.provenance.line for r in result.records) == [3, 4, 5, 6]


def test_a_line_of_invalid_utf8_is_a_row_error(tmp_path: Path) -> None:
    bad = job(6).encode().replace(b"Job", b"Caf\xe9")
    result = ledger(tmp_path, (HEADER + OPENING + job(1)).encode() + bad + job(7).encode())
    assert lines_of(result) == [2, 3, 5]
    error = one_error(result)
    assert not error.fatal and error.provenance.line == 4
    assert "line 4: not valid UTF-8 (byte 0xe9 at column" in error.message


def test_a_megabyte_memo_line_is_a_row_error(tmp_path: Path) -> None:
    long_row = "2026-01-05,Expenses:Fuel,5.00," + "x" * 1_100_000 + ",Shell,,\n"
    result = ledger(tmp_path, HEADER + OPENING + job(1) + long_row + job(2) + job(3))
    assert lines_of(result) == [2, 3, 5, 6]
    error = one_error(result)
    assert not error.fatal and error.provenance.line == 4
    assert "line 4: longer than 1024 KB" in error.message


def note(tmp_path: Path, text: str | bytes) -> tuple[dict[str, Fact], list[str]]:
    write(tmp_path, "mule.md", text)
    result = HandoffSource().collect(request(tmp_path, "mule.md", kind="handoff"))
    facts = {r.key: r for r in result.records if isinstance(r, Fact)}
    return facts, messages(result)


def test_a_900_kb_note_line_is_left_out_and_the_lines_after_it_read(tmp_path: Path) -> None:
    text = "# Kite\n## Money\nCash on hand: $9,100\nRevenue: " + "9" * 900_000 + "\n"
    facts, problems = note(tmp_path, text + "Monthly burn: $3,000\n")
    assert facts["burn"].value == Money(Decimal(3000))
    assert facts["burn"].provenance.line == 5
    assert facts["cash"].value == Money(Decimal(9100))
    assert "revenue" not in facts
    assert problems == [
        "mule.md:4: the line is longer than 64 KB; it is left out and the rest of the note "
        "read; expected a text file with normal lines"
    ]


def test_a_note_line_of_invalid_utf8_is_left_out_and_the_rest_read(tmp_path: Path) -> None:
    text = b"# Mule\nCash on hand: $9,100\n\xff bad\nMonthly burn: $3,000\n"
    facts, problems = note(tmp_path, text)
    assert set(facts) >= {"cash", "burn"}
    assert facts["burn"].provenance.line == 4
    assert len(problems) == 1 and problems[0].startswith(
        "mule.md:3: the line is not valid UTF-8 (byte 0xff at column 1); it is left out"
    )


@pytest.mark.parametrize("day", ["0001-01-01", "1000-01-01", "1899-12-31", "9999-12-31"])
def test_a_ledger_date_outside_1900_to_2999_is_a_row_error(tmp_path: Path, day: str) -> None:
    # the audit's ledger-date-0001-01-01: one such row made the analyses walk 2,000 years
    odd = f"{day},Expenses:Fuel,5.00,x,x,,\n"
    result = ledger(tmp_path, HEADER + OPENING + job(1) + odd + job(2))
    assert lines_of(result) == [2, 3, 5]
    error = one_error(result)
    assert not error.fatal and error.provenance.line == 4
    assert f"line 4: date '{day}' is outside the years 1900 to 2999" in error.message


def test_the_first_and_last_days_of_the_range_are_read(tmp_path: Path) -> None:
    rows = "1900-01-01,Expenses:Fuel,5.00,x,x,,\n2999-12-31,Expenses:Fuel,5.00,x,x,,\n"
    result = ledger(tmp_path, HEADER + OPENING + rows)
    assert not [e for e in result.errors if e.rows_skipped], messages(result)
    assert lines_of(result) == [2, 3, 4]


def test_two_negative_income_rows_are_a_warning_naming_them(tmp_path: Path) -> None:
    # the audit's neg-income-2rows: too few rows for the sign refusal (3), read as Revenue -$3,000
    rows = (
        "2026-09-01,Assets:Checking,9000.00,Opening balance,,,opening\n"
        "2026-10-02,Income:Hauling,-3000.00,Jobs,Various,,\n"
        "2026-10-15,Expenses:Fuel,800.00,Fuel,Shell,,\n"
        "2026-11-02,Income:Hauling,-3200.00,Jobs,Various,,\n"
    )
    result = ledger(tmp_path, HEADER + rows)
    assert lines_of(result) == [2, 3, 4, 5]
    error = one_error(result)
    assert not error.fatal and error.provenance.line == 3
    assert error.message.startswith(
        "its income sums to -6,200.00, below zero: the income rows on lines 3, 5 are negative"
    )
    assert 'set sign = "debit"' in error.message


def test_lines_of_one_plan_are_each_counted_and_summed_in_the_sign_check(tmp_path: Path) -> None:
    # many lines share a plan (their amount, account and type cells): each is counted once,
    # negative income is added up with the rest and its lines quoted in file order
    rows = "2026-09-01,Assets:Checking,9000.00,Opening balance,,,opening\n"
    rows += "2026-10-02,Income:Hauling,-30.10,Jobs,Various,,\n" * 7
    rows += "2026-10-03,Income:Hauling,20.05,Jobs,Various,,\n" * 10
    rows += "2026-10-04,Expenses:Fuel,8.00,Fuel,Shell,,\n" * 3
    rows += "2026-10-05,Income:Hauling,-30.10,Jobs,Various,,\n"
    result = ledger(tmp_path, HEADER + rows)
    error = one_error(result)
    assert not error.fatal and error.provenance.line == 3
    assert error.message.startswith(
        "its income sums to -40.30, below zero: the income rows on lines 3, 4, 5, 6, 7 "
        "(and 3 more) are negative"
    )


def test_a_refund_among_sales_is_no_warning(tmp_path: Path) -> None:
    refund = "2026-10-03,Income:Hauling,-250.00,Refund job 1,Client,,\n"
    result = ledger(tmp_path, HEADER + OPENING + job(1) + refund + job(2))
    assert not result.errors, messages(result)


def test_rows_without_row_errors_still_fail_on_a_bad_line(tmp_path: Path) -> None:
    from execbrief.sources.files import Column, CsvTable, Location, ReadError

    path = write(tmp_path, "x.csv", b"date,amount\n2026-01-02,5\n2026-01-03,caf\xe9\n")
    table = CsvTable(Location("x.csv", path), [Column("date"), Column("amount")])
    with pytest.raises(ReadError, match="not valid UTF-8"):
        list(table.rows())
