"""The local-SEO checks: one small function per rule, run from a table over each site of an entity.

A rule reads a :class:`SiteAudit` (the site's pages, LocalBusiness blocks and site files, with the
page sets the rules share) and yields a finding per gap, citing its page and line. ``SITE_RULES``
runs in order; two of its entries run a sub-table for each live page (``PAGE_RULES``) and each site
file (``FILE_RULES``). Add a rule by writing a function and putting it in the table; the rule names
are listed in ``docs/metrics.md``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from execbrief.findings import CostTier, Effort, Finding, Severity
from execbrief.records.site import LocalBusiness, SiteFile, SitePage
from execbrief.snapshot import EntityInfo, Provenance

LB_REQUIRED = ("name", "address", "telephone", "openingHours")
#: Error pages static-site generators write; served with a 404 status, never indexed.
NOT_FOUND_PAGES = frozenset({"404.html", "404.htm"})


@dataclass(frozen=True)
class SiteAudit:
    """One site of one entity, as the SEO rules see it.

    ``pages`` are every page (sorted by path); ``live`` drops meta-refresh aliases (no page of
    their own); ``content`` also drops 404 pages; ``indexed`` also drops noindex pages, so only
    those need a title, description and canonical. ``businesses`` are the LocalBusiness blocks on
    the site's pages; ``local`` says whether the entity's kind is expected to carry them.
    """

    entity: EntityInfo
    site: str
    pages: tuple[SitePage, ...]
    live: tuple[SitePage, ...]
    content: tuple[SitePage, ...]
    indexed: tuple[SitePage, ...]
    home: SitePage | None
    businesses: tuple[LocalBusiness, ...]
    files: tuple[SiteFile, ...]
    local: bool

    @property
    def provenance(self) -> Provenance:
        """Where the site as a whole is cited: its site file, else its folder."""
        return self.files[0].provenance if self.files else Provenance(self.site)

    @property
    def host(self) -> str | None:
        """The site's own host, when its files name one."""
        return next((f.host for f in self.files if f.host), None)

    def finding(
        self,
        rule: str,
        about: str,
        title: str,
        evidence: str,
        recommendation: str,
        provenance: Sequence[Provenance],
        severity: Severity = Severity.MEDIUM,
        impact: int = 1,
        tags: tuple[str, ...] = (),
    ) -> Finding:
        """The finding of ``marketing.seo.<rule>`` about one thing (``about``) on this site."""
        eid = self.entity.id
        return Finding(
            id=f"marketing.seo.{rule}:{eid}:{about}",
            rule=f"marketing.seo.{rule}",
            title=title,
            severity=severity,
            entity=eid,
            evidence=evidence,
            recommendation=recommendation,
            effort=Effort.HOURS,
            impact=impact,
            tags=("marketing", "seo", *tags),
            provenance=tuple(provenance),
            cost_tier=CostTier.ZERO_COST,
        )


SiteRule = Callable[[SiteAudit], Iterator[Finding]]
PageRule = Callable[[SiteAudit, SitePage], Iterator[Finding]]
FileRule = Callable[[SiteAudit, SiteFile], Iterator[Finding]]


def _page_prov(page: SitePage, key: str | None = None) -> Provenance:
    line = page.lines.get(key) if key else None
    return page.provenance.at_line(line if line is not None else page.provenance.line)


def _home_prov(audit: SiteAudit, key: str | None = None) -> list[Provenance]:
    return [_page_prov(audit.home, key)] if audit.home else [audit.provenance]


# --------------------------------------------------------------------------------------------
# Indexing and structured data
# --------------------------------------------------------------------------------------------


def noindex_home(audit: SiteAudit) -> Iterator[Finding]:
    """The home page tells search engines not to index it."""
    home = audit.home
    if home is not None and home.noindex and not home.refresh:
        yield audit.finding(
            "noindex_home",
            home.path,
            f"The home page of {audit.site} tells search engines not to index it",
            f'{home.path} has <meta name="robots" content="noindex">; it will drop out of '
            "search results.",
            "Remove the noindex meta tag (it is usually left over from a staging site).",
            [_page_prov(home, "noindex")],
            severity=Severity.CRITICAL,
            impact=3,
        )


