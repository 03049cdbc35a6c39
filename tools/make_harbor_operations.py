"""Write the demo portfolio's operational data files, deterministically.

Run from the repository root::

    python tools/make_harbor_operations.py

It (re)writes, under ``src/execbrief/examples/harbor/``:

- ``bookings/harbor-charters.csv``: ~260 charters 2025-10..2026-11 across direct and OTA channels,
  ids ``BK-1001`` upwards in order of creation. The funnel is broken since 2026-09-01: inquiries
  and quotes keep coming and none converts to a booking; the last 60 days hold exactly the handoff
  note's 41 inquiries, 23 quotes and no deposit. A handful of bookings made in summer 2026 took deposits for charters in 2026-12..2027-04.
- ``bookings/sunset-sails.jsonl``: ~130 charters, direct channels only (no OTA), a healthy funnel.
- ``bookings/clean-sweep.csv``: ~110 hauling jobs in a job-tracker export layout (aliased headers).
- ``timesheets/tidewater-labs.csv`` and ``invoices/tidewater-labs.csv``: a consultancy's hours and
  the invoices billed from them; exactly $4,100.00 of billable hours carry no invoice reference;
  four invoices are overdue on 2026-11-20, one in each aging bucket (1-30, 31-60, 61-90, 90+ days);
  one client earns more than half of the revenue.
- ``trips/blue-passage.csv``: a dozen yacht deliveries.
- ``subscribers/harbor-list.csv``: a Mailchimp-style export with exactly 3,676 unique addresses
  (case-insensitive, trimmed), some repeated in other letter case, a few malformed, some not opted in.
  Every address is synthetic, at ``example.com``/``example.org``/``example.net`` or ``*.test``.

The output depends only on the fixed seeds below: the same script writes the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import random
from collections import Counter
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "execbrief" / "examples" / "harbor"
AS_OF = date(2026, 11, 20)
START = date(2025, 10, 1)
BROKEN_FROM = date(2026, 9, 1)

FIRST = [
    "Avery",
    "Blake",
    "Casey",
    "Dorian",
    "Emerson",
    "Finley",
    "Gray",
    "Harper",
    "Indigo",
    "Juniper",
    "Kai",
    "Logan",
    "Morgan",
    "Noel",
    "Oakley",
    "Parker",
    "Quinn",
    "Reese",
    "Sage",
    "Taylor",
    "Umber",
    "Vale",
    "Wren",
    "Yael",
    "Zion",
]
LAST = [
    "Abernathy",
    "Bellweather",
    "Calloway",
    "Dunmore",
    "Eastwick",
    "Fairbanks",
    "Galloway",
    "Hartwell",
    "Ivers",
    "Jessup",
    "Kettering",
    "Lockridge",
    "Merriweather",
    "Northcott",
    "Ormsby",
    "Pendleton",
    "Quartermaine",
    "Rutherford",
    "Stanhope",
    "Thistlewood",
    "Underhill",
    "Vandermeer",
    "Wolverton",
    "Yardley",
]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _season_weight(day: date) -> float:
    """More charter inquiries in late spring and summer."""
    return {
        1: 0.4,
        2: 0.5,
        3: 0.8,
        4: 1.1,
        5: 1.5,
        6: 1.9,
        7: 2.0,
        8: 1.8,
        9: 1.2,
        10: 0.9,
        11: 0.6,
        12: 0.5,
    }[day.month]


def _customer(rng: random.Random) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _round10(value: float) -> Decimal:
    return Decimal(round(value / 10.0) * 10)


def _funnel(
    rng: random.Random,
    created: date,
    service: date,
    quote_rate: float,
    book_rate: float,
    broken: bool,
) -> str:
    """Where one lead ended up, as of AS_OF."""
    age = (AS_OF - created).days
    if rng.random() > quote_rate or age < 2:
        return "inquiry"
    if broken or rng.random() > book_rate or age < 5:
        return "quoted"
    if rng.random() < 0.08:
        return "cancelled"
    return "completed" if service < AS_OF else "booked"


def _harbor_broken_funnel() -> list[tuple[date, date, str, str, Decimal]]:
    """Private-charter leads since 2026-09-01, by email (website) and phone, none converting.

    The 60 days before AS_OF (2026-09-21..11-19) hold exactly what the handoff note's funnel
    table says: 41 inquiries, 23 of them quoted, no deposit; 2026-09-01..20 adds 6 more (4 quoted).
    """
    rng = random.Random(41)
    out = []
    for first, last, leads, quoted in (
        (date(2026, 9, 1), date(2026, 9, 20), 6, 4),
        (AS_OF - timedelta(days=60), AS_OF - timedelta(days=1), 41, 23),
    ):
        span = (last - first).days
        days = sorted(first + timedelta(days=rng.randint(0, span)) for _ in range(leads))
        chosen = set(rng.sample(range(leads), quoted))
        for index, day in enumerate(days):
            service = day + timedelta(days=rng.randint(10, 75))
            channel = rng.choices(["website", "phone"], [60, 40])[0]
            amount = Decimal(rng.choice([4, 6, 8]) * rng.choice([185, 210, 240]))
            out.append((day, service, channel, "quoted" if index in chosen else "inquiry", amount))
    return out


def harbor_charters() -> list[list[str]]:
    """Harbor Charters: direct and OTA channels; quotes stop converting from 2026-09."""
    rng = random.Random(1042)
    channels = [("website", 30), ("phone", 18), ("getmyboat", 24), ("sailo", 14), ("boatsetter", 8)]
    leads: list[tuple[date, date, str, str, Decimal]] = []
    for day in _days(START, AS_OF - timedelta(days=1)):
        n = sum(rng.random() < 0.3 * _season_weight(day) for _ in range(2))
        if day >= BROKEN_FROM:
            n += int(rng.random() < 0.5)  # inquiries keep coming in
        for _ in range(n):
            service = day + timedelta(days=rng.randint(6, 75))
            channel = rng.choices([c for c, _ in channels], [w for _, w in channels])[0]
            hours = rng.choice([2, 3, 4, 6, 8])
            amount = Decimal(hours * rng.choice([165, 185, 210, 240]))
            status = _funnel(rng, day, service, 0.78, 0.55, broken=day >= BROKEN_FROM)
            if day < BROKEN_FROM:  # later leads are drawn (to keep the sequence) but replaced below
                leads.append((day, service, channel, status, amount))
    leads.extend(_harbor_broken_funnel())
    # Deposits taken in summer 2026 for charters after the as_of date (the ledger books them as income).
    for created, service, channel, amount in [
        (date(2026, 6, 14), date(2026, 12, 12), "website", Decimal(1440)),
        (date(2026, 7, 2), date(2026, 12, 31), "phone", Decimal(1920)),
        (date(2026, 7, 19), date(2027, 2, 14), "website", Decimal(840)),
        (date(2026, 8, 3), date(2027, 3, 21), "getmyboat", Decimal(1260)),
        (date(2026, 8, 22), date(2027, 4, 10), "phone", Decimal(1680)),
    ]:
        leads.append((created, service, channel, "booked", amount))
    leads.sort(key=lambda lead: (lead[0], lead[1], lead[2], lead[4]))
    labels = {
        "inquiry": ["Inquiry", "inquiry", "New inquiry"],
        "quoted": ["Quoted", "Quote sent", "quoted"],
        "booked": ["Confirmed", "Deposit Paid", "Booked"],
        "completed": ["Completed", "completed"],
        "cancelled": ["Canceled", "Cancelled"],
    }
    channel_labels = {
        "website": ["Website", "website", "Direct - Website"],
        "phone": ["Phone", "phone"],
        "getmyboat": ["GetMyBoat", "getmyboat"],
        "sailo": ["Sailo"],
        "boatsetter": ["Boatsetter"],
    }
    rows = []
    for number, (created, service, channel, status, amount) in enumerate(leads, start=1001):
        deposit = ""
        if status in ("booked", "completed"):
            deposit = _money(_round10(float(amount) * 0.3))
        shown_amount = "" if status == "inquiry" else _money(amount)
        channel_label = rng.choice(channel_labels[channel])
        if channel_label == "Direct - Website":
            channel_label = "Website"
        rows.append(
            [
                f"BK-{number}",
                created.isoformat(),
                service.isoformat(),
                rng.choice(labels[status]),
                shown_amount,
                deposit,
                channel_label,
                _customer(rng),
            ]
        )
    return rows


def sunset_sails() -> list[dict[str, object]]:
    """Sunset Sail Co.: direct channels only (website form, phone, walk-ups, hotel concierges), a
    funnel that works."""
    rng = random.Random(2024)
    channels = [("website", 45), ("phone", 25), ("walk-up", 15), ("concierge", 15)]
    out = []
    leads = []
    for day in _days(START, AS_OF - timedelta(days=1)):
        if rng.random() < 0.32 * _season_weight(day):
            service = day + timedelta(days=rng.randint(3, 45))
            channel = rng.choices([c for c, _ in channels], [w for _, w in channels])[0]
            amount = Decimal(rng.choice([95, 120, 145]) * rng.choice([2, 4, 6]))
            status = _funnel(rng, day, service, 0.85, 0.7, broken=False)
            leads.append((day, service, channel, status, amount))
    for number, (created, service, channel, status, amount) in enumerate(leads, start=2001):
        record: dict[str, object] = {
            "id": f"SS-{number}",
            "created": created.isoformat(),
            "service_date": service.isoformat(),
            "status": status,
            "amount": None if status == "inquiry" else int(amount),
            "deposit": int(_round10(float(amount) * 0.25))
            if status in ("booked", "completed")
            else None,
            "channel": channel,
            "customer": _customer(rng),
        }
        out.append(record)
    return out


def clean_sweep() -> list[list[str]]:
    """Clean Sweep Hauling: a job tracker's export (Job #, Requested, Job Date, Price, Source...)."""
    rng = random.Random(77)
    channels = [("Phone", 35), ("Website", 25), ("Thumbtack", 20), ("Yelp", 12), ("Referral", 8)]
    rows = []
    leads = []
    for day in _days(START, AS_OF - timedelta(days=1)):
        if rng.random() < 0.26:
            service = day + timedelta(days=rng.randint(1, 14))
            channel = rng.choices([c for c, _ in channels], [w for _, w in channels])[0]
            amount = Decimal(rng.choice([180, 240, 325, 410, 575, 690]))
            status = _funnel(rng, day, service, 0.9, 0.72, broken=False)
            leads.append((day, service, channel, status, amount))
    labels = {
        "inquiry": "Lead",
        "quoted": "Estimate Sent",
        "booked": "Scheduled",
        "completed": "Done",
        "cancelled": "Canceled",
    }
    for number, (created, service, channel, status, amount) in enumerate(leads, start=3001):
        rows.append(
            [
                f"J{number}",
                created.strftime("%m/%d/%Y"),
                service.strftime("%m/%d/%Y"),
                labels[status],
                "" if status == "inquiry" else f"${amount:,.2f}",
                "",
                channel,
                _customer(rng),
            ]
        )
    return rows


