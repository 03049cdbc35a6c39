"""Briefing: what the handoff notes say and what they reveal, for the CEO report.

- the asset inventory: companies and revenue streams, by kind;
- per entity the figures the notes state (burn, cash, runway, revenue, pipeline, equity promised),
  each a ``Metric`` citing the note line;
- critical shortfalls, found by rules over the facts (tag ``shortfall``): an empty pipeline, an
  unsigned or at-risk equity promise, zero OTA listings for a charter or rental, a funnel step with
  no conversions, unbilled work mentioned, key facts (cash, burn) not stated, an unreadable note;
- missing KPIs: a catalogue of KPIs per entity kind compared with what the notes track (tag
  ``kpi``, low severity).

Finding ids are ``briefing.<rule>:<entity>[:<detail>]``. The rules and the catalogue are
documented in ``docs/metrics.md`` ("Briefing"). Checks over ledgers and bookings belong to other
analyses; this one reads only the notes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from itertools import pairwise

from pydantic import Field

from execbrief.analysis.base import Analysis, first_by
from execbrief.analysis.marketing.funnel import DROP_SHARE, STEP_COUNTS, pooled_rate, stage_of
from execbrief.analysis.marketing.funnel import funnel as booking_funnel
from execbrief.config import Config, Model
from execbrief.findings import (
    AnalysisResult,
    CostTier,
    Effort,
    Finding,
    Metric,
    MetricValue,
    Severity,
)
from execbrief.hookspecs import hookimpl
from execbrief.records import channels
from execbrief.records.bookings import Booking
from execbrief.records.handoff import Fact, FunnelStep, NoteSection
from execbrief.snapshot import EntityInfo, Provenance, Snapshot, SourceError
from execbrief.sources.vocabulary import BY_KEY
from execbrief.values import Money, MoneyRange, Percent, Period, extract_money, format_money

NAME = "briefing"
HANDOFF = "handoff"
STATED = "as stated in the handoff note"
MAX_QUOTES = 2

#: The figures shown per entity, in order: fact key -> metric label.
FIGURES: tuple[tuple[str, str], ...] = (
    ("revenue", "Revenue"),
    ("burn", "Burn"),
    ("cash", "Cash"),
    ("runway", "Runway"),
    ("pipeline", "Pipeline"),
    ("equity_obligations", "Equity promised"),
    ("equity_agreement_signed", "Equity agreement signed"),
)

_EMPTY_TEXT = re.compile(
    r"\b(?:none|empty|nothing|no (?:leads|deals|prospects|proposals)|dry)\b", re.I
)
_AT_RISK = re.compile(r"\b(?:at risk|dispute[sd]?|disputing|contested|unclear|in question)\b", re.I)
_UNSIGNED = re.compile(
    r"\b(?:not signed|unsigned|verbal(?:ly)?|handshake|no (?:written )?agreement|not in writing|"
    r"nothing (?:is )?(?:signed|on paper))\b",
    re.I,
)
#: Phrases saying work went unbilled (the lookahead, their first letters, skips every other place).
_UNBILLED = re.compile(
    r"(?=[unh])\b(?:unbilled|un-billed|uninvoiced|not\s+(?:yet\s+)?(?:been\s+)?(?:invoiced|billed)|"
    r"never\s+(?:been\s+)?(?:invoiced|billed)|never\s+(?:made\s+it|got|went)\s+onto?\s+an?\s+invoices?|"
    r"(?:haven't|hasn't|have\s+not|has\s+not)\s+(?:been\s+)?(?:invoiced|billed))\b",
    re.I,
)
#: The label of a line that, beside an equity promise, is its agreement ("Agreement: verbal").
_AGREEMENT_LABEL = re.compile(
    r"(?:(?:equity|partner|partnership|shareholder|shareholders|operating|vesting|written|signed)\s+)?"
    r"(?:agreement|contract|paperwork|documents|docs)(?:\s+status)?"
)
_NOT_DONE = re.compile(
    r"^\s*(?:none|no|not|nothing|n/a)\b|\b(?:draft(?:ed)?|pending|tbd|not yet|to do|todo)\b", re.I
)
_SIGNED = re.compile(r"\b(?:signed|executed|in place)\b", re.I)
#: A negation just before "unbilled": the sentence says there is none.
_NEGATED = re.compile(r"\b(?:no|nothing|zero|without|none of the|not any)\s+(?:\w+\s+)?$", re.I)
#: Where a sentence ends: a full stop, ! or ? before white space, or a blank line.
_SENTENCE_END = re.compile(r"[.!?](?=\s|$)|\n[ \t]*\n")


@dataclass(frozen=True)
class Kpi:
    """A KPI an entity of some kind should track.

    It counts as tracked when the notes state any fact whose key is in ``keys`` (or, with
    ``funnel``, when they hold a funnel table).
    """

    key: str
    label: str
    why: str
    keys: tuple[str, ...] = ()
    funnel: bool = False

    def tracked_by(self) -> tuple[str, ...]:
        """Fact keys that count as tracking this KPI."""
        return self.keys or (self.key,)


def _kpi(
    key: str, why: str, *, keys: tuple[str, ...] = (), funnel: bool = False, label: str = ""
) -> Kpi:
    return Kpi(key, label or BY_KEY[key].label, why, keys, funnel)


_CONVERSION = "shows where enquiries are lost between first contact and a paid booking"
_RATING = "drives ranking and conversion on Google and the booking sites"

#: The KPI catalogue: per entity kind, what an operator of that kind should track.
KPI_CATALOGUE: dict[str, tuple[Kpi, ...]] = {
    "charter": (
        _kpi("bookings", "the volume the season is judged by"),
        _kpi("utilisation", "unsold boat-days are the largest hidden cost of a charter fleet"),
        _kpi(
            "average_booking_value", "with bookings, gives revenue and shows the effect of pricing"
        ),
        _kpi("ota_listings", "online travel agencies bring most first-time charter customers"),
        _kpi("review_rating", _RATING),
        _kpi("conversion_rate", _CONVERSION, funnel=True),
        _kpi("repeat_rate", "repeat and referred guests cost nothing to acquire"),
    ),
    "hauling": (
        _kpi("jobs", "the volume the crew and truck are sized for"),
        _kpi(
            "average_job_value", "with jobs, gives revenue and shows the effect of minimum prices"
        ),
        _kpi("cost_per_lead", "paid lead channels are the main variable cost of growth"),
        _kpi("conversion_rate", "shows how many quotes become jobs", funnel=True),
        _kpi("utilisation", "an idle truck still costs its loan, insurance and crew"),
        _kpi("review_rating", _RATING),
        _kpi("repeat_rate", "property managers and repeat clients smooth the calendar"),
    ),
    "consultancy": (
        _kpi("utilisation", "billable hours over available hours: the engine of a services firm"),
        _kpi(
            "realisation", "billed over worked value: shows discounts, write-offs and unbilled work"
        ),
        _kpi("pipeline", "months of future work; an empty pipeline is next quarter's cash crisis"),
        _kpi("mrr", "retainers carry the fixed costs between projects", keys=("mrr", "arr")),
        _kpi("accounts_receivable", "billed but uncollected cash"),
        _kpi("day_rate", "the price lever; with utilisation and realisation it gives revenue"),
    ),
    "rental": (
        _kpi("occupancy", "nights sold over nights available"),
        _kpi("adr", "with occupancy, gives revenue per available night"),
        _kpi("ota_listings", "each listing site reaches different guests"),
        _kpi("review_rating", _RATING),
        _kpi("length_of_stay", "short stays multiply cleaning costs and turnover work"),
        _kpi("revenue", "the unit's contribution to the holding company"),
    ),
    "delivery": (
        _kpi("deliveries", "the volume the skippers and crew pool are sized for"),
        _kpi("day_rate", "the price lever of a delivery service"),
        _kpi("pipeline", "deliveries are seasonal and booked months ahead"),
        _kpi("conversion_rate", "shows how many enquiries become deliveries", funnel=True),
        _kpi("utilisation", "days at sea over days available for the skippers"),
        _kpi("review_rating", "brokers and owners choose skippers by reputation"),
    ),
    "platform": (
        _kpi("active_users", "the supply and demand a marketplace lives on"),
        _kpi("placements", "the transactions the platform is paid for"),
        _kpi("take_rate", "the share of each transaction the platform keeps"),
        _kpi("churn", "users lost each month; growth must outrun it"),
        _kpi("cac", "what a new paying user costs; must stay well below their lifetime value"),
        _kpi("email_list", "an owned channel to reach users without paying for ads"),
    ),
    "other": (
        _kpi("revenue", "the top line"),
        _kpi("expenses", "the cost base"),
    ),
}


#: A rental let by the month (its note states a monthly rent): no nightly rate or occupancy to
#: track, but the rent, the months let and what the unit returns (docs/metrics.md, "KPI catalogue").
LONG_TERM_LET: tuple[Kpi, ...] = (
    _kpi("monthly_rent", "the rent is the unit's revenue; with the months let it gives vacancy"),
    _kpi("revenue", "the unit's contribution to the holding company"),
    _kpi("property_value", "with NOI, gives the cap rate"),
    _kpi("cash_invested", "with the cash flow, gives the cash-on-cash return"),
)


class BriefingOptions(Model):
    """``[analysis.briefing]``: which kinds need OTA listings, and which facts every note must state."""

    ota_kinds: list[str] = Field(default_factory=lambda: ["charter", "rental"])
    required_facts: list[str] = Field(default_factory=lambda: ["cash", "burn"])
    extra_kpis: dict[str, list[str]] = Field(default_factory=dict)


@dataclass(frozen=True)
class EntityBrief:
    """What the notes say about one entity: its figures (as metrics) and its KPI coverage.

    ``notes`` cites each note read; ``readable`` is False when a note could not be read at all,
    and ``paths`` then names the notes the config gives, so the report can show which is missing.
    ``unbilled`` is the unbilled amount the notes state and where (``stated_unbilled``), for
    what weighs the notes against the data.
    """

    entity: str
    name: str
    kind: str
    stream: bool
    notes: tuple[Provenance, ...] = ()
    figures: tuple[Metric, ...] = ()
    tracked_kpis: tuple[str, ...] = ()
    missing_kpis: tuple[str, ...] = ()
    readable: bool = True
    has_note: bool = True
    paths: tuple[str, ...] = ()
    unbilled: tuple[Money | MoneyRange, Provenance] | None = None

    def figure(self, key: str) -> Metric | None:
        """The figure ``briefing.<key>``, or None when the notes do not state it."""
        return next((m for m in self.figures if m.id == f"{NAME}.{key}"), None)


@dataclass(frozen=True)
class BriefingResult(AnalysisResult):
    """The briefing analysis' metrics and findings, plus one ``EntityBrief`` per entity."""

    entities: tuple[EntityBrief, ...] = ()

    def brief(self, entity: str) -> EntityBrief | None:
        """The brief of one entity."""
        return self._by_entity.get(entity)

    @cached_property
    def _by_entity(self) -> dict[str, EntityBrief]:
        return first_by(self.entities, lambda b: b.entity)


