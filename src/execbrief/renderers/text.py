"""The text renderer: the default email body.

Plain UTF-8, paragraphs wrapped at 78 columns, aligned tables, sparklines for charts, citation
markers ``[n]`` after every cited line and the numbered source notes at the end. No line exceeds
998 characters (RFC 5322): over-long cells are cut with an ellipsis.
"""

from __future__ import annotations

import textwrap
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
from execbrief.renderers.formatting import Citations, format_value, heading, is_numeric, sparkline

WIDTH = 78
MAX_LINE = 998
MAX_CELL = 60


def wrap(text: str, indent: str = "", subsequent: str | None = None) -> list[str]:
    """Wrap one paragraph at ``WIDTH`` columns."""
    return textwrap.wrap(
        text,
        width=WIDTH,
        initial_indent=indent,
        subsequent_indent=indent if subsequent is None else subsequent,
        break_long_words=True,
        break_on_hyphens=False,
    ) or [indent.rstrip()]


def cut(text: str, limit: int) -> str:
    """``text`` shortened to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class TextRenderer:
    """Renders a Document as a plain-text email body."""

    name: ClassVar[str] = "text"
    extension: ClassVar[str] = "txt"
    media_type: ClassVar[str] = "text/plain"

    def render(self, document: Document) -> str:
        """The document as wrapped plain text with numbered source notes."""
        cites = Citations()
        lines: list[str] = []
        title, subtitle = heading(document)
        lines += [title.upper(), subtitle, "=" * min(WIDTH, max(len(title), len(subtitle))), ""]
        if not document.reconciled or document.warnings:
            header = (
                "NOT RECONCILED — figures below may be wrong"
                if not document.reconciled
                else "WARNINGS"
            )
            lines.append(header)
            for bullet in document.warnings:
                lines += wrap(_cited(bullet.text, cites.mark(bullet.provenance)), "  ! ", "    ")
            lines.append("")
        if document.summary:
            lines.append("SUMMARY")
            for bullet in document.summary:
                lines += wrap(_cited(bullet.text, cites.mark(bullet.provenance)), "  • ", "    ")
            lines.append("")
        for number, section in enumerate(document.sections, 1):
            heading_line = f"{number}. {section.title.upper()}"
            lines += [heading_line, "-" * min(WIDTH, len(heading_line))]
            for block in section.blocks:
                lines += self._block(block, cites)
                lines.append("")
        notes = cites.notes()
        if notes:
            lines.append("SOURCES")
            for number, note in notes:
                lines += wrap(note, f"  [{number}] ", " " * (len(str(number)) + 5))
            lines.append("")
        return "\n".join(cut(line.rstrip(), MAX_LINE) for line in lines).rstrip("\n") + "\n"

    def _block(self, block: Block, cites: Citations) -> list[str]:
        if isinstance(block, Paragraph):
            return wrap(_cited(block.text, cites.mark(block.provenance)))
        if isinstance(block, BulletList):
            out = [block.title] if block.title else []
            for bullet in block.items:
                out += wrap(_cited(bullet.text, cites.mark(bullet.provenance)), "  • ", "    ")
            return out
        if isinstance(block, Metrics):
            out = [block.title] if block.title else []
            rows = []
            for metric in block.metrics:
                value = format_value(metric.value)
                if metric.unit and not isinstance(metric.value, str):
                    value += f" {metric.unit}"
                rows.append((metric.label, value, cites.mark(metric.provenance)))
            label_width = min(max((len(r[0]) for r in rows), default=0), 40)
            for label, value, mark in rows:
                out += wrap(
                    _cited(f"{cut(label, 40).ljust(label_width)}  {value}", mark),
                    "  ",
                    " " * (label_width + 4),
                )
            return out
        if isinstance(block, Table):
            return self._table(block, cites)
        if isinstance(block, Findings):
            out = [block.title] if block.title else []
            if not block.findings:
                return [*out, f"  {block.empty_text}"]
            for index, finding in enumerate(block.findings, 1):
                who = f" ({finding.entity})" if finding.entity else ""
                out += wrap(
                    _cited(
                        f"{index}. [{finding.severity.value.upper()}] {finding.title}{who}",
                        cites.mark(finding.provenance),
                    ),
                    "  ",
                    "     ",
                )
                out += wrap(f"Evidence: {finding.evidence}", "     ")
                out += wrap(
                    f"Fix: {finding.recommendation} (effort: {finding.effort.value})", "     "
                )
            return out
        if isinstance(block, ActionPlan):
            out = [block.title] if block.title else []
            for index, action in enumerate(block.actions, 1):
                who = f" — {action.entity}" if action.entity else ""
                effect = (
                    f"; expected effect {format_value(action.monthly_effect)}"
                    if action.monthly_effect
                    else ""
                )
                out += wrap(
                    _cited(
                        f"{index}. {action.title}{who} (within {action.due_in_days} days{effect})",
                        cites.mark(action.provenance),
                    ),
                    "  ",
                    "     ",
                )
                if action.rationale:
                    out += wrap(action.rationale, "     ")
            return out
        if isinstance(block, Chart):
            out = [_cited(block.title, cites.mark(block.provenance))]
            name_width = min(max((len(s.name) for s in block.series), default=0), 24)
            for series in block.series:
                if not series.points:
                    continue
                first, last = series.points[0], series.points[-1]
                out.append(
                    f"  {cut(series.name, 24).ljust(name_width)}  {sparkline(series)}  "
                    f"{first.label} {format_value(first.value)} → {last.label} {format_value(last.value)}"
                )
            return out
        raise TypeError(f"unknown block {type(block).__name__}")

    def _table(self, table: Table, cites: Citations) -> list[str]:
        out = [table.title] if table.title else []
        header = list(table.columns)
        body = []
        numeric_columns = [False] * len(header)
        has_marks = False
        for row in table.rows:
            cells = [cut(format_value(value), MAX_CELL) for value in row.cells]
            for index, value in enumerate(row.cells[: len(header)]):
                numeric_columns[index] = numeric_columns[index] or is_numeric(value)
            mark = cites.mark(row.provenance)
            has_marks = has_marks or bool(mark)
            body.append((cells, mark))
        widths = [len(column) for column in header]
        for cells, _mark in body:
            for index, cell in enumerate(cells[: len(widths)]):
                widths[index] = max(widths[index], len(cell))
        align = list(table.align) or [
            "r" if numeric_columns[i] else "l" for i in range(len(header))
        ]

        def line(cells: list[str]) -> str:
            parts = []
            for index, width in enumerate(widths):
                cell = cells[index] if index < len(cells) else ""
                parts.append(cell.rjust(width) if align[index] == "r" else cell.ljust(width))
            return "  " + "  ".join(parts)

        out.append(line(header))
        out.append("  " + "  ".join("-" * width for width in widths))
        for cells, mark in body:
            out.append(line(cells) + (f"  {mark}" if mark else ""))
        if table.caption:
            out += wrap(table.caption, "  ")
        return out


def _cited(text: str, mark: str) -> str:
    return f"{text.rstrip()} {mark}" if mark else text


@hookimpl
def register_renderers() -> list[Renderer]:
    """The text renderer."""
    return [TextRenderer()]
