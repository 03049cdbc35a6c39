"""Records read from a site's built HTML."""

from __future__ import annotations

from dataclasses import dataclass, field

from execbrief.snapshot import Record


@dataclass(frozen=True)
class LocalBusiness(Record):
    """A schema.org LocalBusiness (or subtype) object found in a page's JSON-LD."""

    page: str
    schema_type: str
    name: str | None
    telephone: str | None
    street_address: str | None
    locality: str | None
    region: str | None
    postal_code: str | None
    has_hours: bool
    url: str | None = None
    #: ``address`` as one line when the JSON-LD gives it as text rather than a PostalAddress.
    address_text: str | None = None
    #: Which of the recommended fields are present (``name``, ``address``, ``telephone``,
    #: ``openingHours``, ``url``, ``geo``, ``image``, ``priceRange``).
    fields: tuple[str, ...] = ()

    @property
    def type(self) -> str:
        """The schema.org type (``schema_type``; the field is not named ``type`` because that is
        the JSON type key of every serialised record)."""
        return self.schema_type


@dataclass(frozen=True)
class SitePage(Record):
    """One HTML page of a site and what an SEO/UX audit needs from it.

    ``path`` is relative to the site folder. ``http_links`` are insecure ``http://`` links;
    ``broken_links`` are internal links to files that do not exist; ``malformed_links`` are
    links no URL parser can read (``http://[x``: an unclosed IPv6 host); ``ota_links`` and
    ``social_links`` are the hosts linked to (``getmyboat.com``, ``instagram.com``).
    ``jsonld_errors`` says which JSON-LD blocks did not parse (``line 12: <parser message>``).
    ``phones`` are digits only, a leading NANP country code ``1`` dropped from 11-digit numbers.
    ``analytics`` are tool names (``google-analytics-4``, ``google-tag-manager``, ``plausible``,
    ...); ``analytics_ids`` the public measurement ids seen (``G-...``, ``GTM-...``).
    ``booking_widgets`` are booking engines (``fareharbor``, ``calendly``, ...) or, for a
    home-made calendar, ``element:<tag>#<id>`` / ``element:<tag>.<class>``.
    ``lines`` maps what was found to the line of its element: ``title``, ``meta_description``,
    ``canonical``, ``viewport``, ``h1``, ``form``, ``jsonld``, ``analytics:<name>``,
    ``widget:<name>``, ``ota:<host>``, ``social:<host>``, ``http:<url>``, ``broken:<href>``,
    ``malformed:<href>``, ``phone:<digits>``, ``jsonld_error:<n>``, ``noindex``, ``refresh`` (first occurrence of each).
    """

    path: str
    title: str | None
    meta_description: str | None
    canonical: str | None
    viewport: bool
    lang: str | None
    h1: tuple[str, ...]
    analytics: tuple[str, ...]
    forms: int
    booking_widgets: tuple[str, ...]
    ota_links: tuple[str, ...]
    social_links: tuple[str, ...]
    http_links: tuple[str, ...]
    broken_links: tuple[str, ...]
    phones: tuple[str, ...]
    jsonld_types: tuple[str, ...]
    jsonld_errors: tuple[str, ...]
    analytics_ids: tuple[str, ...] = ()
    site_name: str | None = None
    lines: dict[str, int] = field(default_factory=dict)
    #: The site folder as configured (display form), to group pages into sites.
    site: str = ""
    #: ``<meta name="robots">`` (or ``googlebot``) says ``noindex``.
    noindex: bool = False
    #: The target of a ``<meta http-equiv="refresh">`` redirect (static-site alias pages).
    refresh: str | None = None
    malformed_links: tuple[str, ...] = ()


@dataclass(frozen=True)
class SiteFile(Record):
    """Site-level files: robots.txt and sitemap.xml, present or not, and what they say."""

    site: str
    robots: bool
    robots_disallows_all: bool
    sitemap: bool
    sitemap_urls: int
    sitemap_error: str | None = None
    #: robots.txt names a ``Sitemap:`` URL.
    robots_sitemap: bool = False
    #: HTML pages read in the folder (after skipping unreadable files).
    pages: int = 0
    #: The site's own host (``harbor.example``): ``base_url``'s, else the one most of the pages'
    #: canonical links name, else None.
    host: str | None = None
