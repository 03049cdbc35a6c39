"""The CFO report: cash, burn and runway, the P&L by entity with its roll-up, break-even and revenue
targets, the financial rules, and where to put the next dollar (capital deployment tiers).

Every figure is arranged from the ``finance`` and ``accounting`` analyses. When the inputs do not
reconcile the document says so at the top and is marked ``reconciled=False``, so delivery refuses
to send it unless ``--allow-unreconciled``.
"""

from __future__ import annotations

from execbrief.analysis.books import merge_citations
from execbrief.analysis.finance import DeploymentAction, FinanceResult, deploy_capital
from execbrief.document import (
    BRIEF_FIGURES,
    ActionPlan,
    Block,
    Brief,
    Bullet,
    BulletList,
    Document,
    Findings,
    KeyFigure,
    Metrics,
    Paragraph,
    Row,
    Section,
    Table,
)
from execbrief.findings import Action, CostTier, Metric, Severity
from execbrief.hookspecs import hookimpl
from execbrief.precision import brief_money
from execbrief.reports import finblocks as fb
from execbrief.reports import forecastblocks as fc
from execbrief.reports.base import BaseReport, Report, ReportContext
from execbrief.values import Money, MoneyRange

TIER_TITLES = {
    CostTier.ZERO_COST: "Zero-cost actions (do these first)",
    CostTier.LOW_COST: "Low-cost actions",
    CostTier.REVENUE: "Revenue-producing actions",
}
#: The portfolio figures of the cash section, in the order the brief's key figures take them:
#: the headline (cash, the average burn and the runway at it) first, then the ranges.
PORTFOLIO_FIGURES = (
    "finance.cash",
    "finance.burn.net.average",
    "finance.runway.average",
    "finance.runway.average.out_date",
    "finance.burn.net.3m",
    "finance.burn.net.6m",
    "finance.burn.gross.3m",
    "finance.runway.out_date",
)
DUE = {
    Severity.CRITICAL: 7,
    Severity.HIGH: 14,
    Severity.MEDIUM: 30,
    Severity.LOW: 60,
    Severity.INFO: 90,
}


