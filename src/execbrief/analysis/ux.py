"""The ``ux`` analysis: gaps a visitor meets on each entity's site, from the site source's pages.

Per site folder (one finding per rule and site, its id ``ux.<rule>:<entity>:<site>``):

- ``ux.no-booking``: no booking widget, availability calendar or form on any page, for a business
  that sells bookings or quotes (charter, rental, delivery, hauling: high; others: a missing contact
  form is low);
- ``ux.no-analytics``: no analytics tag on any page (medium): the site's traffic is unmeasured;
- ``ux.no-viewport``: pages without a mobile viewport meta tag (medium);
- ``ux.broken-links``: internal links to files that do not exist (medium);
- ``ux.http-links``: insecure ``http://`` links (low).

Every finding is tagged ``ux`` and cites the pages it rests on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel

from execbrief.analysis.base import Analysis
from execbrief.config import Config, NoOptions
from execbrief.findings import AnalysisResult, CostTier, Effort, Finding, Severity
from execbrief.hookspecs import hookimpl
from execbrief.records.site import SitePage
from execbrief.snapshot import Provenance, Snapshot

NAME = "ux"
BOOKING_KINDS = frozenset({"charter", "rental", "delivery", "hauling"})
SHOWN = 3


def _site(page: SitePage) -> str:
    source = page.provenance.source
    if page.path and source.endswith(page.path):
        return source[: -len(page.path)].rstrip("/") or "."
    return source.rsplit("/", 1)[0] if "/" in source else "."


def _count(n: int, noun: str) -> str:
    """``1 page``, ``2 pages``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _examples(values: list[str]) -> str:
    shown = ", ".join(values[:SHOWN])
    return shown + (f" and {len(values) - SHOWN} more" if len(values) > SHOWN else "")


@dataclass(frozen=True)
class Site:
    """One site folder of one entity: its pages sorted by path, and the entity's kind."""

    entity: str
    folder: str
    kind: str
    pages: tuple[SitePage, ...]

    def finding(
        self,
        rule: str,
        title: str,
        severity: Severity,
        evidence: str,
        fix: str,
        effort: Effort,
        provenance: tuple[Provenance, ...] | None = None,
        impact: int = 1,
    ) -> Finding:
        """A finding of ``rule`` about this site, citing the first pages unless told otherwise."""
        if provenance is None:
            provenance = tuple(p.provenance.at_line(None) for p in self.pages[:SHOWN])
        return Finding(
            id=f"ux.{rule}:{self.entity}:{self.folder}",
            rule=f"ux.{rule}",
            title=title,
            severity=severity,
            entity=self.entity,
            evidence=evidence,
            recommendation=fix,
            effort=effort,
            impact=impact,
            tags=("ux",),
            provenance=provenance,
            cost_tier=CostTier.ZERO_COST,
        )


def _no_booking(site: Site) -> Finding | None:
    """No booking widget or form: high for a business that sells bookings or quotes, else low."""
    pages, folder = site.pages, site.folder
    booking = any(p.booking_widgets for p in pages)
    forms = sum(p.forms for p in pages)
    if booking or forms:
        return None
    if site.kind not in BOOKING_KINDS:
        return site.finding(
            "no-booking",
            f"{folder}: no contact or enquiry form",
            Severity.LOW,
            f"None of the {len(pages)} pages of {folder} has a form.",
            "Add an enquiry form (with spam protection) so visitors can reach you without email.",
            Effort.HOURS,
        )
    otas = sorted({host for p in pages for host in p.ota_links})
    via = (
        f" Bookings can only go through {', '.join(otas)}, which takes a commission."
        if otas
        else ""
    )
    what = (
        "quote request form"
        if site.kind in {"hauling", "delivery"}
        else "availability calendar or booking flow"
    )
    return site.finding(
        "no-booking",
        f"{folder}: no {what}",
        Severity.HIGH,
        f"None of the {len(pages)} pages of {folder} has a booking widget, calendar or form.{via}",
        "Add a booking flow with live availability (a widget such as FareHarbor, Checkfront or a "
        "Calendly-style calendar) or at least a request form on the home and pricing pages.",
        Effort.DAYS,
        impact=3,
    )


