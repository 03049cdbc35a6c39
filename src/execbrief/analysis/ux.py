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

from pydantic import BaseModel

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


def analyze(snapshot: Snapshot, config: Config | None = None) -> AnalysisResult:
    """UX findings for every site in the snapshot."""
    findings: list[Finding] = []
    sites: dict[tuple[str, str], list[SitePage]] = defaultdict(list)
    for page in snapshot.records(SitePage):
        sites[(page.entity, _site(page))].append(page)
    kinds = {e.id: e.kind for e in snapshot.entities}
    for (entity, site), pages in sorted(sites.items()):
        pages = sorted(pages, key=lambda p: p.path)
        first = tuple(p.provenance.at_line(None) for p in pages[:SHOWN])

        def add(
            rule: str,
            title: str,
            severity: Severity,
            evidence: str,
            fix: str,
            effort: Effort,
            provenance: tuple[Provenance, ...] = first,
            impact: int = 1,
            entity: str = entity,
            site: str = site,
        ) -> None:
            findings.append(
                Finding(
                    id=f"ux.{rule}:{entity}:{site}",
                    rule=f"ux.{rule}",
                    title=title,
                    severity=severity,
                    entity=entity,
                    evidence=evidence,
                    recommendation=fix,
                    effort=effort,
                    impact=impact,
                    tags=("ux",),
                    provenance=provenance,
                    cost_tier=CostTier.ZERO_COST,
                )
            )

        kind = kinds.get(entity, "other")
        booking = any(p.booking_widgets for p in pages)
        forms = sum(p.forms for p in pages)
        if kind in BOOKING_KINDS and not booking and not forms:
            otas = sorted({host for p in pages for host in p.ota_links})
            via = (
                f" Bookings can only go through {', '.join(otas)}, which takes a commission."
                if otas
                else ""
            )
            what = (
                "quote request form"
                if kind in {"hauling", "delivery"}
                else "availability calendar or booking flow"
            )
            add(
                "no-booking",
                f"{site}: no {what}",
                Severity.HIGH,
                f"None of the {len(pages)} pages of {site} has a booking widget, calendar or form.{via}",
                "Add a booking flow with live availability (a widget such as FareHarbor, Checkfront or a "
                "Calendly-style calendar) or at least a request form on the home and pricing pages.",
                Effort.DAYS,
                impact=3,
            )
        elif kind not in BOOKING_KINDS and not forms and not booking:
            add(
                "no-booking",
                f"{site}: no contact or enquiry form",
                Severity.LOW,
                f"None of the {len(pages)} pages of {site} has a form.",
                "Add an enquiry form (with spam protection) so visitors can reach you without email.",
                Effort.HOURS,
            )
        if not any(p.analytics for p in pages):
            add(
                "no-analytics",
                f"{site}: no analytics",
                Severity.MEDIUM,
                f"No page of {site} loads an analytics tag, so visits, sources and conversions are unmeasured.",
                "Add a privacy-friendly analytics tag (GA4, Plausible or CloudFront logs with a dashboard) "
                "to every page, with the booking/quote submit as a conversion event.",
                Effort.HOURS,
                impact=2,
            )
        no_viewport = [p for p in pages if not p.viewport]
        if no_viewport:
            add(
                "no-viewport",
                f"{site}: {_count(len(no_viewport), 'page')} not set up for phones",
                Severity.MEDIUM,
                f"{_examples([p.path for p in no_viewport])} "
                f'{"lacks" if len(no_viewport) == 1 else "lack"} <meta name="viewport">, so phones '
                f"render {'it' if len(no_viewport) == 1 else 'them'} as a shrunken desktop page.",
                'Add <meta name="viewport" content="width=device-width, initial-scale=1"> to the page template.',
                Effort.HOURS,
                tuple(p.provenance for p in no_viewport[:SHOWN]),
                impact=2,
            )
        broken = [(p, link) for p in pages for link in p.broken_links]
        if broken:
            add(
                "broken-links",
                f"{site}: {_count(len(broken), 'broken internal link')}",
                Severity.MEDIUM,
                f"Links to missing files: {_examples([f'{link} (on {p.path})' for p, link in broken])}.",
                "Fix or remove the links, and add a link check to the site's build.",
                Effort.HOURS,
                tuple(dict.fromkeys(p.provenance for p, _ in broken[:SHOWN])),
            )
        insecure = [(p, link) for p in pages for link in p.http_links]
        if insecure:
            add(
                "http-links",
                f"{site}: {_count(len(insecure), 'insecure http:// link')}",
                Severity.LOW,
                f"Plain-http links: {_examples([f'{link} (on {p.path})' for p, link in insecure])}.",
                "Change them to https:// (browsers warn on mixed content and some block it).",
                Effort.HOURS,
                tuple(dict.fromkeys(p.provenance for p, _ in insecure[:SHOWN])),
            )
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
def register_analyses() -> list[object]:
    """The UX analysis."""
    return [UxAnalysis()]
