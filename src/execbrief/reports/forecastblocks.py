"""The CFO report's forecast parts: the 13-week tables (week, ends, in, out, close), each
entity's lines with their rows, the assumptions, the last forecast against what happened (with
its error as a stored figure), budget against actual, and the brief's bullets (cash already short
now, the week cash runs short, the inflows at risk). They arrange what the analyses computed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from execbrief.analysis import books
from execbrief.analysis.forecast import (
    PORTFOLIO,
    WEEKS,
    EntityForecast,
    ForecastResult,
    ForecastWeek,
)
from execbrief.analysis.forecast.accuracy import Accuracy, PastWeek, accuracy
from execbrief.analysis.forecast.weeks import first_below
from execbrief.document import (
    Block,
    Bullet,
    BulletList,
    Metrics,
    Paragraph,
    Row,
    Section,
    Table,
)
from execbrief.findings import Metric
from execbrief.precision import brief_money
from execbrief.reports.base import ReportContext
from execbrief.values import Money


def forecast(ctx: ReportContext) -> ForecastResult | None:
    """The run's forecast result (None when the forecast analysis is not registered)."""
    if "forecast" not in ctx.analyses:
        return None
    return ctx.typed("forecast", ForecastResult)


def week_rows(weeks: Sequence[ForecastWeek]) -> tuple[Row, ...]:
    """One row a week: number, last day, in, out, closing cash, citing the week's rows."""
    return tuple(
        Row(
            (
                w.number,
                w.end,
                w.inflow.quantize(),
                w.outflow.quantize(),
                w.closing.quantize(),
            ),
            w.provenance,
        )
        for w in weeks
    )


def week_table(f: EntityForecast) -> Table:
    """The 13 weeks of one forecast (fits 78 columns as text)."""
    return Table(
        ("Week", "Ends", "In", "Out", "Close"),
        week_rows(f.weeks),
        f"{f.name}: 13-week cash forecast",
        ("r", "l", "r", "r", "r"),
        f"Opens with {f.opening.quantize()} on hand. " + _floor_words(f),
    )


def _floor_words(f: EntityForecast) -> str:
    parts = []
    if f.reserve is not None:
        parts.append(f"Reserve {f.reserve.amount.quantize()} ({f.reserve.basis})")
        parts.append(_floor_path(f, f.reserve.amount, "it"))
    parts.append(_floor_path(f, f.zero, "zero"))
    said = "; ".join(parts) + "."
    return said[0].upper() + said[1:]  # a sentence of its own: "Never below zero." (no reserve)


def _floor_path(f: EntityForecast, floor: Money, name: str) -> str:
    """How the cash stands against one floor: already under it on the report date (and the week
    it is back), or the first week it falls under it, or never."""
    falls = first_below(f.weeks, floor)
    if f.opening.amount < floor.amount:
        back = f.back_above(floor)
        said = f"already below {name} on the report date, " + (
            f"back above {name} in week {back.number} (ends {back.end.isoformat()})"
            if back
            else f"not back above {name} in 13 weeks"
        )
        if falls is not None:
            said += f", below {name} again in week {falls.number} (ends {falls.end.isoformat()})"
        return said
    if falls is not None:
        return f"below {name} in week {falls.number} (ends {falls.end.isoformat()})"
    return f"never below {name}"


def lines_table(f: EntityForecast) -> Table:
    """Every expected movement of the 13 weeks with the rows it comes from."""
    rows = tuple(
        Row(
            (
                week.number,
                line.day,
                line.kind,
                line.label,
                line.amount.quantize(),
                line.at_risk or "",
            ),
            line.provenance,
        )
        for week in f.weeks
        for line in week.lines
    )
    return Table(
        ("Week", "Date", "Kind", "Line", "Amount", "At risk"),
        rows,
        f"{f.name}: expected inflows (+) and outflows (-)",
        ("r", "l", "l", "l", "r", "l"),
    )


def week13_metrics(result: ForecastResult) -> Metrics:
    """``forecast.cash.week13`` of the portfolio and of each entity, named by the block's rows."""
    names = {f.entity: f.name for f in result.all}
    ordered = sorted(result.metrics, key=lambda m: m.entity is not None)
    return Metrics(
        tuple(replace(m, label=f"Week 13, {names.get(m.entity or PORTFOLIO)}") for m in ordered),
        "Forecast cash at the end of week 13",
    )