def localbusiness_missing(audit: SiteAudit) -> Iterator[Finding]:
    """A local business's site with no schema.org LocalBusiness data on any page."""
    pages = audit.pages
    if not pages or audit.businesses or not audit.local:
        return
    bad = sum(len(p.jsonld_errors) for p in pages)
    unparsed = f"; {bad} JSON-LD block{'s' if bad > 1 else ''} did not parse" if bad else ""
    found = sorted({t for p in pages for t in p.jsonld_types})
    types = (
        f"; JSON-LD types found: {', '.join(found[:8])}"
        + (f" and {len(found) - 8} more" if len(found) > 8 else "")
        + " (none is LocalBusiness or a schema.org subtype of it)."
        if found
        else "."
    )
    yield audit.finding(
        "localbusiness_missing",
        audit.site,
        "No LocalBusiness structured data",
        f"None of {len(pages)} pages of {audit.site} has schema.org LocalBusiness "
        f"data (JSON-LD or microdata){unparsed}{types}",
        "Add a LocalBusiness (or subtype) JSON-LD block to the home page with name, "
        "address, telephone, openingHours and url.",
        _home_prov(audit, "jsonld"),
        severity=Severity.HIGH,
        impact=2,
    )


def localbusiness_fields(audit: SiteAudit) -> Iterator[Finding]:
    """A LocalBusiness block without name, address, telephone or openingHours."""
    for business in audit.businesses:
        missing = [f for f in LB_REQUIRED if f not in business.fields]
        if missing:
            yield audit.finding(
                "localbusiness_fields",
                f"{business.page}:{','.join(missing)}",
                f"LocalBusiness data lacks {', '.join(missing)}",
                f"The {business.type} block on {business.page} has no {', '.join(missing)}.",
                "Fill the missing LocalBusiness fields so Google can show them.",
                [business.provenance],
            )


def jsonld_invalid(audit: SiteAudit) -> Iterator[Finding]:
    """A JSON-LD block that does not parse, one finding per block."""
    for page in audit.pages:
        for number, error in enumerate(page.jsonld_errors, start=1):
            yield audit.finding(
                "jsonld_invalid",
                f"{page.path}:{number}",
                f"JSON-LD does not parse on {page.path}",
                f"{page.path}: {error}",
                "Fix the JSON syntax (validate it with the Schema Markup Validator).",
                [_page_prov(page, f"jsonld_error:{number}")],
            )


# --------------------------------------------------------------------------------------------
# Titles and descriptions
# --------------------------------------------------------------------------------------------


def _missing_or_duplicate(
    audit: SiteAudit, attr: str, label: str, rule: str, severity: Severity
) -> Iterator[Finding]:
    """``<rule>_missing`` for each indexed page without ``attr``, then ``<rule>_duplicate`` for
    each group of pages that share one (compared without case and outer spaces)."""
    seen: dict[str, list[SitePage]] = defaultdict(list)
    for page in audit.indexed:
        value = getattr(page, attr)
        if value:
            seen[value.strip().lower()].append(page)
            continue
        yield audit.finding(
            f"{rule}_missing",
            page.path,
            f"No {label} on {page.path}",
            f"{page.path} has no {label}.",
            f"Write a unique {label} for {page.path}.",
            [_page_prov(page)],
            severity=severity,
        )
    for group in seen.values():
        if len(group) > 1:
            names = ", ".join(p.path for p in group)
            yield audit.finding(
                f"{rule}_duplicate",
                names,
                f"Same {label} on {len(group)} pages",
                f"{names} share the {label} {getattr(group[0], attr)!r}.",
                f"Give each page its own {label}.",
                [_page_prov(p, attr) for p in group],
                severity=Severity.LOW,
            )