def _no_analytics(site: Site) -> Finding | None:
    """No page loads an analytics tag (medium)."""
    if any(p.analytics for p in site.pages):
        return None
    return site.finding(
        "no-analytics",
        f"{site.folder}: no analytics",
        Severity.MEDIUM,
        f"No page of {site.folder} loads an analytics tag, so visits, sources and conversions are unmeasured.",
        "Add a privacy-friendly analytics tag (GA4, Plausible or CloudFront logs with a dashboard) "
        "to every page, with the booking/quote submit as a conversion event.",
        Effort.HOURS,
        impact=2,
    )


def _no_viewport(site: Site) -> Finding | None:
    """Pages without a mobile viewport meta tag (medium)."""
    no_viewport = [p for p in site.pages if not p.viewport]
    if not no_viewport:
        return None
    one = len(no_viewport) == 1
    return site.finding(
        "no-viewport",
        f"{site.folder}: {_count(len(no_viewport), 'page')} not set up for phones",
        Severity.MEDIUM,
        f"{_examples([p.path for p in no_viewport])} "
        f'{"lacks" if one else "lack"} <meta name="viewport">, so phones '
        f"render {'it' if one else 'them'} as a shrunken desktop page.",
        'Add <meta name="viewport" content="width=device-width, initial-scale=1"> to the page template.',
        Effort.HOURS,
        tuple(p.provenance for p in no_viewport[:SHOWN]),
        impact=2,
    )


def _broken_links(site: Site) -> Finding | None:
    """Internal links to files that do not exist (medium)."""
    broken = [(p, link) for p in site.pages for link in p.broken_links]
    if not broken:
        return None
    return site.finding(
        "broken-links",
        f"{site.folder}: {_count(len(broken), 'broken internal link')}",
        Severity.MEDIUM,
        f"Links to missing files: {_examples([f'{link} (on {p.path})' for p, link in broken])}.",
        "Fix or remove the links, and add a link check to the site's build.",
        Effort.HOURS,
        tuple(dict.fromkeys(p.provenance for p, _ in broken[:SHOWN])),
    )


def _http_links(site: Site) -> Finding | None:
    """Insecure ``http://`` links (low)."""
    insecure = [(p, link) for p in site.pages for link in p.http_links]
    if not insecure:
        return None
    return site.finding(
        "http-links",
        f"{site.folder}: {_count(len(insecure), 'insecure http:// link')}",
        Severity.LOW,
        f"Plain-http links: {_examples([f'{link} (on {p.path})' for p, link in insecure])}.",
        "Change them to https:// (browsers warn on mixed content and some block it).",
        Effort.HOURS,
        tuple(dict.fromkeys(p.provenance for p, _ in insecure[:SHOWN])),
    )


#: The UX rules, each run once per site.
RULES: tuple[Callable[[Site], Finding | None], ...] = (
    _no_booking,
    _no_analytics,
    _no_viewport,
    _broken_links,
    _http_links,
)


def sites(snapshot: Snapshot) -> list[Site]:
    """Every site folder in the snapshot, by entity and folder."""
    by_site: dict[tuple[str, str], list[SitePage]] = defaultdict(list)
    for page in snapshot.records(SitePage):
        by_site[(page.entity, _site(page))].append(page)
    kinds = {e.id: e.kind for e in snapshot.entities}
    return [
        Site(entity, folder, kinds.get(entity, "other"), tuple(sorted(pages, key=lambda p: p.path)))
        for (entity, folder), pages in sorted(by_site.items())
    ]


def analyze(snapshot: Snapshot, config: Config | None = None) -> AnalysisResult:
    """UX findings for every site in the snapshot."""
    findings = [
        finding for site in sites(snapshot) for rule in RULES if (finding := rule(site)) is not None
    ]
    return AnalysisResult(
        name=NAME, findings=tuple(sorted(findings, key=lambda f: (f.severity.rank, f.id)))
    )


class UxAnalysis:
    """The ``ux`` analysis plugin."""

    name = NAME
    description = (
        "Site UX gaps: booking flow, analytics, mobile viewport, broken and http:// links."
    )
    Options: type[BaseModel] = NoOptions
    EntityOptions: type[BaseModel] | None = None

    def analyze(self, snapshot: Snapshot, config: Config) -> AnalysisResult:
        """Compute the UX findings."""
        return analyze(snapshot, config)


@hookimpl
def register_analyses() -> list[Analysis]:
    """The UX analysis."""
    return [UxAnalysis()]