def forecast_section(result: ForecastResult | None) -> Section:
    """The full report's forecast: the portfolio's weeks, then each entity's weeks, lines and
    assumptions."""
    if result is None or result.portfolio is None:
        return Section(
            "13-week cash forecast",
            (
                Paragraph(
                    "No entity has a cash balance on the report date, so there is no forecast."
                ),
            ),
            "forecast",
        )
    blocks: list[Block] = [week_table(result.portfolio), week13_metrics(result)]
    for f in result.entities:
        blocks.append(week_table(f))
        if f.lines:
            blocks.append(lines_table(f))
        if f.assumptions:
            blocks.append(
                BulletList(
                    tuple(Bullet(a.describe(), a.provenance[:2]) for a in f.assumptions),
                    f"{f.name}: assumptions (measured; override in [entities.settings.forecast])",
                )
            )
    blocks.extend(Paragraph(note) for note in result.notes)
    blocks.append(
        Paragraph(
            "Week 1 starts the day after the report date. Rules and how each assumption is "
            "measured: docs/metrics.md, section 13-week cash forecast."
        )
    )
    return Section("13-week cash forecast", tuple(blocks), "forecast")


def short_now_bullet(result: ForecastResult | None) -> Bullet | None:
    """The entities whose cash on the report date is already under their reserve (or below
    zero): a fact now, not a forecast; each with the week the forecast is back above it."""
    if result is None:
        return None
    short = [(f, floor) for f in result.entities if (floor := f.short_now) is not None]
    if not short:
        return None
    ranked = sorted(short, key=lambda p: (-_back_number(*p), p[0].name))  # latest back first
    said = "; ".join(_short_words(f, floor) for f, floor in ranked[:3])
    more = len(ranked) - 3
    others = f"; {more} more in the forecast tables" if more > 0 else ""
    return Bullet(
        f"Cash is already short now ({_as_of(result).isoformat()}): {said}{others}.",
        tuple(p for f, _ in ranked[:3] for p in f.opening_provenance[:1]),
    )


def _as_of(result: ForecastResult) -> date:
    """The report date: the day before week 1."""
    return result.entities[0].weeks[0].start - timedelta(days=1)


def _back_number(f: EntityForecast, floor: Money) -> int:
    back = f.back_above(floor)
    return back.number if back else WEEKS + 1  # never back: first


def _short_words(f: EntityForecast, floor: Money) -> str:
    under = "below zero" if floor.is_zero else f"below its {brief_money(floor)} reserve"
    back = f.back_above(floor)
    when = (
        f"forecast back above it in week {back.number} (ends {back.end.isoformat()})"
        if back
        else "not back above it in 13 weeks"
    )
    again = first_below(f.weeks, floor) if back else None
    if again is not None:
        when += f", below it again in week {again.number} (ends {again.end.isoformat()})"
    return f"{f.name} {brief_money(f.opening)}, {under}, {when}"


def shortfall_bullet(result: ForecastResult | None) -> Bullet | None:
    """The first new shortfall: the week cash falls below its reserve, or below zero, from at or
    above it, at the entity that gets there first among those not already short on the report
    date (a fall back below a floor of an entity short now is said by ``short_now_bullet``); or
    "no shortfall in 13 weeks" with the entity whose cash comes closest to its floor, naming the
    floor; None when nothing new falls short and some entity is already short."""
    if result is None or not result.entities:
        return None
    hit = sorted(
        ((f, w, floor) for f in result.entities for w, floor in _falls(f)),
        key=lambda p: (p[1].number, p[0].name),
    )
    entities = list(dict.fromkeys(f.entity for f, _, _ in hit))
    if hit:
        f, w, floor = hit[0]
        others = (
            f" ({len(entities) - 1} more entit{'y' if len(entities) == 2 else 'ies'} in the table)"
            if len(entities) > 1
            else ""
        )
        return Bullet(
            f"Cash runs short in week {w.number} (ends {w.end.isoformat()}) at {f.name}: "
            f"{brief_money(w.closing)} forecast, {floor}{others}.",
            f.opening_provenance[:1] + w.provenance[:2],
        )
    if any(f.short_now is not None for f in result.entities):
        return None
    closest = min(result.entities, key=_headroom)
    low = min(closest.weeks, key=lambda w: w.closing.amount)
    floor = f"its {brief_money(closest.reserve.amount)} reserve" if closest.reserve else "zero"
    return Bullet(
        f"No shortfall in 13 weeks; closest: {closest.name}, lowest {brief_money(low.closing)} "
        f"in week {low.number} (ends {low.end.isoformat()}) against {floor}.",
        closest.opening_provenance[:1] + low.provenance[:2],
    )


