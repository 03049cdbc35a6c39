"""The markdown renderer: GitHub-flavoured markdown with citation markers and a Sources list."""

from __future__ import annotations

import html
from typing import ClassVar

from execbrief.document import (
    ActionPlan,
    Block,
    BulletList,
    Chart,
    Document,
    Findings,
    Metrics,
    Paragraph,
    Table,
)
from execbrief.hookspecs import hookimpl
from execbrief.renderers.base import Renderer
from execbrief.renderers.formatting import (
    Citations,
    format_value,
    heading,
    is_numeric,
    same_fix_groups,
    sparkline,
)


def escape_text(text: str) -> str:
    """Text from the sources made inert in markdown: ``<``, ``>`` and ``&`` as HTML entities, so a
    ``<script>`` or ``onerror`` in a note, memo or entity name stays text in any markdown viewer."""
    return html.escape(text, quote=False)


def escape_cell(text: str) -> str:
    """A table cell safe for GFM tables (HTML escaped, pipes escaped, no newlines)."""
    return escape_text(text).replace("|", "\\|").replace("\n", " ")


def _cited(text: str, mark: str) -> str:
    text = escape_text(text)
    return f"{text} {mark}" if mark else text


class MarkdownRenderer:
    """Renders a Document as markdown."""

    name: ClassVar[str] = "markdown"
    extension: ClassVar[str] = "md"
    media_type: ClassVar[str] = "text/markdown"

    def render(self, document: Document) -> str:
        """The document as markdown."""
        cites = Citations()
        title, subtitle = heading(document)
        lines = [f"# {escape_text(title)}", "", f"*{escape_text(subtitle)}*", ""]
        if not document.reconciled or document.warnings:
            lines.append(
                "> **Not reconciled — figures below may be wrong.**"
                if not document.reconciled
                else "> **Warnings**"
            )
            for bullet in document.warnings:
                lines.append(f"> - {_cited(bullet.text, cites.mark(bullet.provenance))}")
            lines.append("")
        if document.summary:
            lines += ["## Summary", ""]
            lines += [f"- {_cited(b.text, cites.mark(b.provenance))}" for b in document.summary]
            lines.append("")
        for section in document.sections:
            lines += [f"## {escape_text(section.title)}", ""]
            for block in section.blocks:
                lines += self._block(block, cites)
                lines.append("")
        notes = cites.notes()
        if notes:
            lines += ["## Sources", ""]
            # a code span shows its text literally (no HTML); a backtick could close it early
            lines += [f"{number}. `{note.replace('`', chr(39))}`" for number, note in notes]
            lines.append("")
        return "\n".join(lines).rstrip("\n") + "\n"

    def _block(self, block: Block, cites: Citations) -> list[str]:
        out: list[str] = []
        title = getattr(block, "title", None)
        if title and not isinstance(block, Chart):
            out += [f"### {escape_text(title)}", ""]
        if isinstance(block, Paragraph):
            out.append(_cited(block.text, cites.mark(block.provenance)))
        elif isinstance(block, BulletList):
            out += [f"- {_cited(b.text, cites.mark(b.provenance))}" for b in block.items]
        elif isinstance(block, Metrics):
            for metric in block.metrics:
                unit = (
                    f" {metric.unit}" if metric.unit and not isinstance(metric.value, str) else ""
                )
                out.append(
                    f"- **{escape_text(metric.label)}:** {_cited(format_value(metric.value) + unit, cites.mark(metric.provenance))}"
                )
        elif isinstance(block, Table):
            numeric_columns = [
                any(is_numeric(r.cells[i]) for r in block.rows if i < len(r.cells))
                for i in range(len(block.columns))
            ]
            align = list(block.align) or ["r" if n else "l" for n in numeric_columns]
            out.append("| " + " | ".join(escape_cell(c) for c in block.columns) + " | |")
            out.append("|" + "|".join("---:" if a == "r" else "---" for a in align) + "|---|")
            for row in block.rows:
                cells = [escape_cell(format_value(v)) for v in row.cells]
                out.append("| " + " | ".join(cells) + f" | {cites.mark(row.provenance)} |")
            if block.caption:
                out += ["", f"*{escape_text(block.caption)}*"]
        elif isinstance(block, Findings):
            if not block.findings:
                out.append(escape_text(block.empty_text))
            index = 0
            for group in same_fix_groups(block.findings):
                start = index + 1
                for finding in group:
                    index += 1
                    who = f" ({escape_text(finding.entity)})" if finding.entity else ""
                    out.append(
                        f"{index}. **[{finding.severity.value.upper()}] {escape_text(finding.title)}**{who} {cites.mark(finding.provenance)}".rstrip()
                    )
                    out.append(f"   - Evidence: {escape_text(finding.evidence)}")
                lead = f"Fix for {start}–{index}, one action" if len(group) > 1 else "Fix"
                fix = group[0]
                out.append(
                    f"   - {lead}: {escape_text(fix.recommendation)} (effort: {fix.effort.value})"
                )
        elif isinstance(block, ActionPlan):
            for index, action in enumerate(block.actions, 1):
                who = f" — {action.entity}" if action.entity else ""
                out.append(
                    _cited(
                        f"{index}. **{action.title}**{who} (within {action.due_in_days} days)",
                        cites.mark(action.provenance),
                    )
                )
                if action.rationale:
                    out.append(f"   {escape_text(action.rationale)}")
        elif isinstance(block, Chart):
            out += [f"### {_cited(block.title, cites.mark(block.provenance))}", ""]
            for series in block.series:
                if series.points:
                    first, last = series.points[0], series.points[-1]
                    out.append(
                        escape_text(
                            f"- {series.name}: {sparkline(series)} {first.label} "
                            f"{format_value(first.value)} → {last.label} {format_value(last.value)}"
                        )
                    )
        return out


@hookimpl
def register_renderers() -> list[Renderer]:
    """The markdown renderer."""
    return [MarkdownRenderer()]
