"""The Accounting officer's report: reconciliation first, then revenue recognition (deposits booked
as income), chart-of-accounts gaps, the uncategorised and owner-draw piles, the expense audit by
category (month on month, outliers, duplicates, recurring charges) and the milestones to
profitability. Arranged from the ``accounting`` analysis; nothing is computed here.
"""

from __future__ import annotations

from pydantic import Field

from execbrief.analysis import books
from execbrief.analysis.accounting import AccountingResult, CategoryAudit, DeferredItem
from execbrief.analysis.base import all_by
from execbrief.config import Model
from execbrief.document import (
    Block,
    Bullet,
    BulletList,
    Document,
    Findings,
    Paragraph,
    Row,
    Section,
    Table,
)
from execbrief.hookspecs import hookimpl
from execbrief.precision import brief
from execbrief.reports import finblocks as fb
from execbrief.reports.base import BaseReport, Report, ReportContext


class AccountingReportOptions(Model):
    """``[reports.accounting]`` options: how many expense categories to show per entity."""

    categories_per_entity: int = Field(default=8, ge=1, le=100)


class AccountingReport(BaseReport):
    """The ``accounting`` report plugin."""

    name = "accounting"
    title = "Accounting report"
    audience = "Accounting officer"
    Options = AccountingReportOptions

    def build(self, ctx: ReportContext) -> Document:
        """Arrange the accounting result into the Accounting officer's document."""
        settings = ctx.config.reports.get(self.name)
        options = settings.options if settings is not None else None
        opts = (
            options if isinstance(options, AccountingReportOptions) else AccountingReportOptions()
        )
        acc = fb.accounting(ctx)
        names = {e.id: e.name for e in ctx.snapshot.entities}
        reconciled, warnings = fb.gate(ctx)
        summary = _summary(acc, names, reconciled, ctx.snapshot.currency)
        sections = [
            _reconciliation(acc),
            _recognition(acc, names),
            _chart(acc, names),
            _expenses(acc, names, opts.categories_per_entity),
            _milestones(acc, names),
            Section(
                "Accounting findings",
                (
                    Findings(
                        tuple(fb.entity_findings(acc.findings, None)),
                        None,
                        "No accounting findings.",
                    ),
                ),
                "findings",
            ),
            Section(
                "Method",
                (
                    Paragraph(
                        "Deposits for services on a later date are a contract liability until the service "
                        "(ASC 606); income lines are matched to bookings by reference, booking id in the memo, "
                        "or amount near the booking date. Outliers lie above Tukey's upper fence "
                        "(Q3 + 1.5 × IQR). Formulas and sources: docs/metrics.md, section Accounting."
                    ),
                ),
                "method",
            ),
        ]
        return self.document(
            ctx,
            summary=tuple(summary),
            sections=tuple(sections),
            warnings=tuple(warnings),
            reconciled=reconciled,
        )


def _verdict(acc: AccountingResult, reconciled: bool) -> str:
    """The reconciliation in one sentence, saying what could not be checked."""
    if not reconciled:
        return f"The books do not reconcile ({len(acc.issues)} issue(s)); fix these before closing the month."
    if acc.unchecked:
        return (
            f"No disagreement in what could be checked, but {len(acc.unchecked)} check(s) could "
            f"not run: {'; '.join(acc.unchecked[:2])}."
        )
    if not acc.checked:
        return "Nothing could be checked: no balance assertion, deposit or second road to cash."
    # name only the checks that ran (an entity without bookings had no deposit check)
    listed = "; ".join(acc.checked[:3]) + (" and more" if len(acc.checked) > 3 else "")
    return f"The books reconcile: {listed}."


