"""Every local-SEO check of the marketing analysis on small HTML folders read by the site source:
a clean site has no gap; a bad one has each gap once, at its page and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from execbrief.analysis.marketing import seo_findings
from execbrief.config import Entity, SourceSpec
from execbrief.records.site import LocalBusiness, SiteFile, SitePage
from execbrief.snapshot import EntityInfo
from execbrief.sources.base import SourceRequest
from execbrief.sources.site import SiteOptions, SiteSource

HEAD = """<html lang="en"><head>
<title>{title}</title>
<meta name="description" content="{title} description">
<meta name="viewport" content="width=device-width">
<link rel="canonical" href="https://good.example/{page}">
<script defer data-domain="good.example" src="https://plausible.io/js/script.js"></script>
</head><body><h1>{title}</h1><p>Call (555) 010-1000</p>
"""
LB = """<script type="application/ld+json">{"@context":"https://schema.org","@type":"LocalBusiness",
"name":"Good Boats","telephone":"555-010-1000","openingHours":"Mo-Su",
"address":{"@type":"PostalAddress","streetAddress":"1 Dock St","addressLocality":"Port"}}</script>
"""
ROBOTS = "User-agent: *\nAllow: /\nSitemap: https://good.example/sitemap.xml\n"
SITEMAP = (
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
    "<url><loc>https://good.example/</loc></url></urlset>"
)


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def read(root: Path, folder: str, name: str) -> list:
    request = SourceRequest(
        entity=Entity(id="boats", name=name, kind="charter"),
        spec=SourceSpec("site", (folder,), SiteOptions(), "entities[0].site"),
        root=root,
        as_of=date(2026, 11, 20),
    )
    result = SiteSource().collect(request)
    pages = [r for r in result.records if isinstance(r, SitePage)]
    businesses = [r for r in result.records if isinstance(r, LocalBusiness)]
    files = [r for r in result.records if isinstance(r, SiteFile)]
    return seo_findings(EntityInfo("boats", name, "charter"), pages, businesses, files)


def test_clean_site_has_no_gap(tmp_path: Path) -> None:
    write(tmp_path, "good/index.html", HEAD.format(title="Home", page="") + LB + "</body></html>")
    write(
        tmp_path,
        "good/about.html",
        HEAD.format(title="About", page="about.html") + "</body></html>",
    )
    write(tmp_path, "good/robots.txt", ROBOTS)
    write(tmp_path, "good/sitemap.xml", SITEMAP)
    assert read(tmp_path, "good", "Good Boats Co.") == []


BAD_INDEX = """<html><head>
<title>Boats</title>
<script type="application/ld+json">{"@type": "LocalBusiness", "name": "Bad Boats"</script>
</head><body>
<p>Call 555-010-2000</p>
<a href="http://insecure.example/">partner</a>
<a href="gone.html">old</a>
<a href="http://[x">partner's old address</a>
</body></html>
"""
BAD_ABOUT = """<html><head>
<title>Boats</title>
<meta name="description" content="About">
<script type="application/ld+json">{"@type": "Restaurant", "name": "Other Name",
"address": "9 Elsewhere Rd"}</script>
</head><body><p>Call 555-010-2999</p>
<p>Or 555-010-2000</p></body></html>
"""


def test_every_gap_found_at_its_page(tmp_path: Path) -> None:
    write(tmp_path, "bad/index.html", BAD_INDEX)
    write(tmp_path, "bad/about.html", BAD_ABOUT)
    write(tmp_path, "bad/robots.txt", "User-agent: *\nDisallow: /\n")
    findings = read(tmp_path, "bad", "Bad Boats")
    got = {f.id: [p.cite() for p in f.provenance] for f in findings}
    assert got == {
        "marketing.seo.localbusiness_fields:boats:about.html:telephone,openingHours": [
            "bad/about.html:4"
        ],
        "marketing.seo.jsonld_invalid:boats:index.html:1": ["bad/index.html:3"],
        "marketing.seo.description_missing:boats:index.html": ["bad/index.html:1"],
        "marketing.seo.title_duplicate:boats:about.html, index.html": [
            "bad/about.html:2",
            "bad/index.html:2",
        ],
        "marketing.seo.canonical_missing:boats:about.html": ["bad/about.html:1"],
        "marketing.seo.canonical_missing:boats:index.html": ["bad/index.html:1"],
        "marketing.seo.viewport_missing:boats:about.html": ["bad/about.html:1"],
        "marketing.seo.viewport_missing:boats:index.html": ["bad/index.html:1"],
        "marketing.seo.http_link:boats:index.html:http://insecure.example/": ["bad/index.html:6"],
        "marketing.seo.broken_link:boats:index.html:gone.html": ["bad/index.html:7"],
        # audit 17: a link no browser can follow is its own finding, not a broken internal link
        "marketing.seo.malformed_link:boats:index.html:http://[x": ["bad/index.html:8"],
        "marketing.seo.sitemap_missing:boats:bad": ["bad"],
        "marketing.seo.robots_blocks_all:boats:bad": ["bad/robots.txt"],
        "marketing.seo.analytics_missing:boats:bad": ["bad/index.html:1"],
        "marketing.seo.nap_phone:boats:bad": ["bad/about.html:6"],
        "marketing.seo.nap_name:boats:about.html:Other Name": ["bad/about.html:4"],
    }
    phone = next(f for f in findings if f.rule == "marketing.seo.nap_phone")
    assert "(555) 010-2000" in phone.evidence and "(555) 010-2999 on about.html" in phone.evidence
    assert all("marketing" in f.tags for f in findings)


def test_missing_localbusiness_robots_and_partial_analytics(tmp_path: Path) -> None:
    write(tmp_path, "s/index.html", HEAD.format(title="Home", page="") + "</body></html>")
    write(
        tmp_path,
        "s/book.html",
        "<html lang=en><head><title>Book</title></head><body></body></html>",
    )
    write(tmp_path, "s/sitemap.xml", "<urlset></urlset>")
    findings = read(tmp_path, "s", "Good Boats")
    rules = sorted({f.rule.rsplit(".", 1)[1] for f in findings})
    assert rules == [
        "analytics_partial",
        "canonical_missing",
        "description_missing",
        "localbusiness_missing",
        "robots_missing",
        "sitemap_invalid",
        "viewport_missing",
    ]
    missing = next(f for f in findings if f.rule.endswith("localbusiness_missing"))
    assert [p.cite() for p in missing.provenance] == ["s/index.html:1"]
    partial = next(f for f in findings if f.rule.endswith("analytics_partial"))
    assert [p.cite() for p in partial.provenance] == ["s/book.html:1"]


def test_address_inconsistent(tmp_path: Path) -> None:
    other = LB.replace("1 Dock St", "2 Pier Rd")
    write(tmp_path, "s/index.html", HEAD.format(title="A", page="") + LB)
    write(tmp_path, "s/b.html", HEAD.format(title="B", page="b.html") + other)
    write(tmp_path, "s/robots.txt", ROBOTS)
    write(tmp_path, "s/sitemap.xml", SITEMAP)
    findings = read(tmp_path, "s", "Good Boats")
    assert [f.rule for f in findings] == ["marketing.seo.nap_address"]
    assert "1 Dock St, Port; 2 Pier Rd, Port" in findings[0].evidence


def test_canonical_pointing_elsewhere(tmp_path: Path) -> None:
    """Static-site output (nested folders, index.html each): a canonical naming another page or
    another host drops the page from search; relative and trailing-slash forms of itself do not."""
    body = LB + "</body></html>"
    write(tmp_path, "s/index.html", HEAD.format(title="Home", page="") + body)
    write(tmp_path, "s/tours/index.html", HEAD.format(title="Tours", page="tours") + body)
    write(tmp_path, "s/tours/sunset/index.html", HEAD.format(title="Sunset", page="") + body)
    write(
        tmp_path,
        "s/blog.html",
        HEAD.format(title="Blog", page="blog").replace("https://good.example/blog", "/blog") + body,
    )
    write(
        tmp_path,
        "s/faq.html",
        HEAD.format(title="FAQ", page="faq.html").replace("good.example", "copy.example") + body,
    )
    write(tmp_path, "s/robots.txt", ROBOTS)
    write(tmp_path, "s/sitemap.xml", SITEMAP)
    findings = read(tmp_path, "s", "Good Boats")
    got = {f.id: [p.cite() for p in f.provenance] for f in findings}
    assert got == {
        "marketing.seo.canonical_elsewhere:boats:faq.html": ["s/faq.html:5"],
        "marketing.seo.canonical_elsewhere:boats:tours/sunset/index.html": [
            "s/tours/sunset/index.html:5"
        ],
    }
    sunset = next(f for f in findings if "sunset" in f.id)
    assert "https://good.example/" in sunset.evidence


def test_phone_tie_keeps_the_home_pages_number(tmp_path: Path) -> None:
    """One page each: the home page's number is taken as right, not the larger digits."""
    write(tmp_path, "s/index.html", HEAD.format(title="Home", page="") + "</body></html>")
    other = HEAD.format(title="B", page="b.html").replace("010-1000", "010-1999")
    write(tmp_path, "s/b.html", other + "</body></html>")
    findings = read(tmp_path, "s", "Good Boats")
    [phone] = [f for f in findings if f.rule == "marketing.seo.nap_phone"]
    assert "gives (555) 010-1000, but: (555) 010-1999 on b.html" in phone.evidence
    assert [p.cite() for p in phone.provenance] == ["s/b.html:7"]


def test_localbusiness_missing_names_the_types_found(tmp_path: Path) -> None:
    """BoatRental is no schema.org type and TouristTrip is no LocalBusiness: the gap says so."""
    blocks = (
        '<script type="application/ld+json">{"@context": "https://schema.org", '
        '"@type": "BoatRental", "name": "Good Boats"}</script>\n'
        '<script type="application/ld+json">{"@type": "TouristTrip", "name": "Sunset"}</script>'
    )
    write(tmp_path, "s/index.html", HEAD.format(title="Home", page="") + blocks + "</body></html>")
    findings = read(tmp_path, "s", "Good Boats")
    [missing] = [f for f in findings if f.rule == "marketing.seo.localbusiness_missing"]
    assert "JSON-LD types found: BoatRental, TouristTrip" in missing.evidence
    assert [p.cite() for p in missing.provenance] == ["s/index.html:8"]


ALIAS = """<!DOCTYPE html><html lang="en"><head><title>https://good.example/</title>
<link rel="canonical" href="https://good.example/">
<meta name="robots" content="noindex">
<meta charset="utf-8">
<meta http-equiv="refresh" content="0; url=https://good.example/">
</head></html>
"""


def test_redirects_404_and_noindex_pages_are_not_indexing_gaps(tmp_path: Path) -> None:
    """Static-site generators write alias pages (a meta refresh, canonical to the target) and a
    404.html: neither is indexed, so neither lacks a canonical or a description. A noindex on the
    home page is the gap."""
    body = LB + "</body></html>"
    home = HEAD.format(title="Home", page="").replace(
        "<title>", '<meta name="robots" content="noindex, nofollow">\n<title>'
    )
    write(tmp_path, "s/index.html", home + body)
    write(tmp_path, "s/old-page/index.html", ALIAS)
    write(
        tmp_path,
        "s/404.html",
        '<html><head><title>Not found</title><meta name="viewport" content="width=device-width">'
        "</head><body></body></html>",
    )
    write(tmp_path, "s/robots.txt", ROBOTS)
    write(tmp_path, "s/sitemap.xml", SITEMAP)
    findings = read(tmp_path, "s", "Good Boats")
    got = {f.id: [p.cite() for p in f.provenance] for f in findings}
    assert got == {"marketing.seo.noindex_home:boats:index.html": ["s/index.html:2"]}


def test_one_international_number_written_three_ways_is_consistent(tmp_path: Path) -> None:
    """+44 20 7946 0958, tel:+442079460958 and tel:020 7946 0958 are one number, and so are
    555.010.1000 and +1 555 010 1000; a different number is still caught."""
    lb = LB.replace("555-010-1000", "+44 20 7946 0958")
    links = '<a href="tel:+442079460958">a</a><a href="tel:020%207946%200958">b</a>'
    home = HEAD.format(title="Home", page="").replace("Call (555) 010-1000", "")
    write(tmp_path, "s/index.html", home + lb + links)
    us = HEAD.format(title="B", page="b.html").replace("(555) 010-1000", "555.010.1000")
    write(tmp_path, "s/b.html", us + '<p>+1 555 010 1000</p><a href="tel:+44 20 7946 0999">c</a>')
    write(tmp_path, "s/robots.txt", ROBOTS)
    write(tmp_path, "s/sitemap.xml", SITEMAP)
    findings = read(tmp_path, "s", "Good Boats")
    [phone] = [f for f in findings if f.rule == "marketing.seo.nap_phone"]
    # the UK number is on index.html and in the LocalBusiness data (2); each other on b.html (1)
    assert phone.evidence == (
        "Most of the site gives +44 20 7946 0958, but: 442079460999 on b.html; "
        "(555) 010-1000 on b.html."
    )
    assert [p.cite() for p in phone.provenance] == ["s/b.html:8", "s/b.html:7"]
