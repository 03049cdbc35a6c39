"""Write the demo portfolio's ledgers, deterministically.

Run from the repository root (after ``tools/make_harbor_operations.py``, whose bookings and trips
the ledgers follow)::

    python tools/make_harbor_ledgers.py

It (re)writes ``src/execbrief/examples/harbor/ledgers/``, 2025-10-01 .. 2026-11-19, one file per
entity, each in a different layout so that every feature of the ledger source is exercised:

- ``harbor-charters.csv``: the house CSV format, hierarchical accounts. Charter deposits are booked
  straight to ``Income:Charters`` when received, including deposits for charters after the report
  date (reference ``BK-....``: the ASC 606 issue the accounting analysis finds); an uncategorised
  ``Expenses:Misc`` pile above $1,000; the October insurance premium paid twice a day apart.
- ``sunset-sails.csv``: numbered accounts (``4000 Charter Revenue``), aliased headers
  (``Date, Account, Amount, Description, Payee, Ref, Type``); deposits held in
  ``2100 Customer Deposits`` and recognised on the charter date by accrual rows (the right way).
- ``clean-sweep.csv``: a bank export (``Posted Date``, ``Amount (USD)`` with money out negative,
  ``MM/DD/YYYY`` dates, a ``Category`` column), read through a column mapping, ``sign = "bank"``
  and an ``opening_balance`` in portfolio.toml; one bare category mapped with ``account_types``.
- ``tidewater-labs.csv``: a bookkeeping export with ``Debit``/``Credit`` columns.
- ``dockside-loft.csv``: the rental unit's rent, HOA, mortgage interest and principal, repairs.
- ``blue-passage.csv``: the house layout, written from a beancount ledger's transactions in its
  order; the beancount ledger itself (with ``balance`` directives) goes to
  ``tests/data/beancount/blue-passage.beancount``, the fixture that checks both read alike.
- ``crewboard.csv``: the platform's placements and costs.

Every file opens with a cash balance and carries balance assertions, all reconciling. The output
depends only on the fixed seed and on the bookings/trips/invoices files: same input, same bytes.
"""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "src" / "execbrief" / "examples" / "harbor"
OUT = ROOT / "ledgers"
START = date(2025, 10, 1)
AS_OF = date(2026, 11, 20)
LAST = AS_OF - timedelta(days=1)
CENT = Decimal("0.01")
CASH_IN = ("income", "liability", "equity")


def money(value: float | int | str | Decimal) -> Decimal:
    """A Decimal rounded to cents (generator inputs are small, exact-ish numbers)."""
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def months() -> list[date]:
    """First day of each month from START to AS_OF."""
    out, day = [], START
    while day <= AS_OF:
        out.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


@dataclass
class Row:
    """One ledger line in the house sign convention (positive income and expenses)."""

    day: date
    account: str
    kind: str  # income | expense | cost_of_sales | liability | equity | asset
    amount: Decimal
    memo: str = ""
    counterparty: str = ""
    reference: str = ""
    type: str = ""

    @property
    def cash(self) -> Decimal:
        """The cash effect: + money in, - money out (accruals move none)."""
        if self.type == "accrual":
            return Decimal(0)
        return self.amount if self.kind in CASH_IN else -self.amount


class Book:
    """Rows of one entity plus its opening balance; assertions are computed from the rows."""

    def __init__(self, cash_account: str) -> None:
        self.cash_account = cash_account
        self.rows: list[Row] = []

    def add(
        self,
        day: date,
        account: str,
        kind: str,
        amount: Decimal | float | int,
        memo: str = "",
        counterparty: str = "",
        reference: str = "",
        type: str = "",
    ) -> None:
        if START <= day <= LAST:
            self.rows.append(
                Row(day, account, kind, money(amount), memo, counterparty, reference, type)
            )

    def sorted_rows(self) -> list[Row]:
        return sorted(self.rows, key=lambda r: (r.day, r.account, r.reference, r.amount))

    def net(self, through: date, *, before: bool = False) -> Decimal:
        """Cash movement from START through ``through`` (inclusive, or exclusive with before)."""
        return sum(
            (r.cash for r in self.rows if (r.day < through if before else r.day <= through)),
            Decimal(0),
        )

    def opening_for(self, target: Decimal) -> Decimal:
        """The opening balance that makes the cash at AS_OF equal ``target``."""
        return money(target - self.net(AS_OF))


