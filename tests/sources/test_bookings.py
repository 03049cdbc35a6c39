"""The bookings source: CSV and JSON Lines, status synonyms, channels, options, privacy, demo data."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pluggy
import pytest

from execbrief import hookspecs, pipeline
from execbrief.config import load_config
from execbrief.errors import ConfigError
from execbrief.plugins import build_registry
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.sources import bookings
from execbrief.sources.bookings import (
    BookingsOptions,
    BookingsSource,
    channel_of,
    customer_ref,
    status_of,
)
from execbrief.values import Money
from kits.files import start_s3
from kits.ops import AS_OF, EXAMPLES, as_json, make_request, messages, one_error, write

HEADER = "id,created,service_date,status,amount,deposit,channel,customer\n"
CSV = (
    HEADER
    + 'BK-1,2026-10-01,2026-10-20,Confirmed,"$1,250.00",300,GetMyBoat,Zebediah Quackenbush\n'
    + 'BK-2,2026-10-02,,inquiry,,,Website,"Ottoline\nFarnsworth"\n'
    + "BK-3,2026-10-03,2026-11-01,Deposit Paid,800,200, direct ,Prudence Vexley\n"
    + "BK-4,2026-10-04,2026-12-01,canceled,500,,phone,\n"
)
PLANTED = [
    "Zebediah",
    "Quackenbush",
    "Ottoline",
    "Farnsworth",
    "Prudence",
    "Vexley",
    "Cornelius",
    "Blatherwick",
]


def collect(root: Path, path: str, **options: object) -> tuple[list[Booking], object]:
    result = BookingsSource().collect(
        make_request(root, "bookings", path, BookingsOptions(**options))
    )
    records = [r for r in result.records if isinstance(r, Booking)]
    assert len(records) == len(result.records)
    return records, result


def test_csv_rows_become_bookings_with_physical_lines(tmp_path: Path) -> None:
    write(tmp_path, "b.csv", CSV)
    records, result = collect(tmp_path, "b.csv")
    assert messages(result) == []  # type: ignore[arg-type]
    assert [b.id for b in records] == ["BK-1", "BK-2", "BK-3", "BK-4"]
    # BK-2's quoted customer spans lines 3-4, so BK-3 sits on physical line 5.
    assert [b.provenance.line for b in records] == [2, 3, 5, 6]
    assert all(b.provenance.source == "b.csv" for b in records)
    first, second, third, fourth = records
    assert first.status is BookingStatus.BOOKED
    assert first.amount == Money(Decimal("1250.00"))
    assert first.deposit == Money(300)
    assert first.channel == "getmyboat"
    assert first.created == date(2026, 10, 1) and first.service_date == date(2026, 10, 20)
    assert second.status is BookingStatus.INQUIRY
    assert second.service_date is None and second.amount is None and second.deposit is None
    assert second.channel == "site"  # the catalogue key: "website" and "direct" are the own site
    assert third.status is BookingStatus.BOOKED and third.channel == "site"
    assert fourth.status is BookingStatus.CANCELLED and fourth.customer_ref is None
    assert result.first_date == date(2026, 10, 1) and result.last_date == date(2026, 10, 4)  # type: ignore[attr-defined]
    assert result.freshness.newest_record == date(2026, 10, 4)  # type: ignore[attr-defined]
    assert result.freshness.age_days == (AS_OF - date(2026, 10, 4)).days  # type: ignore[attr-defined]


def test_an_empty_mapping_leaves_a_json_lines_field_unread(tmp_path: Path) -> None:
    # docs/formats.md: columns = { channel = "" } reads no channel, in JSON Lines as in CSV.
    write(
        tmp_path,
        "b.jsonl",
        '{"id": "SS-1", "created": "2026-10-01", "status": "completed", "source": "Walk-in"}\n',
    )
    (one,), _ = collect(tmp_path, "b.jsonl")
    assert one.channel == "walk-up"
    (unread,), result = collect(tmp_path, "b.jsonl", columns={"channel": ""})
    assert unread.channel == "unknown" and messages(result) == []  # type: ignore[arg-type]
    _, refused = collect(tmp_path, "b.jsonl", columns={"created": " "})
    assert "leaves 'created' unread" in messages(refused)[0]  # type: ignore[arg-type]


def test_jsonl_reads_numbers_strings_and_nulls(tmp_path: Path) -> None:
    write(
        tmp_path,
        "b.jsonl",
        '{"id": "SS-1", "created": "2026-10-01", "service_date": "2026-10-05", "status": "completed",'
        ' "amount": 480.50, "deposit": 100, "channel": "Walk-in", "customer": "Hortensia Pilkington"}\n'
        "\n"
        '{"id": "SS-2", "Created At": "2026-10-02", "status": "Quote Sent", "amount": 1.2e3,'
        ' "deposit": null, "channel": "phone"}\n'
        "not json\n"
        "[1, 2]\n"
        '{"id": "SS-5", "created": "2026-10-03", "amount": 10}\n',
    )
    records, result = collect(tmp_path, "b.jsonl")
    assert [(b.id, b.provenance.line) for b in records] == [("SS-1", 1), ("SS-2", 3)]
    one, two = records
    assert one.status is BookingStatus.COMPLETED
    assert one.amount == Money(Decimal("480.50")) and one.deposit == Money(100)
    assert one.channel == "walk-up"
    assert two.created == date(2026, 10, 2) and two.service_date is None
    assert two.status is BookingStatus.QUOTED and two.amount == Money(1200) and two.deposit is None
    error = one_error(result)
    assert error.rows_skipped == 3 and not error.fatal
    assert error.provenance.line == 4
    assert "line 4: not valid JSON" in error.message
    assert "line 5: expected a JSON object, found list" in error.message
    assert "line 6: no 'status' field" in error.message


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Inquiry", BookingStatus.INQUIRY),
        ("enquiry", BookingStatus.INQUIRY),
        ("NEW LEAD", BookingStatus.INQUIRY),
        ("quote sent", BookingStatus.QUOTED),
        ("Estimate_Sent", BookingStatus.QUOTED),
        ("confirmed", BookingStatus.BOOKED),
        ("Deposit paid", BookingStatus.BOOKED),
        ("deposit-paid", BookingStatus.BOOKED),
        ("Booked", BookingStatus.BOOKED),
        ("done", BookingStatus.COMPLETED),
        ("Completed", BookingStatus.COMPLETED),
        ("canceled", BookingStatus.CANCELLED),
        ("Cancelled", BookingStatus.CANCELLED),
        ("no-show", BookingStatus.CANCELLED),
    ],
)
def test_status_synonyms(word: str, status: BookingStatus) -> None:
    assert status_of(word) is status


def test_unknown_status_names_the_allowed_values() -> None:
    with pytest.raises(
        ValueError,
        match="unknown status 'maybe'; expected one of inquiry, quoted, booked, completed, cancelled",
    ):
        status_of("maybe")
    assert (
        status_of("Paid in full", {"paid in full": BookingStatus.COMPLETED})
        is BookingStatus.COMPLETED
    )


@pytest.mark.parametrize(
    ("written", "channel"),
    [
        ("GetMyBoat", "getmyboat"),
        (" Get My Boat ", "getmyboat"),
        ("Website", "site"),
        ("direct", "site"),
        ("Booking.com", "booking"),
        ("Hotel concierge", "concierge"),
        ("E-mail", "email"),
        ("Walk-In", "walk-up"),
        ("", "unknown"),
        ("Boat  Show", "boat show"),
    ],
)
def test_channels_are_normalised(written: str, channel: str) -> None:
    assert channel_of(written) == channel


def test_bad_cells_are_counted_and_quoted_and_the_rest_read(tmp_path: Path) -> None:
    write(
        tmp_path,
        "b.csv",
        HEADER
        + "BK-1,2026-10-01,2026-10-20,booked,100,,web,A\n"
        + "BK-2,2026-13-01,2026-10-20,booked,100,,web,B\n"
        + "BK-3,2026-10-01,2026-10-20,booked,12x,,web,C\n"
        + "BK-4,2026-10-01,2026-10-20,maybe,100,,web,D\n"
        + "BK-5,2026-10-01,2026-10-20,booked,-5,,web,E\n"
        + "BK-6,2026-10-01,2026-10-20,booked,100,,web,F\n"
        + "BK-7,2026-10-01,2026-10-20,booked,100,,web,G\n"
        + ",2026-10-01,2026-10-20,booked,100,,web,H\n",
    )
    records, result = collect(tmp_path, "b.csv")
    assert [b.id for b in records] == ["BK-1", "BK-6", "BK-7"]
    error = one_error(result)
    assert error.rows_skipped == 5 and not error.fatal and error.provenance.line == 3
    assert error.message.startswith(
        "5 rows skipped: line 3: bad created date '2026-13-01'; expected YYYY-MM-DD"
    )
    assert "line 4: bad amount '12x'" in error.message
    assert "line 5: unknown status 'maybe'" in error.message
    assert "line 6: negative amount '-5'" in error.message
    assert "line 9: empty booking id" in error.message
    assert error.describe().startswith("b.csv:3: ")


def test_options_column_mapping_date_format_currency_and_statuses(tmp_path: Path) -> None:
    write(
        tmp_path,
        "b.csv",
        "Booking Code;Logged;When;Where Are We;Total\n"
        "X-1;01.10.2026;15.10.2026;Paid in full;90,00\n"  # commas are thousands separators
        "X-2;02.10.2026;;Paid in full;1.250\n",
    )
    records, result = collect(
        tmp_path,
        "b.csv",
        columns={
            "id": "Booking Code",
            "created": "Logged",
            "service_date": "When",
            "status": "Where Are We",
        },
        date_format="%d.%m.%Y",
        currency="EUR",
        statuses={"Paid in full": "completed"},
    )
    assert [b.id for b in records] == ["X-1", "X-2"]
    assert records[0].created == date(2026, 10, 1) and records[0].service_date == date(2026, 10, 15)
    assert records[0].status is BookingStatus.COMPLETED
    assert records[0].amount == Money(
        Decimal("9000"), "EUR"
    )  # thousands commas: 90,00 reads as 9000
    assert records[1].amount == Money(Decimal("1.250"), "EUR")
    assert records[0].channel == "unknown"
    assert messages(result) == []  # type: ignore[arg-type]


def test_a_mapping_to_a_missing_header_is_a_clear_error(tmp_path: Path) -> None:
    write(tmp_path, "b.csv", "Ref,Created,Status\nA,2026-10-01,booked\n")
    _, result = collect(tmp_path, "b.csv", columns={"id": "Reff"})
    error = one_error(result)
    assert error.fatal and error.provenance.source == "b.csv"
    assert "has no column 'Reff' (mapped to id)" in error.message
    assert "did you mean 'Ref'?" in error.message


def test_customer_names_stay_private_by_default(tmp_path: Path) -> None:
    write(
        tmp_path,
        "b.csv",
        CSV
        + "BK-9,notadate,2026-10-20,booked,100,,web,Cornelius Blatherwick\n"
        + "BK-10,2026-10-01,2026-10-20,booked,100,,web,Blatherwick, Cornelius\n",
    )
    write(
        tmp_path,
        "b.jsonl",
        '{"id": "J-1", "created": "2026-10-01", "status": "wat", "customer": "Cornelius Blatherwick"}\n'
        '{"id": "J-2", "created": "2026-10-01", "status": "booked", "customer": "Zebediah Quackenbush"}\n',
    )
    result = BookingsSource().collect(
        make_request(tmp_path, "bookings", ["b.csv", "b.jsonl"], BookingsOptions())
    )
    assert len(result.records) == 5
    assert len(result.errors) == 2
    text = as_json(result) + "\n".join(messages(result))
    for name in PLANTED:
        assert name not in text
    refs = {b.customer_ref for b in result.records if isinstance(b, Booking)}
    assert None in refs and len(refs) == 4  # BK-1 and J-2 are one customer; BK-4 has none
    assert all(b.customer_name is None for b in result.records if isinstance(b, Booking))


def test_a_file_without_header_is_named_without_quoting_its_first_row(tmp_path: Path) -> None:
    write(tmp_path, "b.csv", "BK-1,2026-10-01,,booked,100,,web,Cornelius Blatherwick\n")
    error = one_error(collect(tmp_path, "b.csv")[1])
    assert error.describe() == (
        "b.csv:1: has no header line (line 1 looks like data); expected a header naming the columns, "
        "at least id, created, status"
    )
    write(tmp_path, "c.csv", "id,created,stauts\nBK-1,2026-10-01,booked\n")
    assert "did you mean 'stauts'?" in one_error(collect(tmp_path, "c.csv")[1]).message


def test_customer_names_kept_when_the_config_allows(tmp_path: Path) -> None:
    write(tmp_path, "b.csv", CSV)
    request = make_request(
        tmp_path, "bookings", "b.csv", BookingsOptions(), show_customer_names=True
    )
    result = BookingsSource().collect(request)
    names = [b.customer_name for b in result.records if isinstance(b, Booking)]
    assert names == ["Zebediah Quackenbush", "Ottoline\nFarnsworth", "Prudence Vexley", None]


def test_customer_ref_is_keyed_and_ignores_case_and_spacing() -> None:
    assert customer_ref("Ada  Lovelace", b"k1") == customer_ref(" ada lovelace", b"k1")
    assert customer_ref("Ada Lovelace", b"k1") != customer_ref("Ada Lovelace", b"k2")
    assert len(customer_ref("Ada Lovelace", b"k1")) == 12


def test_pipeline_passes_show_customer_names_from_the_config(tmp_path: Path) -> None:
    write(tmp_path, "b.csv", CSV)
    manager = pluggy.PluginManager("execbrief")
    manager.add_hookspecs(hookspecs)
    manager.register(bookings)
    registry = build_registry(manager)
    for allowed, expected in ((True, "Zebediah Quackenbush"), (False, None)):
        write(
            tmp_path,
            "portfolio.toml",
            f'[portfolio]\nname = "T"\nshow_customer_names = {str(allowed).lower()}\n\n'
            '[[entities]]\nid = "acme"\nname = "Acme"\nkind = "charter"\nbookings = "b.csv"\n',
        )
        config = load_config(tmp_path / "portfolio.toml", registry.option_models())
        snapshot = pipeline.collect(config, registry, AS_OF, key=b"k")
        first = snapshot.records(Booking)[0]
        assert first.customer_name == expected
        assert first.customer_ref == customer_ref("Zebediah Quackenbush", b"k")


def demo(path: str, **options: object) -> list[Booking]:
    result = BookingsSource().collect(
        make_request(EXAMPLES, "bookings", path, BookingsOptions(**options))
    )
    assert result.errors == ()
    return [r for r in result.records if isinstance(r, Booking)]


def test_demo_harbor_charters_funnel_breaks_after_august() -> None:
    records = demo("bookings/harbor-charters.csv")
    assert len(records) > 250
    assert [b.id for b in records] == [f"BK-{n}" for n in range(1001, 1001 + len(records))]
    recent = [b for b in records if b.created >= date(2026, 9, 1)]
    earlier = [b for b in records if b.created < date(2026, 9, 1)]
    assert not [b for b in recent if b.status in (BookingStatus.BOOKED, BookingStatus.COMPLETED)]
    # The handoff note's funnel table for the last 60 days: 41 inquiries, 23 quotes, 0 deposits.
    window = [b for b in records if b.created >= AS_OF - timedelta(days=60)]
    assert len(window) == 41
    assert sum(b.status is BookingStatus.QUOTED for b in window) == 23
    assert not [b for b in window if b.deposit is not None]
    won = sum(b.status in (BookingStatus.BOOKED, BookingStatus.COMPLETED) for b in earlier)
    assert won >= 60
    channels = {b.channel for b in records}
    assert {"site", "phone", "getmyboat", "sailo"} <= channels
    future = [
        b
        for b in records
        if b.deposit is not None and b.service_date is not None and b.service_date > AS_OF
    ]
    assert len(future) == 5 and all(b.status is BookingStatus.BOOKED for b in future)


def test_demo_sunset_sails_has_no_ota_channels_and_clean_sweep_reads_us_dates() -> None:
    sunset = demo("bookings/sunset-sails.jsonl")
    assert len(sunset) > 100
    assert {b.channel for b in sunset} == {"site", "phone", "walk-up", "concierge"}
    sweep = demo("bookings/clean-sweep.csv", date_format="%m/%d/%Y")
    assert len(sweep) > 100
    assert sweep[0].id == "J3001" and sweep[0].created == date(2025, 10, 3)
    assert sweep[0].amount == Money(325)


def test_demo_snapshot_json_holds_no_customer_name() -> None:
    files = {
        "bookings/harbor-charters.csv": {},
        "bookings/sunset-sails.jsonl": {},
        "bookings/clean-sweep.csv": {"date_format": "%m/%d/%Y"},
    }
    text = ""
    for path, options in files.items():
        result = BookingsSource().collect(
            make_request(EXAMPLES, "bookings", path, BookingsOptions(**options))
        )
        text += as_json(result)
    names: set[str] = set()
    names |= {
        row["customer"]
        for row in csv.DictReader((EXAMPLES / "bookings/harbor-charters.csv").open())
    }
    names |= {
        row["Customer Name"]
        for row in csv.DictReader((EXAMPLES / "bookings/clean-sweep.csv").open())
    }
    names |= {
        json.loads(line)["customer"] for line in (EXAMPLES / "bookings/sunset-sails.jsonl").open()
    }
    assert len(names) > 200
    assert [name for name in names if name in text] == []


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A moto S3 server with fake credentials (see filekit.start_s3)."""
    yield from start_s3(monkeypatch)