# --------------------------------------------------------------------------------------------
# Reading facts
# --------------------------------------------------------------------------------------------


def _is_zero(value: MetricValue) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int | Decimal):
        return value == 0
    if isinstance(value, Money):
        return value.is_zero
    if isinstance(value, MoneyRange):
        return value.high.is_zero
    if isinstance(value, Percent):
        return value.value == 0
    return False


def _typed(fact: Fact) -> bool:
    """Whether a known fact's value has one of its term's types (not left as text)."""
    return not isinstance(fact.value, str) or BY_KEY[fact.key].types[0].value == "text"


def best_fact(facts: Iterable[Fact], key: str) -> Fact | None:
    """The fact to show for a key: the first typed one, else the first one (text)."""
    matching = [f for f in facts if f.known and f.key == key]
    return next((f for f in matching if _typed(f)), matching[0] if matching else None)


def _cite_all(items: Iterable[Provenance]) -> str:
    return ", ".join(p.cite() for p in items)


def _quote(fact: Fact) -> str:
    return f"'{fact.label}: {fact.raw}' ({fact.provenance.cite()})"


def _money_text(value: Money | MoneyRange) -> str:
    return format_money(value, compact=True)


# --------------------------------------------------------------------------------------------
# The analysis
# --------------------------------------------------------------------------------------------


