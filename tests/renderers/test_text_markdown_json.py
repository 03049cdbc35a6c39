"""Text, markdown and JSON renderers on a document with every block type."""

from __future__ import annotations

import json
import re

from execbrief.document import Document
from execbrief.renderers.json import JsonRenderer
from execbrief.renderers.markdown import MarkdownRenderer
from execbrief.renderers.text import MAX_LINE, WIDTH, TextRenderer


def test_text_wraps_cites_and_lists_sources(document: Document) -> None:
    text = TextRenderer().render(document)
    lines = text.splitlines()
    # the first line names the report and the period as a reader says it
    assert lines[:2] == [
        "CEO report — November 2026, as of 2026-11-20",
        "Harbor Holdings · for the CEO",
    ]
    paragraph_lines = [line for line in lines if line.startswith("Burn is stated")]
    assert paragraph_lines and all(len(line) <= WIDTH for line in paragraph_lines)
    assert all(len(line) <= MAX_LINE for line in lines)
    sources = lines[lines.index("SOURCES") :]
    assert "  [1] ledgers/clean.csv:3" in sources
    assert any("ledgers/harbor.csv:40-52 (commit 01234567, 2026-11-02)" in line for line in sources)
    # every marker used in the body has a note, and vice versa
    body = "\n".join(lines[: lines.index("SOURCES")])
    used = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    noted = {int(m.group(1)) for line in sources if (m := re.match(r"\s+\[(\d+)\]", line))}
    assert used == noted


def test_text_formats_values(document: Document) -> None:
    text = TextRenderer().render(document)
    assert "~$7–9K/mo" in text
    assert "$12,400.50" in text
    assert "36%" in text
    assert "6 charters/month" in text
    assert "-$120.25" in text
    assert "Agreement signed  no" in text or re.search(r"Agreement signed\s+no", text)
    assert "[CRITICAL] Pipeline is empty (tidewater)" in text
    assert "Fix: Book five discovery calls this month. (effort: days)" in text
    assert "No gaps." in text
    assert "▁" in text and "█" in text  # sparkline from lowest to highest


def test_text_table_aligns_numbers_right(document: Document) -> None:
    lines = TextRenderer().render(document).splitlines()
    header = next(line for line in lines if line.strip().startswith("Entity"))
    row = next(line for line in lines if "Harbor Charters" in line and "charter" in line)
    # the revenue column ends at the same column as its heading
    assert header.rstrip().endswith("Revenue")
    assert row.index("$5,000") + len("$5,000") == header.index("Revenue") + len("Revenue")


def test_unreconciled_document_says_so_first(document: Document) -> None:
    from dataclasses import replace

    text = TextRenderer().render(replace(document, reconciled=False))
    assert text.splitlines()[4].startswith("NOT RECONCILED")


def test_markdown_has_tables_and_sources(document: Document) -> None:
    md = MarkdownRenderer().render(document)
    assert md.startswith("# CEO report — November 2026, as of 2026-11-20\n")
    assert "| Entity | Kind | Revenue | |" in md
    assert "Tidewater \\| Labs" in md
    assert "## Sources" in md and "`handoffs/harbor.md:12`" in md


def test_json_renderer_round_trips(document: Document) -> None:
    data = json.loads(JsonRenderer().render(document))
    assert Document.from_dict(data) == document


def test_rendering_is_deterministic(document: Document) -> None:
    for renderer in (TextRenderer(), MarkdownRenderer(), JsonRenderer()):
        assert renderer.render(document) == renderer.render(document)