class CfoReport(BaseReport):
    """The ``cfo`` report plugin."""

    name = "cfo"
    title = "CFO report"
    audience = "CFO"

    def build(self, ctx: ReportContext) -> Document:
        """Arrange finance and accounting results into the CFO document."""
        fin = fb.finance(ctx)
        reconciled, warnings = fb.gate(ctx)
        port = fin.portfolio
        names = {e.id: e.name for e in ctx.snapshot.entities}
        summary: list[Bullet] = []
        if not fin.periods or port is None:
            summary.append(
                Bullet("No ledger was read, so cash, burn and runway cannot be computed.")
            )
        else:
            headline = fb.cash_headline(port)
            if headline is not None:
                summary.append(headline)
            total = port.totals(fin.window_12m)
            summary.append(
                Bullet(
                    f"Last {len(fin.window_12m)} complete month{'s' if len(fin.window_12m) != 1 else ''} "
                    f"({fb._span(fin.window_12m)}): revenue {brief_money(total.revenue)}, expenses "
                    f"{brief_money(total.expenses)}, net {brief_money(total.net)}.",
                    # every income line of the window, each file cited once with its rows
                    # counted (not the first three citations: 4 of 12 income lines)
                    merge_citations(total.revenue_provenance or total.provenance),
                )
            )
            summary.extend(_forecast_bullets(ctx))
            summary.extend(fb.short_runways(fin))
        failed = [r for r in fin.rules if r.status == "fail"]
        if failed:
            by_rule: dict[str, list[str]] = {}
            for r in failed:
                by_rule.setdefault(r.description, []).append(
                    names.get(r.entity or "", "the portfolio")
                )
            summary.append(
                Bullet(
                    f"{len(failed)} financial rule check(s) fail: "
                    + "; ".join(f"{rule} — {', '.join(who)}" for rule, who in by_rule.items())
                    + ".",
                    tuple(p for r in failed for p in r.provenance[:1]),
                )
            )
        below = [
            f
            for f in fin.findings
            if f.rule in ("finance.below-breakeven", "finance.breakeven-unreachable")
        ]
        for finding in below[:3]:
            # the exact figures are in the break-even table of the full report
            summary.append(Bullet(f"{finding.title}.", finding.provenance[:1]))
        books_issues = [
            f
            for f in fb.accounting(ctx).findings
            if f.rule
            in (
                "accounting.deposits-as-income",
                "accounting.misc",
                "accounting.duplicate",
                "accounting.owner-draws",
            )
        ]
        if books_issues:
            summary.append(
                Bullet(
                    "The books need fixing before these figures are final (see the Accounting report): "
                    + "; ".join(f.title for f in books_issues[:4])
                    + ".",
                    tuple(p for f in books_issues[:4] for p in f.provenance[:1]),
                )
            )
        if not reconciled:
            summary.insert(
                0,
                Bullet(
                    "The books do not reconcile; see the warnings above before acting on these figures."
                ),
            )

        sections = self._sections(ctx, fin, names, warnings)
        return self.document(
            ctx,
            summary=tuple(summary),
            sections=tuple(sections),
            warnings=tuple(warnings),
            reconciled=reconciled,
            brief=Brief(figures=_key_figures(sections, names)),
        )

    def _sections(
        self,
        ctx: ReportContext,
        fin: FinanceResult,
        names: dict[str, str],
        warnings: list[Bullet],
    ) -> list[Section]:
        """The full report's sections: cash, P&L, break-even, rules, deployment, findings, method."""
        return [
            self._cash(fin),
            self._pnl(fin),
            Section("Break-even and revenue targets", (fb.break_even_table(fin),), "break-even"),
            *_forecast_sections(ctx),
            self._rules(fin, names),
            self._deployment(ctx, names, warnings),
            Section(
                "Finance findings",
                (
                    Findings(
                        tuple(fb.entity_findings(fin.findings, None)), None, "No finance findings."
                    ),
                ),
                "findings",
            ),
            Section(
                "How these figures are computed",
                (
                    Paragraph(
                        "P&L is accrual (every ledger line); burn and runway are cash (lines that moved cash). "
                        "Trailing ranges run over complete months only. Formulas and their sources: "
                        "docs/metrics.md, section Finance."
                    ),
                ),
                "method",
            ),
        ]

    def _cash(self, fin: FinanceResult) -> Section:
        blocks: list = [fb.burn_table(fin)]
        port = fin.portfolio
        if port is not None and fin.periods:
            blocks.append(fb.monthly_chart(port, fin.window_12m, "Portfolio"))
            shown = {m.id: m for m in fin.metrics if m.entity is None and m.id in PORTFOLIO_FIGURES}
            metrics = [shown[i] for i in PORTFOLIO_FIGURES if i in shown]
            blocks.append(Metrics(tuple(metrics), "Portfolio"))
        return Section("Cash, burn and runway", tuple(blocks), "cash")

    def _pnl(self, fin: FinanceResult) -> Section:
        blocks: list = [fb.pnl_table(fin)]
        if fin.portfolio is not None and fin.periods:
            rows = []
            for period in fin.window_12m:
                line = fin.portfolio.month(period)
                if line:
                    rows.append(
                        Row(
                            (
                                period,
                                line.revenue.quantize(),
                                line.expenses.quantize(),
                                line.net.quantize(),
                            )
                        )
                    )
            blocks.append(
                Table(
                    ("Month", "Revenue", "Expenses", "Net"),
                    tuple(rows),
                    "Portfolio by month",
                    ("l", "r", "r", "r"),
                    "Each month is the sum of the entities' months.",
                )
            )
            for ent in fin.entities:
                if ent.has_ledger:
                    blocks.append(fb.monthly_chart(ent, fin.window_12m))
        if not fin.rollup_ok:
            blocks.append(
                Paragraph(
                    "The roll-up does not equal the sum of the entities: "
                    + "; ".join(fin.rollup_problems)
                )
            )
        return Section("P&L by entity and month", tuple(blocks), "pnl")

    def _rules(self, fin: FinanceResult, names: dict[str, str]) -> Section:
        blocks: list[Block] = []
        for rule in dict.fromkeys(r.rule for r in fin.rules):
            checks = [r for r in fin.rules if r.rule == rule]
            bullets = [
                Bullet(
                    f"{'Broken' if r.status == 'fail' else 'Cannot check'} — {r.evidence}",
                    r.provenance[:3],
                )
                for r in checks
                if r.status != "pass"
            ]
            passed = [names.get(r.entity or "", "Portfolio") for r in checks if r.status == "pass"]
            if passed:
                # "Holds for", not "PASS:", which reads as a password assignment to the secret guard
                bullets.append(Bullet(f"Holds for {', '.join(passed)}."))
            blocks.append(BulletList(tuple(bullets), checks[0].description))
        if not blocks:
            blocks.append(Paragraph("No financial rules are configured."))
        return Section("Financial rules", tuple(blocks), "rules")

    def _deployment(
        self, ctx: ReportContext, names: dict[str, str], warnings: list[Bullet]
    ) -> Section:
        findings, failed = fb.every_finding(ctx)
        warnings.extend(Bullet(message) for message in failed)
        # Security fixes are the CTO's plan, not a use of capital: they stay out of the tiers.
        security = [f for f in findings if "security" in f.tags]
        tiers = deploy_capital([f for f in findings if "security" not in f.tags])
        blocks: list = [
            Paragraph(
                "Every analysis' open findings, sorted by what acting on them costs: zero-cost first, then "
                "low-cost, then actions that produce revenue. Within a tier, the largest monthly effect "
                "(the rule's findings' estimates added up) first."
                + (
                    f" The {len(security)} security findings are left to the CTO report's plan."
                    if security
                    else ""
                )
            )
        ]
        for tier in (CostTier.ZERO_COST, CostTier.LOW_COST, CostTier.REVENUE):
            actions = tuple(action for a in tiers[tier][:10] for action in _actions(a, tier, names))
            blocks.append(ActionPlan(actions, f"{TIER_TITLES[tier]} ({len(tiers[tier])})"))
        return Section("Capital deployment", tuple(blocks), "capital")


