"""Blocks the finance reports share (CFO, Accounting, domain reports and the CEO's P&L roll-up):
the reconciliation gate, the P&L roll-up table, monthly charts and break-even tables. They arrange
what the finance and accounting analyses computed; nothing here computes a figure of its own
beyond picking the months to show.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from decimal import Decimal

from execbrief.analysis.accounting import AccountingResult
from execbrief.analysis.finance import (
    LEFT_OUT,
    PORTFOLIO,
    EntityFinance,
    FinanceResult,
    HeadlineBurn,
)
from execbrief.document import Bullet, Chart, Point, Row, Series, Table
from execbrief.errors import describe_failure
from execbrief.findings import Finding, rank_findings
from execbrief.precision import brief_money, executive
from execbrief.reports.base import ReportContext
from execbrief.snapshot import Provenance
from execbrief.values import Money, Percent

#: Source kinds whose read errors the finance reports show as warnings.
MONEY_SOURCES = frozenset({"ledger", "bookings", "timesheets", "invoices", "trips", "handoff"})


def finance(ctx: ReportContext) -> FinanceResult:
    """The run's finance result."""
    return ctx.typed("finance", FinanceResult)


def accounting(ctx: ReportContext) -> AccountingResult:
    """The run's accounting result."""
    return ctx.typed("accounting", AccountingResult)


def gate(ctx: ReportContext, entities: set[str] | None = None) -> tuple[bool, list[Bullet]]:
    """The reconciliation gate: whether the inputs of these entities reconcile, and the warnings to
    put at the top (each reason, then unreadable money sources, which do not block sending)."""
    issues = accounting(ctx).issues_for(entities)
    warnings = [
        Bullet(f"Does not reconcile: {issue.reason}.", issue.provenance) for issue in issues
    ]
    names = {e.id: e.name for e in ctx.snapshot.entities}
    for error in ctx.snapshot.errors():
        if error.source_kind in MONEY_SOURCES and (entities is None or error.entity in entities):
            warnings.append(
                Bullet(
                    f"{names.get(error.entity, error.entity)}: {error.describe()}",
                    (error.provenance,),
                )
            )
    for note in dict.fromkeys(n for r in (finance(ctx), accounting(ctx)) for n in r.notes):
        warnings.append(Bullet(note))
    # an entity's own warning (deposits that cannot be checked) only in reports covering it
    for entity, text in accounting(ctx).warnings:
        if entities is None or entity in entities:
            warnings.append(Bullet(text))
    return not issues, warnings


def pct(numerator: object, denominator: object) -> Percent | None:
    """A share for display (e.g. a net margin), rounded to one decimal; None when not computable."""
    if (
        not isinstance(numerator, Money)
        or not isinstance(denominator, Money)
        or denominator.is_zero
    ):
        return None
    return Percent((numerator.amount / denominator.amount * 100).quantize(Decimal("0.1")))


def pnl_table(
    fin: FinanceResult, periods: Sequence[str] | None = None, title: str | None = None
) -> Table:
    """Revenue, expenses, net and net margin per entity over ``periods`` (default: the trailing 12
    complete months), with the portfolio roll-up (the sum of the entities) last."""
    periods = tuple(periods or fin.window_12m)
    rows = []
    for ent in [*fin.entities, *([fin.portfolio] if fin.portfolio else [])]:
        if not ent.has_ledger:
            rows.append(Row((ent.name, None, None, None, None)))
            continue
        total = ent.totals(periods)
        name = f"Portfolio ({ent.name})" if ent.entity == PORTFOLIO else ent.name
        cite = _compact(total.provenance) if ent.entity != PORTFOLIO else ()
        rows.append(
            Row(
                (
                    name,
                    total.revenue.quantize(),
                    total.expenses.quantize(),
                    total.net.quantize(),
                    None if _costs_unknown(fin, ent) else pct(total.net, total.revenue),
                ),
                cite,
            )
        )
    span = f"{periods[0]}..{periods[-1]}" if periods else "no ledger months"
    also = " (so the portfolio's is too)" if fin.portfolio else ""
    unseen = [
        f" Net margin unknown for {e.name}{also}: its expenses are only its processor's fees "
        f"(it {e.costs_unknown})."
        for e in fin.entities
        if e.costs_unknown
    ]
    return Table(
        ("Entity", "Revenue", "Expenses", "Net", "Net margin"),
        tuple(rows),
        title or f"P&L by entity, {span}",
        ("l", "r", "r", "r", "r"),
        "Accrual basis: every ledger line. The portfolio row is the sum of the entity rows."
        + "".join(unseen),
    )


