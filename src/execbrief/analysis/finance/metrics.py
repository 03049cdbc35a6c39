"""Finance's metrics: per entity (and the portfolio) the monthly P&L and burn, the trailing burn
ranges, the headline burn (their average) and the runway at it, cash and runway, and break-even
with its unit economics and revenue targets."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from execbrief.analysis import books
from execbrief.analysis.finance.breakeven import BreakEven
from execbrief.analysis.finance.cash import HeadlineBurn, Runway
from execbrief.analysis.finance.entity import PORTFOLIO, EntityFinance
from execbrief.findings import Metric
from execbrief.snapshot import Provenance

#: The trailing windows the burn ranges are measured over: (3 months, 6 months).
Windows = tuple[tuple[str, ...], tuple[str, ...]]


def finance_metrics(
    result_entities: Sequence[EntityFinance], as_of: date, windows: Windows
) -> list[Metric]:
    """Every finance metric of the entities with a ledger, entity by entity."""
    out: list[Metric] = []
    for fin in result_entities:
        entity = None if fin.entity == PORTFOLIO else fin.entity
        if not fin.has_ledger:
            continue
        out.extend(_pnl_metrics(fin, entity))
        out.extend(_burn_metrics(fin, entity, windows))
        if fin.headline is not None:
            out.extend(_headline_metrics(fin.headline, entity))
        if fin.runway is not None:
            out.extend(_runway_metrics(fin.runway, entity, as_of))
        if fin.break_even is not None:
            out.extend(_break_even_metrics(fin.break_even, entity))
    return out


def _pnl_metrics(fin: EntityFinance, entity: str | None) -> Iterator[Metric]:
    """Revenue, expenses and net income of each month."""
    for line in fin.months:
        for mid, label, value, formula in (
            ("finance.revenue", "Revenue", line.revenue, "sum of income lines in the month"),
            (
                "finance.expenses",
                "Expenses",
                line.expenses,
                "sum of cost-of-sales and expense lines in the month",
            ),
            ("finance.net", "Net income", line.net, "revenue - expenses"),
        ):
            yield Metric(
                mid, label, value.quantize(), entity, line.period, None, formula, line.provenance
            )


def _burn_metrics(fin: EntityFinance, entity: str | None, windows: Windows) -> Iterator[Metric]:
    """Gross and net burn of each month, then their ranges over the trailing windows."""
    for b in fin.burn:
        yield Metric(
            "finance.burn.gross",
            "Gross burn",
            b.gross_burn.quantize(),
            entity,
            b.period,
            None,
            "sum of cash paid out in the month",
            b.provenance,
        )
        yield Metric(
            "finance.burn.net",
            "Net burn",
            b.net_burn.quantize(),
            entity,
            b.period,
            None,
            "cash out - cash in in the month",
            b.provenance,
        )
    cited: dict[tuple[str, ...], tuple[Provenance, ...]] = {}  # net and gross share a window
    for mid, label, rng, window in (
        ("finance.burn.net.3m", "Net burn, trailing 3 months", fin.net_burn_3m, windows[0]),
        ("finance.burn.net.6m", "Net burn, trailing 6 months", fin.net_burn_6m, windows[1]),
        ("finance.burn.gross.3m", "Gross burn, trailing 3 months", fin.gross_burn_3m, windows[0]),
        ("finance.burn.gross.6m", "Gross burn, trailing 6 months", fin.gross_burn_6m, windows[1]),
    ):
        if rng is not None:
            if window not in cited:
                cited[window] = _window_citations(fin, window)
            span = f"{window[0] if window else '?'}..{window[-1] if window else '?'}"
            yield Metric(
                mid,
                label,
                rng.quantize(),
                entity,
                None,
                None,
                f"lowest..highest monthly value over {span} (docs/metrics.md#finance)",
                cited[window],
            )


def _window_citations(fin: EntityFinance, window: tuple[str, ...]) -> tuple[Provenance, ...]:
    """The rows of the burn months in ``window``, one citation per file."""
    return books.merge_citations(p for b in fin.burn if b.period in window for p in b.provenance)


def _headline_metrics(head: HeadlineBurn, entity: str | None) -> Iterator[Metric]:
    """The headline burn (the trailing months' average net burn) and the runway at it."""
    months = len(head.months)
    yield Metric(
        "finance.burn.net.average",
        f"Net burn, {months}-month average",
        head.per_month.quantize(),
        entity,
        None,
        None,
        f"Σ monthly net burn ÷ {months} over {head.months[0]}..{head.months[-1]}; months "
        f"ranged {head.spread.quantize()} (docs/metrics.md#finance)",
        head.provenance,
    )
    run = head.runway
    months_value = run.months_low if run.status == "burning" else None
    yield Metric(
        "finance.runway.average",
        "Runway at the average burn",
        months_value if months_value is not None else run.text,
        entity,
        None,
        "months" if months_value is not None else None,
        "cash ÷ average monthly net burn (docs/metrics.md#finance)",
        run.provenance,
    )
    if run.status == "burning" and run.out_low is not None:
        yield Metric(
            "finance.runway.average.out_date",
            "Cash runs out (at the average burn)",
            run.out_low,
            entity,
            None,
            None,
            "as_of + months × 365.25/12 days",
            run.provenance,
        )


def _runway_metrics(run: Runway, entity: str | None, as_of: date) -> Iterator[Metric]:
    """Cash, runway in words, its two ends in months and the earliest date cash runs out."""
    cited = run.provenance
    yield Metric(
        "finance.cash",
        "Cash",
        run.cash.quantize() if run.cash else None,
        entity,
        None,  # a point-in-time figure (on as_of), not a period's: compared run to run
        None,
        "latest balance + cash lines since (docs/metrics.md#cash)",
        cited,
    )
    yield Metric(
        "finance.runway",
        "Runway",
        run.text,
        entity,
        None,
        None,
        "cash ÷ net burn over the trailing window (docs/metrics.md#runway)",
        cited,
    )
    if run.months_low is not None:
        yield Metric(
            "finance.runway.months_low",
            "Runway, worst month (months)",
            run.months_low,
            entity,
            None,
            "months",
            "cash ÷ highest monthly net burn",
            cited,
        )
    if run.months_high is not None:
        yield Metric(
            "finance.runway.months_high",
            "Runway, best month (months)",
            run.months_high,
            entity,
            None,
            "months",
            "cash ÷ lowest monthly net burn",
            cited,
        )
    if run.out_low is not None:
        yield Metric(
            "finance.runway.out_date",
            "Cash runs out (earliest)",
            run.out_low,
            entity,
            None,
            None,
            "as_of + months × 365.25/12 days",
            cited,
        )


def _break_even_metrics(be: BreakEven, entity: str | None) -> Iterator[Metric]:
    """Break-even in words and units, then each unit-economics figure and revenue target known."""
    yield Metric(
        "finance.breakeven",
        f"Break-even ({be.unit}s/month)",
        be.text,
        entity,
        None,
        None,
        "fixed costs ÷ (price − variable cost per unit), rounded up",
        be.provenance,
    )
    if be.units_needed is not None:
        yield Metric(
            "finance.breakeven.units",
            "Break-even units per month",
            be.units_needed,
            entity,
            None,
            be.unit,
            "ceil(fixed ÷ contribution per unit)",
            be.provenance,
        )
    for mid, label, figure in (
        ("finance.unit.price", "Price per unit", be.price),
        ("finance.unit.variable_cost", "Variable cost per unit", be.variable_cost),
        ("finance.unit.contribution", "Contribution per unit", be.contribution),
        ("finance.fixed_costs", "Fixed costs per month", be.fixed_costs),
        (
            "finance.target.breakeven_revenue",
            "Revenue to break even (per month)",
            be.break_even_revenue,
        ),
        (
            "finance.target.margin_revenue",
            "Revenue for the target margin (per month)",
            be.target_revenue,
        ),
        ("finance.revenue.monthly", "Revenue per month (window average)", be.revenue_per_month),
    ):
        if figure is not None:
            yield Metric(
                mid,
                label,
                figure,
                entity,
                None,
                None,
                "see docs/metrics.md#break-even",
                be.provenance,
            )