def titles(audit: SiteAudit) -> Iterator[Finding]:
    """``title_missing`` and ``title_duplicate``."""
    yield from _missing_or_duplicate(audit, "title", "title", "title", Severity.MEDIUM)


def descriptions(audit: SiteAudit) -> Iterator[Finding]:
    """``description_missing`` and ``description_duplicate``."""
    yield from _missing_or_duplicate(
        audit, "meta_description", "meta description", "description", Severity.LOW
    )


# --------------------------------------------------------------------------------------------
# Each live page
# --------------------------------------------------------------------------------------------


def canonical(audit: SiteAudit, page: SitePage) -> Iterator[Finding]:
    """An indexed page with no canonical link, or one naming another page or site."""
    if page not in audit.indexed:
        return  # not indexed: its canonical does not matter
    if not page.canonical:
        yield audit.finding(
            "canonical_missing",
            page.path,
            f"No canonical tag on {page.path}",
            f'{page.path} has no <link rel="canonical">.',
            "Add a canonical link to the page's preferred https:// URL.",
            [_page_prov(page)],
            severity=Severity.LOW,
        )
    elif (where := canonical_elsewhere(page.path, page.canonical, audit.host)) is not None:
        yield audit.finding(
            "canonical_elsewhere",
            page.path,
            f"Canonical tag on {page.path} points to another {where}",
            f"{page.path} names {page.canonical} as its canonical URL, so search engines "
            "index that instead of this page.",
            "Point the canonical link at the page's own https:// URL (keep it elsewhere "
            "only for a true duplicate).",
            [_page_prov(page, "canonical")],
        )


def viewport_missing(audit: SiteAudit, page: SitePage) -> Iterator[Finding]:
    """A page without a viewport meta tag (phones render it zoomed out)."""
    if not page.viewport:
        yield audit.finding(
            "viewport_missing",
            page.path,
            f"No viewport meta tag on {page.path}",
            f'{page.path} has no <meta name="viewport">, so phones render it zoomed out.',
            'Add <meta name="viewport" content="width=device-width, initial-scale=1">.',
            [_page_prov(page)],
        )


def http_link(audit: SiteAudit, page: SitePage) -> Iterator[Finding]:
    """Each insecure ``http://`` link on a page."""
    for url in page.http_links:
        yield audit.finding(
            "http_link",
            f"{page.path}:{url}",
            f"Insecure http:// link on {page.path}",
            f"{page.path} links to {url}.",
            "Change the link to https:// (or drop it if the target has no https).",
            [_page_prov(page, f"http:{url}")],
            severity=Severity.LOW,
        )


def broken_link(audit: SiteAudit, page: SitePage) -> Iterator[Finding]:
    """Each internal link to a file the site does not have."""
    for href in page.broken_links:
        yield audit.finding(
            "broken_link",
            f"{page.path}:{href}",
            f"Broken internal link on {page.path}",
            f"{page.path} links to {href}, which is not in the site.",
            "Fix the link or restore the page.",
            [_page_prov(page, f"broken:{href}")],
            tags=("ux",),
        )


def malformed_link(audit: SiteAudit, page: SitePage) -> Iterator[Finding]:
    """Each link no URL parser can read (``http://[x``): a visitor's click goes nowhere."""
    for href in page.malformed_links:
        yield audit.finding(
            "malformed_link",
            f"{page.path}:{href}",
            f"Malformed link on {page.path}",
            f"{page.path} links to {href}, which is not a URL a browser can follow.",
            "Correct the link's address (or remove the link).",
            [_page_prov(page, f"malformed:{href}")],
            tags=("ux",),
        )


PAGE_RULES: tuple[PageRule, ...] = (
    canonical,
    viewport_missing,
    http_link,
    broken_link,
    malformed_link,
)