class Briefing:
    """The ``briefing`` analysis plugin."""

    name = NAME
    description = "Asset inventory, stated figures, critical shortfalls and missing KPIs from the handoff notes."
    Options = BriefingOptions
    EntityOptions = None

    def analyze(self, snapshot: Snapshot, config: Config | None = None) -> BriefingResult:
        """Inventory, figures, shortfalls and KPI gaps over the snapshot's handoff records."""
        options = _options(config)
        metrics: list[Metric] = list(_inventory(snapshot, config))
        findings: list[Finding] = []
        briefs: list[EntityBrief] = []
        for info in snapshot.entities:
            brief, entity_findings = _entity(snapshot, info, options)
            briefs.append(brief)
            metrics.extend(brief.figures)
            if brief.has_note and brief.readable:
                metrics.append(
                    Metric(
                        f"{NAME}.kpi.missing",
                        "Missing KPIs",
                        ", ".join(brief.missing_kpis) or "none",
                        entity=info.id,
                        formula="KPIs in the catalogue for the entity's kind that no note states",
                        provenance=brief.notes,
                    )
                )
                total = len(brief.tracked_kpis) + len(brief.missing_kpis)
                if total:
                    metrics.append(
                        Metric(
                            f"{NAME}.kpi.coverage",
                            "KPI coverage",
                            Percent(
                                (Decimal(100 * len(brief.tracked_kpis)) / total).quantize(
                                    Decimal(1)
                                )
                            ),
                            entity=info.id,
                            unit="%",
                            formula="KPIs tracked ÷ KPIs in the catalogue for the kind",
                            provenance=brief.notes,
                        )
                    )
            findings.extend(entity_findings)
        return BriefingResult(
            name=NAME, metrics=tuple(metrics), findings=tuple(findings), entities=tuple(briefs)
        )


def _options(config: Config | None) -> BriefingOptions:
    found = config.analysis_options(NAME) if config is not None else None
    return found if isinstance(found, BriefingOptions) else BriefingOptions()


