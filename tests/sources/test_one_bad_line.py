"""One bad line or page is its own error naming file and line, and the rest of the source is
kept (issue 17, break 7): the site source on the four markups the fault run found, a JSONL line
nested 100,000 deep, and the money formatter on amounts no ledger holds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from execbrief.records.bookings import Booking
from execbrief.records.site import SitePage
from execbrief.sources.bookings import BookingsOptions, BookingsSource
from execbrief.sources.site import SiteOptions, SiteSource
from execbrief.values import Money, MoneyRange, format_money, parse_money
from kits.files import request, write
from kits.ops import make_request, one_error

GOOD_PAGE = "<html><head><title>About us</title></head><body><h1>About</h1></body></html>"


def read_site(root: Path) -> dict[str, SitePage]:
    result = SiteSource().collect(request(root, "site", SiteOptions(), kind="site"))
    assert not result.errors, [e.message for e in result.errors]
    return {r.path: r for r in result.records if isinstance(r, SitePage)}


@pytest.mark.parametrize(
    ("markup", "kind", "links"),
    [
        # urlsplit: Invalid IPv6 URL; an external link no browser can follow, not a missing page
        ('<a href="http://[x">partner</a>', "malformed", ("http://[x",)),
        ('<a href="/x%00.html">old page</a>', "broken", ("/x%00.html",)),  # a NUL byte in a path
        ("<![[ x", "broken", ()),  # html.parser: expected name token
        ("<p>&#" + "9" * 5000 + ";</p>", "broken", ()),  # int(): over 4,300 digits
        ("<p>&#x" + "f" * 5000 + ";</p>", "broken", ()),
    ],
)
def test_a_hostile_page_is_read_and_its_neighbours_kept(
    tmp_path: Path, markup: str, kind: str, links: tuple[str, ...]
) -> None:
    write(
        tmp_path,
        "site/index.html",
        f"<html><head><title>Home</title></head><body>\n{markup}\n</body></html>",
    )
    write(tmp_path, "site/about.html", GOOD_PAGE)
    pages = read_site(tmp_path)
    assert set(pages) == {"index.html", "about.html"}
    index = pages["index.html"]
    assert index.title == "Home"
    assert (index.broken_links, index.malformed_links) == (
        (links, ()) if kind == "broken" else ((), links)
    )
    assert not index.http_links  # a link that cannot be read is not called insecure either
    assert pages["about.html"].title == "About us"
    if links:  # the link cites its line
        assert index.lines[f"{kind}:{links[0]}"] == 2


def test_a_huge_reference_reads_as_the_replacement_character(tmp_path: Path) -> None:
    write(tmp_path, "site/index.html", "<html><body><h1>Sail &#99999999999; on</h1></body></html>")
    assert read_site(tmp_path)["index.html"].h1 == ("Sail \ufffd on",)


def test_a_jsonl_line_nested_100k_deep_is_one_row_error(tmp_path: Path) -> None:
    good = (
        '{"id": "SS-1", "created": "2026-10-01", "status": "completed", "amount": 480.50,'
        ' "channel": "Walk-in"}'
    )
    write(
        tmp_path,
        "b.jsonl",
        good + "\n" + "[" * 100_000 + "]" * 100_000 + "\n" + good.replace("SS-1", "SS-3") + "\n",
    )
    result = BookingsSource().collect(
        make_request(tmp_path, "bookings", "b.jsonl", BookingsOptions())
    )
    assert [(r.id, r.provenance.line) for r in result.records if isinstance(r, Booking)] == [
        ("SS-1", 1),
        ("SS-3", 3),
    ]
    error = one_error(result)
    assert not error.fatal and error.rows_skipped == 1
    assert error.provenance.source == "b.jsonl" and error.provenance.line == 2
    assert "line 2: nested too deeply to read" in error.message


@pytest.mark.parametrize(
    "amount", ["1E+100", "-1E+500", "1E+999999", "1E+99999999", "1E-99999999", "12345" * 900]
)
def test_the_money_formatter_writes_any_amount(amount: str) -> None:
    money = Money(Decimal(amount))
    for compact in (False, True):
        text = format_money(money, compact=compact)
        assert len(text) < min(len(amount), 4500) + 20  # never a million digits
        assert "E" in text
    assert format_money(MoneyRange(money, money))


def test_amounts_of_sane_size_still_parse_back() -> None:
    for amount in ["7500", "1234567890123456789012345678901234567890", "0.000001", "-12.5"]:
        money = Money(Decimal(amount))
        assert parse_money(format_money(money)) == money


@pytest.mark.parametrize(
    "block",
    ["[" * 100_000 + "]" * 100_000, '{"@graph": ' * 50_000 + "{}" + "}" * 50_000],
    ids=["lists", "graphs"],  # the audit's cases html-jsonld and html-jsonld-deep
)
def test_a_json_ld_block_nested_past_the_stack_is_a_jsonld_error(
    tmp_path: Path, block: str
) -> None:
    write(
        tmp_path,
        "site/index.html",
        "<html><head><title>M</title></head><body>"
        f'<script type="application/ld+json">{block}</script><h1>Mule</h1></body></html>',
    )
    page = read_site(tmp_path)["index.html"]  # the page is read, not skipped
    assert page.title == "M" and page.h1 == ("Mule",)
    assert page.jsonld_errors == ("line 1: nested too deeply to read",)


def test_a_json_ld_block_nested_900_deep_is_read_without_error(tmp_path: Path) -> None:
    block = '{"@type": "WebSite", "x": ' + "[" * 900 + "]" * 900 + "}"
    write(
        tmp_path,
        "site/index.html",
        f'<html><head><title>M</title><script type="application/ld+json">{block}</script>'
        "</head><body></body></html>",
    )
    page = read_site(tmp_path)["index.html"]
    assert page.jsonld_errors == () and "WebSite" in page.jsonld_types