def _compact(provenance: Iterable[Provenance]) -> tuple[Provenance, ...]:
    """One citation per file spanning the cited lines (keeps tables' source notes short)."""
    by_file: dict[str, list[Provenance]] = {}
    for p in provenance:
        by_file.setdefault(p.source, []).append(p)
    out = []
    for source, items in sorted(by_file.items()):
        lines = [p.line for p in items if p.line is not None]
        ends = [p.end_line or p.line for p in items if p.line is not None]
        rows = sum(_row_count(p) for p in items)
        first = items[0]
        out.append(
            Provenance(
                source,
                min(lines) if lines else None,
                max(e for e in ends if e is not None) if lines else None,
                first.commit,
                first.commit_date,
                f"{rows} rows",
            )
        )
    return tuple(out)


def _row_count(provenance: Provenance) -> int:
    words = (provenance.detail or "").split()
    return int(words[0]) if words and words[0].isdigit() else 1


def monthly_chart(ent: EntityFinance, periods: Sequence[str], who: str | None = None) -> Chart:
    """Revenue, expenses and net burn per month, as a chart (a sparkline in text) titled for
    ``who`` (default: the entity's name); with no burn known (no cash line: a processor's export
    alone) the net burn series is left out, never drawn as $0."""
    months = [m for m in ent.months if m.period in periods]
    burn = [b for b in ent.burn if b.period in periods]
    # a month before the first cash line has no burn of its own (a processor's lines, P&L only,
    # before the bank's export starts): left out, never drawn as $0
    started = next((i for i, b in enumerate(burn) if b.provenance), len(burn))
    burn = burn[started:]
    unit = "USD/mo"
    known = ent.net_burn_6m is not None or ent.headline is not None
    shows = "revenue, expenses and net burn" if known else "revenue and expenses"
    return Chart(
        f"{who or ent.name}: monthly {shows}",
        (
            Series("Revenue", tuple(Point(m.period, m.revenue.quantize()) for m in months), unit),
            Series("Expenses", tuple(Point(m.period, m.expenses.quantize()) for m in months), unit),
            *(
                [
                    Series(
                        "Net burn",
                        tuple(Point(b.period, b.net_burn.quantize()) for b in burn),
                        unit,
                    )
                ]
                if known
                else []
            ),
        ),
        "line",
        _compact(p for m in months for p in m.provenance) if ent.entity != PORTFOLIO else (),
    )


def burn_table(fin: FinanceResult) -> Table:
    """Cash, the headline burn and the runway at it, the burn ranges and the range runway, per
    entity and for the portfolio."""
    rows = []
    for ent in [*fin.entities, *([fin.portfolio] if fin.portfolio else [])]:
        run, head = ent.runway, ent.headline
        if run is None or not ent.has_ledger:
            continue
        rows.append(
            Row(
                (
                    ent.name,
                    # a ledger with no balance has no cash: said, not left blank
                    run.cash.quantize() if run.cash is not None else "unknown",
                    ent.net_burn_3m,
                    ent.net_burn_6m,
                    ent.gross_burn_3m,
                    run.text,
                    head.per_month.quantize() if head else None,
                    head.runway.text if head else None,
                ),
                _burn_citations(fin, ent) if ent.entity != PORTFOLIO else (),
            )
        )
    return Table(
        (
            "Entity",
            "Cash",
            "Net burn (3 mo)",
            "Net burn (6 mo)",
            "Gross burn (3 mo)",
            "Runway",
            "Net burn (average)",
            "Runway at the average",
        ),
        tuple(rows),
        "Cash, burn and runway",
        ("l", "r", "r", "r", "r", "l", "r", "l"),
        f"Burn from cash lines only; the average is over {_span(fin.window_3m)} (fewer months where "
        f"the books start later); ranges are lowest..highest month of {_span(fin.window_3m)} and "
        f"{_span(fin.window_6m)}. Runway = cash ÷ net burn; negative burn means cash grew.",
    )


def _burn_citations(fin: FinanceResult, ent: EntityFinance) -> tuple[Provenance, ...]:
    """A burn row's sources: the cash anchor (the balance the cash stands on), then the ledger
    rows of the 6-month window its burn figures sum, one note per file."""
    run = ent.runway
    anchor = run.provenance[:1] if run is not None else ()
    window = set(fin.window_6m) | set(fin.window_3m)
    rows = _compact(p for b in ent.burn if b.period in window for p in b.provenance)
    return anchor + tuple(p for p in rows if p not in anchor)


def _span(periods: Sequence[str]) -> str:
    return f"{periods[0]}..{periods[-1]}" if periods else "no months"


#: Entities whose runway at the average burn is shorter than this many months are named in the
#: CFO summary (at most ``SHORT_RUNWAYS`` of them, shortest first).
SHORT_RUNWAY_MONTHS = Decimal(6)
SHORT_RUNWAYS = 3