def test_bookings_from_an_s3_prefix(s3: Any) -> None:
    s3.create_bucket(Bucket="ops")
    s3.put_object(Bucket="ops", Key="bookings/a.csv", Body=CSV.encode())
    s3.put_object(
        Bucket="ops",
        Key="bookings/b.jsonl",
        Body=b'{"id": "J-1", "created": "2026-11-02", "status": "won"}\n',
    )
    s3.put_object(Bucket="ops", Key="bookings/notes.md", Body=b"# not a bookings file\n")
    request = make_request(
        Path("/nonexistent"), "bookings", "s3://ops/bookings/", BookingsOptions()
    )
    result = BookingsSource().collect(request)
    assert messages(result) == []
    assert [(b.provenance.source, b.provenance.line) for b in result.records] == [
        ("s3://ops/bookings/a.csv", 2),
        ("s3://ops/bookings/a.csv", 3),
        ("s3://ops/bookings/a.csv", 5),
        ("s3://ops/bookings/a.csv", 6),
        ("s3://ops/bookings/b.jsonl", 1),
    ]
    assert result.freshness.newest_record == date(2026, 11, 2)


def test_a_mapping_of_an_unknown_column_is_a_config_error(tmp_path: Path) -> None:
    manager = pluggy.PluginManager("execbrief")
    manager.add_hookspecs(hookspecs)
    manager.register(bookings)
    registry = build_registry(manager)
    write(
        tmp_path,
        "portfolio.toml",
        '[portfolio]\nname = "T"\n\n[[entities]]\nid = "acme"\nname = "Acme"\nkind = "charter"\n'
        'bookings = { path = "b.csv", columns = { stauts = "Stage" } }\n',
    )
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "portfolio.toml", registry.option_models())
    message = str(caught.value)
    assert "entities[0].bookings.columns" in message
    assert "unknown column 'stauts'; did you mean 'status'?" in message


