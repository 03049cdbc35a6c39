"""The CMO report: where each business can be found and booked, what the funnel does, what an
email blast to the list is worth, which marketplace to list on next, the local-SEO fixes, and
30/60/90-day milestones built from them (zero-cost work first).

Everything is arranged from the ``marketing`` analysis; the report computes nothing of its own
beyond grouping findings into milestones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pydantic import Field

from execbrief.analysis.base import all_by
from execbrief.analysis.marketing import (
    CHANNEL_LABELS,
    ChannelCell,
    EmailCase,
    FunnelRow,
    MarketingResult,
    OtaScore,
)
from execbrief.analysis.marketing import (
    NAME as MARKETING,
)
from execbrief.analysis.marketing.channels import EMAIL
from execbrief.config import Model
from execbrief.document import (
    ActionPlan,
    Block,
    Bullet,
    Chart,
    Document,
    Findings,
    Metrics,
    Paragraph,
    Point,
    Row,
    Section,
    Series,
    Table,
)
from execbrief.findings import Action, CostTier, Effort, Finding, Metric, rank_findings
from execbrief.hookspecs import hookimpl
from execbrief.precision import brief_money
from execbrief.reports.base import BaseReport, Report, ReportContext


class CmoOptions(Model):
    """``[reports.cmo]`` options: how many OTAs per entity to put on the 60/90-day milestones and
    how many summary bullets to show."""

    summary_size: int = Field(default=6, ge=1, le=20)
    otas_in_plan: int = Field(default=2, ge=0, le=10)


def _label(channel: str) -> str:
    return CHANNEL_LABELS.get(channel, channel.replace("_", " ").title())


def _cell_text(cell: ChannelCell) -> str:
    if cell.listed is None:
        return "?" if cell.bookings else "–"
    return "yes" if cell.listed else "no"


def _matrix(result: MarketingResult, names: dict[str, str]) -> tuple[Block, ...]:
    shown = [
        channel
        for channel in result.channels
        if any(c.channel == channel and (c.listed is not None or c.bookings) for c in result.matrix)
    ]
    if not shown:
        return (
            Paragraph("No channel evidence found (no channels table, notes, site or bookings)."),
        )
    rows = []
    for entity, name in names.items():
        cells = [result.cell(entity, channel) for channel in shown]
        values = tuple(_cell_text(c) if c is not None else "–" for c in cells)
        provenance = tuple(dict.fromkeys(p for c in cells if c is not None for p in c.provenance))
        rows.append(Row((name, *values), provenance))
    return (
        Table(
            ("Entity", *(_label(c) for c in shown)),
            tuple(rows),
            title="Channel visibility",
            align=("l", *("l" for _ in shown)),
            caption="yes/no: evidence of a listing or of none (the channels table in "
            "portfolio.toml, handoff notes, site links, bookings); –: no evidence either way.",
        ),
        _shares(result, names),
    )


def _shares(result: MarketingResult, names: dict[str, str]) -> Table:
    cells = [c for c in result.matrix if c.bookings]
    return Table(
        ("Entity", "Channel", "Bookings", "Share", "Revenue", "Revenue share"),
        tuple(
            Row(
                (
                    names.get(c.entity, c.entity),
                    _label(c.channel),
                    c.bookings,
                    c.booking_share,
                    c.revenue,
                    c.revenue_share,
                ),
                c.provenance,
            )
            for c in cells
        ),
        title="What each channel brought (booked or completed, last 12 months)",
        align=("l", "l", "r", "r", "r", "r"),
        caption="Channels without a listing (phone, walk-up, referral) are left out; shares are "
        "of the entity's booked or completed bookings and their revenue.",
    )


def _funnel(result: MarketingResult, names: dict[str, str]) -> tuple[Block, ...]:
    by_entity: dict[str, list[FunnelRow]] = defaultdict(list)
    for row in result.funnel:
        by_entity[row.entity].append(row)
    if not by_entity:
        return (Paragraph("No booking data: the funnel needs a bookings source."),)
    blocks: list[Block] = []
    for entity, rows in by_entity.items():
        name = names.get(entity, entity)
        blocks.append(
            Table(
                (
                    "Month",
                    "Inquiries",
                    "Quoted",
                    "Booked",
                    "Completed",
                    "Cancelled",
                    "Quote %",
                    "Book %",
                    "Complete %",
                ),
                tuple(
                    Row(
                        (
                            r.month,
                            r.inquiries,
                            r.quoted,
                            r.booked,
                            r.completed,
                            r.cancelled,
                            r.quote_rate,
                            r.book_rate,
                            r.complete_rate,
                        ),
                        r.provenance,
                    )
                    for r in rows
                ),
                title=f"{name}: funnel by month created",
                align=("l", "r", "r", "r", "r", "r", "r", "r", "r"),
                caption="Each booking counts at every stage up to the furthest it reached; "
                "cancellations also count in the stages they reached. Complete % is of booked "
                "trips whose date has passed.",
            )
        )
        blocks.append(
            Chart(
                f"{name}: funnel by month",
                tuple(
                    Series(stage.title(), tuple(Point(r.month, getattr(r, attr)) for r in rows))
                    for stage, attr in (
                        ("inquiries", "inquiries"),
                        ("quoted", "quoted"),
                        ("booked", "booked"),
                        ("completed", "completed"),
                    )
                ),
                kind="line",
            )
        )
    breaks = [f for f in result.findings if f.rule == "marketing.funnel_break"]
    blocks.append(Findings(tuple(rank_findings(breaks)), "Broken steps", "No broken funnel step."))
    return tuple(blocks)


def _email(result: MarketingResult, names: dict[str, str]) -> tuple[Block, ...]:
    if not result.email:
        listed = [c for c in result.matrix if c.channel == EMAIL and c.listed]
        if listed:
            # the list exists (the channel table says so) but no blast can be priced
            places = ", ".join(dict.fromkeys(names.get(c.entity, c.entity) for c in listed))
            return (
                Paragraph(
                    f"{places}: an email list is known, but no booking value (no bookings with an "
                    "amount, no average booking value in the notes or the config) to model a "
                    "blast's revenue."
                ),
            )
        return (Paragraph("No email list found (no subscriber export or list size in the notes)."),)
    blocks: list[Block] = []
    for case in result.email:
        name = names.get(case.entity, case.entity)
        blocks.append(Paragraph(f"{name}: {case.arithmetic}", case.provenance))
        blocks.append(
            Metrics(
                (
                    Metric(
                        f"{MARKETING}.email.list_size",
                        "List (opted-in, unique)",
                        case.list_size,
                        case.entity,
                        provenance=case.provenance,
                    ),
                    Metric(
                        f"{MARKETING}.email.open_rate", "Open rate", case.open_rate, case.entity
                    ),
                    Metric(
                        f"{MARKETING}.email.click_rate", "Click rate", case.click_rate, case.entity
                    ),
                    Metric(
                        f"{MARKETING}.email.conversion",
                        "Booking conversion (low)",
                        case.conversion_low,
                        case.entity,
                    ),
                    Metric(
                        f"{MARKETING}.email.conversion_high",
                        "Booking conversion (high)",
                        case.conversion_high,
                        case.entity,
                    ),
                    Metric(
                        f"{MARKETING}.email.average_value",
                        "Average booking",
                        case.average_value,
                        case.entity,
                        formula=case.value_source,
                    ),
                    Metric(
                        f"{MARKETING}.email.revenue",
                        "Modelled revenue per blast",
                        case.revenue,
                        case.entity,
                        formula=case.arithmetic,
                        provenance=case.provenance,
                    ),
                ),
                title=f"{name}: email blast assumptions ({case.basis} basis)",
            )
        )
    return tuple(blocks)


def _otas(result: MarketingResult, names: dict[str, str]) -> tuple[Block, ...]:
    by_entity: dict[str, list[OtaScore]] = defaultdict(list)
    for score in result.otas:
        by_entity[score.entity].append(score)
    channel_findings = rank_findings(
        [f for f in result.findings if f.rule in ("marketing.no_ota", "marketing.idle_listing")]
    )
    blocks: list[Block] = [
        Findings(tuple(channel_findings), "Marketplace gaps", "No marketplace gap found.")
    ]
    if not by_entity:
        return (*blocks, Paragraph("No marketplace fits an unlisted entity."))
    for entity, scores in by_entity.items():
        name = names.get(entity, entity)
        blocks.append(
            Table(
                ("#", "Marketplace", "Commission", "Expected net/mo", "Fit", "Set-up", "Why"),
                tuple(
                    Row((s.rank, s.label, s.commission, s.net, s.fit, s.effort.value, s.why))
                    for s in scores
                ),
                title=f"{name}: order to list in",
                align=("r", "l", "r", "r", "r", "l", "l"),
                caption="Net = current monthly booking revenue × reach × fit × (1 − commission) − "
                "fees; good fits (0.5 or more) first, then by net ÷ set-up effort. "
                "Commission sources in docs/metrics.md.",
            )
        )
        first = scores[0]
        blocks.append(Paragraph(f"{name}: list on {first.label} first — {first.why}."))
    return tuple(blocks)


def _seo(result: MarketingResult) -> tuple[Block, ...]:
    seo = [f for f in result.findings if f.rule.startswith("marketing.seo.")]
    others = [f for f in result.findings if f.rule == "marketing.no_booking_widget"]
    ordered = sorted(rank_findings([*seo, *others]), key=lambda f: f.entity or "")
    return (Findings(tuple(ordered), "Local SEO roadmap", "No SEO gap found."),)


def _group(findings: Iterable[Finding]) -> list[list[Finding]]:
    groups: dict[tuple[str | None, str], list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[(finding.entity, finding.rule)].append(finding)
    return list(groups.values())


def _action(group: list[Finding], names: dict[str, str], due: int) -> Action:
    first = group[0]
    who = names.get(first.entity or "", "Portfolio")
    title = first.recommendation.split(". ")[0].rstrip(".")
    rationale = (
        first.title if len(group) == 1 else f"{first.title} (and {len(group) - 1} more like it)"
    )
    return Action(
        title=f"{who}: {title}",
        rationale=rationale,
        due_in_days=due,
        entity=first.entity,
        finding_ids=tuple(f.id for f in group),
        effort=max((f.effort for f in group), key=lambda e: e.cost),
        cost_tier=first.cost_tier,
        provenance=tuple(dict.fromkeys(p for f in group for p in f.provenance)),
    )


def milestones(
    result: MarketingResult, names: dict[str, str], otas_in_plan: int
) -> tuple[list[Action], list[Action], list[Action]]:
    """30/60/90-day actions: zero-cost fixes and the email blast first; then the best marketplace
    per entity and low-cost work; then the next marketplaces and the rest."""
    day30: list[Action] = []
    day60: list[Action] = []
    day90: list[Action] = []
    ranked = rank_findings(list(result.findings))
    quick = [
        f
        for f in ranked
        if f.cost_tier is CostTier.ZERO_COST and f.effort in (Effort.HOURS, Effort.DAYS)
    ]
    groups = _group(quick)
    # the funnel first (it loses bookings today), then the email blast (money from a list already
    # owned), then the rest of the zero-cost fixes in rank order
    day30.extend(_action(g, names, 30) for g in groups if g[0].rule == "marketing.funnel_break")
    day30.extend(_email_action(case, names) for case in result.email)
    day30.extend(_action(g, names, 30) for g in groups if g[0].rule != "marketing.funnel_break")
    covered = {f.id for f in quick}
    no_ota = all_by(
        (f for f in result.findings if f.rule == "marketing.no_ota"), lambda f: f.entity
    )
    for score in result.otas:
        if score.rank > otas_in_plan:
            continue
        shortfall = [f.id for f in no_ota.get(score.entity, ())]
        due = 60 if score.rank == 1 else 90
        covered.update(shortfall if score.rank == 1 else ())
        (day60 if due == 60 else day90).append(
            Action(
                title=f"{names.get(score.entity, score.entity)}: list on {score.label}",
                rationale=score.why,
                due_in_days=due,
                entity=score.entity,
                finding_ids=tuple(shortfall) if score.rank == 1 else (),
                effort=score.effort,
                cost_tier=CostTier.REVENUE,
                monthly_effect=score.net,
            )
        )
    rest = [f for f in ranked if f.id not in covered]
    for group in _group(rest):
        tier = group[0].cost_tier
        due = 60 if tier in (CostTier.ZERO_COST, CostTier.LOW_COST) else 90
        (day60 if due == 60 else day90).append(_action(group, names, due))
    return day30, day60, day90


def _email_action(case: EmailCase, names: dict[str, str]) -> Action:
    name = names.get(case.entity, case.entity)
    return Action(
        title=f"{name}: send one offer email to the {case.list_size:,} opted-in subscribers",
        rationale=f"Modelled {brief_money(case.revenue)} per blast at {case.rates}.",
        due_in_days=30,
        entity=case.entity,
        effort=Effort.HOURS,
        cost_tier=CostTier.ZERO_COST,
        monthly_effect=case.revenue,
        provenance=case.provenance,
    )


class CmoReport(BaseReport):
    """The ``cmo`` report plugin."""

    name = "cmo"
    title = "CMO report"
    audience = "CMO"
    Options = CmoOptions

    def build(self, ctx: ReportContext) -> Document:
        """Arrange the marketing analysis into the CMO document."""
        settings = ctx.config.reports.get(self.name)
        options = settings.options if settings is not None else None
        if not isinstance(options, CmoOptions):
            options = CmoOptions()
        result = ctx.typed(MARKETING, MarketingResult)
        names = {info.id: info.name for info in ctx.snapshot.entities}
        warnings = [
            Bullet(f"{names.get(e.entity, e.entity)}: {e.describe()}", (e.provenance,))
            for e in ctx.snapshot.errors()
            if e.source_kind in ("site", "bookings", "subscribers", "handoff")
        ]
        ranked = rank_findings(list(result.findings))
        summary = [
            Bullet(
                f.title
                if names.get(f.entity or "", "") in f.title
                else f"{names.get(f.entity or '', 'Portfolio')}: {f.title}",
                f.provenance,
            )
            for f in ranked[: options.summary_size]
        ]
        for case in result.email:
            summary.append(
                Bullet(
                    f"{names.get(case.entity, case.entity)}: one email to {case.list_size:,} "
                    f"subscribers is worth {brief_money(case.revenue)} at {case.rates}.",
                    case.provenance,
                )
            )
        day30, day60, day90 = milestones(result, names, options.otas_in_plan)
        sections = (
            Section("Channel visibility", _matrix(result, names), id="channels"),
            Section("Booking funnel", _funnel(result, names), id="funnel"),
            Section("Email blast case", _email(result, names), id="email"),
            Section("OTA order", _otas(result, names), id="otas"),
            Section("Local SEO roadmap", _seo(result), id="seo"),
            Section(
                "30/60/90-day milestones",
                (
                    ActionPlan(tuple(day30), "First 30 days (zero-cost first)"),
                    ActionPlan(tuple(day60), "By day 60"),
                    ActionPlan(tuple(day90), "By day 90"),
                ),
                id="milestones",
            ),
        )
        return self.document(
            ctx,
            summary=tuple(summary),
            sections=sections,
            warnings=tuple(warnings),
        )


@hookimpl
def register_reports() -> list[Report]:
    """The CMO report."""
    return [CmoReport()]