CLIENTS = ["Meridian Port Authority", "Gull Rock Fisheries", "Saltmarsh Coop", "Keel & Co."]
PEOPLE = {"Ben": Decimal(150), "Ana": Decimal(110)}  # the handoff note's two developers


def tidewater() -> tuple[list[list[str]], list[list[str]]]:
    """Timesheets and invoices that agree: monthly invoices per client built from billed hours."""
    rng = random.Random(4100)
    entries: list[dict[str, object]] = []
    for day in _days(START, date(2026, 10, 30)):
        if day.weekday() >= 5:
            continue
        for person in PEOPLE:
            if rng.random() < 0.55:
                client = rng.choices(CLIENTS, [62, 18, 12, 8])[0]
                hours = Decimal(rng.choice([1, 1.5, 2, 2.5, 3, 4, 6])).quantize(Decimal("0.1"))
                billable = rng.random() > 0.1
                entries.append(
                    {
                        "date": day,
                        "client": client,
                        "person": person,
                        "hours": hours,
                        "billable": billable,
                    }
                )
    # Billable hours that never made it onto an invoice, as the handoff note tells it: Ben's
    # October change requests for the big client and Ana's September after-hours support.
    # 20 h at $150 + 10 h at $110 = $4,100.00.
    slipped = [
        (date(2026, 9, 12), "Gull Rock Fisheries", "Ana", Decimal("3.0")),
        (date(2026, 9, 19), "Gull Rock Fisheries", "Ana", Decimal("3.5")),
        (date(2026, 9, 26), "Gull Rock Fisheries", "Ana", Decimal("3.5")),
        (date(2026, 10, 6), "Meridian Port Authority", "Ben", Decimal("6.0")),
        (date(2026, 10, 13), "Meridian Port Authority", "Ben", Decimal("5.0")),
        (date(2026, 10, 20), "Meridian Port Authority", "Ben", Decimal("5.0")),
        (date(2026, 10, 27), "Meridian Port Authority", "Ben", Decimal("4.0")),
    ]
    slipped_total = sum(PEOPLE[p] * h for _, _, p, h in slipped)
    assert slipped_total == Decimal(4100), slipped_total
    # Every other billable entry up to 2026-10-31 is invoiced: monthly, per client, issued on the 2nd.
    invoices: dict[tuple[str, date], list[dict[str, object]]] = {}
    for entry in entries:
        day = entry["date"]
        assert isinstance(day, date)
        if not entry["billable"]:
            continue
        issue = date(day.year + (day.month == 12), day.month % 12 + 1, 2)
        invoices.setdefault((str(entry["client"]), issue), []).append(entry)
    numbers: dict[tuple[str, date], str] = {}
    invoice_rows: list[list[str]] = []
    overdue = {
        # (client, issued): how it stays unpaid, one per aging bucket on 2026-11-20
        ("Meridian Port Authority", date(2026, 10, 2)),  # due 11-01: 19 days late
        ("Gull Rock Fisheries", date(2026, 9, 2)),  # due 10-02: 49 days late
        ("Saltmarsh Coop", date(2026, 8, 2)),  # due 09-01: 80 days late
        ("Keel & Co.", date(2026, 6, 2)),  # due 07-02: 141 days late
    }
    assert overdue <= set(invoices), overdue - set(invoices)
    per_year: dict[int, int] = {}
    for key in sorted(invoices, key=lambda k: (k[1], CLIENTS.index(k[0]))):
        client, issued = key
        per_year[issued.year] = per_year.get(issued.year, 0) + 1
        number = f"TL-{issued.year}-{per_year[issued.year]:03d}"
        numbers[key] = number
        amount = sum(PEOPLE[str(e["person"])] * Decimal(str(e["hours"])) for e in invoices[key])
        due = issued + timedelta(days=30)
        if key in overdue or due > AS_OF:
            paid = ""
        else:
            paid = (issued + timedelta(days=rng.randint(12, 34))).isoformat()
            if date.fromisoformat(paid) > AS_OF:
                paid = ""
        invoice_rows.append(
            [number, client, issued.isoformat(), due.isoformat(), _money(amount), paid]
        )
    for key, group in invoices.items():
        for entry in group:
            entry["invoice"] = numbers[key]
    for day, client, person, hours in slipped:
        entries.append(
            {"date": day, "client": client, "person": person, "hours": hours, "billable": True}
        )
    entries.sort(key=lambda e: (e["date"], str(e["person"]), str(e["client"])))  # type: ignore[arg-type,return-value]
    time_rows = []
    for entry in entries:
        person = str(entry["person"])
        time_rows.append(
            [
                entry["date"].isoformat(),  # type: ignore[attr-defined]
                str(entry["client"]),
                person,
                f"{entry['hours']:.1f}",
                "yes" if entry["billable"] else "no",
                _money(PEOPLE[person]),
                str(entry.get("invoice", "")),
            ]
        )
    return time_rows, invoice_rows