def each_live_page(audit: SiteAudit) -> Iterator[Finding]:
    """``PAGE_RULES`` on every live page, page by page."""
    for page in audit.live:
        for rule in PAGE_RULES:
            yield from rule(audit, page)


# --------------------------------------------------------------------------------------------
# Site files
# --------------------------------------------------------------------------------------------


def sitemap(audit: SiteAudit, site_file: SiteFile) -> Iterator[Finding]:
    """No sitemap.xml, or one that does not parse or lists no URL."""
    site = audit.site
    if not site_file.sitemap:
        yield audit.finding(
            "sitemap_missing",
            site,
            f"No sitemap.xml in {site}",
            f"{site} has no sitemap.xml.",
            "Generate a sitemap.xml listing every page and name it in robots.txt.",
            [site_file.provenance],
        )
    elif site_file.sitemap_error or site_file.sitemap_urls == 0:
        yield audit.finding(
            "sitemap_invalid",
            site,
            f"sitemap.xml in {site} is unusable",
            site_file.sitemap_error or f"{site}/sitemap.xml lists no URLs.",
            "Regenerate sitemap.xml as a valid <urlset> with one <loc> per page.",
            [
                site_file.provenance.at_line(None)
                if not site_file.sitemap_error
                else Provenance(f"{site}/sitemap.xml")
            ],
        )


def robots(audit: SiteAudit, site_file: SiteFile) -> Iterator[Finding]:
    """No robots.txt, or one that disallows every crawler."""
    site = audit.site
    if not site_file.robots:
        yield audit.finding(
            "robots_missing",
            site,
            f"No robots.txt in {site}",
            f"{site} has no robots.txt.",
            "Add a robots.txt that allows crawling and names the sitemap.",
            [site_file.provenance],
            severity=Severity.LOW,
        )
    elif site_file.robots_disallows_all:
        yield audit.finding(
            "robots_blocks_all",
            site,
            f"robots.txt blocks every crawler on {site}",
            f"{site}/robots.txt disallows / for User-agent: *; search engines will not index the site.",
            "Remove the blanket Disallow: / (it is usually left over from a staging site).",
            [Provenance(f"{site}/robots.txt")],
            severity=Severity.CRITICAL,
            impact=3,
        )


FILE_RULES: tuple[FileRule, ...] = (sitemap, robots)


def each_site_file(audit: SiteAudit) -> Iterator[Finding]:
    """``FILE_RULES`` on every site file of the site."""
    for site_file in audit.files:
        for rule in FILE_RULES:
            yield from rule(audit, site_file)


# --------------------------------------------------------------------------------------------
# Analytics
# --------------------------------------------------------------------------------------------


def analytics(audit: SiteAudit) -> Iterator[Finding]:
    """No analytics tag on any content page (``analytics_missing``), or on some of them only
    (``analytics_partial``, one finding per page without it)."""
    content = audit.content
    with_analytics = [p for p in content if p.analytics]
    if content and not with_analytics:
        yield audit.finding(
            "analytics_missing",
            audit.site,
            f"No analytics on {audit.site}",
            f"None of {len(content)} pages loads an analytics tag (GA4, GTM, Plausible, ...).",
            "Add one privacy-friendly analytics tag to every page so channel results can be measured.",
            _home_prov(audit),
            severity=Severity.HIGH,
            impact=2,
        )
    elif with_analytics and len(with_analytics) < len(content):
        for page in content:
            if not page.analytics:
                yield audit.finding(
                    "analytics_partial",
                    page.path,
                    f"No analytics tag on {page.path}",
                    f"{page.path} loads no analytics tag while other pages do.",
                    "Add the site's analytics tag to this page (a shared template fixes all).",
                    [_page_prov(page)],
                    severity=Severity.LOW,
                )


# --------------------------------------------------------------------------------------------
# NAP: name, address, phone
# --------------------------------------------------------------------------------------------


