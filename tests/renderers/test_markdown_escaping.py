"""Markdown output escapes HTML from the sources (issue 17): a note, a memo or an entity name that
holds `<script>` or an `onerror` attribute stays text in any markdown viewer or attachment."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.document import Bullet, Document, Paragraph, Row, Section, Table
from execbrief.renderers.markdown import MarkdownRenderer

SCRIPT = "<script>alert(1)</script>"
IMAGE = "<img src=x onerror=alert(1)>"


def test_every_text_field_is_escaped() -> None:
    document = Document(
        report="ceo",
        title=f"CEO {SCRIPT}",
        audience=IMAGE,
        period="2026-11",
        as_of=date(2026, 11, 30),
        portfolio=f"Harbor {SCRIPT}",
        summary=(Bullet(f"Cash {SCRIPT}"),),
        sections=(
            Section(
                f"Notes {IMAGE}",
                (
                    Paragraph(f"Memo: {SCRIPT} & more"),
                    Table((f"Entity {IMAGE}", "Note"), (Row((IMAGE, SCRIPT)),), caption=SCRIPT),
                ),
            ),
        ),
    )
    out = MarkdownRenderer().render(document)
    assert "<script" not in out and "<img" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out and "&amp; more" in out


def test_a_hostile_note_and_entity_name_reach_no_markdown_report_raw(
    example_portfolio: Path, tmp_path: Path
) -> None:
    root = example_portfolio.parent
    note = root / "handoffs" / "harbor-charters.md"
    note.write_text(note.read_text() + f"\n## Memo\n\nThe owner wrote {SCRIPT} and {IMAGE}.\n")
    config = example_portfolio.read_text().replace(
        'name = "Harbor Charters"', f'name = "Harbor Charters {IMAGE}"', 1
    )
    assert config != example_portfolio.read_text()
    example_portfolio.write_text(config)
    out = tmp_path / "md"
    result = CliRunner().invoke(
        cli, ["build", "-c", str(example_portfolio), "--format", "markdown", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    pages = {path.name: path.read_text() for path in out.glob("*.md")}
    assert len(pages) == 8
    assert not [name for name, text in pages.items() if "<script" in text or "<img" in text]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in text for text in pages.values())
