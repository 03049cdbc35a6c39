"""The client billing audit: logged against invoiced time, unbilled work in money, realisation,
receivables by age and by customer and client concentration, for each entity with timesheets,
invoices or a Xero export's receivable lines. Arranged from the ``operations`` analysis.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from execbrief.analysis import books
from execbrief.analysis.operations import ADD_INVOICES, BillingGap, OperationsResult
from execbrief.analysis.receivables import LedgerReceivables
from execbrief.document import (
    Block,
    Bullet,
    Document,
    Findings,
    Metrics,
    Paragraph,
    Row,
    Section,
    Table,
)
from execbrief.hookspecs import hookimpl
from execbrief.precision import brief
from execbrief.records.timesheets import TimeEntry
from execbrief.reports import finblocks as fb
from execbrief.reports.base import BaseReport, Report, ReportContext
from execbrief.values import Money


class BillingReport(BaseReport):
    """The ``billing`` report plugin."""

    name = "billing"
    title = "Client billing audit"
    audience = "Owner"

    def build(self, ctx: ReportContext) -> Document:
        """Arrange each billing gap into the document."""
        ops = ctx.typed("operations", OperationsResult)
        names = {e.id: e.name for e in ctx.snapshot.entities}
        entities = {b.entity for b in ops.billing}
        reconciled, warnings = fb.gate(
            ctx, entities or {e.id for e in ctx.snapshot.entities if e.kind == "consultancy"}
        )
        summary: list[Bullet] = []
        sections: list[Section] = []
        for gap in ops.billing:
            name = names.get(gap.entity, gap.entity)
            if gap.time_logged:
                summary.append(_unbilled_bullet(gap, name))
            if gap.receivables_unknown is not None:
                summary.append(
                    Bullet(
                        f"{name}: receivables {gap.receivables_unknown}; {ADD_INVOICES}.",
                        gap.provenance[:1],
                    )
                )
            if gap.from_ledger is not None:
                summary.append(_ledger_bullet(gap, gap.from_ledger, name))
            overdue = [b for b in gap.aging if b.bucket != "Current" and b.amount.amount > 0]
            if overdue:
                summary.append(
                    Bullet(
                        f"{name}: {brief(gap.overdue)} overdue of {brief(gap.receivable)} receivable; "
                        + ", ".join(f"{b.bucket} days {brief(b.amount)}" for b in overdue)
                        + ".",
                        tuple(p for b in overdue for p in b.provenance),
                    )
                )
            if gap.clients:
                top = gap.clients[0]
                summary.append(
                    Bullet(
                        f"{name}: the largest client, {top.client}, is {brief(top.share)} of invoiced revenue.",
                        top.provenance,
                    )
                )
            sections.append(Section(name, _blocks(gap, ops), gap.entity))
        if not ops.billing:
            summary.append(Bullet("No entity has timesheets or invoices to audit."))
        sections.append(
            Section(
                "Method",
                (
                    Paragraph(
                        "Unbilled work = Σ hours × rate of billable entries with no invoice reference. "
                        "Realisation = invoiced ÷ (billable hours × standard rate). AR aging counts days past "
                        "the due date on the as-of date: Current (not yet due), 1-30, 31-60, 61-90, 90+. "
                        "Sources: docs/metrics.md, section Operations."
                    ),
                ),
                "method",
            )
        )
        return self.document(
            ctx,
            summary=tuple(summary),
            sections=tuple(sections),
            warnings=tuple(warnings),
            reconciled=reconciled,
        )


def _logged_table(gap: BillingGap) -> Table:
    """Billable time against invoiced time; the invoiced / not invoiced split only where some
    file can say it (an export with no invoice column gives none, not 0 h)."""
    split_known = gap.invoice_unknown_hours < gap.billable_hours
    invoices = (
        f"Invoices issued {gap.invoiced.quantize()}, paid {gap.collected.quantize()}."
        if gap.receivables_unknown is None
        else f"Invoices issued and paid: {gap.receivables_unknown}."
    )
    return Table(
        ("", "Hours", "Value at standard rates"),
        (
            Row(("Billable time logged", gap.billable_hours, gap.billable_value.quantize())),
            *(
                (
                    Row(
                        (
                            "  of which invoiced",
                            gap.invoiced_hours,
                            gap.invoiced_hours_value.quantize(),
                        )
                    ),
                    Row(
                        (
                            "  of which not invoiced",
                            gap.unbilled_hours,
                            gap.unbilled_value.quantize(),
                        )
                    ),
                )
                if split_known
                else ()
            ),
            *(
                ()
                if gap.unbilled_unknown is None
                else (
                    Row(
                        (
                            "  invoiced or not: unknown (no invoice column)",
                            gap.invoice_unknown_hours,
                            _value(gap.invoice_unknown_entries),
                        )
                    ),
                )
            ),
            Row(("Non-billable time", gap.non_billable_hours, None)),
        ),
        "Logged against invoiced time (whole log to the as-of date)",
        ("l", "r", "r"),
        invoices
        + (
            f" {gap.unrated_hours} billable hours carry no rate and are not valued."
            if gap.unrated_hours
            else ""
        ),
    )


def _aging_block(gap: BillingGap) -> Block:
    """Receivables by days past due, or one line saying they are unknown (never a table of $0)."""
    if gap.receivables_unknown is not None:
        return Paragraph(f"Receivables by age: {gap.receivables_unknown}.", gap.provenance[:1])
    ledger = gap.from_ledger
    rows = [
        Row((b.bucket, b.amount.quantize(), ", ".join(b.invoices) or "—"), b.provenance)
        for b in gap.aging
    ]
    if ledger is not None and ledger.unitemised.amount:
        rows.append(
            Row(("Not itemised", ledger.unitemised.quantize(), "—"), ledger.unitemised_provenance)
        )
    return Table(
        ("Days past due", "Amount", "Invoices"),
        tuple(rows),
        "Receivables by age",
        ("l", "r", "l"),
        f"Unpaid on the as-of date; {gap.receivable.quantize()} in all."
        + ("" if ledger is None else " " + _ledger_basis(ledger)),
    )


#: What the "Not itemised" row is: owed on the ledger, but explained by no invoice of the export.
UNITEMISED = (
    "Not itemised: owed before the export's period (the receivable's Opening Balance, less what "
    "was paid of it) or on lines tied to no invoice of the export; it is in the total, not in "
    "any age."
)


def _ledger_basis(ledger: LedgerReceivables) -> str:
    """Where receivables read from a ledger come from, and what the reader must know of them."""
    notes = "".join(f" Note: {note[0].upper()}{note[1:]}." for note in ledger.notes)
    if ledger.unitemised.amount:
        notes = f" {UNITEMISED}{notes}"
    return (
        f"Read from the ledger's receivable lines ({', '.join(ledger.sources)}): each invoice's "
        f"debit, less its payments and credits by reference; due = invoice date + "
        f"{ledger.terms_days} days (the export has no due date; terms_days in "
        f"[analysis.operations]).{notes}"
    )


def _ledger_bullet(gap: BillingGap, ledger: LedgerReceivables, name: str) -> Bullet:
    """The brief's line on receivables read from the ledger: what is owed, and by whom."""
    owed = ", ".join(f"{o.client} {brief(o.amount)}" for o in gap.owed_by_client)
    rest = f"{brief(ledger.unitemised)} not itemised" if ledger.unitemised.amount else ""
    parts = "; ".join(p for p in (owed, rest) if p)
    return Bullet(
        f"{name}: {brief(gap.receivable)} receivable, from the ledger's receivable lines"
        + (f" ({parts})" if parts else "")
        + ".",
        tuple(p for o in gap.owed_by_client for p in o.provenance) + ledger.unitemised_provenance,
    )