@dataclass
class _Phones:
    """The site's phone numbers by key (last nine digits): the pages giving each, the number as
    first written on each page, the LocalBusiness ones, and each number as shown in a finding."""

    pages: dict[str, list[SitePage]]
    written: dict[tuple[str, str], str]
    businesses: set[str]
    shown: dict[str, str]


def _phones(audit: SiteAudit) -> _Phones:
    pages: dict[str, list[SitePage]] = defaultdict(list)
    written: dict[tuple[str, str], str] = {}
    shown: dict[str, str] = {}
    for page in audit.pages:
        for phone in page.phones:
            key = _phone_key(phone)
            if len(key) < 7:
                continue
            if (page.path, key) not in written:
                pages[key].append(page)
                written[(page.path, key)] = phone
            shown.setdefault(key, phone)
    businesses: set[str] = set()
    for business in audit.businesses:
        key = _phone_key(business.telephone or "")
        if len(key) >= 7:
            businesses.add(key)
            # a non-NANP number is shown as the business writes it (+44 20 7946 0958)
            if len(shown.get(key, "")) != 10:
                shown[key] = (business.telephone or "").strip()
    shown = {k: _fmt_phone(v) if len(v) == 10 else v for k, v in shown.items()}
    return _Phones(pages, written, businesses, shown)


def nap_phone(audit: SiteAudit) -> Iterator[Finding]:
    """More than one phone number across the site's pages and LocalBusiness data. Numbers are
    compared by their last nine digits, so national and international forms of one number agree
    (020 7946 0958 = +44 20 7946 0958, (555) 010-2000 = +1 ...)."""
    phones = _phones(audit)
    every = set(phones.pages) | phones.businesses
    if len(every) <= 1:
        return
    home = audit.home
    # most pages win; on a tie the home page's number, then the LocalBusiness one
    main = max(
        sorted(every),
        key=lambda ph: (
            len(phones.pages.get(ph, [])) + (ph in phones.businesses),
            home is not None and any(p is home for p in phones.pages.get(ph, [])),
            ph in phones.businesses,
        ),
    )
    odd = sorted(every - {main})
    provs = [
        _page_prov(p, f"phone:{phones.written[(p.path, ph)]}")
        for ph in odd
        for p in phones.pages.get(ph, [])
    ]
    provs += [b.provenance for b in audit.businesses if _phone_key(b.telephone or "") in odd]
    where = "; ".join(
        f"{phones.shown[ph]} on "
        f"{', '.join(p.path for p in phones.pages.get(ph, [])) or 'LocalBusiness data'}"
        for ph in odd
    )
    yield audit.finding(
        "nap_phone",
        audit.site,
        f"Phone number differs across {audit.site}",
        f"Most of the site gives {phones.shown[main]}, but: {where}.",
        "Use one phone number everywhere (pages, LocalBusiness data, Google Business Profile).",
        provs,
        severity=Severity.MEDIUM,
        impact=2,
    )


def nap_name(audit: SiteAudit) -> Iterator[Finding]:
    """A LocalBusiness name other than the entity's name in portfolio.toml."""
    name = audit.entity.name
    wanted = _norm_name(name)
    for business in audit.businesses:
        if business.name and _norm_name(business.name) != wanted:
            yield audit.finding(
                "nap_name",
                f"{business.page}:{business.name}",
                f"Business name differs from {name!r}",
                f"The LocalBusiness name on {business.page} is {business.name!r}; the portfolio calls it {name!r}.",
                "Use the same business name on the site, in LocalBusiness data and on Google.",
                [business.provenance],
                severity=Severity.LOW,
            )


def nap_address(audit: SiteAudit) -> Iterator[Finding]:
    """LocalBusiness blocks that give different addresses."""
    addresses = {
        (b.street_address or b.address_text or "", b.locality or "", b.postal_code or "")
        for b in audit.businesses
        if b.street_address or b.address_text
    }
    if len(addresses) > 1:
        yield audit.finding(
            "nap_address",
            audit.site,
            f"Address differs across {audit.site}",
            "LocalBusiness blocks give different addresses: "
            + "; ".join(", ".join(x for x in a if x) for a in sorted(addresses))
            + ".",
            "Use one address everywhere.",
            [b.provenance for b in audit.businesses],
            severity=Severity.MEDIUM,
        )