def blue_passage() -> list[list[str]]:
    """A dozen yacht deliveries."""
    legs = [
        ("Annapolis MD", "Newport RI", 360),
        ("Newport RI", "Camden ME", 210),
        ("Charleston SC", "Annapolis MD", 470),
        ("Fort Lauderdale FL", "Charleston SC", 420),
        ("Norfolk VA", "Beaufort NC", 190),
        ("Annapolis MD", "Fort Lauderdale FL", 900),
        ("Mystic CT", "Annapolis MD", 380),
        ("Beaufort NC", "Annapolis MD", 235),
        ("Annapolis MD", "Norfolk VA", 140),
        ("Portland ME", "Newport RI", 170),
        ("Newport RI", "Annapolis MD", 355),
        ("Charleston SC", "Fort Lauderdale FL", 425),
    ]
    starts = [
        date(2025, 10, 6),
        date(2025, 11, 3),
        date(2025, 12, 1),
        date(2026, 1, 19),
        date(2026, 3, 9),
        date(2026, 4, 20),
        date(2026, 5, 18),
        date(2026, 6, 22),
        date(2026, 7, 27),
        date(2026, 9, 7),
        date(2026, 10, 12),
        date(2026, 11, 2),
    ]
    rows = []
    for number, ((origin, destination, nm), start) in enumerate(
        zip(legs, starts, strict=True), start=1
    ):
        days = max(1, round(nm / 140))
        fee = Decimal(nm) * Decimal("4.25") + Decimal(600)
        expenses = Decimal(nm) * Decimal("1.10") + Decimal(150) * days
        rows.append(
            [
                f"BP-{number:03d}",
                start.isoformat(),
                (start + timedelta(days=days)).isoformat(),
                origin,
                destination,
                str(nm),
                _money(fee),
                _money(expenses),
            ]
        )
    return rows


