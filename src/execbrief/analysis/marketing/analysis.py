"""The marketing analysis itself: for each entity, its row of the channel matrix, the marketplace
findings, its funnel, its email blast, its OTA order and its site's SEO gaps, put together into
one :class:`MarketingResult`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import ClassVar

from execbrief.analysis.base import first_by
from execbrief.analysis.marketing.channels import (
    ChannelCell,
    Evidence,
    channel_cells,
    gather,
    matrix_columns,
)
from execbrief.analysis.marketing.email import EmailCase, entity_email_case
from execbrief.analysis.marketing.figures import total
from execbrief.analysis.marketing.funnel import (
    FunnelBreak,
    FunnelRow,
    break_finding,
    conversion_drops,
    drop_finding,
    funnel_with_breaks,
    stage_reached,
)
from execbrief.analysis.marketing.options import NAME, MarketingOptions
from execbrief.analysis.marketing.otas import OtaScore, marketplace_findings, score_otas
from execbrief.analysis.marketing.seo import seo_findings
from execbrief.config import Config, Model
from execbrief.findings import AnalysisResult, CostTier, Effort, Finding, Metric, Severity
from execbrief.records.bookings import Booking, BookingStatus
from execbrief.records.site import LocalBusiness, SiteFile, SitePage
from execbrief.snapshot import EntityInfo, Snapshot


@dataclass(frozen=True)
class MarketingResult(AnalysisResult):
    """The marketing analysis' typed output for the CMO report."""

    channels: tuple[str, ...] = ()
    matrix: tuple[ChannelCell, ...] = ()
    funnel: tuple[FunnelRow, ...] = ()
    breaks: tuple[FunnelBreak, ...] = ()
    email: tuple[EmailCase, ...] = ()
    otas: tuple[OtaScore, ...] = ()

    def cell(self, entity: str, channel: str) -> ChannelCell | None:
        """The matrix cell of an entity and channel."""
        return self._cells.get((entity, channel))

    @cached_property
    def _cells(self) -> dict[tuple[str, str], ChannelCell]:
        return first_by(self.matrix, lambda c: (c.entity, c.channel))


@dataclass
class _Parts:
    """What the analysis has put together so far, entity after entity."""

    metrics: list[Metric] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    cells: list[ChannelCell] = field(default_factory=list)
    rows: list[FunnelRow] = field(default_factory=list)
    breaks: list[FunnelBreak] = field(default_factory=list)
    cases: list[EmailCase] = field(default_factory=list)
    scores: list[OtaScore] = field(default_factory=list)


@dataclass(frozen=True)
class _Context:
    """What every entity's step reads: the snapshot, the options and the matrix's columns."""

    snapshot: Snapshot
    options: MarketingOptions
    channels: tuple[str, ...]
    start: date

    @property
    def currency(self) -> str:
        return self.snapshot.currency


class MarketingAnalysis:
    """Channel visibility, funnel, email model, OTA order and local-SEO gaps."""

    name: ClassVar[str] = NAME
    description: ClassVar[str] = (
        "Channels, funnel, email blast model, OTA sequencing and local SEO."
    )
    Options: ClassVar[type[Model]] = MarketingOptions
    EntityOptions: ClassVar[type[Model] | None] = None

    def analyze(self, snapshot: Snapshot, config: Config) -> MarketingResult:
        """Compute the marketing result (pure: same snapshot and config, same result)."""
        options = config.analysis_options(NAME)
        if not isinstance(options, MarketingOptions):
            options = MarketingOptions()
        entities = {e.id: e for e in config.entities}
        start = snapshot.as_of - timedelta(days=options.share_window_days)
        evidence = {
            info.id: gather(snapshot, info, entities.get(info.id), start)
            for info in snapshot.entities
        }
        context = _Context(snapshot, options, matrix_columns(options, evidence.values()), start)
        parts = _Parts()
        for info in snapshot.entities:
            _entity(context, info, evidence[info.id], parts)
        return MarketingResult(
            name=NAME,
            metrics=tuple(parts.metrics),
            findings=tuple(parts.findings),
            channels=context.channels,
            matrix=tuple(parts.cells),
            funnel=tuple(parts.rows),
            breaks=tuple(parts.breaks),
            email=tuple(parts.cases),
            otas=tuple(parts.scores),
        )