#: Every site check, in the order its findings are listed.
SITE_RULES: tuple[SiteRule, ...] = (
    noindex_home,
    localbusiness_missing,
    localbusiness_fields,
    jsonld_invalid,
    titles,
    descriptions,
    each_live_page,
    each_site_file,
    analytics,
    nap_phone,
    nap_name,
    nap_address,
)


def site_audits(
    entity: EntityInfo,
    pages: Sequence[SitePage],
    businesses: Sequence[LocalBusiness],
    site_files: Sequence[SiteFile],
    local: bool = True,
) -> list[SiteAudit]:
    """One audit per site of the entity (a site is a folder of pages or site files)."""
    audits: list[SiteAudit] = []
    for site in sorted({p.site for p in pages} | {f.site for f in site_files}):
        site_pages = sorted((p for p in pages if p.site == site), key=lambda p: p.path)
        home = next((p for p in site_pages if p.path in ("index.html", "index.htm")), None)
        live = [p for p in site_pages if not p.refresh]
        content = [p for p in live if PurePosixPath(p.path).name.lower() not in NOT_FOUND_PAGES]
        sources = {p.provenance.source for p in site_pages}
        audits.append(
            SiteAudit(
                entity=entity,
                site=site,
                pages=tuple(site_pages),
                live=tuple(live),
                content=tuple(content),
                indexed=tuple(p for p in content if not p.noindex),
                home=home or (site_pages[0] if site_pages else None),
                businesses=tuple(b for b in businesses if b.provenance.source in sources),
                files=tuple(f for f in site_files if f.site == site),
                local=local,
            )
        )
    return audits


def seo_findings(
    entity: EntityInfo,
    pages: list[SitePage],
    businesses: list[LocalBusiness],
    site_files: list[SiteFile],
    local: bool = True,
) -> list[Finding]:
    """Every local-SEO gap of one entity's site(s), each a finding citing its page and line."""
    return [
        finding
        for audit in site_audits(entity, pages, businesses, site_files, local)
        for rule in SITE_RULES
        for finding in rule(audit)
    ]


def canonical_elsewhere(path: str, canonical: str, site_host: str | None) -> str | None:
    """``"site"`` when a page's canonical URL names another host than ``site_host``, ``"page"``
    when it names another path of the site, else None. The page ``tours/index.html`` is
    ``/tours/``, ``/tours`` or ``/tours/index.html``; ``about.html`` also ``/about`` or
    ``/about/``. A relative canonical is read against the page's own URL."""
    own = "/" + path
    folder, _, name = own.rpartition("/")
    forms = {own}
    if name in ("index.html", "index.htm"):
        forms |= {folder + "/", folder or "/"}
    else:
        stem = re.sub(r"\.html?$", "", own)
        forms |= {stem, stem + "/"}
    parts = urlsplit(urljoin("https://page.invalid" + own, canonical.strip()))
    host = (parts.hostname or "").lower().removeprefix("www.")
    if host != "page.invalid" and site_host is not None and host != site_host:
        return "site"
    return None if unquote(parts.path or "/") in forms else "page"


def _norm_name(text: str) -> str:
    words = re.sub(r"[^0-9a-z ]+", " ", text.lower()).split()
    drop = {"the", "co", "company", "inc", "llc", "ltd"}
    return " ".join(w for w in words if w not in drop)


def _phone_key(text: str) -> str:
    """The last nine digits of a phone number: enough to tell numbers apart, and the same
    whether it is written with a country code or a national trunk prefix."""
    return re.sub(r"\D", "", text)[-9:]


def _fmt_phone(digits: str) -> str:
    if len(digits) == 10:
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return digits