def _summary(
    acc: AccountingResult, names: dict[str, str], reconciled: bool, currency: str
) -> list[Bullet]:
    out = [
        Bullet(
            _verdict(acc, reconciled),
            acc.reason_provenance[:3],
        )
    ]
    summaries = all_by(acc.deferred_summary, lambda s: s.entity)
    deferred = all_by(acc.deferred, lambda i: i.entity)
    for entity in sorted(summaries):
        moved = books.total((s.amount for s in summaries[entity]), currency)
        outstanding = [i for i in deferred.get(entity, ()) if i.outstanding]
        still = books.total((i.amount for i in outstanding), currency)
        out.append(
            Bullet(
                f"{names.get(entity, entity)} booked customer deposits as income: "
                f"{brief(still)} is for services after today and belongs in Customer "
                f"Deposits (a liability); {len(outstanding)} payment(s). In all, "
                f"{brief(moved)} was booked as income before its service.",
                tuple(i.provenance[0] for i in outstanding[:3]),
            )
        )
    for pile in acc.piles:
        kind = (
            'uncategorised ("Misc") spending'
            if pile.kind == "misc"
            else "owner draws booked as expenses"
        )
        out.append(
            Bullet(
                f"{names.get(pile.entity, pile.entity)}: {brief(pile.total)} of {kind} in {len(pile.rows)} lines.",
                tuple(row.provenance for row in pile.rows[:3]),
            )
        )
    for pair in acc.duplicates:
        out.append(
            Bullet(
                f"{names.get(pair.entity, pair.entity)}: {pair.payee} was paid {pair.amount.quantize()} twice "
                f"({pair.first.date} and {pair.second.date}) — likely a duplicate.",
                (pair.first.provenance, pair.second.provenance),
            )
        )
    gaps = len(acc.chart_gaps)
    if gaps:
        out.append(Bullet(f"{gaps} standard account(s) missing from the charts of accounts."))
    return out


def _reconciliation(acc: AccountingResult) -> Section:
    """What was checked and how it came out; what could not be checked is said, so a gap never
    reads as "everything reconciles"."""
    blocks: list[Block] = []
    if not acc.reconciled:
        blocks.append(
            BulletList(
                tuple(Bullet(issue.reason, issue.provenance) for issue in acc.issues),
                "Does not reconcile",
            )
        )
    elif not acc.checked and not acc.unchecked:
        blocks.append(
            Paragraph(
                "Nothing could be checked: no ledger holds a balance assertion (a statement "
                "balance) and no deposits were found to compare."
            )
        )
    elif not acc.unchecked:
        blocks.append(Paragraph("Everything checked (below) reconciles."))
    else:
        blocks.append(
            Paragraph(
                "What could be checked reconciles, but not everything could be checked (below)."
            )
        )
    if acc.checked:
        blocks.append(BulletList(tuple(Bullet(c) for c in acc.checked), "Checked"))
    if acc.unchecked:
        blocks.append(BulletList(tuple(Bullet(c) for c in acc.unchecked), "Not checked"))
    return Section("Reconciliation", tuple(blocks), "reconciliation")


#: At most this many rows of one entity are listed where a reader checks rows by hand (lines that
#: say deposit but match no booking, Misc lines); the rest are counted, totalled and cited in one
#: line, so a ledger of 100k rows gives a brief rather than a copy of the ledger.
LISTED_ROWS = 20

_REVIEW_TITLE = "Says deposit but matches no booking: check by hand"


def _review_bullets(review: list[DeferredItem], names: dict[str, str]) -> tuple[Bullet, ...]:
    """One bullet per line to check, the first ``LISTED_ROWS`` of each entity; then one bullet
    with how many more, their total and the lines they span."""
    by_entity: dict[str, list[DeferredItem]] = {}
    for item in review:
        by_entity.setdefault(item.entity, []).append(item)
    out: list[Bullet] = []
    for entity, items in by_entity.items():
        name = names.get(entity, entity)
        out += [
            Bullet(f"{name}: {i.received} {i.amount.quantize()} \u201c{i.memo}\u201d", i.provenance)
            for i in items[:LISTED_ROWS]
        ]
        rest = items[LISTED_ROWS:]
        if rest:
            total = books.total((i.amount for i in rest), rest[0].amount.currency)
            out.append(
                Bullet(
                    f"{name}: {len(rest)} more such lines ({total.quantize()}), "
                    f"{min(i.received for i in rest)} to {max(i.received for i in rest)}",
                    books.merge_citations(p for i in rest for p in i.provenance),
                )
            )
    return tuple(out)