def quarter_ends() -> list[date]:
    return [
        date(2025, 12, 31),
        date(2026, 3, 31),
        date(2026, 6, 30),
        date(2026, 9, 30),
        date(2026, 10, 31),
    ]


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def house_rows(
    book: Book, opening: Decimal, assertions: list[date], rows: list[Row] | None = None
) -> list[list[str]]:
    """Rows in the house layout: opening first, then rows by date (``rows`` in their own
    order when given) with end-of-day assertions."""
    out = [
        [START.isoformat(), book.cash_account, str(opening), "Opening balance", "", "", "opening"]
    ]
    pending = sorted(assertions)
    for row in book.sorted_rows() if rows is None else rows:
        while pending and pending[0] < row.day:
            day = pending.pop(0)
            out.append(
                [
                    day.isoformat(),
                    book.cash_account,
                    str(opening + book.net(day)),
                    "Statement balance",
                    "",
                    "",
                    "balance",
                ]
            )
        out.append(
            [
                row.day.isoformat(),
                row.account,
                str(row.amount),
                row.memo,
                row.counterparty,
                row.reference,
                row.type,
            ]
        )
    for day in pending:
        out.append(
            [
                day.isoformat(),
                book.cash_account,
                str(opening + book.net(day)),
                "Statement balance",
                "",
                "",
                "balance",
            ]
        )
    return out