def harbor_list() -> list[list[str]]:
    """3,676 unique synthetic addresses, with case-variant repeats, malformed ones and opt-outs."""
    rng = random.Random(3676)
    domains = ["example.com", "example.org", "example.net", "mail.test", "inbox.test"]
    sources = [
        ("website footer", 40),
        ("booking form", 30),
        ("getmyboat import", 15),
        ("boat show", 10),
        ("", 5),
    ]
    invalid = [
        "no-at-sign.example.com",
        "two@@example.com",
        "trailing-dot@example.",
        "@example.org",
        "spaces in@example.net",
        "missing-domain@",
        "comma,user@example.com",
    ]
    seen: set[str] = set()
    valid: list[str] = []
    while len(valid) < 3676 - len(invalid):
        local = f"{rng.choice(FIRST).lower()}.{rng.choice(LAST).lower()}{rng.randint(1, 999)}"
        address = f"{local}@{rng.choice(domains)}"
        if address not in seen:
            seen.add(address)
            valid.append(address)
    rows: list[list[str]] = []
    for address in [*valid, *invalid]:
        status = rng.choices(["subscribed", "unsubscribed", "pending", "cleaned"], [88, 7, 3, 2])[0]
        source = rng.choices([s for s, _ in sources], [w for _, w in sources])[0]
        signup = START + timedelta(days=rng.randint(0, (AS_OF - START).days - 1))
        rows.append([address, status, source, signup.isoformat()])
    # Repeats: 40 addresses exported again, in another letter case or with stray spaces.
    for address in rng.sample(valid, 40):
        variant = address.upper() if rng.random() < 0.5 else f" {address.capitalize()} "
        rows.append([variant, "subscribed", "booking form", AS_OF.isoformat()])
    rng.shuffle(rows)
    return rows


