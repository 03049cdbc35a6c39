"""The HTML renderer: valid, self-contained, accessible, with inline SVG charts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from execbrief.document import Chart, Document, Point, Series
from execbrief.renderers.html import HtmlRenderer
from execbrief.renderers.svg import render_chart
from execbrief.values import Money

VOID = {"meta", "br", "img", "input", "link", "hr", "circle", "rect", "line", "polyline"}


class Checker(HTMLParser):
    """Parses the page back, checking tags balance and collecting ids, links and text."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.ids: set[str] = set()
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.text: list[str] = []
        self.errors: list[str] = []
        self.svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(str(values["id"]))
        if "href" in values:
            self.hrefs.append(str(values["href"]))
        if "src" in values:
            self.srcs.append(str(values["src"]))
        if tag == "svg":
            self.svgs += 1
            assert values.get("role") == "img" and values.get("aria-labelledby")
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unbalanced </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def check(html: str) -> Checker:
    checker = Checker()
    checker.feed(html)
    checker.close()
    assert not checker.errors, checker.errors
    assert checker.stack == [], checker.stack
    return checker


def test_page_is_valid_and_self_contained(document: Document) -> None:
    html = HtmlRenderer().render(document)
    assert html.startswith("<!DOCTYPE html>") and '<html lang="en">' in html
    checker = check(html)
    assert checker.srcs == []  # no external images or scripts
    assert "<script" not in html
    for href in checker.hrefs:  # every link is an in-page anchor that exists
        assert href.startswith("#") and href[1:] in checker.ids, href
    text = " ".join(checker.text)
    assert (
        "Pipeline is empty" in text
        and "~$7,000–9,000/mo" in text
        and "handoffs/harbor.md:12" in text
    )
    assert checker.svgs == 1


def test_escapes_markup_in_content(document: Document) -> None:
    from dataclasses import replace

    evil = replace(document, title="<script>alert(1)</script>")
    html = HtmlRenderer().render(evil)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_chart_scales_points_into_the_plot() -> None:
    chart = Chart(
        "Revenue", (Series("A", (Point("2026-01", Money(0)), Point("2026-02", Money(100)))),)
    )
    svg = render_chart(chart, "c1")
    points = re.search(r'points="([^"]+)"', svg)
    assert points is not None
    (x1, y1), (x2, y2) = (
        tuple(float(v) for v in pair.split(",")) for pair in points.group(1).split()
    )
    assert x1 < x2 and y1 > y2  # rising line: later point is higher (smaller y)
    assert "<desc" in svg and "2026-02 $100" in svg


def test_empty_chart_says_no_data() -> None:
    assert "No data" in render_chart(Chart("Nothing", ()), "c2")