def _inventory(snapshot: Snapshot, config: Config | None) -> list[Metric]:
    where = (Provenance(config.path.name),) if config is not None else ()
    companies = [e for e in snapshot.entities if not e.stream]
    streams = [e for e in snapshot.entities if e.stream]
    out = [
        Metric(
            f"{NAME}.inventory.companies",
            "Companies",
            len(companies),
            formula="entities with stream = false",
            provenance=where,
        ),
        Metric(
            f"{NAME}.inventory.streams",
            "Revenue streams",
            len(streams),
            formula="entities with stream = true",
            provenance=where,
        ),
    ]
    kinds: dict[str, list[EntityInfo]] = defaultdict(list)
    for info in snapshot.entities:
        kinds[info.kind].append(info)
    for kind in sorted(kinds):
        out.append(
            Metric(
                f"{NAME}.inventory.kind.{kind}",
                f"Kind: {kind}",
                len(kinds[kind]),
                formula="entities of this kind: " + ", ".join(e.name for e in kinds[kind]),
                provenance=where,
            )
        )
    return out


def _entity(
    snapshot: Snapshot, info: EntityInfo, options: BriefingOptions
) -> tuple[EntityBrief, list[Finding]]:
    results = list(snapshot.results_for(entity=info.id, kind=HANDOFF))
    facts = snapshot.records(Fact, info.id)
    steps = snapshot.records(FunnelStep, info.id)
    sections = snapshot.records(NoteSection, info.id)
    errors = [e for result in results for e in result.errors]
    read = sorted({r.provenance.source for r in (*facts, *steps, *sections)})
    notes = tuple(Provenance(source) for source in read)
    findings: list[Finding] = []
    if not results:
        findings.append(_no_note(info))
        return EntityBrief(
            info.id, info.name, info.kind, info.stream, has_note=False, readable=False
        ), findings
    if not read:
        paths = tuple(dict.fromkeys(p for result in results for p in result.paths))
        findings.append(_unreadable(info, errors, paths))
        return EntityBrief(
            info.id, info.name, info.kind, info.stream, readable=False, paths=paths
        ), findings

    figures = tuple(
        _figure(info, fact, label) for key, label in FIGURES if (fact := best_fact(facts, key))
    )
    findings.extend(_empty_pipeline(info, facts))
    findings.extend(_equity(info, facts))
    if info.kind in options.ota_kinds:
        findings.extend(_zero_ota(info, facts))
    findings.extend(_funnel_stalls(info, steps, sections))
    if steps:  # the bookings' rates are weighed against a note's funnel steps only
        findings.extend(_funnel_drops(info, steps, _earlier_rates(snapshot, info, facts)))
    mentions = _mentions(sections, snapshot.currency)
    findings.extend(_unbilled(info, facts, mentions))
    findings.extend(_missing_facts(info, facts, options.required_facts, notes))
    tracked, missing, kpi_findings = _kpis(info, facts, steps, notes, options)
    findings.extend(kpi_findings)
    brief = EntityBrief(
        info.id,
        info.name,
        info.kind,
        info.stream,
        notes,
        figures,
        tracked,
        missing,
        unbilled=stated_unbilled(facts, mentions),
    )
    return brief, findings


def _figure(info: EntityInfo, fact: Fact, label: str) -> Metric:
    value: MetricValue = fact.value
    unit = None
    if fact.key == "runway":
        unit = "months"
    elif fact.key == "pipeline" and isinstance(value, int):
        unit = "leads"
    return Metric(
        f"{NAME}.{fact.key}",
        label,
        value,
        entity=info.id,
        unit=unit,
        formula=STATED,
        provenance=(fact.provenance,),
    )


# --------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------


def _no_note(info: EntityInfo) -> Finding:
    return Finding(
        id=f"{NAME}.no-note:{info.id}",
        rule=f"{NAME}.no-note",
        title=f"{info.name} has no handoff note",
        severity=Severity.MEDIUM,
        entity=info.id,
        evidence="portfolio.toml gives no handoff note for this entity, so none of its figures are stated.",
        recommendation='Ask the operator for a one-page handoff note (see docs/formats.md) and add it as `handoff = "..."`.',
        effort=Effort.HOURS,
        impact=2,
        shortfall=True,
        tags=("data",),
        cost_tier=CostTier.ZERO_COST,
    )


def _unreadable(info: EntityInfo, errors: list[SourceError], paths: tuple[str, ...]) -> Finding:
    evidence = (
        "; ".join(e.describe() for e in errors)
        or f"nothing could be read from {', '.join(paths)} (the note is empty)"
    )
    provenance = tuple(e.provenance for e in errors) or tuple(Provenance(p) for p in paths)
    return Finding(
        id=f"{NAME}.note-unreadable:{info.id}",
        rule=f"{NAME}.note-unreadable",
        title=f"{info.name}: the handoff note could not be read, so its figures are unknown",
        severity=Severity.HIGH,
        entity=info.id,
        evidence=evidence,
        recommendation="Fix or replace the note (UTF-8 markdown, see docs/formats.md) and run the report again.",
        effort=Effort.HOURS,
        impact=3,
        shortfall=True,
        tags=("data",),
        provenance=provenance,
        cost_tier=CostTier.ZERO_COST,
    )