def _actions(action: DeploymentAction, tier: CostTier, names: dict[str, str]) -> list[Action]:
    """One plan action per deployment action (one rule in one tier, docs/metrics.md "Capital
    deployment framework"), naming every place it covers, so a tier's count and its list agree.
    When the rule's fixes differ per finding (one missing KPI each), the first is the title and
    the others are listed after the places, never joined into one title. The summed effect is an
    expected effect only when the action covers a single finding."""
    fixes: dict[str, list[str | None]] = {}
    for entity, text in action.recommendations:
        fixes.setdefault(text.strip(), []).append(entity)
    title = next(iter(fixes), action.title)
    places = ", ".join(dict.fromkeys(names.get(e or "", "Portfolio") for e in action.entities))
    others = [text.rstrip(".") for text in fixes if text != title]
    also = f" The rule's other fixes: {'; '.join(others)}." if others else ""
    ids = action.finding_ids
    # one finding's estimate is the expected effect of acting on it; several findings'
    # estimates added up are a total gap, not what one action is expected to bring
    effect = action.monthly_effect if len(ids) == 1 else None
    return [
        Action(
            title=title,
            rationale=f"At: {places}; {action.severity.value}; "
            + _effect_words(effect, action.monthly_effect, len(ids))
            + also,
            due_in_days=DUE[action.severity],
            entity=None,
            finding_ids=ids,
            cost_tier=tier,
            monthly_effect=effect,
            provenance=action.provenance[:3],
        )
    ]


def _effect_words(
    effect: Money | MoneyRange | None, summed: Money | MoneyRange | None, findings: int
) -> str:
    """How an action's money is said: one finding's estimate is its expected effect (the plan
    line shows it), the sum of several findings' estimates is a total, never an expected effect."""
    if effect is not None:
        return "the expected effect is its finding's estimate."
    if summed is not None:
        return f"the {findings} findings' estimates add up to {_per_month(summed)} in total."
    return "no monthly effect estimated."


def _per_month(value: Money | MoneyRange) -> str:
    return str(value) if isinstance(value, MoneyRange) and value.cadence else f"{value}/mo"


def _key_figures(sections: list[Section], names: dict[str, str]) -> tuple[KeyFigure, ...]:
    """The brief's key figures: the full report's figures in order (the portfolio's cash, burn
    and runway, then the forecast's error), without the week-13 forecast cash (a figure for a
    later day, in the forecast section); a forecast error says whose it is."""
    seen: dict[tuple[str, str | None], Metric] = {}
    for section in sections:
        for block in section.blocks:
            if isinstance(block, Metrics):
                for m in block.metrics:
                    if m.id != "forecast.cash.week13":
                        seen.setdefault((m.id, m.entity), m)
    return tuple(
        KeyFigure(m, label=fc.key_figure_label(m, names))
        for m in list(seen.values())[:BRIEF_FIGURES]
    )


def _forecast_bullets(ctx: ReportContext) -> list[Bullet]:
    """The brief's forecast bullets: the cash already short now, the week cash runs short, the
    inflows at risk, the last forecast's error, the largest budget variances."""
    result = fc.forecast(ctx)
    names = {e.id: e.name for e in ctx.snapshot.entities}
    bullets = (
        fc.short_now_bullet(result),
        fc.shortfall_bullet(result),
        fc.at_risk_bullet(result),
        fc.accuracy_bullet(fc.checked(ctx)),
        fc.budget_bullet(result, names),
    )
    return [b for b in bullets if b is not None]


def _forecast_sections(ctx: ReportContext) -> list[Section]:
    """The full report's forecast sections."""
    names = {e.id: e.name for e in ctx.snapshot.entities}
    past = fc.accuracy_section(fc.checked(ctx), names)
    result = fc.forecast(ctx)
    budget = fc.budget_section(result, names)
    return [fc.forecast_section(result), *([past] if past else []), budget]


@hookimpl
def register_reports() -> list[Report]:
    """The CFO report."""
    return [CfoReport()]
