"""The CEO report's finance part: the P&L roll-up and the data-driven KPI framework.

The CEO report (``reports/ceo.py``) builds its document from the notes and passes it through
:func:`extend_ceo`, which adds these two sections, a P&L line in the summary, and the reconciliation
gate's reasons as warnings (the roll-up is only as good as the books under it). The shortfalls of the finance analyses
reach the CEO report through its own merge of every analysis' ``shortfall`` findings.
"""

from __future__ import annotations

from dataclasses import replace

from execbrief.analysis.briefing import NAME as BRIEFING
from execbrief.analysis.briefing import BriefingResult
from execbrief.analysis.finance import FinanceResult
from execbrief.analysis.kpis import kpi_framework
from execbrief.analysis.notes_vs_data import Claim, weigh_notes
from execbrief.analysis.operations import OperationsResult
from execbrief.document import (
    BRIEF_FIGURES,
    BRIEF_SUMMARY,
    Block,
    Brief,
    Bullet,
    Document,
    KeyFigure,
    Paragraph,
    Row,
    Section,
    Table,
)
from execbrief.errors import describe_failure
from execbrief.precision import brief_money
from execbrief.reports import finblocks as fb
from execbrief.reports.base import ReportContext


def pnl_section(ctx: ReportContext) -> Section:
    """The P&L roll-up: revenue, expenses and net per entity and for the portfolio (their sum)."""
    fin = fb.finance(ctx)
    if not fin.periods or fin.portfolio is None:
        return Section(
            "P&L roll-up", (Paragraph("No ledger was read, so there is no P&L."),), "pnl"
        )
    blocks: list[Block] = [
        fb.pnl_table(fin),
        fb.monthly_chart(fin.portfolio, fin.window_12m, "Portfolio"),
    ]
    headline = fb.cash_headline(fin.portfolio)
    if headline is not None:
        blocks.append(Paragraph(f"{headline.text} Details in the CFO report.", headline.provenance))
    return Section("P&L roll-up", tuple(blocks), "pnl")


def kpi_section(ctx: ReportContext) -> Section:
    """Every entity's KPIs for its kind: tracked from the data (value and basis) or missing."""
    ops = ctx.typed("operations", OperationsResult)
    names = {e.id: e.name for e in ctx.snapshot.entities}
    rows = kpi_framework(fb.finance(ctx), ops, {e.id: e.kind for e in ctx.snapshot.entities})
    tracked = sum(1 for k in rows if k.tracked)
    table = Table(
        ("Entity", "KPI", "Status", "Value", "Basis or what is needed"),
        tuple(
            Row(
                (
                    names.get(k.entity, k.entity),
                    k.kpi,
                    k.status,
                    k.value,
                    k.basis,
                ),
                k.provenance,
            )
            for k in rows
        ),
        "KPIs by entity, from the ledgers, bookings, trips, timesheets and invoices",
        ("l", "l", "l", "l", "l"),
    )
    lead = Paragraph(
        f"{tracked} of {len(rows)} KPIs can be computed from the data now; the missing ones say what data "
        "would make them trackable, the unknown ones why the data read cannot give them. (The "
        "Missing KPIs section above compares the notes instead.)"
    )
    return Section("KPI framework (from the data)", (lead, table), "kpi-framework")


def notes_section(ctx: ReportContext, claims: list[Claim]) -> Section:
    """Every figure both a note and the data give, side by side: the data's is the figure."""
    names = {e.id: e.name for e in ctx.snapshot.entities}
    lead = Paragraph(
        "Where a handoff note and the data both give a figure, the data's figure is the figure; "
        "a note that differs by more than the tolerance (money: 10% of the note's figure or "
        "$100, whichever is larger; occupancy: 5 points; docs/metrics.md, 'Notes against the "
        "data') is said in the summary."
    )
    if not claims:
        return Section(
            "Notes against the data",
            (lead, Paragraph("No figure is given by both a note and the data.")),
            "notes-vs-data",
        )
    table = Table(
        ("Entity", "Figure", "The note says", "The data says", "Verdict"),
        tuple(
            Row(
                (
                    names.get(c.entity, c.entity),
                    c.label,
                    c.note,
                    c.data,
                    f"agrees ({c.data_source})"
                    if c.agrees
                    else f"differs: {c.data_source}'s figure is used",
                ),
                (*c.note_provenance[:1], *c.data_provenance[:2]),
            )
            for c in claims
        ),
        "Figures stated in the notes, weighed against the data",
        ("l", "l", "r", "r", "l"),
    )
    return Section("Notes against the data", (lead, table), "notes-vs-data")


def difference_bullets(ctx: ReportContext, claims: list[Claim]) -> list[Bullet]:
    """One line per figure a note gives that the data contradicts, citing both."""
    names = {e.id: e.name for e in ctx.snapshot.entities}
    return [
        Bullet(
            f"{names.get(c.entity, c.entity)}: {c.sentence()}; the data's figure is used.",
            (*c.note_provenance[:1], *c.data_provenance[:1]),
        )
        for c in claims
        if not c.agrees
    ]


