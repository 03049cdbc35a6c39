"""Receivables read from a ledger's Accounts Receivable lines (a Xero Account Transactions or
QuickBooks export with no invoice register beside it): each invoice raised, what was paid of it
and what is still owed, by customer, so the billing gap's receivables and aging are known.

The lines of one invoice share its reference (Xero's ``Reference``, the invoice number): the
debit line raises it, each credit line (a payment, a credit note applied) pays part of it. What
the export cannot tie to an invoice it lists is still owed, and is counted apart, cited, as
"not itemised": the receivable's ``Opening Balance`` (invoices raised before the export's
period), credits whose invoice was raised before it, lines with no reference and invoices paid
more than raised. So the total owed is the export's own balance, to the cent, and the export's
``Closing Balance`` row checks it (docs/formats.md, "Receivables from the ledger").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from execbrief.analysis import books
from execbrief.records.ledger import AccountType, ReceivableBalance, Transaction, is_receivable
from execbrief.records.timesheets import Invoice
from execbrief.snapshot import Provenance, Snapshot
from execbrief.values import Money

#: The layouts whose receivable lines tie an invoice to its payments by ``Reference`` (Xero writes
#: the invoice number on the invoice's line and on each payment's). Other exports tie them
#: otherwise (QuickBooks leaves a payment's Num empty, Wave and FreshBooks give each
#: transaction its own id), so their receivable lines are not read as invoices.
RECEIVABLE_LAYOUTS = ("xero",)

#: Payment terms (days from the invoice's date to its due date) when the config gives none: the
#: invoices register's own default (docs/formats.md, "Invoices", ``terms_days``).
DEFAULT_TERMS_DAYS = 30


@dataclass(frozen=True)
class LedgerReceivables:
    """One entity's receivables as its ledger's receivable lines give them.

    ``invoices`` are the invoices raised in the export, one ``Invoice`` per payment (paid on the
    payment's day, for its amount) and one for what is still owed (unpaid), each cited at the
    invoice's line: so Σ amounts is what was invoiced, Σ paid amounts what was collected, and
    aging reads the unpaid ones. The due date is the invoice's date + ``terms_days`` (the export
    has no due date). ``provenance`` cites every receivable line read.
    """

    invoices: tuple[Invoice, ...]
    unitemised: Money
    unitemised_provenance: tuple[Provenance, ...]
    notes: tuple[str, ...]
    sources: tuple[str, ...]
    terms_days: int
    provenance: tuple[Provenance, ...] = ()


def ledger_receivables(
    snapshot: Snapshot, entity: str, terms_days: int = DEFAULT_TERMS_DAYS
) -> LedgerReceivables | None:
    """The receivables of an entity's ledger receivable lines dated on or before ``as_of`` (of
    the files of a ``RECEIVABLE_LAYOUTS`` layout); None when there are none."""
    as_of, currency = snapshot.as_of, snapshot.currency
    files = {
        m.source
        for r in snapshot.results_for(entity, "ledger")
        for m in r.mappings
        if m.layout in RECEIVABLE_LAYOUTS
    }
    if not files:
        return None
    asked: dict[tuple[str, AccountType], bool] = {}  # a ledger repeats a few dozen accounts

    def receivable(t: Transaction) -> bool:
        key = (t.account, t.account_type)
        found = asked.get(key)
        if found is None:
            found = asked[key] = is_receivable(*key)
        return found

    every = [
        t
        for t in snapshot.records(Transaction, entity)
        if t.provenance.source in files and receivable(t)
    ]
    balances = [
        b for b in snapshot.records(ReceivableBalance, entity) if b.provenance.source in files
    ]
    if not every and not balances:
        return None
    lines = [t for t in every if t.date <= as_of]
    by_reference: dict[str, list[Transaction]] = defaultdict(list)
    loose: list[Transaction] = []  # lines that cannot be tied to an invoice of the export
    for t in lines:
        if t.reference:
            by_reference[t.reference].append(t)
        else:
            loose.append(t)
    invoices: list[Invoice] = []
    notes: list[str] = []
    overpaid: list[str] = []
    for number, group in by_reference.items():
        raised = [t for t in group if t.amount.amount > 0]
        owed = books.total((t.amount for t in group), currency)
        if not raised:
            loose.extend(group)  # paid or credited here, raised before the export's period
        elif owed.amount < 0:
            loose.extend(group)
            overpaid.append(number)
        else:
            invoices.extend(_pieces(number, group, raised, owed, terms_days))
    opening = [b for b in balances if b.kind == "opening" and b.balance.amount]
    unitemised = books.total([t.amount for t in loose] + [b.balance for b in opening], currency)
    if unitemised.amount < 0:
        notes.append(
            f"credits of {(-unitemised).quantize()} are tied to no invoice of the export and "
            "exceed its Opening Balance (a credit note or an unapplied payment, with a reference "
            "of its own): an invoice they settle still shows as owed; they are taken off the total"
        )
    if overpaid:
        notes.append(
            f"{', '.join(overpaid)}: paid more than invoiced in the export; counted as not itemised."
        )
    if any(t.counterparty is None for t in lines if t.amount.amount > 0):
        notes.append(
            "the export has no Contact column, so each customer is named from its Description "
            "(add Contact in the report's columns to name them outright)"
        )
    notes.extend(_closing_checks(every, balances, as_of, currency))
    return LedgerReceivables(
        tuple(invoices),
        unitemised,
        tuple(b.provenance for b in opening) + books.runs(loose),
        tuple(notes),
        tuple(
            sorted({t.provenance.source for t in every} | {b.provenance.source for b in balances})
        ),
        terms_days,
        books.cite(lines),
    )


def _pieces(
    number: str,
    group: Sequence[Transaction],
    raised: Sequence[Transaction],
    owed: Money,
    terms_days: int,
) -> list[Invoice]:
    """One invoice as paid pieces (one per credit line, on its day) and its unpaid rest."""
    first = raised[0]
    client = first.counterparty or first.memo.strip() or "unknown"
    issued = min(t.date for t in raised)
    due = issued + timedelta(days=terms_days)
    pieces = [  # each cited at the invoice's own line: the invoice, paid on that day
        Invoice(first.entity, first.provenance, number, client, issued, due, -t.amount, t.date)
        for t in group
        if t.amount.amount < 0
    ]
    if owed.amount > 0:
        pieces.append(Invoice(first.entity, first.provenance, number, client, issued, due, owed))
    return pieces


def _closing_checks(
    lines: Sequence[Transaction],
    balances: Sequence[ReceivableBalance],
    as_of: date,
    currency: str,
) -> list[str]:
    """The export's own Closing Balance against its Opening Balance plus its lines, per file and
    account; a difference says a line was not read (a skipped row). Not checked when some line
    is dated after ``as_of`` (those are left out of the figures)."""
    out = []
    for closing in (b for b in balances if b.kind == "closing"):
        mine = [
            t
            for t in lines
            if t.account == closing.account and t.provenance.source == closing.provenance.source
        ]
        if any(t.date > as_of for t in mine):
            continue
        opening = [
            b.balance
            for b in balances
            if b.kind == "opening"
            and b.account == closing.account
            and b.provenance.source == closing.provenance.source
        ]
        computed = books.total([t.amount for t in mine] + opening, currency)
        if computed != closing.balance:
            out.append(
                f"{closing.account}: the export's Closing Balance {closing.balance.quantize()} "
                f"({closing.provenance.cite()}) is not its opening and lines "
                f"({computed.quantize()}); a receivable line was not read"
            )
    return out
