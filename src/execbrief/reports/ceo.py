"""The CEO report: the portfolio on one page, from the handoff notes up.

Summary bullets (the worst shortfalls) come first, then: the asset inventory, each entity's
stated figures, the critical shortfalls (the ``briefing`` analysis' plus any analysis' finding that
is critical or tagged ``shortfall``), the missing KPIs, and a 30-day action plan ranked from the
shortfalls. Sources that could not be read show as warnings at the top, so the gap is visible.
Everything here is arranged from analysis results; nothing is computed that an analysis owns.
"""

from __future__ import annotations

from pydantic import Field

from execbrief.analysis.briefing import FIGURES, BriefingResult, EntityBrief
from execbrief.analysis.briefing import NAME as BRIEFING
from execbrief.config import Model
from execbrief.document import (
    BRIEF_FIGURES,
    ActionPlan,
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
from execbrief.errors import describe_failure
from execbrief.findings import Action, Finding, Metric, Severity, rank_findings
from execbrief.hookspecs import hookimpl
from execbrief.reports.base import BaseReport, Report, ReportContext
from execbrief.reports.ceo_finance import extend_ceo
from execbrief.sentences import first_sentence
from execbrief.snapshot import Provenance

#: Days until an action is due, by the severity of the finding behind it (all within 30 days).
DUE_IN_DAYS: dict[Severity, int] = {
    Severity.CRITICAL: 7,
    Severity.HIGH: 14,
    Severity.MEDIUM: 21,
    Severity.LOW: 30,
    Severity.INFO: 30,
}


class CeoOptions(Model):
    """``[reports.ceo]`` options: how many shortfalls the summary names and the plan holds."""

    summary_size: int = Field(default=6, ge=1, le=20)
    plan_size: int = Field(default=10, ge=1, le=50)


def is_shortfall(finding: Finding) -> bool:
    """What the CEO report counts as a critical shortfall: critical, or tagged ``shortfall``."""
    return finding.severity is Severity.CRITICAL or finding.shortfall


class CeoReport(BaseReport):
    """The ``ceo`` report plugin."""

    name = "ceo"
    title = "CEO briefing"
    audience = "CEO"
    Options = CeoOptions

    def build(self, ctx: ReportContext) -> Document:
        """Arrange the briefing analysis (and every analysis' shortfalls) into the CEO document."""
        options = _options(ctx)
        briefing = ctx.typed(BRIEFING, BriefingResult)
        names = {info.id: info.name for info in ctx.snapshot.entities}
        warnings = [
            Bullet(f"{names.get(e.entity, e.entity)}: {e.describe()}", (e.provenance,))
            for e in ctx.snapshot.errors()
        ]
        stale = _stale(ctx, names)
        warnings += stale
        others, failed = _other_findings(ctx)
        warnings += [Bullet(message) for message in failed]
        shortfalls = rank_findings(
            _merge([f for f in briefing.findings if is_shortfall(f)], others)
        )
        kpis = [f for f in briefing.findings if "kpi" in f.tags]

        summary = _summary(shortfalls, names, options.summary_size)
        shown = sum(len(group) for group in _groups(shortfalls)[: options.summary_size])
        if not shortfalls:
            summary.append(Bullet("No critical shortfalls found in the notes and data."))
        elif len(shortfalls) > shown:
            more = len(shortfalls) - shown
            summary.append(
                Bullet(
                    f"{more} more shortfall{'s' if more > 1 else ''} below, {_count_kpis(kpis)}."
                )
            )
        if warnings:
            summary.append(Bullet(_problems_line(len(warnings), len(stale))))

        sections = (
            Section("Asset inventory", _inventory(briefing), id="inventory"),
            Section("Entity figures", _figures(briefing), id="figures"),
            Section(
                "Critical shortfalls",
                (Findings(tuple(shortfalls), empty_text="No critical shortfalls found."),),
                id="shortfalls",
            ),
            Section(
                "Missing KPIs",
                # the findings too, so history stores them and a KPI stated later is "resolved"
                (*_missing_kpis(briefing), Findings(tuple(kpis), title="Not tracked")),
                id="kpis",
            ),
            Section(
                "30-day action plan",
                (ActionPlan(_plan(shortfalls, names, options.plan_size)),),
                id="plan",
            ),
        )
        document = self.document(
            ctx,
            summary=summary,
            sections=sections,
            warnings=warnings,
            brief=Brief(figures=_key_figures(briefing)),
        )
        # The P&L roll-up and the KPI framework from the data (and the reconciliation gate).
        return extend_ceo(ctx, document)


def _options(ctx: ReportContext) -> CeoOptions:
    settings = ctx.config.reports.get("ceo")
    found = settings.options if settings is not None else None
    return found if isinstance(found, CeoOptions) else CeoOptions()


def _problems_line(count: int, stale: int) -> str:
    """The summary's line on the warnings: a stale source was read (its figures may be out of
    date); only what failed to read is missing."""
    clauses = []
    if count > stale:
        clauses.append("figures from what could not be read are missing")
    if stale:
        clauses.append(
            "figures from the stale source"
            + ("s" if stale > 1 else "")
            + " are used but may be out of date"
        )
    plural = "s" if count > 1 else ""
    return f"{count} source problem{plural}: see the warnings above; {'; '.join(clauses)}."


def _stale(ctx: ReportContext, names: dict[str, str]) -> list[Bullet]:
    """A warning per source older than its freshness limit: its figures may be out of date."""
    out: list[Bullet] = []
    for result in ctx.snapshot.stale_sources():
        fresh = result.freshness
        if fresh is None:
            continue
        where = ", ".join(result.paths) or result.kind
        out.append(
            Bullet(
                f"{names.get(result.entity, result.entity)}: the {result.kind} source ({where}) is "
                f"{fresh.age_days} days old, over the {fresh.limit_days}-day limit; its figures "
                "may be out of date",
                tuple(Provenance(path) for path in result.paths),
            )
        )
    return out


def _other_findings(ctx: ReportContext) -> tuple[list[Finding], list[str]]:
    """Shortfalls of every other analysis; one that fails becomes a warning, not a failed report.

    The analyses are taken one at a time, so that a broken analysis loses only its own findings.
    """
    found: list[Finding] = []
    failed: list[str] = []
    for name in sorted(ctx.analyses):
        if name == BRIEFING:
            continue
        try:
            result = ctx.analysis(name)
        except Exception as exc:  # one broken analysis must not stop the CEO report
            failed.append(
                describe_failure(
                    f"the {name} analysis", exc, "its shortfalls are missing from this report"
                )
            )
            continue
        found.extend(f for f in result.findings if is_shortfall(f))
    return found, failed


def _merge(own: list[Finding], others: list[Finding]) -> list[Finding]:
    """The briefing's shortfalls plus the others', without showing one problem twice.

    A finding of another analysis that cites a note line a briefing finding cites (finance's
    equity rule over the same handoff facts) is the same claim, and the briefing's is kept: it
    quotes the note the CEO knows. So does one on a briefing finding's topic, except on a topic
    of :data:`DATA_WINS`: there a finding computed from the data (``operations.unbilled`` from
    the timesheets against ``briefing.unbilled-work`` from a note's sentence) replaces the
    briefing's, since the data is the figure; the note's figure is weighed against it in
    "Notes against the data".
    """
    cited = {(f.entity, p.source, p.line) for f in own for p in f.provenance if p.line is not None}
    notes = {p.source for f in own for p in f.provenance}
    seen = {f.id for f in own}
    kept = dict(enumerate(own))  # by place: a finding replaced leaves the others' order
    on_topic: dict[tuple[str | None, str], list[int]] = {}
    for place, kept_finding in kept.items():
        for topic in _topics(kept_finding.rule):
            on_topic.setdefault((kept_finding.entity, topic), []).append(place)
    added: list[Finding] = []
    for finding in others:
        if finding.id in seen:
            continue
        if any(
            (finding.entity, p.source, p.line) in cited
            for p in finding.provenance
            if p.line is not None
        ):
            continue
        topics = {(finding.entity, topic) for topic in _topics(finding.rule)}
        # the kept findings on one of its topics, looked up (1,000 entities' findings scanned
        # against each other was a fifth of the CEO report)
        same = {place for key in topics for place in on_topic.get(key, ()) if place in kept}
        measured = {t for _, t in topics} & DATA_WINS
        if same and (not measured or any(p.source in notes for p in finding.provenance)):
            continue  # the same problem, as the note tells it
        for place in same:
            del kept[place]
        seen.add(finding.id)
        added.append(finding)
    return [*kept.values(), *added]


#: Words in rule names that name one problem whichever analysis found it.
TOPICS = frozenset({"pipeline", "equity", "ota", "funnel", "unbilled"})
#: Topics where the data measures the very figure the note states (unbilled work from the
#: timesheets): the data's finding replaces the note's. On the others (a note's own funnel, an
#: equity promise) the briefing's finding quotes what only the note says, and is kept.
DATA_WINS = frozenset({"unbilled"})


def _topics(rule: str) -> set[str]:
    words = set(rule.replace(".", "-").replace("_", "-").split("-"))
    return words & TOPICS


def _count_kpis(kpis: list[Finding]) -> str:
    return f"{len(kpis)} KPI{'s' if len(kpis) != 1 else ''} not tracked"


def _inventory(briefing: BriefingResult) -> tuple[Table | Metrics, ...]:
    rows = []
    ordered = sorted(briefing.entities, key=lambda b: (b.stream, b.kind, b.name))
    for brief in ordered:
        note = ", ".join(p.source for p in brief.notes) if brief.notes else None
        cited = brief.notes
        if not brief.readable and brief.paths:
            note = ", ".join(brief.paths) + " (unreadable)"
            cited = tuple(Provenance(path) for path in brief.paths)
        rows.append(
            Row(
                (brief.name, brief.kind, "revenue stream" if brief.stream else "company", note),
                cited,
            )
        )
    inventory = tuple(m for m in briefing.metrics if m.id.startswith(f"{BRIEFING}.inventory."))
    return (
        Table(("Entity", "Kind", "Type", "Handoff note"), tuple(rows), align=("l", "l", "l", "l")),
        Metrics(inventory, title="Counts"),
    )


def _figures(briefing: BriefingResult) -> tuple[Metrics | Paragraph, ...]:
    blocks: list[Metrics | Paragraph] = [
        Paragraph("Figures as the handoff notes state them; a dash means the note does not say.")
    ]
    for brief in briefing.entities:
        blocks.append(Metrics(_entity_figures(brief), title=f"{brief.name} ({_what(brief)})"))
    return tuple(blocks)


#: The brief's key figures: each entity's stated cash, then the runways the notes state.
KEY_FIGURES = ("cash", "runway")


def _key_figures(briefing: BriefingResult) -> tuple[KeyFigure, ...]:
    """The CEO brief's figures: cash per entity, then stated runways (at most ten)."""
    out = [
        KeyFigure(figure, label=f"{label}, {brief.name}")
        for key, label in ((k, dict(FIGURES)[k]) for k in KEY_FIGURES)
        for brief in briefing.entities
        if (figure := brief.figure(key)) is not None
    ]
    return tuple(out[:BRIEF_FIGURES])


def _what(brief: EntityBrief) -> str:
    kind = f"{brief.kind}, {'revenue stream' if brief.stream else 'company'}"
    if not brief.has_note:
        return f"{kind}; no handoff note"
    if not brief.readable:
        return f"{kind}; note unreadable"
    return kind


def _entity_figures(brief: EntityBrief) -> tuple[Metric, ...]:
    out: list[Metric] = []
    for key, label in FIGURES:
        stated = brief.figure(key)
        if stated is not None:
            out.append(stated)
        elif key != "equity_agreement_signed":
            out.append(
                Metric(f"{BRIEFING}.{key}", label, None, entity=brief.entity, formula="not stated")
            )
    return tuple(out)


def _missing_kpis(briefing: BriefingResult) -> tuple[Paragraph | BulletList, ...]:
    items = []
    for brief in briefing.entities:
        if not brief.readable:
            continue
        total = len(brief.tracked_kpis) + len(brief.missing_kpis)
        if brief.missing_kpis:
            text = (
                f"{brief.name} ({brief.kind}) tracks {len(brief.tracked_kpis)} of {total}; "
                f"missing: {', '.join(k.lower() for k in brief.missing_kpis)}."
            )
        else:
            text = f"{brief.name} ({brief.kind}) tracks all {total} KPIs of its kind."
        items.append(Bullet(text, brief.notes))
    intro = Paragraph(
        "Each kind of business has a short list of KPIs it should track (docs/metrics.md, "
        "'Briefing'); these are the ones no handoff note states."
    )
    return (intro, BulletList(tuple(items)))


def _groups(shortfalls: list[Finding]) -> list[list[Finding]]:
    """Ranked shortfalls grouped by rule, in the rank of each rule's best finding."""
    groups: dict[str, list[Finding]] = {}
    for finding in shortfalls:
        groups.setdefault(finding.rule, []).append(finding)
    return list(groups.values())


def _summary(shortfalls: list[Finding], names: dict[str, str], size: int) -> list[Bullet]:
    """One bullet per rule for the ``size`` worst rules, so five leaked keys take one line."""
    out: list[Bullet] = []
    for group in _groups(shortfalls)[:size]:
        text = _headline(group[0], names)
        if len(group) > 1:
            others = list(dict.fromkeys(names.get(f.entity or "", "Portfolio") for f in group[1:]))
            text += f" (and {len(group) - 1} more like it: {', '.join(others)})"
        provenance = tuple(dict.fromkeys(p for f in group for p in f.provenance))
        out.append(Bullet(text, provenance))
    return out


def _headline(finding: Finding, names: dict[str, str]) -> str:
    """A finding's title, prefixed with its entity's name unless the title already names it."""
    who = names.get(finding.entity or "", "Portfolio")
    return finding.title if finding.title.startswith(who) else f"{who}: {finding.title}"


def _plan(shortfalls: list[Finding], names: dict[str, str], size: int) -> tuple[Action, ...]:
    """The 30-day plan: one action per fix (the first sentence of the recommendation), in the
    rank of its worst shortfall, naming every place it covers."""
    groups: dict[str, list[Finding]] = {}
    for finding in shortfalls:
        groups.setdefault(first_sentence(finding.recommendation), []).append(finding)
    return tuple(_action(fix, group, names) for fix, group in list(groups.items())[:size])


def _action(fix: str, group: list[Finding], names: dict[str, str]) -> Action:
    places = list(dict.fromkeys(names.get(f.entity or "", "Portfolio") for f in group))
    first = group[0]
    return Action(
        title=fix if len(group) > 1 else f"{places[0]}: {fix}",
        rationale="; ".join(f.title for f in group) + ".",
        due_in_days=min(DUE_IN_DAYS[f.severity] for f in group),
        entity=", ".join(places) if len(group) > 1 else first.entity,
        finding_ids=tuple(f.id for f in group),
        effort=first.effort,
        cost_tier=first.cost_tier,
        # a sum of several findings' effects is not one action's expected effect
        monthly_effect=first.monthly_effect if len(group) == 1 else None,
        provenance=tuple(dict.fromkeys(p for f in group for p in f.provenance)),
    )


@hookimpl
def register_reports() -> list[Report]:
    """The CEO report."""
    return [CeoReport()]
