"""The site source on small hand-written HTML folders: every extracted field, and bad input."""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from execbrief.config import Entity, SourceSpec
from execbrief.records.site import LocalBusiness, SiteFile, SitePage
from execbrief.serialization import from_jsonable, to_jsonable
from execbrief.snapshot import SourceResult
from execbrief.sources.base import SourceRequest
from execbrief.sources.site import (
    SiteOptions,
    SiteSource,
    match_host,
    normalize_phone,
    robots_rules,
    sitemap_count,
)

AS_OF = date(2026, 11, 20)

INDEX = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Harbor Charters | Sailing trips</title>
<meta name="description" content="Private  sailing charters from the harbor.">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="canonical" href="https://harbor.example/">
<meta property="og:site_name" content="Harbor Charters">
<script async src="https://www.googletagmanager.com/gtag/js?id=G-ABC1234567"></script>
<script>window.dataLayer=[];function gtag(){dataLayer.push(arguments)}gtag('config','G-ABC1234567');</script>
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Harbor Charters"},
  {"@type": ["LocalBusiness", "TravelAgency"], "name": "Harbor Charters",
   "telephone": "+1 555-010-2000",
   "address": {"@type": "PostalAddress", "streetAddress": "1 Pier Rd", "addressLocality": "Port",
               "addressRegion": "ME", "postalCode": "04000"},
   "openingHours": "Mo-Su 08:00-18:00", "url": "https://harbor.example/"}
]}
</script>
</head>
<body>
<h1>Sail with us</h1>
<p>Call (555) 010-2000 today.</p>
<a href="tel:+15550102000">Call</a>
<a href="about.html">About</a>
<a href="/contact/">Contact</a>
<a href="missing.html">Old page</a>
<a href="http://partner.example/deal">Partner</a>
<a href="https://www.getmyboat.com/boat/123">GetMyBoat</a>
<a href="https://www.tripadvisor.co.uk/Attraction-1">Reviews</a>
<a href="https://instagram.com/harbor">Instagram</a>
<a href="mailto:hello@harbor.example">Mail</a>
<a href="#top">Top</a>
<img src="img/boat.jpg">
<div id="availability-calendar"></div>
<iframe src="https://fareharbor.com/embeds/book/harbor/"></iframe>
<form action="/thanks.html"><input name="x"></form>
</body>
</html>
"""

ABOUT = """<html><head><title>About</title>
<script type="application/ld+json">{"@type": "LocalBusiness", "name": "Harbor Charters",,}</script>
<script defer data-domain="harbor.example" src="https://plausible.io/js/script.js"></script>
</head><body><h1>About us</h1><h1>Second</h1><p>Phone 555.010.2999</p>
<div class="cal booking-widget">x</div>
<a href="index.html">Home</a></body></html>
"""


def make_request(
    root: Path, paths: str | list[str], options: SiteOptions | None = None
) -> SourceRequest:
    found = (paths,) if isinstance(paths, str) else tuple(paths)
    return SourceRequest(
        entity=Entity(id="acme", name="Acme", kind="charter"),
        spec=SourceSpec("site", found, options or SiteOptions(), "entities[0].site"),
        root=root,
        as_of=AS_OF,
    )


def write(root: Path, name: str, text: str | bytes) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def collect(
    root: Path, paths: str | list[str] = "site", options: SiteOptions | None = None
) -> SourceResult:
    return SiteSource().collect(make_request(root, paths, options))


def pages(result: SourceResult) -> dict[str, SitePage]:
    return {r.path: r for r in result.records if isinstance(r, SitePage)}


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write(tmp_path, "site/index.html", INDEX)
    write(tmp_path, "site/about.html", ABOUT)
    write(tmp_path, "site/contact/index.html", "<html><body><h1>Contact</h1></body></html>")
    write(tmp_path, "site/thanks.html", "<p>Thanks</p>")
    write(tmp_path, "site/img/boat.jpg", b"\xff\xd8\xff")
    write(
        tmp_path,
        "site/robots.txt",
        "User-agent: *\nDisallow: /private/\nSitemap: https://harbor.example/sitemap.xml\n",
    )
    write(
        tmp_path,
        "site/sitemap.xml",
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<url><loc>https://harbor.example/</loc></url><url><loc>https://harbor.example/about.html</loc></url>"
        "</urlset>",
    )
    return tmp_path


def test_index_page_fields(site: Path) -> None:
    result = collect(site)
    page = pages(result)["index.html"]
    assert page.title == "Harbor Charters | Sailing trips"
    assert page.meta_description == "Private sailing charters from the harbor."
    assert page.canonical == "https://harbor.example/"
    assert page.viewport is True
    assert page.lang == "en"
    assert page.h1 == ("Sail with us",)
    assert page.site_name == "Harbor Charters"
    assert page.analytics == ("google-analytics-4",)
    assert page.analytics_ids == ("G-ABC1234567",)
    assert page.forms == 1
    assert page.booking_widgets == ("fareharbor", "element:div#availability-calendar")
    assert page.ota_links == ("getmyboat.com", "tripadvisor.com")
    assert page.social_links == ("instagram.com",)
    assert page.http_links == ("http://partner.example/deal",)
    assert page.broken_links == ("missing.html",)
    assert page.phones == ("5550102000",)
    assert page.jsonld_types == ("WebSite", "LocalBusiness", "TravelAgency", "PostalAddress")
    assert page.jsonld_errors == ()
    assert page.site == "site"
    assert page.provenance.source == "site/index.html"
    assert page.provenance.line == 2
    # element lines, as the parser gives them
    assert page.lines["title"] == 5
    assert page.lines["canonical"] == 8
    assert page.lines["broken:missing.html"] == 29
    assert page.lines["http:http://partner.example/deal"] == 30
    assert page.lines["phone:5550102000"] == 25


def test_local_business_from_graph(site: Path) -> None:
    result = collect(site)
    [business] = [r for r in result.records if isinstance(r, LocalBusiness)]
    assert business.type == business.schema_type == "LocalBusiness"
    assert business.name == "Harbor Charters"
    assert business.telephone == "+1 555-010-2000"
    assert (business.street_address, business.locality, business.region, business.postal_code) == (
        "1 Pier Rd",
        "Port",
        "ME",
        "04000",
    )
    assert business.has_hours is True
    assert business.fields == ("name", "address", "telephone", "openingHours", "url")
    assert business.provenance.cite() == "site/index.html:12"


def test_bad_jsonld_recorded_not_fatal(site: Path) -> None:
    result = collect(site)
    page = pages(result)["about.html"]
    assert len(page.jsonld_errors) == 1
    assert page.jsonld_errors[0].startswith("line 2: Expecting property name")
    assert page.jsonld_types == ()
    assert page.analytics == ("plausible",)
    assert page.h1 == ("About us", "Second")
    assert page.phones == ("5550102999",)
    assert page.booking_widgets == ("element:div.booking-widget",)
    assert page.viewport is False and page.meta_description is None and page.lang is None
    assert result.ok


def test_directory_links_and_site_file(site: Path) -> None:
    result = collect(site)
    assert pages(result)["contact/index.html"].broken_links == ()
    [site_file] = [r for r in result.records if isinstance(r, SiteFile)]
    assert site_file.robots and not site_file.robots_disallows_all and site_file.robots_sitemap
    assert site_file.sitemap and site_file.sitemap_urls == 2 and site_file.sitemap_error is None
    assert site_file.pages == 4


def test_missing_robots_and_broken_sitemap(tmp_path: Path) -> None:
    write(tmp_path, "s/index.html", "<title>x</title>")
    write(tmp_path, "s/sitemap.xml", "<urlset><url><loc>a</loc></url>")
    result = collect(tmp_path, "s")
    [site_file] = [r for r in result.records if isinstance(r, SiteFile)]
    assert not site_file.robots
    assert site_file.sitemap and site_file.sitemap_urls == 0
    assert site_file.sitemap_error is not None and "not well-formed XML" in site_file.sitemap_error
    assert any("sitemap.xml" in e.provenance.source for e in result.errors)


def test_malformed_html_is_tolerated(tmp_path: Path) -> None:
    write(
        tmp_path,
        "s/index.html",
        "<html><head><title>Broken <b>page</title><meta name=description content=Hi>"
        "<body><h1>Unclosed <div><p>Call 555-010-7777<a href='http://x.example'>x"
        "<table><tr><td>cell</html></div></span>",
    )
    page = pages(collect(tmp_path, "s"))["index.html"]
    # a title is text to its end tag (HTML's RCDATA): a browser's tab shows "Broken <b>page" too
    assert page.title == "Broken <b>page"
    assert page.meta_description == "Hi"
    assert page.phones == ("5550107777",)
    assert page.http_links == ("http://x.example",)
    assert len(page.h1) == 1


def test_a_page_nested_too_deep_is_read_to_the_depth_limit_with_a_note(tmp_path: Path) -> None:
    """Links before 2,048 nested elements are read; past them the page is not (lxml's limit),
    and a note names the line; nesting within the limit is read whole, and a LocalBusiness
    nested in another is an item of its own."""
    deep = "\n".join("<div>" for _ in range(2_100))  # the 2,047th (line 2,048) is too deep
    write(
        tmp_path,
        "s/deep.html",
        '<html><body><a href="tel:+1-555-010-2000">call</a>\n'
        + deep
        + '<a href="/gone.html">x</a>',
    )
    shallow = "<div>" * 2_000 + '<a href="/missing.html">m</a>' + "</div>" * 2_000
    outer = '<div itemscope itemtype="https://schema.org/LocalBusiness"><span itemprop="name">Outer'
    inner = '<div itemscope itemtype="https://schema.org/Restaurant"><span itemprop="name">Inner'
    write(tmp_path, "s/shallow.html", f"<html><body>{shallow}{outer}</span>{inner}</span>")
    result = collect(tmp_path, "s")
    got = pages(result)
    assert got["deep.html"].phones == ("5550102000",) and got["deep.html"].broken_links == ()
    assert [e.describe() for e in result.errors] == [
        "s/deep.html:2048: nests its elements more than 2,048 deep; read up to line 2,048, the "
        "rest of the page skipped"
    ]
    assert got["shallow.html"].broken_links == ("/missing.html",)
    names = [(r.schema_type, r.name) for r in result.records if isinstance(r, LocalBusiness)]
    assert names == [("LocalBusiness", "Outer"), ("Restaurant", "Inner")]


def test_binary_invalid_utf8_loop_and_outside_symlink(tmp_path: Path) -> None:
    write(tmp_path, "s/index.html", "<title>ok</title>")
    write(tmp_path, "s/binary.html", b"\x00\x01\x02PNG\x00")
    write(tmp_path, "s/latin.html", b"<meta charset='iso-8859-1'><title>Caf\xe9</title>")
    write(tmp_path, "outside/secret.html", "<title>outside</title>")
    os.symlink(tmp_path / "outside" / "secret.html", tmp_path / "s" / "linked.html")
    os.symlink(tmp_path / "s" / "loop", tmp_path / "s" / "loop")  # a link to itself
    os.symlink(tmp_path / "s", tmp_path / "s" / "sub")  # a folder loop
    result = collect(tmp_path, "s")
    found = pages(result)
    assert set(found) == {"index.html", "latin.html"}
    assert found["latin.html"].title == "Café"
    messages = {e.provenance.source: e.message for e in result.errors}
    assert "binary" in messages["s/binary.html"]
    assert "UTF-8" in messages["s/latin.html"] and "iso-8859-1" in messages["s/latin.html"]
    assert "outside the site folder" in messages["s/linked.html"]
    assert all(not e.fatal for e in result.errors)


def test_missing_folder_and_empty_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = collect(tmp_path, ["nope", "empty"])
    assert not result.ok
    text = " ".join(e.describe() for e in result.errors)
    assert "nope" in text and "empty" in text


def test_base_url_links_are_checked(tmp_path: Path) -> None:
    write(
        tmp_path,
        "s/index.html",
        '<a href="https://www.harbor.example/gone.html">x</a><a href="https://harbor.example/">y</a>'
        '<a href="../../etc/passwd">z</a>',
    )
    page = pages(collect(tmp_path, "s", SiteOptions(base_url="https://harbor.example")))[
        "index.html"
    ]
    assert page.broken_links == ("https://www.harbor.example/gone.html", "../../etc/passwd")


def test_own_host_inferred_from_canonicals_without_base_url(tmp_path: Path) -> None:
    """Static-site output with nested index.html folders: with no base_url, the site's host is the
    one its canonical links name, so absolute links to it are checked like relative ones."""
    head = '<html><head><link rel="canonical" href="https://www.reef.example/{0}"></head><body>\n'
    write(tmp_path, "s/index.html", head.format("") + '<a href="tours/">t</a></body></html>')
    write(
        tmp_path,
        "s/tours/index.html",
        head.format("tours/")
        + '<a href="https://reef.example/tours/sunset/">ok</a>\n'
        + '<a href="https://reef.example/pricing/">gone</a>\n'
        + '<a href="https://other.example/nope/">external</a>\n'
        + '<a href="../">up</a></body></html>',
    )
    write(
        tmp_path,
        "s/tours/sunset/index.html",
        head.format("tours/sunset/") + '<a href="/tours/missing/">x</a></body></html>',
    )
    result = collect(tmp_path, "s")
    got = pages(result)
    assert got["index.html"].broken_links == ()
    assert got["tours/index.html"].broken_links == ("https://reef.example/pricing/",)
    assert got["tours/index.html"].lines["broken:https://reef.example/pricing/"] == 3
    assert got["tours/sunset/index.html"].broken_links == ("/tours/missing/",)
    [site_file] = [r for r in result.records if isinstance(r, SiteFile)]
    assert site_file.host == "reef.example"
    # base_url, when given, is the host
    with_base = collect(tmp_path, "s", SiteOptions(base_url="https://elsewhere.example"))
    assert pages(with_base)["tours/index.html"].broken_links == ()
    assert [r.host for r in with_base.records if isinstance(r, SiteFile)] == ["elsewhere.example"]


def test_noindex_and_refresh(tmp_path: Path) -> None:
    write(
        tmp_path,
        "s/index.html",
        '<html><head>\n<meta name="GoogleBot" content="NOINDEX">\n'
        '<meta http-equiv="Refresh" content="0;URL=\'/new/\'">\n</head></html>',
    )
    write(tmp_path, "s/b.html", '<meta name="robots" content="index, follow">')
    got = pages(collect(tmp_path, "s"))
    page = got["index.html"]
    assert (page.noindex, page.refresh) == (True, "/new/")
    assert (page.lines["noindex"], page.lines["refresh"]) == (2, 3)
    assert (got["b.html"].noindex, got["b.html"].refresh) == (False, None)


def test_jsonld_id_references_are_resolved(tmp_path: Path) -> None:
    """SEO plugins write an @graph whose nodes refer to each other by @id (the address and hours
    in their own nodes, even in another block): the LocalBusiness has them."""
    write(
        tmp_path,
        "s/index.html",
        '<html><head>\n<script type="application/ld+json">{"@context": "https://schema.org",'
        ' "@graph": [{"@type": "BoatRental", "@id": "#x"},'
        ' {"@type": ["LocalBusiness"], "@id": "https://reef.example/#biz", "name": "Reef",'
        ' "telephone": "555-201-3344", "address": {"@id": "https://reef.example/#addr"},'
        ' "openingHoursSpecification": [{"@id": "#hours"}]}]}</script>\n'
        '<script type="application/ld+json">[{"@type": "PostalAddress",'
        ' "@id": "https://reef.example/#addr", "streetAddress": "4 Pier Rd",'
        ' "addressLocality": "Gull Harbor"}, {"@type": "OpeningHoursSpecification",'
        ' "@id": "#hours", "opens": "08:00"}]</script>\n</head></html>',
    )
    [business] = [r for r in collect(tmp_path, "s").records if isinstance(r, LocalBusiness)]
    assert (business.street_address, business.locality) == ("4 Pier Rd", "Gull Harbor")
    assert business.fields == ("name", "address", "telephone", "openingHours")
    assert business.provenance.line == 2


def test_result_round_trips_through_json(site: Path) -> None:
    result = collect(site)
    data = json.loads(json.dumps(to_jsonable(result)))
    assert from_jsonable(data, SourceResult) == result
    assert "G-ABC1234567" in json.dumps(data)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("User-agent: *\nDisallow: /\n", (True, False)),
        ("User-agent: *\nDisallow: /\nAllow: /public/\n", (False, False)),
        ("User-agent: Googlebot\nDisallow: /\n\nUser-agent: *\nDisallow:\n", (False, False)),
        ("# none\nSitemap: https://x/sitemap.xml\n", (False, True)),
        ("User-agent: bot\nUser-agent: *\nDisallow: / # all\n", (True, False)),
    ],
)
def test_robots_rules(text: str, expected: tuple[bool, bool]) -> None:
    assert robots_rules(text) == expected


def test_sitemap_count_index_and_wrong_root() -> None:
    assert sitemap_count("<sitemapindex><sitemap><loc>a</loc></sitemap></sitemapindex>") == 1
    with pytest.raises(ValueError, match="expected <urlset>"):
        sitemap_count("<html></html>")


def test_helpers() -> None:
    assert normalize_phone("+1 (555) 010-2000") == "5550102000"
    assert normalize_phone("555.010.2000") == "5550102000"
    assert match_host("https://m.facebook.com/x", ["facebook.com"]) == "facebook.com"
    assert match_host("https://www.getyourguide.de/a", ["getyourguide.com"]) == "getyourguide.com"
    assert match_host("https://google.com/maps/place/x", ["google.com/maps"]) == "google.com/maps"
    assert match_host("https://google.com/search", ["google.com/maps"]) is None
    assert match_host("https://notviator.example", ["viator.com"]) is None


MICRODATA = """<html><body>
<div itemscope itemtype="https://schema.org/MovingCompany">
  <h1 itemprop="name">Haul Co</h1>
  <a itemprop="telephone" href="tel:+15550103300">Call</a>
  <div itemprop="address" itemscope itemtype="https://schema.org/PostalAddress">
    <span itemprop="streetAddress">40 Mill Road</span> <span itemprop="addressLocality">Port</span>
  </div>
  <meta itemprop="openingHours" content="Mo-Sa 07:00-18:00">
</div>
</body></html>
"""


def test_microdata_local_business(tmp_path: Path) -> None:
    write(tmp_path, "s/index.html", MICRODATA)
    result = collect(tmp_path, "s")
    [business] = [r for r in result.records if isinstance(r, LocalBusiness)]
    assert (business.type, business.name, business.telephone) == (
        "MovingCompany",
        "Haul Co",
        "+15550103300",
    )
    assert (business.street_address, business.locality, business.has_hours) == (
        "40 Mill Road",
        "Port",
        True,
    )
    assert business.fields == ("name", "address", "telephone", "openingHours")
    assert business.provenance.cite() == "s/index.html:2"


def test_sitemap_index_name_counts(tmp_path: Path) -> None:
    write(tmp_path, "s/index.html", "<title>x</title>")
    write(
        tmp_path,
        "s/sitemap_index.xml",
        "<sitemapindex><sitemap><loc>a</loc></sitemap><sitemap><loc>b</loc></sitemap></sitemapindex>",
    )
    write(tmp_path, "s/blog/sitemap.xml", "<urlset><url><loc>nested, ignored</loc></url></urlset>")
    [site_file] = [r for r in collect(tmp_path, "s").records if isinstance(r, SiteFile)]
    assert site_file.sitemap and site_file.sitemap_urls == 2


def test_phone_in_comment_or_script_is_not_visible(tmp_path: Path) -> None:
    write(
        tmp_path,
        "s/index.html",
        "<html><head><title>Call 555-010-1111</title></head><body><!-- old: 555-010-2222 -->"
        "<script>var p='555-010-3333';</script><p>Call 555-010-4444</p></body></html>",
    )
    assert pages(collect(tmp_path, "s"))["index.html"].phones == ("5550104444",)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.binary(max_size=400)
    | st.text(alphabet="<>/=\"' abchtmlscriptype{}:;,0123456789-", max_size=400)
)
def test_any_page_content_never_raises(tmp_path: Path, body: bytes | str) -> None:
    folder = tmp_path / "fuzz"
    write(folder, "index.html", body)
    result = SiteSource().collect(make_request(tmp_path, "fuzz"))
    assert all(isinstance(r, SitePage | SiteFile | LocalBusiness) for r in result.records)


def test_form_action_is_not_a_link(tmp_path: Path) -> None:
    """A form posts to a server route (issue 14): /quote is not a link to a missing file."""
    write(
        tmp_path,
        "site/index.html",
        '<html><body><form action="/quote" method="post"><input name="n"></form>'
        '<a href="gone.html">x</a></body></html>',
    )
    page = pages(collect(tmp_path))["index.html"]
    assert page.broken_links == ("gone.html",)