def _recognition(acc: AccountingResult, names: dict[str, str]) -> Section:
    if not acc.deferred:
        return Section(
            "Revenue recognition",
            (Paragraph("No income was found booked ahead of its service date."),),
            "revenue-recognition",
        )
    summary = Table(
        ("Entity", "Month booked", "Amount to move", "Payments"),
        tuple(
            Row(
                (names.get(s.entity, s.entity), s.period, s.amount.quantize(), s.items),
                s.provenance[:3],
            )
            for s in acc.deferred_summary
        ),
        "Income booked before its service month (move to Customer Deposits at that month's close)",
        ("l", "l", "r", "r"),
    )
    outstanding = [i for i in acc.deferred if i.outstanding]
    still = Table(
        ("Entity", "Received", "Amount", "Booking", "Service date", "Recognise in", "Matched by"),
        tuple(
            Row(
                (
                    names.get(i.entity, i.entity),
                    i.received,
                    i.amount.quantize(),
                    i.booking,
                    i.service_date,
                    i.recognise_in,
                    i.matched_by,
                ),
                i.provenance,
            )
            for i in outstanding
        ),
        "Still a liability today (service after the as-of date)",
        ("l", "l", "r", "l", "l", "l", "l"),
    )
    blocks: list[Block] = [summary, still]
    review = [i for i in acc.deferred if i.service_date is None]
    if review:
        blocks.append(BulletList(_review_bullets(review, names), _REVIEW_TITLE))
    return Section("Revenue recognition", tuple(blocks), "revenue-recognition")


def _chart(acc: AccountingResult, names: dict[str, str]) -> Section:
    blocks: list[Block] = []
    if acc.chart_gaps:
        blocks.append(
            Table(
                ("Entity", "Missing account", "Type", "Why it is needed"),
                tuple(
                    Row((names.get(g.entity, g.entity), g.account, g.account_type, g.why))
                    for g in acc.chart_gaps
                ),
                "Gaps against the standard small-business chart",
                ("l", "l", "l", "l"),
            )
        )
    else:
        blocks.append(Paragraph("Every entity's ledger uses the standard accounts for its kind."))
    for pile in acc.piles:
        title = (
            "Uncategorised (Misc) lines"
            if pile.kind == "misc"
            else "Owner draws booked as expenses"
        )
        blocks.append(
            Table(
                ("Date", "Account", "Amount", "Memo"),
                tuple(
                    Row((t.date, t.account, t.amount.quantize(), t.memo), (t.provenance,))
                    for t in pile.rows[:LISTED_ROWS]
                ),
                f"{names.get(pile.entity, pile.entity)}: {title} ({pile.total.quantize()})",
                ("l", "l", "r", "l"),
            )
        )
        rest = pile.rows[LISTED_ROWS:]
        if rest:
            blocks.append(
                Paragraph(
                    f"{len(rest)} more such lines, {min(t.date for t in rest)} to {max(t.date for t in rest)} "
                    f"({books.total((t.amount for t in rest), pile.total.currency).quantize()}).",
                    books.cite(rest),
                )
            )
    return Section("Chart of accounts", tuple(blocks), "chart")