def _claims(ctx: ReportContext, fin: FinanceResult) -> list[Claim]:
    if BRIEFING not in ctx.analyses:
        return []
    briefing = ctx.typed(BRIEFING, BriefingResult)
    return weigh_notes(ctx.snapshot, briefing, fin, ctx.typed("operations", OperationsResult))


def extend_ceo(ctx: ReportContext, document: Document) -> Document:
    """The CEO document with the P&L roll-up after the entity figures, the KPI framework after the
    missing KPIs, a P&L summary line, and, when the books do not reconcile, the reasons first in the
    warnings (the CEO briefing is not held back for them; the CFO and Accounting reports are). A failing finance analysis becomes a warning, not a failed report;
    without the finance analyses registered the document is returned as it is."""
    if not {"finance", "accounting", "operations"} <= set(ctx.analyses):
        return document  # a registry without the finance analyses (a trimmed test setup)
    try:
        pnl, kpis = pnl_section(ctx), kpi_section(ctx)
        claims = _claims(ctx, fb.finance(ctx))
        notes = notes_section(ctx, claims)
        _reconciled, gate_warnings = fb.gate(ctx)
    except Exception as exc:  # the CEO report must survive a broken finance analysis
        message = describe_failure(
            "the P&L roll-up and KPI framework", exc, "they are missing from this report"
        )
        return replace(document, warnings=(*document.warnings, Bullet(message)))
    sections = list(document.sections)
    for section, after in ((pnl, "figures"), (notes, "pnl"), (kpis, "kpis")):
        index = next((i for i, s in enumerate(sections) if s.id == after), len(sections) - 1)
        sections.insert(index + 1, section)
    # The CEO briefing still goes out when the books do not reconcile (the CFO and Accounting
    # reports are held back); it says so at the top, next to the P&L it shows.
    issues = [
        replace(w, text=f"The P&L roll-up rests on books that do not reconcile. {w.text}")
        for w in gate_warnings
        if w.text.startswith("Does not reconcile")
    ]
    fin = fb.finance(ctx)
    differences = difference_bullets(ctx, claims)
    summary = [*differences, *document.summary]
    if fin.portfolio is not None and fin.window_12m:
        total = fin.portfolio.totals(fin.window_12m)
        summary.append(
            Bullet(
                f"P&L, {fin.window_12m[0]}..{fin.window_12m[-1]}: revenue {brief_money(total.revenue)}, expenses "
                f"{brief_money(total.expenses)}, net {brief_money(total.net)} (the sum of the entities; see the P&L roll-up)."
            )
        )
    return replace(
        document,
        summary=tuple(summary),
        sections=tuple(sections),
        warnings=(*issues, *document.warnings),
        brief=_brief(fin, document, differences),
    )


#: The ledgers' portfolio figures the CEO brief leads its key figures with.
LEDGER_FIGURES = (
    ("finance.cash", "Portfolio cash (ledgers)"),
    ("finance.burn.net.average", "Portfolio net burn (ledgers)"),
    ("finance.runway.average", "Portfolio runway at that burn"),
)


#: At most this many note-against-data lines in the brief; the rest are in the full report.
BRIEF_DIFFERENCES = 3


def _brief(fin: FinanceResult, document: Document, differences: list[Bullet]) -> Brief | None:
    """The CEO brief with the ledgers' headline first: the portfolio's cash, headline burn and
    runway at it lead the summary and the key figures; then the lines where a note's figure
    differs from the data; an entity's cash is the ledger's when its ledger gives one (the
    note's stated cash only where it does not)."""
    chosen = document.brief or Brief()
    headline = fb.cash_headline(fin.portfolio) if fin.portfolio is not None else None
    if headline is None:
        return document.brief
    shown = {m.id: m for m in fin.metrics if m.entity is None}
    figures = tuple(
        KeyFigure(shown[mid], label=label) for mid, label in LEDGER_FIGURES if mid in shown
    )
    lines = differences[:BRIEF_DIFFERENCES]
    if len(differences) > BRIEF_DIFFERENCES:
        more = len(differences) - BRIEF_DIFFERENCES
        lines.append(
            Bullet(f"{more} more note figure(s) differ from the data: see Notes against the data.")
        )
    rest = [b for b in document.summary if b not in differences]
    summary = (headline, *lines, *rest)[:BRIEF_SUMMARY]
    own = tuple(_data_figure(fin, f) for f in chosen.figures)
    return replace(chosen, summary=summary, figures=(*figures, *own)[:BRIEF_FIGURES])


def _data_figure(fin: FinanceResult, figure: KeyFigure) -> KeyFigure:
    """A note's stated cash replaced by the entity's ledger cash when the ledger gives one."""
    metric = figure.metric
    if metric.id != f"{BRIEFING}.cash" or metric.entity is None:
        return figure
    data = next((m for m in fin.metrics_of(metric.entity) if m.id == "finance.cash"), None)
    if data is None or data.value is None:
        return figure
    label = (figure.label or "Cash").replace("Cash,", "Cash (ledger),", 1)
    return KeyFigure(data, label=label)