def _falls(f: EntityForecast) -> list[tuple[ForecastWeek, str]]:
    """The weeks the entity's cash newly falls below a floor, each with the floor in words: not
    a floor it is already under on the report date (falling back below it is said with the cash
    short now), but zero for cash already under its reserve only."""
    out: list[tuple[ForecastWeek, str]] = []
    if f.short_now is not None and f.short_now.is_zero:
        return out
    if f.reserve is not None and f.below_reserve is not None and f.short_now is None:
        out.append((f.below_reserve, f"below its {brief_money(f.reserve.amount)} reserve"))
    if f.below_zero is not None:
        out.append((f.below_zero, "below zero"))
    return out


def _headroom(f: EntityForecast) -> Decimal:
    floor = f.reserve.amount.amount if f.reserve else Decimal(0)
    return min(w.closing.amount - floor for w in f.weeks)


def at_risk_bullet(result: ForecastResult | None) -> Bullet | None:
    """The three largest expected inflows at risk (overdue invoices, unpaid balances)."""
    if result is None:
        return None
    risky = sorted(
        (x for f in result.entities for x in f.at_risk),
        key=lambda x: (-x.amount.amount, x.day, x.label),
    )[:3]
    if not risky:
        return None
    names = {f.entity: f.name for f in result.entities}
    said = "; ".join(
        f"{names[x.entity]} {x.label.split(',')[0]} {brief_money(x.amount)} ({x.at_risk})"
        for x in risky
    )
    return Bullet(f"Inflows at risk: {said}.", tuple(p for x in risky for p in x.provenance[:1]))


def checked(ctx: ReportContext) -> tuple[Accuracy, ...]:
    """The latest forecast stored before this run (``ctx.history``, on ``send``) against the
    cash that moved in its weeks that have ended; empty without one."""
    before = getattr(ctx.history, "forecast_before", None)
    if before is None:
        return ()
    past = [
        PastWeek(w.entity, w.made, w.week, w.start, w.end, w.inflow, w.outflow, w.closing)
        for w in before(ctx.as_of)
    ]
    return accuracy(ctx.snapshot, past)


def accuracy_table(a: Accuracy, name: str) -> Table:
    """Week by week: forecast net, actual net and the error, citing the actual cash lines."""
    rows = tuple(
        Row(
            (
                w.forecast.week,
                w.forecast.end,
                w.forecast.net.quantize(),
                w.actual_net.quantize(),
                w.error.quantize(),
            ),
            w.provenance,
        )
        for w in a.weeks
    )
    return Table(
        ("Week", "Ends", "Forecast", "Actual", "Error"),
        rows,
        f"{name}: forecast of {a.made.isoformat()} against actual cash movement (in - out)",
        ("r", "l", "r", "r", "r"),
        f"Mean absolute weekly error {a.mean_abs_error.quantize()} over {len(a.weeks)} "
        f"week{'s' if len(a.weeks) != 1 else ''}; actual - forecast {a.total_error.quantize()}.",
    )


def accuracy_section(checks: Sequence[Accuracy], names: dict[str, str]) -> Section | None:
    """The last forecast against what happened (None when there is nothing to compare)."""
    if not checks:
        return None
    blocks: list[Block] = [
        Paragraph(
            "Each week of the last stored forecast that has ended, against the cash that moved "
            "through the ledger's cash lines those days. Error = actual - forecast."
        )
    ]
    blocks.extend(accuracy_table(a, names.get(a.entity, "Portfolio")) for a in checks)
    # The error is a figure of its own: stored with the run's figures and compared in the next
    # report's "Since last report"; the portfolio's first, so it reaches the brief's key figures.
    # One entity's error is the portfolio's when it is the only one checked.
    ordered = sorted(checks, key=lambda a: a.entity != PORTFOLIO)
    shown = ordered if len(ordered) > 2 else ordered[:1]
    blocks.extend(
        Metrics((error_metric(a),), f"Forecast error: {names.get(a.entity, 'Portfolio')}")
        for a in shown
    )
    return Section("Last forecast against what happened", tuple(blocks), "forecast-accuracy")


#: The forecast error's label; the brief's key figure says whose it is (``key_figure_label``).
ERROR_LABEL = "Forecast error (mean absolute, a week)"


def key_figure_label(metric: Metric, names: dict[str, str]) -> str:
    """A forecast figure's label in the brief's key figures, short enough not to be cut (40
    characters) and naming whose it is: "Forecast error a week, portfolio"; "" for others."""
    if metric.id != "forecast.error.weekly":
        return ""
    whose = names.get(metric.entity, metric.entity) if metric.entity else "portfolio"
    return f"Forecast error a week, {whose}"