def read_bookings_csv(name: str) -> list[dict[str, str]]:
    with (ROOT / "bookings" / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


# ---------------------------------------------------------------------------------- entities


def harbor_charters(rng: random.Random) -> None:
    book = Book("Assets:Checking")
    ota = {"sailo", "getmyboat", "boatsetter"}
    for b in read_bookings_csv("harbor-charters.csv"):
        status = b["status"].strip().lower()
        created = date.fromisoformat(b["created"])
        service = date.fromisoformat(b["service_date"]) if b["service_date"] else None
        channel = b["channel"].strip().lower()
        payer = "Stripe" if channel in ("website", "phone") else channel.capitalize()
        if status in ("booked", "confirmed", "completed") and b["deposit"]:
            deposit = money(b["deposit"])
            # The ASC 606 issue: a deposit for a future charter booked straight to income.
            book.add(
                created,
                "Income:Charters",
                "income",
                deposit,
                f"Deposit, charter on {service}",
                payer,
                b["id"],
            )
        if status == "completed" and service is not None and b["amount"]:
            amount = money(b["amount"])
            balance = amount - (money(b["deposit"]) if b["deposit"] else 0)
            book.add(
                service, "Income:Charters", "income", balance, "Charter balance", payer, b["id"]
            )
            if channel in ota:
                book.add(
                    service,
                    "Expenses:Commissions",
                    "expense",
                    amount * Decimal("0.15"),
                    "Platform commission",
                    channel.capitalize(),
                    b["id"],
                )
            book.add(
                service + timedelta(days=1),
                "Expenses:Fuel",
                "expense",
                amount * Decimal("0.08") + rng.randint(0, 40),
                "Diesel",
                "Harbor Fuel Dock",
            )
    for month in months():
        book.add(
            month,
            "Expenses:Slip Fees",
            "expense",
            1150,
            "Slips for Osprey and Tern",
            "Bayside Marina",
        )
        book.add(
            month + timedelta(days=4),
            "Expenses:Insurance",
            "expense",
            640,
            "Hull and liability premium",
            "Coastal Marine Insurance",
        )
        book.add(
            month + timedelta(days=14),
            "Expenses:Captains",
            "expense",
            3600 if month.month in (5, 6, 7, 8, 9) else 1800,
            "Captains' pay",
            "Captain payroll",
        )
        book.add(
            month + timedelta(days=11),
            "Expenses:Software",
            "expense",
            89,
            "Booking site subscription",
            "Wavebook",
        )
        if month.month in (4, 5, 6, 7, 8):
            book.add(
                month + timedelta(days=9),
                "Expenses:Marketing",
                "expense",
                250,
                "Boosted posts",
                "Meta Ads",
            )
    # The duplicated payment: October's premium paid twice, a day apart.
    book.add(
        date(2026, 10, 6),
        "Expenses:Insurance",
        "expense",
        640,
        "Hull and liability premium",
        "Coastal Marine Insurance",
    )
    book.add(
        date(2026, 3, 16),
        "Expenses:Maintenance",
        "expense",
        3800,
        "Haul-out, bottom paint, Osprey",
        "Chesapeake Boatyard",
    )
    book.add(
        date(2026, 6, 22),
        "Expenses:Maintenance",
        "expense",
        1275,
        "Raw-water pump, Tern",
        "Chesapeake Boatyard",
    )
    # The uncategorised pile: $1,526.14 in Expenses:Misc.
    for day, amount, memo in [
        (date(2026, 7, 3), "212.40", "AMZN Mktp order"),
        (date(2026, 8, 14), "389.00", "Venmo payment"),
        (date(2026, 9, 2), "460.00", "ATM cash withdrawal"),
        (date(2026, 10, 9), "145.99", "Card purchase"),
        (date(2026, 11, 4), "318.75", "POS purchase 4471"),
    ]:
        book.add(day, "Expenses:Misc", "expense", Decimal(amount), memo, "")
    opening = book.opening_for(Decimal("31400.00"))
    header = ["date", "account", "amount", "memo", "counterparty", "reference", "type"]
    write_csv(OUT / "harbor-charters.csv", header, house_rows(book, opening, quarter_ends()))


def sunset_sails(rng: random.Random) -> None:
    book = Book("1010 Operating Account")
    payer = {"phone": "Square", "walk-up": "Square", "referral": "Square", "website": "Stripe"}
    with (ROOT / "bookings" / "sunset-sails.jsonl").open(encoding="utf-8") as handle:
        bookings = [json.loads(line) for line in handle if line.strip()]
    for b in bookings:
        if b["status"] not in ("booked", "completed"):
            continue
        created = date.fromisoformat(b["created"])
        service = date.fromisoformat(b["service_date"])
        who = payer.get(b["channel"], "Square")
        deposit = money(b["deposit"] or 0)
        if deposit:
            book.add(
                created,
                "2100 Customer Deposits",
                "liability",
                deposit,
                f"Deposit, charter on {service}",
                who,
                b["id"],
            )
        if b["status"] == "completed":
            amount = money(b["amount"])
            if deposit:
                book.add(
                    service,
                    "2100 Customer Deposits",
                    "liability",
                    -deposit,
                    "Deposit applied",
                    "",
                    b["id"],
                    "accrual",
                )
                book.add(
                    service,
                    "4000 Charter Revenue",
                    "income",
                    deposit,
                    "Deposit earned",
                    "",
                    b["id"],
                    "accrual",
                )
            book.add(
                service,
                "4000 Charter Revenue",
                "income",
                amount - deposit,
                "Charter balance",
                who,
                b["id"],
            )
            book.add(
                service,
                "5200 Fuel",
                "cost_of_sales",
                amount * Decimal("0.07") + rng.randint(0, 25),
                "Diesel",
                "Harbor Fuel Dock",
            )
            book.add(
                service + timedelta(days=2),
                "5100 Crew Wages",
                "cost_of_sales",
                160,
                "Deckhand",
                "Crew payroll",
            )
    principal_left = Decimal("88000")
    for month in months():
        book.add(month, "6100 Slip Fees", "expense", 1400, "Slip, Solstice", "Bayside Marina")
        book.add(
            month + timedelta(days=2),
            "6200 Insurance",
            "expense",
            520,
            "Hull and P&I",
            "Coastal Marine Insurance",
        )
        interest = money(principal_left * Decimal("0.075") / 12)
        principal = Decimal(2100) - interest
        principal_left -= principal
        book.add(
            month + timedelta(days=9),
            "6300 Loan Interest",
            "expense",
            interest,
            "Solstice loan",
            "Tidewater Credit Union",
        )
        book.add(
            month + timedelta(days=9),
            "2500 Boat Loan - Solstice",
            "liability",
            -principal,
            "Solstice loan principal",
            "Tidewater Credit Union",
        )
        book.add(
            month + timedelta(days=19),
            "6400 Marketing",
            "expense",
            200,
            "Flyers and posts",
            "Print Shop",
        )
    book.add(
        date(2026, 2, 10), "6500 Repairs", "expense", 1380, "Winter service", "Chesapeake Boatyard"
    )
    opening = book.opening_for(Decimal("8950.00"))
    rows = house_rows(book, opening, [date(2025, 12, 31), date(2026, 6, 30), date(2026, 10, 31)])
    write_csv(
        OUT / "sunset-sails.csv",
        ["Date", "Account", "Amount", "Description", "Payee", "Ref", "Type"],
        rows,
    )


def clean_sweep(rng: random.Random) -> Decimal:
    book = Book("Assets:Checking")
    for b in read_bookings_csv("clean-sweep.csv"):
        if b["Status"].strip().lower() != "done":
            continue
        day = datetime.strptime(b["Job Date"], "%m/%d/%Y").date()
        price = money(b["Price"].replace("$", "").replace(",", ""))
        book.add(
            day + timedelta(days=1),
            "Income:Hauling",
            "income",
            price,
            f"Job {b['Job #']}",
            "Square Deposit",
            b["Job #"],
        )
        book.add(
            day,
            "Dump Fees",
            "expense",
            28 + rng.randint(0, 5) * 7,
            "Transfer station",
            "County Transfer Station",
        )
        if rng.random() < 0.5:
            book.add(day, "Expenses:Fuel", "expense", 48 + rng.randint(0, 30), "Fuel", "Wawa")
    for month in months():
        book.add(
            month + timedelta(days=2),
            "Expenses:Truck Loan",
            "expense",
            410,
            "Truck payment",
            "Ally Auto",
        )
        book.add(
            month + timedelta(days=6),
            "Expenses:Insurance",
            "expense",
            265,
            "Commercial auto",
            "Progressive",
        )
        book.add(month + timedelta(days=11), "Expenses:Phone", "expense", 85, "Phone", "Verizon")
        book.add(
            month + timedelta(days=14),
            "Expenses:Advertising",
            "expense",
            120,
            "Thumbtack leads",
            "Thumbtack",
        )
        book.add(
            month + timedelta(days=27),
            "Equity:Owner Draw",
            "equity",
            -2000,
            "Owner draw",
            "Dee Marsh",
        )
    opening = book.opening_for(Decimal("6750.00"))
    rows = []
    running = opening
    for row in book.sorted_rows():
        running += row.cash
        rows.append(
            [
                row.day.strftime("%m/%d/%Y"),
                row.memo,
                row.account,
                f"{row.cash:.2f}",
                row.counterparty,
                "",
                f"{running:.2f}",
            ]
        )
    write_csv(
        OUT / "clean-sweep.csv",
        [
            "Posted Date",
            "Description",
            "Category",
            "Amount (USD)",
            "Payee",
            "Check #",
            "Running Balance",
        ],
        rows,
    )
    return opening


def tidewater_labs(rng: random.Random) -> None:
    book = Book("1000 Operating Account")
    with (ROOT / "invoices" / "tidewater-labs.csv").open(encoding="utf-8") as handle:
        for inv in csv.DictReader(handle):
            if inv["paid_on"]:
                book.add(
                    date.fromisoformat(inv["paid_on"]),
                    "4000 Consulting Revenue",
                    "income",
                    money(inv["amount"]),
                    "Invoice paid",
                    inv["client"],
                    inv["number"],
                )
    for month in months():
        book.add(
            month + timedelta(days=27),
            "6000 Salaries",
            "expense",
            14500,
            "Payroll: Ana, Ben",
            "Gusto",
        )
        book.add(
            month + timedelta(days=27),
            "6050 Payroll Taxes",
            "expense",
            1110,
            "Employer taxes",
            "Gusto",
        )
        book.add(
            month + timedelta(days=2),
            "6100 Software",
            "expense",
            640 + rng.randint(0, 6) * 10,
            "Cloud and SaaS",
            "Various",
        )
        book.add(month, "6200 Coworking", "expense", 900, "Two desks", "Harborside Cowork")
        book.add(
            month + timedelta(days=14),
            "6400 Insurance",
            "expense",
            210,
            "Professional liability",
            "Hiscox",
        )
    opening = book.opening_for(Decimal("41200.00"))
    rows = [
        [
            START.strftime("%m/%d/%Y"),
            "",
            "",
            "Opening balance",
            "1000 Operating Account",
            f"{opening:.2f}",
            "",
        ]
    ]
    for row in book.sorted_rows():
        debit = row.amount if row.kind not in CASH_IN else Decimal(0)
        credit = row.amount if row.kind in CASH_IN else Decimal(0)
        rows.append(
            [
                row.day.strftime("%m/%d/%Y"),
                row.reference,
                row.counterparty,
                row.memo,
                row.account,
                f"{debit:.2f}" if debit else "",
                f"{credit:.2f}" if credit else "",
            ]
        )
    write_csv(
        OUT / "tidewater-labs.csv",
        ["Date", "Num", "Name", "Memo", "Account", "Debit", "Credit"],
        rows,
    )


def dockside_loft(rng: random.Random) -> None:
    book = Book("Assets:Loft Checking")
    season = {
        1: 2300,
        2: 2500,
        3: 2900,
        4: 3400,
        5: 4300,
        6: 5200,
        7: 5600,
        8: 5500,
        9: 4600,
        10: 3900,
        11: 2700,
        12: 2600,
    }
    mortgage_left = Decimal("212000")
    for month in months():
        gross = Decimal(season[month.month]) + rng.randint(-150, 150)
        stays = max(3, int(gross / 480))
        paid = Decimal(0)
        for stay in range(stays):
            day = month + timedelta(days=min(27, 2 + stay * (26 // stays)))
            amount = money(gross / stays) if stay < stays - 1 else money(gross - paid)
            paid += amount
            book.add(
                day,
                "Income:Rent",
                "income",
                amount,
                "Stay payout",
                "Airbnb" if stay % 4 else "Vrbo",
                f"HM{month:%y%m}{stay + 1:02d}",
            )
            book.add(
                day + timedelta(days=1),
                "Expenses:Cleaning",
                "expense",
                85,
                "Turnover clean",
                "Tidy Turnovers",
            )
        book.add(
            month + timedelta(days=1),
            "Expenses:Platform Fees",
            "expense",
            money(gross * Decimal("0.03")),
            "Host service fees",
            "Airbnb",
        )
        book.add(month, "Expenses:HOA", "expense", 385, "HOA dues", "Harborview HOA")
        interest = money(mortgage_left * Decimal("0.0625") / 12)
        principal = Decimal("1612.00") - interest
        mortgage_left -= principal
        book.add(
            month,
            "Expenses:Mortgage Interest",
            "expense",
            interest,
            "Mortgage interest",
            "Chesapeake Bank",
        )
        book.add(
            month,
            "Liabilities:Mortgage",
            "liability",
            -principal,
            "Mortgage principal",
            "Chesapeake Bank",
        )
        book.add(
            month + timedelta(days=17),
            "Expenses:Utilities",
            "expense",
            140 + rng.randint(0, 80),
            "Power and water",
            "BGE",
        )
        book.add(
            month + timedelta(days=20),
            "Expenses:Supplies",
            "expense",
            55 + rng.randint(0, 20),
            "Linens and supplies",
            "Costco",
        )
    book.add(
        date(2026, 2, 12),
        "Expenses:Repairs",
        "expense",
        640,
        "Dishwasher replaced",
        "Bay Appliance",
    )
    book.add(
        date(2026, 7, 8),
        "Expenses:Repairs",
        "expense",
        385,
        "Plumber, shower valve",
        "Quick Plumbing",
    )
    book.add(
        date(2026, 3, 31),
        "Expenses:Property Tax",
        "expense",
        1450,
        "Property tax, first half",
        "City of Annapolis",
    )
    book.add(
        date(2026, 9, 30),
        "Expenses:Property Tax",
        "expense",
        1450,
        "Property tax, second half",
        "City of Annapolis",
    )
    opening = max(book.opening_for(Decimal("5300.00")), Decimal("1500.00"))
    header = ["date", "account", "amount", "memo", "counterparty", "reference", "type"]
    write_csv(
        OUT / "dockside-loft.csv",
        header,
        house_rows(book, opening, [date(2026, 3, 31), date(2026, 9, 30)]),
    )


#: Where the beancount original of Blue Passage's books is kept: a test fixture
#: (tests/sources/test_beancount_demo.py reads it beside the demo's CSV and checks they agree).
BEANCOUNT_FIXTURE = ROOT.parents[3] / "tests" / "data" / "beancount" / "blue-passage.beancount"


def blue_passage(rng: random.Random) -> None:
    """Blue Passage's books: the demo ships them as a CSV ledger in the house layout (the base
    install reads it), written in the beancount ledger's order, and the beancount ledger they
    stand for goes to ``BEANCOUNT_FIXTURE``."""
    book = Book("Assets:Checking")
    entries: list[tuple[date, str, list[Row]]] = []

    def post(day: date, text: str, lines: list[tuple[str, str, Decimal, str, str, str]]) -> None:
        """One beancount transaction and its CSV rows (in its postings' order)."""
        if not START <= day <= LAST:
            return
        rows = [
            Row(day, account, kind, money(amount), *rest) for account, kind, amount, *rest in lines
        ]
        book.rows.extend(rows)
        entries.append((day, text, rows))

    with (ROOT / "trips" / "blue-passage.csv").open(encoding="utf-8") as handle:
        trips = list(csv.DictReader(handle))
    trip_months = set()
    for trip in trips:
        end = date.fromisoformat(trip["end"])
        trip_months.add((end.year, end.month))
        fee, costs = money(trip["fee"]), money(trip["expenses"])
        fuel = money(costs * Decimal("0.6"))
        travel = costs - fuel
        delivery = f"Delivery {trip['origin']} to {trip['destination']}"
        post(
            end,
            f'{end} * "Owner" "{delivery}" ^{trip["id"]}\n'
            f"  Assets:Checking  {fee} USD\n  Income:Deliveries\n",
            [("Income:Deliveries", "income", fee, delivery, "Owner", trip["id"])],
        )
        crew = f"Fuel and flights home, {trip['id']}"
        post(
            end,
            f'{end} * "Crew costs" "{crew}" ^{trip["id"]}\n'
            f"  Expenses:Fuel  {fuel} USD\n  Expenses:Travel  {travel} USD\n  Assets:Checking\n",
            [
                ("Expenses:Fuel", "expense", fuel, crew, "Crew costs", trip["id"]),
                ("Expenses:Travel", "expense", travel, crew, "Crew costs", trip["id"]),
            ],
        )
    for month in months():
        for day, account, amount, payee, what in [
            (
                month + timedelta(days=4),
                "Expenses:Insurance",
                420,
                "Pantaenius",
                "Delivery skipper cover",
            ),
            (
                month + timedelta(days=9),
                "Expenses:Licences",
                45,
                "USCG",
                "Licence and TWIC, monthly share",
            ),
            (month + timedelta(days=12), "Expenses:Website", 29, "Squarespace", "Website"),
        ]:
            post(
                day,
                f'{day} * "{payee}" "{what}"\n  {account}  {amount}.00 USD\n  Assets:Checking\n',
                [(account, "expense", money(amount), what, payee, "")],
            )
        if (month.year, month.month) not in trip_months:
            day = month + timedelta(days=24)
            post(
                day,
                f'{day} * "Rhys Calder" "Retainer, quiet month"\n  Expenses:Contractors  600.00 USD\n  Assets:Checking\n',
                [
                    (
                        "Expenses:Contractors",
                        "expense",
                        money(600),
                        "Retainer, quiet month",
                        "Rhys Calder",
                        "",
                    )
                ],
            )
    opening = book.opening_for(Decimal("12800.00"))
    entries.sort(key=lambda e: (e[0], e[1]))
    header = ["date", "account", "amount", "memo", "counterparty", "reference", "type"]
    ordered = [row for _day, _text, rows in entries for row in rows]
    write_csv(OUT / "blue-passage.csv", header, house_rows(book, opening, quarter_ends(), ordered))
    BEANCOUNT_FIXTURE.write_text(
        _beancount(book, opening, [(day, text) for day, text, _rows in entries]), encoding="utf-8"
    )


def _beancount(book: Book, opening: Decimal, entries: list[tuple[date, str]]) -> str:
    """The beancount ledger of Blue Passage's transactions, with a balance directive at the
    start of each day after a quarter's end (the CSV's end-of-day assertions)."""
    accounts = sorted(
        {
            "Assets:Checking",
            "Equity:Opening-Balances",
            "Income:Deliveries",
            "Expenses:Fuel",
            "Expenses:Travel",
            "Expenses:Insurance",
            "Expenses:Licences",
            "Expenses:Website",
            "Expenses:Contractors",
        }
    )
    lines = [
        "; Blue Passage Deliveries: books kept in beancount (generated by "
        "tools/make_harbor_ledgers.py); the demo ships the same transactions as "
        "ledgers/blue-passage.csv, and tests/sources/test_beancount_demo.py checks they read "
        "the same",
        'option "title" "Blue Passage Deliveries"',
        'option "operating_currency" "USD"',
        "",
        *(
            f"{START} open {account} USD"
            if account != "Equity:Opening-Balances"
            else f"{START} open {account}"
            for account in accounts
        ),
        "",
        f'{START} * "Opening balance"\n  Assets:Checking  {opening} USD\n  Equity:Opening-Balances\n',
    ]
    checks = [day + timedelta(days=1) for day in quarter_ends()]
    dated = [
        *entries,
        # beancount checks a balance at the start of its day.
        *(
            (day, f"{day} balance Assets:Checking  {opening + book.net(day, before=True)} USD\n")
            for day in checks
        ),
    ]
    for _day, text in sorted(dated, key=lambda e: (e[0], "balance" not in e[1], e[1])):
        lines.append(text)
    return "\n".join(lines)


def crewboard(rng: random.Random) -> None:
    book = Book("Assets:Checking")
    for month in months():
        placements = (
            2 + rng.randint(0, 4) if month.month in (3, 4, 5, 6, 7, 8) else 1 + rng.randint(0, 3)
        )
        for index in range(placements):
            day = month + timedelta(days=3 + index * 6)
            fee = Decimal(rng.choice([150, 200, 250, 300]))
            book.add(
                day,
                "Income:Placements",
                "income",
                fee,
                "Crew placement fee",
                rng.choice(
                    [
                        "Osprey Yachts",
                        "Bay Charters",
                        "Sea Dog Tours",
                        "Annapolis Sailing",
                        "Blue Water Co",
                    ]
                ),
                f"CB-{month:%y%m}-{index + 1}",
            )
            book.add(
                day,
                "Expenses:Payment Fees",
                "expense",
                money(fee * Decimal("0.029") + Decimal("0.30")),
                "Card fees",
                "Stripe",
            )
        book.add(
            month + timedelta(days=1),
            "Expenses:Hosting",
            "expense",
            180,
            "Servers and database",
            "AWS",
        )
        book.add(
            month + timedelta(days=14),
            "Expenses:Contractors",
            "expense",
            2000,
            "Freelance development",
            "Devon Price",
        )
        book.add(
            month + timedelta(days=7),
            "Expenses:Software",
            "expense",
            99,
            "Job-board plugin licence",
            "JobBoardWP",
        )
    book.add(
        date(2026, 10, 9),
        "Income:Placements",
        "income",
        600,
        "Season crew package",
        "Osprey Yachts",
        "CB-2610-X",
    )
    opening = book.opening_for(Decimal("4100.00"))
    header = ["date", "account", "amount", "memo", "counterparty", "reference", "type"]
    write_csv(
        OUT / "crewboard.csv",
        header,
        house_rows(book, opening, [date(2026, 6, 30), date(2026, 10, 31)]),
    )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    harbor_charters(random.Random(101))
    sunset_sails(random.Random(202))
    opening = clean_sweep(random.Random(303))
    tidewater_labs(random.Random(404))
    dockside_loft(random.Random(505))
    blue_passage(random.Random(606))
    crewboard(random.Random(707))
    print(f"wrote {OUT}; clean-sweep opening_balance for portfolio.toml: {opening}")


if __name__ == "__main__":
    main()
