"""The ``timesheets`` and ``invoices`` sources: hours logged and invoices issued, as CSV.

``timesheets`` gives one ``TimeEntry`` per row (date, client, person, hours, billable, rate, invoice
reference); ``invoices`` one ``Invoice`` per row (number, client, issued, due, amount, paid on). A
billable entry with no invoice reference is unbilled work; an invoice with no ``paid_on`` is unpaid.
Exports from time trackers read directly: Toggl's ``Duration`` (``1:30:00``), Harvest's
``Billable?`` and ``Billable Rate`` are aliases.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence, Set
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, ClassVar

from pydantic import Field

from execbrief.hookspecs import hookimpl
from execbrief.records.timesheets import Invoice, TimeEntry
from execbrief.snapshot import Provenance, SourceResult
from execbrief.sources import cells, tabular
from execbrief.sources.base import BaseSource, Source, SourceRequest, read_parts
from execbrief.sources.files import Column
from execbrief.values import Money

TIME_COLUMNS = (
    Column("date", ("day", "work date", "entry date", "start date", "logged on"), required=True),
    Column(
        "client", ("customer", "client name", "customer name", "account", "project"), required=True
    ),
    # "first name" before "employee": Harvest's "Employee?" is a yes/no flag beside "First Name".
    Column(
        "person",
        (
            "user",
            "member",
            "first name",
            "employee",
            "staff",
            "consultant",
            "name",
            "team member",
        ),
    ),
    Column(
        "hours",
        ("duration", "time", "hrs", "hours worked", "quantity", "time spent"),
        required=True,
    ),
    Column("billable", ("billable?", "is billable", "billable hours?")),
    Column("rate", ("hourly rate", "billable rate", "rate per hour", "bill rate", "rate usd")),
    # Toggl's "Amount (USD)", Harvest's "Billable Amount", Clockify's "Billable Amount (USD)": the
    # rate is derived as amount ÷ hours when there is no rate column.
    Column(
        "amount",
        (
            "amount usd",
            "billable amount",
            "billable amount usd",
            "amount eur",
            "amount gbp",
            "amount cad",
            "amount aud",
        ),
    ),
    Column(
        "invoice",
        (
            "invoice reference",
            "invoice ref",
            "invoice number",
            "invoice #",
            "invoice no",
            "invoice id",
            "invoiced",
            "invoiced?",
        ),
    ),
)

INVOICE_COLUMNS = (
    Column(
        "number",
        (
            "invoice number",
            "invoice #",
            "invoice no",
            "invoice",
            "invoice id",
            "id",
            "reference",
            "ref",
            "no",
        ),
        required=True,
    ),
    Column(
        "client", ("customer", "client name", "customer name", "bill to", "account"), required=True
    ),
    Column(
        "issued",
        ("issue date", "issued on", "invoice date", "date", "date issued", "created"),
        required=True,
    ),
    Column("due", ("due date", "due on", "payment due", "date due")),
    Column(
        "amount",
        ("total", "invoice total", "amount usd", "value", "gross", "total amount"),
        required=True,
    ),
    Column(
        "paid_on", ("paid", "paid date", "date paid", "payment date", "paid at", "paid on date")
    ),
)

#: The client of a non-billable entry that names none (internal time).
NO_CLIENT = "(no client)"
_CLOCK = re.compile(r"^(\d{1,4}):([0-5]\d)(?::([0-5]\d))?$")
_NOT_INVOICED = frozenset(
    {"", "no", "n", "false", "0", "-", "none", "n/a", "unbilled", "not invoiced"}
)


class TimesheetOptions(tabular.TableOptions):
    """``timesheets = { path = ..., columns = {...}, date_format = ..., currency = ...,
    default_billable = true }``. ``default_billable`` applies when the file has no billable column."""

    known_columns: ClassVar[tuple[str, ...]] = tuple(c.name for c in TIME_COLUMNS)
    source_kind: ClassVar[str] = "timesheets"
    #: ``[[entities.timesheets]]``: one table per time tracker, each with its own options.
    several_files: ClassVar[bool] = True

    default_billable: bool = True

    def reading_notes(self, fields: Set[str], ignored: Sequence[str]) -> Sequence[str]:
        """A derived rate, and an export that cannot say what was invoiced."""
        notes = []
        if "amount" in fields and "rate" not in fields:
            notes.append("rate = amount ÷ hours (the export has no rate column)")
        if "invoice" not in fields:
            notes.append("no invoice column: unbilled value unknown")
        return notes


class InvoiceOptions(tabular.TableOptions):
    """``invoices = { path = ..., columns = {...}, date_format = ..., currency = ...,
    terms_days = 30 }``. ``terms_days`` gives the due date when the file has no due column."""

    known_columns: ClassVar[tuple[str, ...]] = tuple(c.name for c in INVOICE_COLUMNS)
    source_kind: ClassVar[str] = "invoices"

    terms_days: int = Field(default=30, ge=0, le=365)


def hours_of(text: str) -> Decimal:
    """Hours as a decimal (``1.5``) or a clock duration (``1:30`` or ``01:30:00``)."""
    value = text.strip()
    match = _CLOCK.match(value)
    if match:
        hours = Decimal(match[1]) + Decimal(match[2]) / 60 + Decimal(match[3] or 0) / 3600
        return hours.quantize(Decimal("0.01"))
    if not value:
        raise ValueError("empty hours")
    try:
        return tabular.decimal(value, what="hours")
    except ValueError:
        raise ValueError(
            f"bad hours {value[:40]!r}; expected a number like 1.5 or a duration like 1:30"
        ) from None


def invoice_ref(text: str) -> str | None:
    """An invoice reference, or None when the cell says it was not invoiced."""
    value = text.strip()
    return None if value.lower() in _NOT_INVOICED else value


def entry_from_row(
    row: Mapping[str, str], where: Provenance, request: SourceRequest, options: TimesheetOptions
) -> tuple[TimeEntry, date]:
    """One time entry from a row of canonical cells; ValueError says what is wrong."""
    day = cells.parse_date(row.get("date", ""), options.format_for("date"), what="date")
    client = row.get("client", "").strip()
    if "billable" in row:
        billable = cells.parse_bool(row["billable"], what="billable")
    else:
        billable = options.default_billable
    if not client and billable:
        raise ValueError("empty client on a billable entry")
    client = client or NO_CLIENT  # internal time (Toggl and Clockify leave the client empty)
    hours = hours_of(row.get("hours", ""))
    code = tabular.currency(request, options)
    rate = tabular.optional_money(row.get("rate", ""), code, what="rate")
    derived = False
    if "rate" not in row and row.get("amount", "").strip():
        amount = tabular.money(row["amount"], code, what="amount")
        if hours > 0:
            rate, derived = Money((amount.amount / hours).quantize(Decimal("0.01")), code), True
    entry = TimeEntry(
        entity=request.entity.id,
        provenance=where,
        date=day,
        client=client,
        person=row.get("person", "").strip() or "unknown",
        hours=hours,
        billable=billable,
        rate=rate,
        invoice=invoice_ref(row.get("invoice", "")),
        invoice_known="invoice" in row,
        rate_derived=derived,
    )
    return entry, day


def invoice_from_row(
    row: Mapping[str, str], where: Provenance, request: SourceRequest, options: InvoiceOptions
) -> tuple[Invoice, date]:
    """One invoice from a row of canonical cells; ValueError says what is wrong."""
    number = row.get("number", "").strip()
    if not number:
        raise ValueError("empty invoice number")
    client = row.get("client", "").strip()
    if not client:
        raise ValueError("empty client")
    fmt = options.format_for
    issued = cells.parse_date(row.get("issued", ""), fmt("issued"), what="issue date")
    due = tabular.optional_date(row.get("due", ""), fmt("due"), what="due date")
    if due is None:
        due = issued + timedelta(days=options.terms_days)
    if due < issued:
        raise ValueError(
            f"due date {due.isoformat()} is before the issue date {issued.isoformat()}"
        )
    paid = tabular.optional_date(row.get("paid_on", ""), fmt("paid_on"), what="paid date")
    amount = tabular.money(
        row.get("amount", ""), tabular.currency(request, options), what="amount", negative_ok=True
    )
    invoice = Invoice(
        entity=request.entity.id,
        provenance=where,
        number=number,
        client=client,
        issued=issued,
        due=due,
        amount=amount,
        paid_on=paid,
    )
    return invoice, issued


class TimesheetsSource(BaseSource):
    """Hours logged per client and person: billable or not, at what rate, billed on which invoice."""

    name: ClassVar[str] = "timesheets"
    description: ClassVar[str] = (
        "hours logged (CSV): client, person, hours, billable, rate, invoice"
    )
    Options: ClassVar[type[TimesheetOptions]] = TimesheetOptions

    def collect(self, request: SourceRequest) -> SourceResult:
        """Read every configured timesheet (each ``[[entities.timesheets]]`` table with its own
        options); bad rows are counted and quoted, never fatal."""
        return read_parts(request, self._collect_one)

    def _collect_one(self, request: SourceRequest) -> SourceResult:
        options = request.spec.options
        opts = options if isinstance(options, TimesheetOptions) else TimesheetOptions()

        def mapper(file_opts: Any) -> tabular.RowMapper:
            def read(row: Mapping[str, str], where: Provenance) -> tuple[Any, date | None]:
                return entry_from_row(row, where, request, file_opts)

            return read

        return tabular.read_table(request, self.name, TIME_COLUMNS, mapper, opts, factory=True)


class InvoicesSource(BaseSource):
    """Invoices issued: number, client, issue and due dates, amount, and when paid (blank: unpaid)."""

    name: ClassVar[str] = "invoices"
    description: ClassVar[str] = (
        "invoices issued (CSV): number, client, issued, due, amount, paid on"
    )
    Options: ClassVar[type[InvoiceOptions]] = InvoiceOptions

    def collect(self, request: SourceRequest) -> SourceResult:
        """Read every configured invoice register; bad rows are counted and quoted, never fatal."""
        options = request.spec.options
        opts = options if isinstance(options, InvoiceOptions) else InvoiceOptions()

        def mapper(row: Mapping[str, str], where: Provenance) -> tuple[Any, date | None]:
            return invoice_from_row(row, where, request, opts)

        return tabular.read_table(request, self.name, INVOICE_COLUMNS, mapper, opts)


@hookimpl
def register_sources() -> list[Source]:
    """The timesheets and invoices sources."""
    return [TimesheetsSource(), InvoicesSource()]