def test_a_host_fee_column_gives_the_payout_net_of_it(tmp_path: Path) -> None:
    """An export that gives the gross and the host fee but not the net: the payout is gross - fee.
    The cells are tests/data/audit14/airbnb/airbnb_10_2026-10_2026.csv line 3 (an Airbnb
    Transaction history Reservation row: Gross earnings 630.00, Service fee 18.90, Amount 611.10)
    read as columns = { amount = "Gross earnings", host_fee = "Service fee" }."""
    from execbrief.snapshot import Provenance

    options = BookingsOptions(date_format="%m/%d/%Y", statuses={"Reservation": "booked"})
    request = make_request(tmp_path, "bookings", "airbnb.csv", options)
    row = {
        "id": "HMA1B2C3D4",
        "created": "08/20/2026",
        "service_date": "10/02/2026",
        "status": "Reservation",
        "units": "3",
        "amount": "630.00",
        "host_fee": "18.90",
    }
    where = Provenance("airbnb.csv", 3)
    booking, _ = bookings.booking_from_row(row, where, request, options)
    assert booking.amount == Money(Decimal("630.00"), "USD")  # revenue stays the gross earnings
    assert booking.payout == Money(Decimal("611.10"), "USD")  # what Airbnb's Amount says
    assert booking.received() == booking.payout
    stated, _ = bookings.booking_from_row({**row, "payout": "611.10"}, where, request, options)
    assert stated.payout == Money(Decimal("611.10"), "USD")
    plain, _ = bookings.booking_from_row({**row, "host_fee": ""}, where, request, options)
    assert plain.payout is None and plain.received() == plain.amount
    with pytest.raises(ValueError, match=r"host fee \$18.90 is more than the amount \$10"):
        bookings.booking_from_row({**row, "amount": "10.00"}, where, request, options)
