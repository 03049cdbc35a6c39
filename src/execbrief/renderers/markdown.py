"""The markdown renderer: GitHub-flavoured markdown with citation markers and a Sources list."""

from __future__ import annotations

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


def escape_cell(text: str) -> str:
    """A table cell safe for GFM tables (pipes escaped, no newlines)."""
    return text.replace("|", "\\|").replace("\n", " ")


def _cited(text: str, mark: str) -> str:
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
        lines = [f"# {title}", "", f"*{subtitle}*", ""]
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
            lines += [f"## {section.title}", ""]
            for block in section.blocks:
                lines += self._block(block, cites)
                lines.append("")
        notes = cites.notes()
        if notes:
            lines += ["## Sources", ""]
            lines += [f"{number}. `{note}`" for number, note in notes]
            lines.append("")
        return "\n".join(lines).rstrip("\n") + "\n"

    def _block(self, block: Block, cites: Citations) -> list[str]:
        out: list[str] = []
        title = getattr(block, "title", None)
        if title and not isinstance(block, Chart):
            out += [f"### {title}", ""]
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
                    f"- **{metric.label}:** {_cited(format_value(metric.value) + unit, cites.mark(metric.provenance))}"
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
                out += ["", f"*{block.caption}*"]
        elif isinstance(block, Findings):
            if not block.findings:
                out.append(block.empty_text)
            index = 0
            for group in same_fix_groups(block.findings):
                start = index + 1
                for finding in group:
                    index += 1
                    who = f" ({finding.entity})" if finding.entity else ""
                    out.append(
                        f"{index}. **[{finding.severity.value.upper()}] {finding.title}**{who} {cites.mark(finding.provenance)}".rstrip()
                    )
                    out.append(f"   - Evidence: {finding.evidence}")
                lead = f"Fix for {start}–{index}, one action" if len(group) > 1 else "Fix"
                fix = group[0]
                out.append(f"   - {lead}: {fix.recommendation} (effort: {fix.effort.value})")
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
                    out.append(f"   {action.rationale}")
        elif isinstance(block, Chart):
            out += [f"### {_cited(block.title, cites.mark(block.provenance))}", ""]
            for series in block.series:
                if series.points:
                    first, last = series.points[0], series.points[-1]
                    out.append(
                        f"- {series.name}: `{sparkline(series)}` {first.label} {format_value(first.value)} → "
                        f"{last.label} {format_value(last.value)}"
                    )
        return out


@hookimpl
def register_renderers() -> list[Renderer]:
    """The markdown renderer."""
    return [MarkdownRenderer()]