def _owed_table(gap: BillingGap) -> Table:
    """What each client owes on the as-of date, largest first, each cited at its invoices."""
    return Table(
        ("Customer", "Owed"),
        tuple(Row((o.client, o.amount.quantize()), o.provenance) for o in gap.owed_by_client),
        "Receivables by customer",
        ("l", "r"),
        "Unpaid invoices on the as-of date"
        + (", not the not-itemised rest." if gap.from_ledger is not None else "."),
    )


def _blocks(gap: BillingGap, ops: OperationsResult) -> tuple[Block, ...]:
    blocks: list[Block] = [
        Metrics(
            tuple(m for m in ops.metrics_of(gap.entity) if m.id != "billing.aging"),
            "Key figures",
        ),
        _logged_table(gap)
        if gap.time_logged
        else Paragraph(
            f"No time log. Invoices issued {gap.invoiced.quantize()}, "
            f"paid {gap.collected.quantize()}.",
            gap.provenance,
        ),
    ]
    if gap.unbilled_entries:
        blocks.append(_by_client_month(gap.unbilled_entries, "Unbilled work by client and month"))
    if gap.invoice_unknown_entries:
        blocks.append(
            _by_client_month(
                gap.invoice_unknown_entries,
                "Billable time by client and month, invoiced or not unknown",
            )
        )
    blocks.append(_aging_block(gap))
    if gap.owed_by_client:
        blocks.append(_owed_table(gap))
    if gap.clients:
        blocks.append(
            Table(
                ("Client", "Invoiced", "Share"),
                tuple(
                    Row((c.client, c.amount.quantize(), c.share), c.provenance) for c in gap.clients
                ),
                f"Client concentration, invoices issued {gap.window[0]}..{gap.window[-1]}",
                ("l", "r", "r"),
            )
        )
    found = fb.entity_findings(ops.findings_of(gap.entity), {gap.entity})
    blocks.append(Findings(tuple(found), "Findings", "Nothing found."))
    return tuple(blocks)


