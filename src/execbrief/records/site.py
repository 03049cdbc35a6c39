"""Records read from a site's built HTML."""

from __future__ import annotations

from dataclasses import dataclass

from execbrief.snapshot import Record


@dataclass(frozen=True)
class LocalBusiness(Record):
    """A schema.org LocalBusiness (or subtype) object found in a page's JSON-LD."""

    page: str
    type: str
    name: str | None
    telephone: str | None
    street_address: str | None
    locality: str | None
    region: str | None
    postal_code: str | None
    has_hours: bool
    url: str | None = None


@dataclass(frozen=True)
class SitePage(Record):
    """One HTML page of a site and what an SEO/UX audit needs from it.

    ``path`` is relative to the site folder. ``http_links`` are insecure ``http://`` links;
    ``broken_links`` are internal links to files that do not exist; ``ota_links`` and
    ``social_links`` are the hosts linked to (``getmyboat.com``, ``instagram.com``).
    ``jsonld_errors`` says which JSON-LD blocks did not parse.
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


@dataclass(frozen=True)
class SiteFile(Record):
    """Site-level files: robots.txt and sitemap.xml, present or not, and what they say."""

    site: str
    robots: bool
    robots_disallows_all: bool
    sitemap: bool
    sitemap_urls: int
    sitemap_error: str | None = None