def main() -> None:
    """Write every file."""
    header = ["id", "created", "service_date", "status", "amount", "deposit", "channel", "customer"]
    _write_csv(ROOT / "bookings" / "harbor-charters.csv", header, harbor_charters())
    lines = [json.dumps(record) for record in sunset_sails()]
    (ROOT / "bookings" / "sunset-sails.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    _write_csv(
        ROOT / "bookings" / "clean-sweep.csv",
        ["Job #", "Requested", "Job Date", "Status", "Price", "Deposit", "Source", "Customer Name"],
        clean_sweep(),
    )
    time_rows, invoice_rows = tidewater()
    _write_csv(
        ROOT / "timesheets" / "tidewater-labs.csv",
        ["date", "client", "person", "hours", "billable", "rate", "invoice"],
        time_rows,
    )
    _write_csv(
        ROOT / "invoices" / "tidewater-labs.csv",
        ["number", "client", "issued", "due", "amount", "paid_on"],
        invoice_rows,
    )
    _write_csv(
        ROOT / "trips" / "blue-passage.csv",
        ["id", "start", "end", "origin", "destination", "nm", "fee", "expenses"],
        blue_passage(),
    )
    _write_csv(
        ROOT / "subscribers" / "harbor-list.csv",
        ["Email Address", "Status", "Source", "Optin Time"],
        harbor_list(),
    )
    counts = Counter(row[3] for row in harbor_charters())
    print("harbor-charters statuses:", dict(sorted(counts.items())))


if __name__ == "__main__":
    main()
