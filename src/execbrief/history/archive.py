"""A static site of every report sent, by period, that opens from disk with no server.

``index.html`` lists periods (newest first) and the reports sent in each; each report is its HTML
rendering (with its "Since last report" section and charts) at ``<period>/<report>.html``.
"""

from __future__ import annotations

from collections import defaultdict
from html import escape
from pathlib import Path

from execbrief.atomicfile import write_atomic
from execbrief.history.runs import StoredDocument, period_sort_key
from execbrief.renderers.html import STYLE, HtmlRenderer


def write_archive(documents: list[StoredDocument], out: Path, portfolio: str) -> list[Path]:
    """Write the archive of ``documents`` into ``out``; return the files written (index first)."""
    renderer = HtmlRenderer()
    by_period: dict[str, list[StoredDocument]] = defaultdict(list)
    for stored in documents:
        by_period[stored.period].append(stored)
    written: list[Path] = []
    for period, items in by_period.items():
        folder = out / period
        folder.mkdir(parents=True, exist_ok=True)
        for stored in items:
            path = folder / f"{stored.report}.html"
            write_atomic(path, _with_back_link(renderer.render(stored.document)))
            written.append(path)
    index = out / "index.html"
    write_atomic(index, _index(by_period, portfolio))
    return [index, *written]


def _with_back_link(page: str) -> str:
    return page.replace("<main>\n", '<main>\n<p><a href="../index.html">← All reports</a></p>\n', 1)


def _index(by_period: dict[str, list[StoredDocument]], portfolio: str) -> str:
    sections = []
    for period in sorted(by_period, key=period_sort_key, reverse=True):
        items = "".join(
            f'<li><a href="{escape(period)}/{escape(s.report)}.html">{escape(s.document.title)}</a>'
            f" — for {escape(s.document.audience)}, as of {s.document.as_of.isoformat()}"
            f"{'' if s.document.reconciled else ' (not reconciled)'}</li>"
            for s in sorted(by_period[period], key=lambda s: s.report)
        )
        sections.append(f"<section><h2>{escape(period)}</h2><ul>{items}</ul></section>")
    body = "\n".join(sections) or "<p>No report has been sent yet.</p>"
    title = f"{portfolio} — report archive"
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{escape(title)}</h1>\n{body}\n</main>\n</body>\n</html>\n"
    )