def error_metric(a: Accuracy) -> Metric:
    """The mean absolute weekly error as a figure of its own (stored and compared run to run)."""
    return Metric(
        "forecast.error.weekly",
        ERROR_LABEL,  # an entity's: its name is added where shown (the block's title, the delta)
        a.mean_abs_error.quantize(),  # a final figure: stored and compared in cents
        None if a.entity == PORTFOLIO else a.entity,
        formula="mean over the ended weeks of |actual net cash movement - forecast net movement|",
        provenance=books.merge_citations(p for w in a.weeks for p in w.provenance),
    )


def accuracy_bullet(checks: Sequence[Accuracy]) -> Bullet | None:
    """The brief's line on the last forecast's error (the portfolio's)."""
    port = next((a for a in checks if a.entity == PORTFOLIO), None)
    if port is None:
        return None
    total = port.total_error
    more = "more" if total.amount >= 0 else "less"
    return Bullet(
        f"The forecast of {port.made.isoformat()} was off by {brief_money(port.mean_abs_error)} a "
        f"week on average over {len(port.weeks)} week{'s' if len(port.weeks) != 1 else ''}; "
        f"{brief_money(abs(total))} {more} cash moved than forecast.",
        books.merge_citations(p for w in port.weeks for p in w.provenance)[:2],
    )


#: How to add a budget, in one line.
NO_BUDGET_HOW = (
    'add budget = "budgets/ENTITY.csv" (month, account, amount; or Xero\'s budget '
    "export, or QuickBooks Online's Budget vs. Actuals report) to an entity for budget against "
    "actual (docs/formats.md, Budgets)."
)
#: What the report says when no entity has a budget.
NO_BUDGET = f"No budget: {NO_BUDGET_HOW}"


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.quantize(Decimal('0.1')):+}%"


def budget_section(result: ForecastResult | None, names: dict[str, str]) -> Section:
    """Budget against actual for the last complete month, largest variances first."""
    if result is None or not result.budgeted:
        return Section("Budget against actual", (Paragraph(NO_BUDGET),), "budget")
    rows = tuple(
        Row(
            (
                f"{names.get(v.entity, v.entity)}: {v.account}",
                v.actual.quantize(),
                v.budget.quantize(),
                v.variance.quantize(),
                _pct(v.percent),
            ),
            v.provenance,
        )
        for v in sorted(result.budget, key=lambda v: -abs(v.variance.amount))
    )
    month = result.budget[0].month if result.budget else "the last complete month"
    blocks: list[Block] = [
        Table(
            ("Account", "Actual", "Budget", "Variance", "Var %"),
            rows,
            f"Budget against actual, {month}",
            ("l", "r", "r", "r", "r"),
            "Variance = actual - budget; Var % = variance ÷ |budget| (none for a zero budget); "
            "equal variances keep the budget file's order. Actual is every ledger line of the "
            "month on the budget's account (accrual, as the P&L).",
        )
    ]
    if not result.budget:
        blocks = [Paragraph("The budget has no line for the last complete month.")]
    blocks.append(Paragraph(budget_origin(result, names)))
    without = [f.name for f in result.entities if f.entity not in result.budgeted]
    if without:
        blocks.append(Paragraph(f"No budget for {', '.join(without)}: {NO_BUDGET_HOW}"))
    return Section("Budget against actual", tuple(blocks), "budget")


#: How each budget layout is named where the report says where the budget came from.
LAYOUT_WORDS = {
    "execbrief": "execbrief's budget CSV",
    "xero": "Xero's budget export",
    "quickbooks-online": (
        "QuickBooks Online's Budget vs. Actuals report (its Budget columns only; its Actual "
        "columns and Total rows are not read)"
    ),
}


def budget_origin(result: ForecastResult, names: dict[str, str]) -> str:
    """One sentence: each entity's budget file and layout; actuals are the ledger's."""
    said = "; ".join(
        f"{names.get(entity, entity)}: {path}, {LAYOUT_WORDS.get(layout, layout)}"
        for entity, path, layout in result.budget_sources
    )
    return f"Budget from {said}. Actuals from each entity's ledger."


def budget_bullet(result: ForecastResult | None, names: dict[str, str]) -> Bullet | None:
    """The brief's three largest budget variances."""
    if result is None or not result.budget:
        return None
    top = sorted(result.budget, key=lambda v: -abs(v.variance.amount))[:3]
    said = "; ".join(
        f"{names.get(v.entity, v.entity)} {v.account} {brief_money(v.actual)} against "
        f"{brief_money(v.budget)} ({_pct(v.percent)})"
        for v in top
    )
    return Bullet(
        f"Largest budget variances ({top[0].month}): {said}.",
        tuple(p for v in top for p in v.provenance[:1]),
    )
