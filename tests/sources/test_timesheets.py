"""The timesheets and invoices sources: exports with aliases, durations, yes/no, terms, demo data."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from execbrief.records.timesheets import Invoice, TimeEntry
from execbrief.sources.timesheets import (
    InvoiceOptions,
    InvoicesSource,
    TimesheetOptions,
    TimesheetsSource,
    hours_of,
    invoice_ref,
)
from execbrief.values import Money
from kits.ops import AS_OF, EXAMPLES, make_request, messages, one_error, write

TIMESHEET = (
    "Date,Client,User,Duration,Billable?,Billable Rate,Invoice #\n"
    "2026-10-01,Acme,Ann,1:30,Yes,150,INV-1\n"
    "2026-10-02,Acme,Ann,2.5,yes,$150.00,\n"
    "2026-10-03,Beta,Bob,01:45:00,no,,\n"
    "2026-10-04,Beta,Bob,3,1,110,no\n"
    "2026-10-05,Beta,Bob,abc,1,110,\n"
    "2026-10-06,Beta,Bob,2,maybe,110,\n"
)

INVOICES = (
    "Invoice No.,Customer,Invoice Date,Due Date,Total,Date Paid\n"
    '1001,Acme,2026-09-01,2026-10-01,"1,500.00",2026-09-20\n'
    "1002,Acme,2026-10-01,,800.00,\n"
    "1003,Beta,2026-10-05,2026-10-01,100,\n"
    "1004,Beta,2026-10-06,2026-11-05,(50.00),\n"
    "1005,Beta,2026-10-07,2026-11-06,100,paid\n"
)


def entries(root: Path, path: str, **options: object) -> tuple[list[TimeEntry], object]:
    result = TimesheetsSource().collect(
        make_request(root, "timesheets", path, TimesheetOptions(**options))
    )
    return [r for r in result.records if isinstance(r, TimeEntry)], result


def invoices(root: Path, path: str, **options: object) -> tuple[list[Invoice], object]:
    result = InvoicesSource().collect(
        make_request(root, "invoices", path, InvoiceOptions(**options))
    )
    return [r for r in result.records if isinstance(r, Invoice)], result


def test_timesheet_export_with_aliases_durations_and_yes_no(tmp_path: Path) -> None:
    write(tmp_path, "t.csv", TIMESHEET)
    records, result = entries(tmp_path, "t.csv")
    assert [(e.date.day, e.client, e.person, e.hours, e.billable) for e in records] == [
        (1, "Acme", "Ann", Decimal("1.50"), True),
        (2, "Acme", "Ann", Decimal("2.5"), True),
        (3, "Beta", "Bob", Decimal("1.75"), False),
        (4, "Beta", "Bob", Decimal("3"), True),
    ]
    assert [e.rate for e in records] == [Money(150), Money(150), None, Money(110)]
    assert [e.invoice for e in records] == ["INV-1", None, None, None]
    assert [e.provenance.line for e in records] == [2, 3, 4, 5]
    unbilled = sum(
        (e.hours * e.rate.amount for e in records if e.billable and not e.invoice and e.rate),
        Decimal(0),
    )
    assert unbilled == Decimal("705")  # 2.5 h x 150 + 3 h x 110
    error = one_error(result)
    assert error.rows_skipped == 2 and error.provenance.line == 6
    assert (
        "line 6: bad hours 'abc'; expected a number like 1.5 or a duration like 1:30"
        in error.message
    )
    assert "line 7: bad billable 'maybe'; expected yes or no" in error.message


def test_default_billable_applies_without_a_billable_column(tmp_path: Path) -> None:
    write(tmp_path, "t.csv", "date,client,hours\n2026-10-01,Acme,2\n")
    assert [e.billable for e in entries(tmp_path, "t.csv")[0]] == [True]
    assert [e.billable for e in entries(tmp_path, "t.csv", default_billable=False)[0]] == [False]
    assert entries(tmp_path, "t.csv")[0][0].person == "unknown"


@pytest.mark.parametrize(
    ("text", "hours"), [("2", "2"), ("0.25", "0.25"), ("0:15", "0.25"), ("10:20:00", "10.33")]
)
def test_hours(text: str, hours: str) -> None:
    assert hours_of(text) == Decimal(hours)


@pytest.mark.parametrize(
    ("text", "ref"), [("INV-7", "INV-7"), ("", None), ("No", None), ("-", None), ("Yes", "Yes")]
)
def test_invoice_reference(text: str, ref: str | None) -> None:
    assert invoice_ref(text) == ref


def test_invoices_with_aliases_terms_credit_notes_and_bad_rows(tmp_path: Path) -> None:
    write(tmp_path, "i.csv", INVOICES)
    records, result = invoices(tmp_path, "i.csv")
    assert [i.number for i in records] == ["1001", "1002", "1004"]
    paid, open_, credit = records
    assert paid.amount == Money(Decimal("1500.00")) and paid.paid_on == date(2026, 9, 20)
    assert open_.due == date(2026, 10, 31) and open_.paid_on is None  # 30 days' terms by default
    assert credit.amount == Money(Decimal("-50.00"))
    error = one_error(result)
    assert error.rows_skipped == 2
    assert "line 4: due date 2026-10-01 is before the issue date 2026-10-05" in error.message
    assert "line 6: bad paid date 'paid'; expected YYYY-MM-DD" in error.message
    assert invoices(tmp_path, "i.csv", terms_days=14)[0][1].due == date(2026, 10, 15)


def test_invoices_missing_amount_column_suggests_the_nearest(tmp_path: Path) -> None:
    write(tmp_path, "i.csv", "number,client,issued,Amont\n1,A,2026-10-01,5\n")
    _, result = invoices(tmp_path, "i.csv")
    error = one_error(result)
    assert error.fatal and error.provenance.line == 1
    assert "has no 'amount' column; did you mean 'Amont'?" in error.message


def test_demo_tidewater_unbilled_work_is_4100() -> None:
    records, result = entries(EXAMPLES, "timesheets/tidewater-labs.csv")
    assert messages(result) == []  # type: ignore[arg-type]
    unbilled = sum(
        (e.hours * e.rate.amount for e in records if e.billable and e.invoice is None and e.rate),
        Decimal(0),
    )
    assert unbilled == Decimal("4100")


def test_demo_tidewater_invoices_agree_with_the_hours_and_age_in_every_bucket() -> None:
    time, _ = entries(EXAMPLES, "timesheets/tidewater-labs.csv")
    issued, result = invoices(EXAMPLES, "invoices/tidewater-labs.csv")
    assert messages(result) == []  # type: ignore[arg-type]
    billed: dict[str, Decimal] = defaultdict(Decimal)
    for entry in time:
        if entry.invoice and entry.rate:
            billed[entry.invoice] += entry.hours * entry.rate.amount
    assert {i.number: i.amount.amount for i in issued} == dict(billed)
    buckets = []
    for invoice in issued:
        late = (AS_OF - invoice.due).days
        if invoice.paid_on is None and late > 0:
            buckets.append(
                "1-30"
                if late <= 30
                else "31-60"
                if late <= 60
                else "61-90"
                if late <= 90
                else "90+"
            )
    assert sorted(buckets) == ["1-30", "31-60", "61-90", "90+"]
    revenue: dict[str, Decimal] = defaultdict(Decimal)
    for invoice in issued:
        revenue[invoice.client] += invoice.amount.amount
    top = max(revenue.values())
    assert top / sum(revenue.values()) > Decimal("0.5")
    assert min(i.issued for i in issued) >= date(2025, 11, 1)
    assert max(i.issued for i in issued) <= AS_OF - timedelta(days=1)


def test_harvest_export_reads_the_person_not_its_employee_flag(tmp_path: Path) -> None:
    # Harvest's detailed export has "First Name", "Last Name" and an "Employee?" yes/no column,
    # which used to be read as the person ("Yes").
    write(
        tmp_path,
        "harvest.csv",
        "Date,Client,Project,Task,Notes,Hours,Billable?,Invoiced?,First Name,Last Name,"
        "Employee?,Billable Rate,Billable Amount,Currency\n"
        "2026-03-05,Gull Rock,Dock survey,Design,,2.5,Yes,No,Ana,Diaz,Yes,110,275,US Dollar - USD\n"
        "2026-03-06,Keel & Co.,Website,Dev,,4,Yes,Yes,Ben,Ode,No,150,600,US Dollar - USD\n",
    )
    found, _ = entries(tmp_path, "harvest.csv")
    assert [(e.person, e.hours, e.billable, e.invoice) for e in found] == [
        ("Ana", Decimal("2.5"), True, None),
        ("Ben", Decimal("4"), True, "Yes"),
    ]


def test_two_time_trackers_each_with_its_own_date_format(tmp_path: Path) -> None:
    # audit14b finding 7: Harvest writes ISO dates, Clockify (a US workspace) %m/%d/%Y; one
    # date_format for both skipped Harvest's 9 rows. [[entities.timesheets]] takes one table per
    # tracker, each with its own options, as [[entities.ledger]] does. The files are the
    # outsider's (tests/data/audit14b), Clockify's dates rewritten as its US setting writes them.
    from shutil import copy

    from execbrief.config import load_config
    from execbrief.plugins import get_registry
    from execbrief.sources.base import SourceRequest
    from execbrief.sources.timesheets import TimesheetsSource

    data = Path(__file__).resolve().parents[1] / "data" / "audit14b" / "ledgerline-consulting"
    harvest = "harvest_time_report_from2026-10-01to2026-11-30.csv"
    copy(data / "harvest" / harvest, tmp_path / harvest)
    clockify = data / "clockify" / "Clockify_Time_Report_Detailed_01_11_2026-30_11_2026.csv"
    us = re.sub(r'"2026-(\d\d)-(\d\d)"', r'"\1/\2/2026"', clockify.read_text())
    (tmp_path / "clockify.csv").write_text(us)
    (tmp_path / "portfolio.toml").write_text(
        '[portfolio]\nname = "T"\nas_of = 2026-12-01\n\n[[entities]]\nid = "ledger-line"\n'
        'name = "Ledgerline"\nkind = "consultancy"\n\n'
        f'[[entities.timesheets]]\npath = "{harvest}"\nlayout = "harvest"\n'
        '[[entities.timesheets]]\npath = "clockify.csv"\nlayout = "clockify"\n'
        'date_format = "%m/%d/%Y"\n'
    )
    config = load_config(tmp_path / "portfolio.toml", get_registry().option_models())
    entity = config.entities[0]
    request = SourceRequest(
        entity=entity,
        spec=entity.sources["timesheets"],
        root=tmp_path,
        as_of=date(2026, 12, 1),
        fingerprint_key=b"k",
    )
    result = TimesheetsSource().collect(request)
    assert messages(result) == []
    found = [r for r in result.records if isinstance(r, TimeEntry)]
    by_file = defaultdict(list)
    for e in found:
        by_file[e.provenance.source].append(e)
    assert len(by_file[harvest]) == 9 and len(by_file["clockify.csv"]) == 3
    assert sorted({e.date for e in by_file["clockify.csv"]}) == [
        date(2026, 11, 10), date(2026, 11, 12), date(2026, 11, 13)
    ]  # fmt: skip
    # billable 36 + 9.5 (Harvest) + 5.75 (Clockify) = 51.25 h; non-billable 3.75 h
    assert sum(e.hours for e in found if e.billable) == Decimal("51.25")
    assert sum(e.hours for e in found if not e.billable) == Decimal("3.75")
    assert [m.layout for m in result.mappings] == ["harvest", "clockify"]
    assert (result.first_date, result.last_date) == (date(2026, 10, 2), date(2026, 11, 26))