def _empty_pipeline(info: EntityInfo, facts: list[Fact]) -> list[Finding]:
    pipeline = [f for f in facts if f.known and f.key == "pipeline"]
    if not pipeline:
        return []
    empty = [
        f
        for f in pipeline
        if _is_zero(f.value) or (isinstance(f.value, str) and _EMPTY_TEXT.search(f.value))
    ]
    if len(empty) != len(pipeline):
        return []
    return [
        Finding(
            id=f"{NAME}.empty-pipeline:{info.id}",
            rule=f"{NAME}.empty-pipeline",
            title=f"{info.name} has an empty sales pipeline",
            severity=Severity.CRITICAL,
            entity=info.id,
            evidence="The note states "
            + " and ".join(_quote(f) for f in empty)
            + ": no work is lined up after what is in hand.",
            recommendation=(
                "Start outreach this week: call past clients about follow-on work, write to warm "
                "contacts, and put a value and a date on every conversation in a simple pipeline list."
            ),
            effort=Effort.DAYS,
            impact=4,
            shortfall=True,
            tags=("sales",),
            provenance=tuple(f.provenance for f in empty),
            cost_tier=CostTier.REVENUE,
        )
    ]


def _equity(info: EntityInfo, facts: list[Fact]) -> list[Finding]:
    promises = [
        f
        for f in facts
        if f.known
        and f.key == "equity_obligations"
        and not _is_zero(f.value)
        and not (isinstance(f.value, str) and _EMPTY_TEXT.search(f.value))
    ]
    if not promises:
        return []
    places = {(f.provenance.source, f.section) for f in promises}
    beside = [
        f
        for f in facts
        if not f.known
        and (f.provenance.source, f.section) in places
        and _AGREEMENT_LABEL.fullmatch(" ".join(f.label.lower().split()))
    ]
    agreements = [f for f in facts if f.known and f.key == "equity_agreement_signed"] + beside
    texts = [f.raw for f in (*promises, *agreements)]
    at_risk = any(_AT_RISK.search(t) for t in texts)
    unsigned = (
        any(f.value is False for f in agreements)
        or any(_UNSIGNED.search(t) for t in texts)
        or any(_NOT_DONE.search(f.raw) for f in beside)
    )
    signed = any(f.value is True for f in agreements) or any(_SIGNED.search(f.raw) for f in beside)
    if signed and not unsigned and not at_risk:
        return []
    promise = promises[0]
    what = _money_or_share(promise)
    if unsigned or at_risk:
        state = "is not signed" if unsigned else "is at risk"
        severity = Severity.CRITICAL
        rule = "equity-unsigned" if unsigned else "equity-at-risk"
    else:
        state = "has no agreement the note mentions"
        severity = Severity.HIGH
        rule = "equity-at-risk"
    evidence = "The note states " + " and ".join(_quote(f) for f in (*promises, *agreements)) + "."
    return [
        Finding(
            id=f"{NAME}.{rule}:{info.id}",
            rule=f"{NAME}.{rule}",
            title=f"{info.name}: an equity promise ({what}) {state}",
            severity=severity,
            entity=info.id,
            evidence=evidence,
            recommendation=(
                "Put the promise in a signed agreement (amount, vesting schedule, cliff, IP "
                "assignment, what happens on a sale or exit) or withdraw it in writing."
            ),
            effort=Effort.DAYS,
            impact=4,
            shortfall=True,
            tags=("legal", "equity"),
            provenance=tuple(f.provenance for f in (*promises, *agreements)),
            cost_tier=CostTier.LOW_COST,
        )
    ]


def _money_or_share(fact: Fact) -> str:
    if isinstance(fact.value, Percent):
        return str(fact.value)
    if isinstance(fact.value, Money | MoneyRange):
        return _money_text(fact.value)
    return fact.raw if len(fact.raw) <= 40 else fact.raw[:37] + "..."