@hookimpl
def register_reports() -> list[Report]:
    """The client billing audit."""
    return [BillingReport()]


def _unbilled_bullet(gap: BillingGap, name: str) -> Bullet:
    """The brief's line on unbilled work; "unknown", never $0, when the export cannot tell."""
    cites = tuple(e.provenance for e in gap.unbilled_entries[:4]) or gap.provenance[:2]
    if gap.unbilled_known:
        return Bullet(
            f"{name}: {brief(gap.unbilled_value)} of work is logged but not invoiced "
            f"({gap.unbilled_hours.normalize():f} h).",
            cites,
        )
    text = (
        f"{name}: unbilled value unknown (the export has no invoice column); "
        f"{gap.invoice_unknown_hours.normalize():f} billable h logged"
    )
    if gap.unbilled_hours:
        text += (
            f", and {brief(gap.unbilled_value)} ({gap.unbilled_hours.normalize():f} h) not "
            "invoiced in the files that have one"
        )
    return Bullet(text + ".", cites)


def _value(entries: Sequence[TimeEntry]) -> Money | None:
    """Σ hours × rate of the rated entries, None when none is rated."""
    valued = [e.rate * e.hours for e in entries if e.rate is not None]
    return sum(valued[1:], valued[0]).quantize() if valued else None


def _by_client_month(entries: Sequence[TimeEntry], title: str) -> Table:
    """Time entries by client and month (one row per client-month, not one per entry), each row
    citing the lines of its entries."""
    groups: dict[tuple[str, str], list[TimeEntry]] = defaultdict(list)
    for e in entries:
        groups[(e.client, f"{e.date:%Y-%m}")].append(e)
    rows = []
    for (client, month), grouped in sorted(groups.items()):
        hours = sum((e.hours for e in grouped), Decimal(0))
        rows.append(Row((client, month, len(grouped), hours, _value(grouped)), books.runs(grouped)))
    return Table(
        ("Client", "Month", "Entries", "Hours", "Value"),
        tuple(rows),
        title,
        ("l", "l", "r", "r", "r"),
    )