def _booked_window(bookings: list[Booking], start: date, as_of: date) -> list[Booking]:
    """Bookings created in the share window that reached *booked* and were not cancelled."""
    return [
        b
        for b in bookings
        if start < b.created <= as_of
        and stage_reached(b) >= 3
        and b.status is not BookingStatus.CANCELLED
    ]


def _entity(context: _Context, info: EntityInfo, ev: dict[str, Evidence], parts: _Parts) -> None:
    """One entity's share of the result, in the order the report lists it."""
    snapshot, options, eid = context.snapshot, context.options, info.id
    bookings = snapshot.records(Booking, eid)
    window = _booked_window(bookings, context.start, snapshot.as_of)
    cells = channel_cells(eid, context.channels, ev, window, context.currency)
    parts.cells.extend(cells)
    parts.findings.extend(
        marketplace_findings(snapshot, info, ev, cells, window, options.share_window_days)
    )
    listed = {cell.channel for cell in cells if cell.listed}
    parts.metrics.append(
        Metric(
            f"{NAME}.channels.listed",
            "Channels listed",
            len(listed),
            eid,
            formula="matrix cells with evidence of a listing",
        )
    )
    if bookings:
        _funnel(context, info, bookings, parts)
    _email(context, info, window, parts)
    total_rev = total((b.amount for b in window), context.currency)
    baseline = total_rev / 12 if window else None  # exact; scores round at the end
    parts.scores.extend(
        score_otas(
            eid,
            info.kind,
            options.all_otas(),
            listed,
            baseline,
            options.ota_reach,
            context.currency,
        )
    )
    _site(context, info, parts)


def _funnel(context: _Context, info: EntityInfo, bookings: list[Booking], parts: _Parts) -> None:
    options, as_of = context.options, context.snapshot.as_of
    rows, breaks = funnel_with_breaks(
        bookings,
        as_of,
        options.funnel_months,
        options.funnel_min_count,
        options.funnel_maturity_days,
    )
    parts.rows.extend(rows)
    parts.breaks.extend(breaks)
    parts.findings.extend(break_finding(info, brk) for brk in breaks)
    drops = conversion_drops(rows, as_of, options.funnel_min_count)
    parts.findings.extend(drop_finding(info, drop) for drop in drops)


def _email(context: _Context, info: EntityInfo, window: list[Booking], parts: _Parts) -> None:
    case = entity_email_case(context.snapshot, info, context.options, window, context.currency)
    if case is None:
        return
    parts.cases.append(case)
    parts.metrics.append(
        Metric(
            f"{NAME}.email.list_size",
            "Email list (opted-in)",
            case.list_size,
            info.id,
            provenance=case.provenance,
        )
    )
    parts.metrics.append(
        Metric(
            f"{NAME}.email.revenue",
            "Modelled revenue per email blast",
            case.revenue,
            info.id,
            formula=case.arithmetic,
            provenance=case.provenance,
        )
    )


def _site(context: _Context, info: EntityInfo, parts: _Parts) -> None:
    """The site's SEO gaps, and a charter or rental site with no booking widget."""
    snapshot, eid = context.snapshot, info.id
    pages = snapshot.records(SitePage, eid)
    parts.findings.extend(
        seo_findings(
            info,
            pages,
            snapshot.records(LocalBusiness, eid),
            snapshot.records(SiteFile, eid),
            local=info.kind in context.options.local_kinds,
        )
    )
    if pages and info.kind in ("charter", "rental") and not any(p.booking_widgets for p in pages):
        home = next((p for p in pages if p.path.startswith("index.")), pages[0])
        parts.findings.append(
            Finding(
                id=f"marketing.no_booking_widget:{eid}",
                rule="marketing.no_booking_widget",
                title=f"No booking or availability calendar on {info.name}'s site",
                severity=Severity.MEDIUM,
                entity=eid,
                evidence=f"None of {len(pages)} pages embeds a booking engine or availability calendar.",
                recommendation="Embed a booking widget with live availability on the home and booking pages.",
                effort=Effort.DAYS,
                impact=2,
                tags=("marketing", "ux"),
                provenance=(home.provenance,),
                cost_tier=CostTier.LOW_COST,
            )
        )