def headline_text(head: HeadlineBurn) -> str:
    """The headline burn and the runway at it, as a summary says them: "burning $14.2K/mo
    (3-month average, 2026-08..2026-10; months ranged $9.0–21.7K); runway 7.9 months at that
    rate (out 2027-07-05)"."""
    spread = brief_money(replace(head.spread, cadence=None))
    basis = f"({head.basis}; months ranged {spread})"
    run = head.runway
    said = LEFT_OUT.search(run.text)
    tail = said.group(0) if said else ""  # the portfolio's: what its cash and burn leave out
    if run.status == "not burning":
        return f"not burning: cash grew {brief_money(-head.per_month)} on average {basis}{tail}"
    burning = f"burning {brief_money(head.per_month)} {basis}"
    if run.status == "burning" and run.months_low is not None and run.out_low is not None:
        months = executive(run.months_low)
        return f"{burning}; runway {months} months at that rate (out {run.out_low}){tail}"
    return f"{burning}; runway {run.text}{tail}"


def cash_headline(ent: EntityFinance) -> Bullet | None:
    """One summary line: the entity's (or portfolio's) cash, headline burn and runway at it."""
    head, run = ent.headline, ent.runway
    if run is None:
        return None
    who = "Portfolio" if ent.entity == PORTFOLIO else ent.name
    cash = brief_money(run.cash) if run.cash is not None else "unknown"
    if head is None:
        why = run.text.removeprefix("unknown, ")
        return Bullet(f"{who} cash {cash}; burn and runway unknown: {why}.", run.provenance)
    return Bullet(f"{who} cash {cash}; {headline_text(head)}.", head.runway.provenance[:3])


def short_runways(fin: FinanceResult) -> list[Bullet]:
    """The entities with the shortest runway at their average burn (under six months)."""
    short = [
        e
        for e in fin.entities
        if e.headline is not None
        and e.headline.runway.status == "burning"
        and e.headline.runway.months_low is not None
        and e.headline.runway.months_low < SHORT_RUNWAY_MONTHS
    ]
    short.sort(key=lambda e: e.headline.runway.months_low or 0 if e.headline else 0)
    return [b for e in short[:SHORT_RUNWAYS] if (b := cash_headline(e)) is not None]


def _costs_unknown(fin: FinanceResult, ent: EntityFinance) -> bool:
    """Whether ``ent``'s net margin is built on costs its ledgers do not show (the portfolio's:
    any entity's)."""
    if ent.entity == PORTFOLIO:
        return any(e.costs_unknown for e in fin.entities if e.has_ledger)
    return ent.costs_unknown is not None


def break_even_table(fin: FinanceResult, entity: str | None = None) -> Table:
    """Break-even per entity (or of one ``entity``, looked up) in its own unit, with the inputs
    and the monthly revenue targets."""
    rows = []
    chosen = fin.entities
    if entity is not None:
        one = fin.for_entity(entity) if entity != PORTFOLIO else None
        chosen = (one,) if one is not None else ()
    for ent in chosen:
        be = ent.break_even
        if be is None or not ent.has_ledger:
            continue
        rows.append(
            Row(
                (
                    ent.name,
                    be.unit,
                    be.price,
                    be.variable_cost,
                    be.contribution,
                    be.fixed_costs,
                    be.text,
                    be.revenue_per_month,
                    be.break_even_revenue,
                    be.target_revenue,
                ),
                _compact(be.provenance),
            )
        )
    margin = (
        fin.entities[0].break_even.target_margin
        if fin.entities and fin.entities[0].break_even
        else None
    )
    target = f"{Percent.from_fraction(margin)}" if margin is not None else "target"
    return Table(
        (
            "Entity",
            "Unit",
            "Price/unit",
            "Variable/unit",
            "Contribution",
            "Fixed/mo",
            "Break-even",
            "Revenue/mo now",
            "Revenue to break even",
            f"Revenue for {target} margin",
        ),
        tuple(rows),
        "Break-even and monthly revenue targets",
        ("l", "l", "r", "r", "r", "r", "l", "r", "r", "r"),
        f"Measured over each entity's last six complete months ({_span(fin.window_6m)}, fewer where its books start later): price from bookings, trips or timesheets, variable and fixed "
        "costs from the ledger, unless set in the config. Break-even = fixed ÷ contribution per unit, "
        "rounded up; revenue to break even = fixed ÷ contribution ratio.",
    )


def every_finding(ctx: ReportContext) -> tuple[list[Finding], list[str]]:
    """Findings of every registered analysis, one analysis at a time: one that fails becomes a
    warning naming it (its findings are missing), not a failed report."""
    found: list[Finding] = []
    failed: list[str] = []
    for name in sorted(ctx.analyses):
        try:
            found.extend(ctx.analysis(name).findings)
        except Exception as exc:  # a broken analysis must not stop a finance report
            failed.append(
                describe_failure(
                    f"the {name} analysis", exc, "its actions are missing from this report"
                )
            )
    return found, failed


def entity_findings(findings: Iterable[Finding], entities: set[str] | None) -> list[Finding]:
    """Findings about these entities (or portfolio-wide), best first."""
    return rank_findings(
        [f for f in findings if entities is None or f.entity is None or f.entity in entities]
    )