def _expenses(acc: AccountingResult, names: dict[str, str], per_entity: int) -> Section:
    blocks: list[Block] = []
    by_entity: dict[str, list[CategoryAudit]] = {}
    for category in acc.categories:  # grouped once, not scanned again for every entity
        by_entity.setdefault(category.entity, []).append(category)
    for entity, piles in by_entity.items():
        cats = sorted(piles, key=lambda c: -c.total.amount)
        rows = tuple(
            Row(
                (
                    c.account,
                    c.total.quantize(),
                    c.previous_month.quantize(),
                    c.last_month.quantize(),
                    c.change.quantize(),
                    c.change_pct,
                    len(c.outliers),
                ),
                c.provenance,
            )
            for c in cats[:per_entity]
        )
        last, previous = (cats[0].last_period, cats[0].previous_period) if cats else ("", "")
        blocks.append(
            Table(
                (
                    "Account",
                    "Total",
                    "Previous month",
                    "Last month",
                    "Change",
                    "Change %",
                    "Outliers",
                ),
                rows,
                f"{names.get(entity, entity)}: expenses by account",
                ("l", "r", "r", "r", "r", "r", "r"),
                f"Largest {min(per_entity, len(cats))} of {len(cats)} accounts by total over the whole ledger; "
                f"last month is {last}, previous month {previous}.",
            )
        )
    if acc.duplicates:
        blocks.append(
            Table(
                ("Entity", "Payee", "Amount", "First", "Second", "Days apart"),
                tuple(
                    Row(
                        (
                            names.get(d.entity, d.entity),
                            d.payee,
                            d.amount.quantize(),
                            d.first.date,
                            d.second.date,
                            d.days_apart,
                        ),
                        (d.first.provenance, d.second.provenance),
                    )
                    for d in acc.duplicates
                ),
                "Likely duplicate payments",
                ("l", "l", "r", "l", "l", "r"),
            )
        )
    outliers = [(c, t) for c in acc.categories for t in c.outliers]
    if outliers:
        blocks.append(
            Table(
                ("Entity", "Account", "Date", "Amount", "Upper fence", "Memo"),
                tuple(
                    Row(
                        (
                            names.get(c.entity, c.entity),
                            c.account,
                            t.date,
                            t.amount.quantize(),
                            c.fence,
                            t.memo,
                        ),
                        (t.provenance,),
                    )
                    for c, t in outliers
                ),
                "Outliers (above Q3 + 1.5 × IQR of their account)",
                ("l", "l", "l", "r", "r", "l"),
            )
        )
    if acc.subscriptions:
        blocks.append(
            Table(
                ("Entity", "Payee", "Charge", "Paid every", "Per month", "Months", "Account"),
                tuple(
                    Row(
                        (
                            names.get(s.entity, s.entity),
                            s.payee,
                            (s.charge or s.monthly).quantize(),
                            s.cadence,
                            s.monthly.quantize(),
                            s.months,
                            s.account,
                        ),
                        s.provenance,
                    )
                    for s in acc.subscriptions
                ),
                "Recurring charges (per month: the monthly equivalent, charge ÷ months between charges)",
                ("l", "l", "r", "l", "r", "r", "l"),
            )
        )
    return Section(
        "Expense audit", tuple(blocks) or (Paragraph("No expenses in the ledgers."),), "expenses"
    )


def _milestones(acc: AccountingResult, names: dict[str, str]) -> Section:
    blocks: list[Block] = []
    if acc.milestones:
        blocks.append(
            Table(
                ("Entity", "Quarter", "Revenue per month", "Net per month at that revenue", "Goal"),
                tuple(
                    Row(
                        (
                            names.get(m.entity, m.entity),
                            m.quarter,
                            m.revenue_per_month,
                            m.net_per_month,
                            m.goal,
                        ),
                        m.provenance[:2],
                    )
                    for m in acc.milestones
                ),
                "Quarterly revenue goals from today's run rate to break-even (or the target margin)",
                ("l", "l", "r", "r", "l"),
                "Equal steps from the current monthly revenue to the revenue target; net = revenue × contribution "
                "ratio − fixed costs.",
            )
        )
    if acc.no_milestones:
        blocks.append(
            BulletList(
                tuple(
                    Bullet(f"{names.get(entity, entity)}: {why}.")
                    for entity, why in acc.no_milestones
                ),
                "No milestones",
            )
        )
    if not blocks:
        blocks.append(Paragraph("No entity has the ledger data to plan milestones from."))
    return Section("Milestones to profitability", tuple(blocks), "milestones")


@hookimpl
def register_reports() -> list[Report]:
    """The Accounting report."""
    return [AccountingReport()]