def _join(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


def _zero_ota(info: EntityInfo, facts: list[Fact]) -> list[Finding]:
    listings = [f for f in facts if f.known and f.key == "ota_listings"]
    zero = [f for f in listings if _is_zero(f.value)]
    if not listings or len(zero) != len(listings):
        return []
    sites = _join([c.label for c in channels.marketplaces_for(info.kind)])
    where = (
        f"List on {sites}" if sites else "List on the marketplaces where customers of its kind book"
    )
    return [
        Finding(
            id=f"{NAME}.zero-ota:{info.id}",
            rule=f"{NAME}.zero-ota",
            title=f"{info.name} is listed on no online travel agency",
            severity=Severity.HIGH,
            entity=info.id,
            evidence="The note states " + " and ".join(_quote(f) for f in zero) + ".",
            recommendation=f"{where}: photos, descriptions, insurance certificates and a calendar sync.",
            effort=Effort.DAYS,
            impact=4,
            shortfall=True,
            tags=("marketing", "distribution"),
            provenance=tuple(f.provenance for f in zero),
            cost_tier=CostTier.REVENUE,
        )
    ]


#: Words with which a note states why a step changed ("the template changed", "because", ...).
_CAUSE = re.compile(
    r"\b(?:changed|because|due to|since we|after we|stopped|switched|no ?one followed|"
    r"nobody followed|new (?:\w+ ){0,2}(?:policy|template|terms|price|prices|form))\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[^.!?]*[.!?]")


def stated_cause(sections: list[NoteSection], at: Provenance) -> tuple[str, Provenance] | None:
    """The first sentence of the note section holding ``at`` (a funnel table's line) that states
    a cause, and where it is; None when the section states none."""
    for section in sections:
        start, end = section.provenance.line, section.provenance.end_line
        if section.provenance.source != at.source or start is None or at.line is None:
            continue
        if not start <= at.line <= (end or start):
            continue
        lines = section.text.splitlines()
        prose = [(start + i, line) for i, line in enumerate(lines) if line and line[0] not in "#|"]
        text = " ".join(line.strip() for _, line in prose)
        for match in _SENTENCE.finditer(text):
            sentence = " ".join(match.group(0).split())
            if _CAUSE.search(sentence):
                words = sentence.split()[:3]
                opening = " ".join(words)
                line = next((n for n, row in prose if opening in " ".join(row.split())), start)
                return sentence, section.provenance.at_line(line)
    return None


def _funnel_fix(before: FunnelStep, after: FunnelStep, cause: tuple[str, Provenance] | None) -> str:
    if cause is None:
        return (
            f"Find out why no one moved from {before.step.lower()} to {after.step.lower()}: "
            "call five of them, check the terms and the follow-up, and fix the step this month."
        )
    return (
        f"Test the change the note gives as the cause first, and call five of them this month: "
        f"\u201c{cause[0]}\u201d"
    )


def _funnel_stalls(
    info: EntityInfo,
    steps: list[FunnelStep],
    sections: list[NoteSection] = (),  # type: ignore[assignment]
) -> list[Finding]:
    funnels: dict[tuple[str, str], list[FunnelStep]] = defaultdict(list)
    for step in steps:
        funnels[(step.provenance.source, step.funnel)].append(step)
    out: list[Finding] = []
    for (_source, funnel), items in funnels.items():
        ordered = sorted(items, key=lambda s: s.order)
        for before, after in pairwise(ordered):
            if before.count > 0 and after.count == 0:
                detail = re.sub(r"[^a-z0-9]+", "-", after.step.lower()).strip("-")
                cause = stated_cause(sections, after.provenance)
                out.append(
                    Finding(
                        id=f"{NAME}.funnel-stall:{info.id}:{detail}",
                        rule=f"{NAME}.funnel-stall",
                        title=f"{info.name}: {before.count} {before.step.lower()} led to 0 {after.step.lower()}",
                        severity=Severity.HIGH,
                        entity=info.id,
                        evidence=(
                            f"The {funnel!r} funnel shows {before.step} = {before.count} "
                            f"({before.provenance.cite()}) and {after.step} = 0 ({after.provenance.cite()})."
                        ),
                        recommendation=_funnel_fix(before, after, cause),
                        effort=Effort.HOURS,
                        impact=4,
                        shortfall=True,
                        tags=("sales", "funnel"),
                        provenance=(before.provenance, after.provenance)
                        + ((cause[1],) if cause else ()),
                        cost_tier=CostTier.REVENUE,
                    )
                )
                break
    return out


#: A note's step needs this many upstream (the count before it) to be weighed.
NOTE_FUNNEL_MIN = 5


def _earlier_rates(
    snapshot: Snapshot, info: EntityInfo, facts: list[Fact]
) -> tuple[
    dict[tuple[str, str], tuple[Percent, tuple[Provenance, ...]]], tuple[Percent, Provenance] | None
]:
    """The entity's own conversion per step from its bookings (the complete months before
    as_of's month, pooled), and the conversion rate its note states, if any."""
    bookings = [b for b in snapshot.records(Booking, info.id)]
    rows = [
        r
        for r in booking_funnel(bookings, snapshot.as_of, 24)
        if r.month != str(Period.containing(snapshot.as_of))
    ]
    rates: dict[tuple[str, str], tuple[Percent, tuple[Provenance, ...]]] = {}
    for step in STEP_COUNTS:
        found, up = pooled_rate(rows, step)
        if found is not None and up >= NOTE_FUNNEL_MIN:
            rates[step] = (found, tuple(p for r in rows for p in r.provenance)[:2])
    stated = best_fact(facts, "conversion_rate")
    said = (
        (stated.value, stated.provenance) if stated and isinstance(stated.value, Percent) else None
    )
    return rates, said


def _funnel_drops(
    info: EntityInfo,
    steps: list[FunnelStep],
    earlier: tuple[
        dict[tuple[str, str], tuple[Percent, tuple[Provenance, ...]]],
        tuple[Percent, Provenance] | None,
    ],
) -> list[Finding]:
    """A note's funnel step that converts at less than half (DROP_SHARE) of the entity's own
    earlier rate for that step (its bookings), or of the conversion rate the note states; a step
    to zero is a funnel stall instead."""
    rates, stated = earlier
    funnels: dict[tuple[str, str], list[FunnelStep]] = defaultdict(list)
    for step in steps:
        funnels[(step.provenance.source, step.funnel)].append(step)
    out: list[Finding] = []
    for (_source, name), items in funnels.items():
        for before, after in pairwise(sorted(items, key=lambda s: s.order)):
            if before.count < NOTE_FUNNEL_MIN or after.count == 0 or after.count > before.count:
                continue
            now = Percent((Decimal(100 * after.count) / before.count).quantize(Decimal("0.1")))
            pair = (stage_of(before.step), stage_of(after.step))
            if pair in rates:
                then, cites = rates[pair]
                basis = f"{then} from {pair[0]} to {pair[1]} in its bookings before"
            elif stated is not None:
                then, cites = stated[0], (stated[1],)
                basis = f"the conversion rate of {then} the note states"
            else:
                continue
            if now.value >= then.value * (1 - DROP_SHARE):
                continue
            detail = re.sub(r"[^a-z0-9]+", "-", after.step.lower()).strip("-")
            out.append(
                Finding(
                    id=f"{NAME}.funnel-drop:{info.id}:{detail}",
                    rule=f"{NAME}.funnel-drop",
                    title=f"{info.name}: {before.count} {before.step.lower()} led to only {after.count} {after.step.lower()} ({now})",
                    severity=Severity.HIGH,
                    entity=info.id,
                    evidence=(
                        f"The {name!r} funnel shows {before.step} = {before.count} "
                        f"({before.provenance.cite()}) and {after.step} = {after.count} "
                        f"({after.provenance.cite()}): {now}, against {basis}."
                    ),
                    recommendation=(
                        f"Find out what changed between {before.step.lower()} and "
                        f"{after.step.lower()}: call five of them and check the terms and the follow-up."
                    ),
                    effort=Effort.HOURS,
                    impact=3,
                    shortfall=True,
                    tags=("sales", "funnel"),
                    provenance=(before.provenance, after.provenance, *cites),
                    cost_tier=CostTier.REVENUE,
                )
            )
    return out


@dataclass(frozen=True)
class _Mention:
    provenance: Provenance
    sentence: str
    amount: Money | MoneyRange | None


def _may_say_unbilled(text: str) -> bool:
    """False only for a text ``_UNBILLED`` cannot match in: each of its phrases ends in a word
    holding "bill" or "invoic", which an ASCII text, lowered, is searched for at C speed (any
    other text goes to the pattern, whose case-blind letters also match a few non-ASCII ones)."""
    if not text.isascii():
        return True
    lowered = text.lower()
    return "bill" in lowered or "invoic" in lowered


def _mentions(sections: list[NoteSection], currency: str) -> list[_Mention]:
    out: list[_Mention] = []
    for section in sections:
        text = section.text
        if not _may_say_unbilled(text):
            continue
        for match in _UNBILLED.finditer(text):
            before = text[max(0, match.start() - 25) : match.start()]
            if match.group().lower().startswith(("un", "not")) and _NEGATED.search(before):
                continue  # "there is no unbilled work"
            start = 0
            for end_mark in _SENTENCE_END.finditer(text, 0, match.start()):
                start = end_mark.end()
            following = _SENTENCE_END.search(text, match.end())
            end = following.start() + 1 if following else len(text)
            while start < match.start() and text[start].isspace():
                start += 1
            sentence = " ".join(text[start:end].split())
            first = (section.provenance.line or 1) + text.count("\n", 0, start)
            last = (section.provenance.line or 1) + text.count("\n", 0, match.end())
            found = extract_money(sentence, currency)
            out.append(
                _Mention(
                    section.provenance.at_line(first, last), sentence, found[0] if found else None
                )
            )
    return out


def stated_unbilled(
    facts: list[Fact], mentions: list[_Mention]
) -> tuple[Money | MoneyRange, Provenance] | None:
    """The unbilled amount the notes state, and where: a labelled ``Unbilled work`` fact first,
    else the first sentence about unbilled work (``_mentions``) that names an amount; None when
    none does."""
    for fact in facts:
        if fact.known and fact.key == "unbilled" and isinstance(fact.value, Money | MoneyRange):
            return fact.value, fact.provenance
    for mention in mentions:
        if mention.amount is not None:
            return mention.amount, mention.provenance
    return None


def _unbilled(info: EntityInfo, facts: list[Fact], mentions: list[_Mention]) -> list[Finding]:
    stated = [
        f
        for f in facts
        if f.known and f.key in ("unbilled", "unbilled_hours") and not _is_zero(f.value)
    ]
    stated = [f for f in stated if not (isinstance(f.value, str) and _EMPTY_TEXT.search(f.value))]
    stated_lines = {(f.provenance.source, f.provenance.line) for f in stated}
    mentions = [m for m in mentions if (m.provenance.source, m.provenance.line) not in stated_lines]
    if not stated and not mentions:
        return []
    amounts = [f.value for f in stated if isinstance(f.value, Money | MoneyRange)]
    amounts += [m.amount for m in mentions if m.amount is not None]
    amount = amounts[0] if amounts else None
    quotes = [_quote(f) for f in stated] + [
        f"“{m.sentence}” ({m.provenance.cite()})" for m in mentions
    ]
    if len(quotes) > MAX_QUOTES:
        quotes = [*quotes[:MAX_QUOTES], f"and {len(quotes) - MAX_QUOTES} more mention(s)"]
    title = (
        f"{info.name} has {format_money(amount)} of unbilled work"
        if amount is not None
        else f"{info.name} has unbilled work"
    )
    return [
        Finding(
            id=f"{NAME}.unbilled-work:{info.id}",
            rule=f"{NAME}.unbilled-work",
            title=title,
            severity=Severity.HIGH,
            entity=info.id,
            evidence="The note says " + "; ".join(quotes),
            recommendation="Invoice the unbilled work this week, then close timesheets weekly so hours are billed as they are worked.",
            effort=Effort.HOURS,
            impact=3,
            shortfall=True,
            tags=("billing", "cash"),
            provenance=tuple(f.provenance for f in stated) + tuple(m.provenance for m in mentions),
            cost_tier=CostTier.ZERO_COST,
        )
    ]


def _missing_facts(
    info: EntityInfo, facts: list[Fact], required: list[str], notes: tuple[Provenance, ...]
) -> list[Finding]:
    out: list[Finding] = []
    for key in required:
        fact = best_fact(facts, key)
        if fact is not None and _typed(fact):
            continue
        label = BY_KEY[key].label.lower() if key in BY_KEY else key
        if fact is not None:
            evidence = f"The note mentions {label} as {_quote(fact)} but gives no figure."
            provenance: tuple[Provenance, ...] = (fact.provenance,)
            title = f"{info.name}: the handoff note gives no figure for its {label}"
        else:
            evidence = f"No note of {info.name} ({_cite_all(notes)}) states its {label}."
            provenance = notes
            title = f"{info.name}: the handoff note does not state its {label}"
        out.append(
            Finding(
                id=f"{NAME}.missing-fact:{info.id}:{key}",
                rule=f"{NAME}.missing-fact",
                title=title,
                severity=Severity.MEDIUM,
                entity=info.id,
                evidence=evidence,
                recommendation=f"Ask the operator for the {label} and add it to the note as '{BY_KEY[key].label if key in BY_KEY else key}: <amount>'.",
                effort=Effort.HOURS,
                impact=2,
                shortfall=True,
                tags=("data",),
                provenance=provenance,
                cost_tier=CostTier.ZERO_COST,
            )
        )
    return out


def catalogue(kind: str, options: BriefingOptions | None = None) -> tuple[Kpi, ...]:
    """The KPIs for a kind, with ``extra_kpis`` from the options appended."""
    base = KPI_CATALOGUE.get(kind, KPI_CATALOGUE["other"])
    extra = options.extra_kpis.get(kind, []) if options else []
    have = {k.key for k in base}
    added = tuple(
        Kpi(
            key,
            BY_KEY[key].label if key in BY_KEY else key,
            "required by [analysis.briefing] extra_kpis",
        )
        for key in extra
        if key not in have
    )
    return base + added


def _kpis(
    info: EntityInfo,
    facts: list[Fact],
    steps: list[FunnelStep],
    notes: tuple[Provenance, ...],
    options: BriefingOptions,
) -> tuple[tuple[str, ...], tuple[str, ...], list[Finding]]:
    stated = {f.key for f in facts if f.known}
    tracked: list[str] = []
    missing: list[str] = []
    findings: list[Finding] = []
    kpis = catalogue(info.kind, options)
    if info.kind == "rental" and "monthly_rent" in stated:
        kpis = LONG_TERM_LET
    for kpi in kpis:
        if stated & set(kpi.tracked_by()) or (kpi.funnel and steps):
            tracked.append(kpi.label)
            continue
        missing.append(kpi.label)
        findings.append(
            Finding(
                id=f"{NAME}.missing-kpi:{info.id}:{kpi.key.replace('_', '-')}",
                rule=f"{NAME}.missing-kpi",
                title=f"{info.name} does not track {kpi.label.lower()}",
                severity=Severity.LOW,
                entity=info.id,
                evidence=f"A {info.kind} business should track {kpi.label.lower()} ({kpi.why}); no note states it ({_cite_all(notes)}).",
                recommendation=f"Add '{kpi.label}: <value>' to the handoff note each month.",
                effort=Effort.HOURS,
                impact=1,
                tags=("kpi",),
                provenance=notes,
                cost_tier=CostTier.ZERO_COST,
            )
        )
    return tuple(tracked), tuple(missing), findings


@hookimpl
def register_analyses() -> list[Analysis]:
    """The briefing analysis."""
    return [Briefing()]
