"""OTA sequencing: each marketplace an entity is not yet on, scored by expected net revenue,
audience fit for the entity's kind and set-up effort; and the findings for an entity on no
marketplace or with a listing that brings nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from execbrief.analysis.marketing.channels import (
    CHANNEL_LABELS,
    OTA_CHANNELS,
    SITE,
    ChannelCell,
    Evidence,
)
from execbrief.analysis.marketing.figures import CENT, pct
from execbrief.analysis.marketing.options import OtaTerms
from execbrief.findings import CostTier, Effort, Finding, Severity
from execbrief.records.bookings import Booking
from execbrief.records.channels import LOW_FIT
from execbrief.records.handoff import Fact
from execbrief.snapshot import EntityInfo, Provenance, Snapshot
from execbrief.values import Money, Percent


@dataclass(frozen=True)
class OtaScore:
    """One marketplace scored for one entity; ``rank`` 1 is the one to list first.

    ``gross`` = baseline monthly booking revenue x reach x fit; ``net`` = gross x (1 - commission)
    - monthly fee; ``score`` = net / effort cost (1, 2, 4, 8 for hours..months), or, with no
    booking history, fit x (1 - commission) / effort cost. The order is by fit group first (a
    low fit, under ``LOW_FIT``, ranks after every good fit), then by score (``ranking_key``).
    """

    entity: str
    ota: str
    label: str
    commission: Percent
    monthly_fee: Money
    setup_fee: Money
    fit: Decimal
    effort: Effort
    gross: Money | None
    net: Money | None
    score: Decimal
    rank: int
    why: str
    source: str


def ranking_key(fit: Decimal, score: Decimal, key: str) -> tuple[bool, Decimal, str]:
    """The OTA order: good fits before low fits (under ``LOW_FIT``, the catalogue's threshold), then the higher score (net revenue per unit of
    set-up effort), then the name. Effort divides the score, so without the fit group a quick
    marketplace few of the entity's customers use would lead the order."""
    return (fit < LOW_FIT, -score, key)


def absence_checked(snapshot: Snapshot, eid: str) -> tuple[Provenance, ...]:
    """Where an absence was looked for: the entity's note, booking log and site sources (their
    files), else its entry in portfolio.toml — so a "none found" finding still cites something."""
    places = tuple(
        Provenance(path)
        for result in snapshot.results_for(eid)
        if result.kind in ("handoff", "bookings", "site")
        for path in result.paths
    )
    return places or (Provenance("portfolio.toml", detail=f"entity {eid}: no channel evidence"),)


def score_otas(
    entity: str,
    kind: str,
    otas: dict[str, OtaTerms],
    listed: set[str],
    baseline: Money | None,
    reach: Decimal,
    currency: str,
) -> list[OtaScore]:
    """Marketplaces not yet listed, with fit > 0 for ``kind``, best first."""
    scored: list[tuple[Decimal, str, OtaTerms, Money | None, Money | None]] = []
    for key, terms in otas.items():
        fit = terms.fit.get(kind, Decimal(0))
        if key in listed or fit <= 0:
            continue
        gross: Money | None = None
        net: Money | None = None
        if baseline is not None:
            # round once, at the end: rounding gross first moves net by a cent
            exact_gross = baseline * reach * fit
            exact_net = exact_gross * (1 - terms.commission) - Money(terms.monthly_fee, currency)
            gross, net = exact_gross.quantize(CENT), exact_net.quantize(CENT)
            score = (exact_net.amount / terms.effort.cost).quantize(CENT)
        else:
            score = (fit * (1 - terms.commission) / terms.effort.cost).quantize(Decimal("0.0001"))
        scored.append((score, key, terms, gross, net))
    scored.sort(key=lambda item: ranking_key(item[2].fit.get(kind, Decimal(0)), item[0], item[1]))
    out: list[OtaScore] = []
    for rank, (score, key, terms, gross, net) in enumerate(scored, start=1):
        fit = terms.fit.get(kind, Decimal(0))
        money = (
            f"{net}/mo net of {pct(terms.commission)} commission"
            if net is not None
            else (f"{pct(terms.commission)} commission (no booking history to size it)")
        )
        low = " (a low fit: ranked after the marketplaces that fit)" if fit < LOW_FIT else ""
        why = f"{money}; fit {fit} for {kind}{low}; set-up {terms.effort.value}"
        if terms.setup_fee:
            why += f" and {Money(terms.setup_fee, currency)} to list"
        out.append(
            OtaScore(
                entity=entity,
                ota=key,
                label=terms.label,
                commission=pct(terms.commission),
                monthly_fee=Money(terms.monthly_fee, currency),
                setup_fee=Money(terms.setup_fee, currency),
                fit=fit,
                effort=terms.effort,
                gross=gross,
                net=net,
                score=score,
                rank=rank,
                why=why,
                source=terms.source,
            )
        )
    return out


def marketplace_findings(
    snapshot: Snapshot,
    info: EntityInfo,
    ev: dict[str, Evidence],
    cells: Sequence[ChannelCell],
    window: Sequence[Booking],
    share_window_days: int,
) -> list[Finding]:
    """A charter or rental on no marketplace (``marketing.no_ota``), and each marketplace listing
    that brought none of the entity's bookings in the share window (``marketing.idle_listing``)."""
    eid = info.id
    listed = {cell.channel for cell in cells if cell.listed}
    findings: list[Finding] = []
    # "OTA listings: 2" with no names still says the entity is listed somewhere
    stated_listings = any(
        f.key == "ota_listings"
        and isinstance(f.value, int)
        and not isinstance(f.value, bool)
        and f.value > 0
        for f in snapshot.records(Fact, eid)
    )
    if info.kind in ("charter", "rental") and not (listed & OTA_CHANNELS) and not stated_listings:
        negative = [p for c in OTA_CHANNELS for p in ev.get(c, Evidence()).provenance]
        findings.append(
            Finding(
                id=f"marketing.no_ota:{eid}",
                rule="marketing.no_ota",
                title=f"{info.name} is on no OTA",
                severity=Severity.HIGH,
                entity=eid,
                evidence=f"No marketplace listing found for {info.name} (config, notes, site links, bookings).",
                recommendation="List on the marketplaces in the OTA order below, best net revenue first.",
                effort=Effort.DAYS,
                impact=3,
                shortfall=True,
                tags=("marketing",),
                provenance=tuple(dict.fromkeys(negative))
                or tuple(ev.get(SITE, Evidence()).provenance)
                or absence_checked(snapshot, eid),
                cost_tier=CostTier.REVENUE,
            )
        )
    if not window:
        return findings
    by_channel = {cell.channel: cell for cell in cells}
    for channel in sorted(listed & OTA_CHANNELS):
        cell = by_channel[channel]
        if cell.bookings == 0:
            findings.append(
                Finding(
                    id=f"marketing.idle_listing:{eid}:{channel}",
                    rule="marketing.idle_listing",
                    title=f"{CHANNEL_LABELS.get(channel, channel)} brought {info.name} no bookings",
                    severity=Severity.LOW,
                    entity=eid,
                    evidence=f"Listed ({', '.join(cell.evidence)}), yet none of "
                    f"{len(window)} bookings in the last {share_window_days} "
                    "days came through it.",
                    recommendation="Check the listing is live, priced and "
                    "calendar-synced, or drop it and record the channel on bookings.",
                    effort=Effort.HOURS,
                    tags=("marketing",),
                    provenance=cell.provenance,
                    cost_tier=CostTier.ZERO_COST,
                )
            )
    return findings
