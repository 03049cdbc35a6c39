"""The layout catalogue (issue 14, item 1): each fixture in tests/data/layouts/ is laid out as the
tool exports it (header, title and summary rows, trailing commas, date and sign conventions; the
source of each is in ``sources/layouts.py``), is recognised from its header with no mapping, and
reads to figures worked by hand."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from execbrief.config import Entity, SourceSpec
from execbrief.records.bookings import Booking
from execbrief.records.ledger import CashBalance, Transaction
from execbrief.records.subscribers import SubscriberCounts
from execbrief.records.timesheets import TimeEntry
from execbrief.snapshot import SourceResult
from execbrief.sources import layouts
from execbrief.sources.base import SourceRequest
from execbrief.sources.bookings import BookingsOptions, BookingsSource
from execbrief.sources.ledger import LedgerOptions, LedgerSource
from execbrief.sources.subscribers import SubscribersOptions, SubscribersSource
from execbrief.sources.timesheets import TimesheetOptions, TimesheetsSource
from execbrief.values import Money
from kits.ops import messages

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "layouts"
AS_OF = date(2026, 11, 20)


def collect(tmp_path: Path, source: object, kind: str, names: list[str], options: object,
            entity_kind: str = "other") -> SourceResult:  # fmt: skip
    for name in names:
        shutil.copy(FIXTURES / name, tmp_path / name)
    request = SourceRequest(
        entity=Entity(id="acme", name="Acme", kind=entity_kind),
        spec=SourceSpec(kind, tuple(names), options, f"entities[0].{kind}"),  # type: ignore[arg-type]
        root=tmp_path,
        as_of=AS_OF,
        fingerprint_key=b"k",
    )
    return source.collect(request)  # type: ignore[attr-defined,no-any-return]


def of(result: SourceResult, kind: type) -> list:
    return [r for r in result.records if isinstance(r, kind)]


def test_chase_newest_first_running_balance_is_the_cash_position(tmp_path: Path) -> None:
    result = collect(tmp_path, LedgerSource(), "ledger", ["chase-checking.csv"], LedgerOptions())
    assert messages(result) == []
    assert result.mappings[0].layout == "chase"
    assert ("Details" in result.mappings[0].ignored) and ("Type" not in result.mappings[0].ignored)
    txns = of(result, Transaction)
    # money in: 620 + 1,940 = 2,560; money out: 450 + 200 + 310 + 600 = 1,560
    assert sum(t.amount.amount for t in txns if t.account_type == "income") == Decimal("2560.00")
    assert sum(t.amount.amount for t in txns if t.account_type == "expense") == Decimal("1560.00")
    balances = of(result, CashBalance)
    asserted = [(b.date, b.balance.amount) for b in balances if b.kind == "assertion"]
    # one per date, the day's last balance: 10-15 closes at 9,110 (the fuel after the check)
    assert asserted == [
        (date(2026, 10, 1), Decimal("9000.00")),
        (date(2026, 10, 2), Decimal("9620.00")),
        (date(2026, 10, 15), Decimal("9110.00")),
        (date(2026, 10, 28), Decimal("11050.00")),
        (date(2026, 10, 30), Decimal("10450.00")),
    ]
    assert all(b.reconciles for b in balances)
    closing = [b for b in balances if b.kind == "closing"]
    assert closing[0].balance == Money(Decimal("10450.00"))  # 9,000 + 2,560 - 1,560 + 450


def test_bank_of_america_summary_block_and_oldest_first_balances(tmp_path: Path) -> None:
    result = collect(tmp_path, LedgerSource(), "ledger", ["bank-of-america.csv"], LedgerOptions())
    assert messages(result) == []
    assert result.mappings[0].layout == "bank-of-america"
    assert result.mappings[0].header_line == 7  # after the summary block and a blank line
    balances = of(result, CashBalance)
    assert [(b.kind, b.date, b.balance.amount) for b in balances if b.kind != "assertion"] == [
        ("opening", date(2026, 10, 1), Decimal("5000.00")),
        ("closing", AS_OF, Decimal("5450.00")),  # 5,000 + 1,200 - 250 - 500
    ]
    assert [b.balance.amount for b in balances if b.kind == "assertion"] == [
        Decimal("6200.00"),
        Decimal("5950.00"),
        Decimal("5450.00"),
    ]
    assert all(b.reconciles for b in balances)


def test_toggl_is_recognised_rate_derived_invoice_unknown(tmp_path: Path) -> None:
    result = collect(
        tmp_path, TimesheetsSource(), "timesheets", ["toggl-detailed.csv"], TimesheetOptions()
    )
    assert messages(result) == []
    mapping = result.mappings[0]
    assert mapping.layout == "toggl"
    assert dict(mapping.fields)["date"] == "Start date"
    assert dict(mapping.fields)["amount"] == "Amount (USD)"
    assert "rate = amount ÷ hours (the export has no rate column)" in mapping.notes
    entries = of(result, TimeEntry)
    # 450 / 3 = 150; 375 / 2.5 = 150; 480 / 4 = 120; 120 / 1 = 120
    assert [e.rate.amount if e.rate else None for e in entries] == [
        Decimal("150.00"), Decimal("150.00"), Decimal("120.00"), Decimal("120.00"), None,
    ]  # fmt: skip
    assert [e.person for e in entries][:3] == ["Ann Lee", "Ann Lee", "Bo Chan"]
    assert not any(e.invoice_known for e in entries)


def test_clockify_and_harvest(tmp_path: Path) -> None:
    clock = collect(
        tmp_path, TimesheetsSource(), "timesheets", ["clockify-detailed.csv"],
        TimesheetOptions(date_format="%m/%d/%Y"),
    )  # fmt: skip
    assert messages(clock) == [] and clock.mappings[0].layout == "clockify"
    entries = of(clock, TimeEntry)
    assert [(e.hours, e.rate, e.billable) for e in entries] == [
        (Decimal("2.50"), Money(Decimal("120.00")), True),
        (Decimal("1.00"), Money(Decimal("120.00")), False),
    ]
    harvest = collect(
        tmp_path, TimesheetsSource(), "timesheets", ["harvest-detailed-time.csv"],
        TimesheetOptions(),
    )  # fmt: skip
    assert messages(harvest) == [] and harvest.mappings[0].layout == "harvest"
    rows = of(harvest, TimeEntry)
    assert [(e.person, e.invoice, e.invoice_known) for e in rows] == [
        ("Ann", "Yes", True),
        ("Ann", None, True),
        ("Bo", None, True),
    ]


def test_google_forms_needs_no_mapping(tmp_path: Path) -> None:
    result = collect(
        tmp_path, BookingsSource(), "bookings", ["google-forms-responses.csv"],
        BookingsOptions(date_format={"service_date": "%m/%d/%Y"}), "charter",
    )  # fmt: skip
    assert messages(result) == []
    mapping = result.mappings[0]
    assert mapping.layout == "google-forms"
    assert mapping.fields[0] == ("id", "(row number)")
    assert "Party size" in mapping.ignored
    assert any("'Party size' is a headcount" in note for note in mapping.notes)
    found = of(result, Booking)
    assert [(b.id, b.created, b.units, b.channel) for b in found] == [
        ("row 2", date(2025, 11, 3), 1, "referral"),
        ("row 3", date(2025, 11, 4), 1, "google_business"),
        ("row 4", date(2025, 11, 15), 1, "referral"),
    ]


def test_an_empty_mapping_leaves_a_column_unread(tmp_path: Path) -> None:
    # docs/formats.md: columns = { channel = "" } reads no channel, not even from a header its
    # aliases name (Google Forms' "How did you hear about us?"); every row's channel is unknown.
    result = collect(
        tmp_path, BookingsSource(), "bookings", ["google-forms-responses.csv"],
        BookingsOptions(date_format={"service_date": "%m/%d/%Y"}, columns={"channel": ""}),
        "charter",
    )  # fmt: skip
    assert messages(result) == []
    mapping = result.mappings[0]
    assert "channel" not in dict(mapping.fields)
    assert "How did you hear about us?" in mapping.ignored
    assert {b.channel for b in of(result, Booking)} == {"unknown"}


def test_a_required_column_cannot_be_left_unread(tmp_path: Path) -> None:
    result = collect(
        tmp_path, BookingsSource(), "bookings", ["google-forms-responses.csv"],
        BookingsOptions(date_format={"service_date": "%m/%d/%Y"}, columns={"status": ""}),
        "charter",
    )  # fmt: skip
    said = messages(result)
    assert len(said) == 1 and not of(result, Booking)
    assert "leaves 'status' unread (status = \"\")" in said[0] and "needs it" in said[0]


def test_mailchimp_per_status_files_and_klaviyo_consent(tmp_path: Path) -> None:
    result = collect(
        tmp_path, SubscribersSource(), "subscribers",
        ["mailchimp-subscribed.csv", "mailchimp-unsubscribed.csv", "klaviyo-profiles.csv"],
        SubscribersOptions(),
    )  # fmt: skip
    assert messages(result) == []
    assert [m.layout for m in result.mappings] == ["mailchimp", "mailchimp", "klaviyo"]
    counts = of(result, SubscriberCounts)
    assert [(c.unique, c.opted_in) for c in counts] == [(3, 3), (1, 0), (3, 1)]


def test_a_named_layout_must_be_one_of_the_source(tmp_path: Path) -> None:
    assert layouts.check("chase", "ledger") == "chase"
    with pytest.raises(ValidationError, match="layout 'chase' is a ledger export"):
        TimesheetOptions(layout="chase")
    with pytest.raises(ValidationError, match="unknown layout 'chaise'"):
        LedgerOptions(layout="chaise")


def test_running_balances_keep_the_days_last_balance_either_way() -> None:
    rows = [(2, date(2026, 1, 1), Decimal(1)), (3, date(2026, 1, 1), Decimal(2)),
            (4, date(2026, 1, 2), Decimal(3))]  # fmt: skip
    assert layouts.running_balances(rows) == [rows[1], rows[2]]
    newest = [(2, date(2026, 1, 2), Decimal(3)), (3, date(2026, 1, 1), Decimal(2)),
              (4, date(2026, 1, 1), Decimal(1))]  # fmt: skip
    assert layouts.running_balances(newest) == [newest[1], newest[0]]
