"""The HTML renderer: one self-contained, accessible page per report.

Inline CSS, charts as inline SVG, no JavaScript and no external references, so the page reads the
same in a browser, from disk, and as the HTML part of a multipart/alternative email.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape
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
from execbrief.findings import MetricValue
from execbrief.hookspecs import hookimpl
from execbrief.renderers.base import Renderer
from execbrief.renderers.formatting import (
    Citations,
    format_brief_value,
    format_value,
    heading,
    is_brief,
    is_numeric,
    remembering,
    same_fix_groups,
    sparkline,
)
from execbrief.renderers.png import ChartImage
from execbrief.renderers.svg import render_chart

STYLE = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;color:#24292f;background:#fff;
max-width:860px;margin:0 auto;padding:24px;line-height:1.5;overflow-wrap:anywhere}
.scroll{max-width:100%;overflow-x:auto;margin:8px 0 16px}.scroll>table{margin:0}
@media (max-width:600px){body{padding:12px}}
h1{font-size:1.6em;margin:0 0 4px}h2{font-size:1.25em;border-bottom:1px solid #d0d7de;padding-bottom:4px;margin-top:32px}
h3{font-size:1.05em;margin:20px 0 8px}.subtitle{color:#57606a;margin:0 0 16px}
table{border-collapse:collapse;margin:8px 0 16px;font-size:.92em}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.warn{border-left:4px solid #d1242f;background:#fff5f5;padding:8px 12px;margin:16px 0}
.summary{border-left:4px solid #1f6feb;background:#f3f8ff;padding:8px 12px;margin:16px 0}
.sev{display:inline-block;font-size:.75em;font-weight:600;padding:1px 6px;border-radius:10px;color:#fff}
.sev-critical{background:#a40e26}.sev-high{background:#d1242f}.sev-medium{background:#9a6700}
.sev-low{background:#57606a}.sev-info{background:#8c959f}
.finding{margin:0 0 12px}.finding p{margin:2px 0 2px 16px}
sup a{text-decoration:none}.sources{font-size:.85em;color:#57606a}.spark{font-family:monospace}
svg.chart{max-width:100%;height:auto;display:block;margin:8px 0}figure{margin:0}
img.chart{max-width:100%;height:auto;display:block;margin:8px 0}
"""


class HtmlRenderer:
    """Renders a Document as a self-contained HTML page."""

    _value: Callable[[MetricValue], str]

    name: ClassVar[str] = "html"
    extension: ClassVar[str] = "html"
    media_type: ClassVar[str] = "text/html"

    def render(self, document: Document, images: Sequence[ChartImage] = ()) -> str:
        """The document as one HTML page (deterministic).

        ``images`` is the hook for a mail's HTML part: charts drawn as PNG and attached to the
        mail, shown in a "Charts" section after the sections (before the source notes) as ``<img src="cid:...">``.
        """
        cites = Citations()
        self._value = remembering(format_brief_value if is_brief(document) else format_value)
        title, subtitle = heading(document)
        body: list[str] = [
            f"<h1>{escape(title)}</h1>",
            f'<p class="subtitle">{escape(subtitle)}</p>',
        ]
        if not document.reconciled or document.warnings:
            head = (
                "Not reconciled — figures below may be wrong"
                if not document.reconciled
                else "Warnings"
            )
            items = "".join(
                f"<li>{escape(b.text)}{_sup(cites.mark(b.provenance))}</li>"
                for b in document.warnings
            )
            body.append(
                f'<section class="warn" aria-label="Warnings"><strong>{escape(head)}</strong><ul>{items}</ul></section>'
            )
        if document.summary:
            items = "".join(
                f"<li>{escape(b.text)}{_sup(cites.mark(b.provenance))}</li>"
                for b in document.summary
            )
            body.append(
                f'<section class="summary" aria-label="Summary"><strong>Summary</strong><ul>{items}</ul></section>'
            )
        chart_number = 0
        for number, section in enumerate(document.sections, 1):
            anchor = section.id or f"section-{number}"
            body.append(f'<section id="{escape(anchor)}"><h2>{escape(section.title)}</h2>')
            for block in section.blocks:
                if isinstance(block, Chart):
                    chart_number += 1
                body.append(self._block(block, cites, f"chart-{chart_number}"))
            body.append("</section>")
        if images:
            body.append(_charts_section(images))
        notes = cites.notes()
        if notes:
            items = "".join(
                f'<li id="src-{n}"><code>{escape(note)}</code></li>' for n, note in notes
            )
            body.append(
                f'<section class="sources" aria-label="Sources"><h2>Sources</h2><ol>{items}</ol></section>'
            )
        return (
            '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
            + "\n".join(body)
            + "\n</main>\n</body>\n</html>\n"
        )

    def _block(self, block: Block, cites: Citations, chart_id: str) -> str:
        title = getattr(block, "title", None)
        head = f"<h3>{escape(title)}</h3>" if title and not isinstance(block, Table | Chart) else ""
        if isinstance(block, Paragraph):
            return f"<p>{escape(block.text)}{_sup(cites.mark(block.provenance))}</p>"
        if isinstance(block, BulletList):
            items = "".join(
                f"<li>{escape(b.text)}{_sup(cites.mark(b.provenance))}</li>" for b in block.items
            )
            return f"{head}<ul>{items}</ul>"
        if isinstance(block, Metrics):
            rows = []
            for index, metric in enumerate(block.metrics):
                unit = (
                    f" {metric.unit}" if metric.unit and not isinstance(metric.value, str) else ""
                )
                if block.change(index):
                    unit += f" ({block.change(index)})"
                cls = ' class="num"' if is_numeric(metric.value) else ""
                rows.append(
                    f'<tr><th scope="row">{escape(metric.label)}</th><td{cls}>{escape(self._value(metric.value) + unit)}'
                    f"{_sup(cites.mark(metric.provenance))}</td></tr>"
                )
            return f'{head}<div class="scroll"><table>{"".join(rows)}</table></div>'
        if isinstance(block, Table):
            caption = f"<caption>{escape(block.title)}</caption>" if block.title else ""
            header = (
                "".join(f'<th scope="col">{escape(c)}</th>' for c in block.columns)
                + '<th scope="col">Source</th>'
            )
            rows = []
            for row in block.rows:
                cells = "".join(
                    f"<td{' class=num' if is_numeric(v) else ''}>{escape(self._value(v))}</td>"
                    for v in row.cells
                )
                rows.append(f"<tr>{cells}<td>{_sup(cites.mark(row.provenance))}</td></tr>")
            note = f"<p><em>{escape(block.caption)}</em></p>" if block.caption else ""
            # a wide table scrolls inside its own box; the page never scrolls sideways
            return (
                f'<div class="scroll" role="region" tabindex="0"><table>{caption}<thead><tr>'
                f"{header}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{note}"
            )
        if isinstance(block, Findings):
            if not block.findings:
                return f"{head}<p>{escape(block.empty_text)}</p>"
            entries: list[str] = []
            for group in same_fix_groups(block.findings):
                for position, finding in enumerate(group, 1):
                    who = f" ({escape(finding.entity)})" if finding.entity else ""
                    lead = f"Fix for these {len(group)}, one action" if len(group) > 1 else "Fix"
                    fix = (
                        f"<p>{lead}: {escape(finding.recommendation)} (effort: {finding.effort.value})</p>"
                        if position == len(group)
                        else ""
                    )
                    entries.append(
                        f'<li class="finding"><span class="sev sev-{finding.severity.value}">{finding.severity.value.upper()}</span> '
                        f"<strong>{escape(finding.title)}</strong>{who}{_sup(cites.mark(finding.provenance))}"
                        f"<p>Evidence: {escape(finding.evidence)}</p>{fix}</li>"
                    )
            return f"{head}<ol>{''.join(entries)}</ol>"
        if isinstance(block, ActionPlan):
            steps: list[str] = []
            for action in block.actions:
                who = f" — {escape(action.entity)}" if action.entity else ""
                steps.append(
                    f"<li><strong>{escape(action.title)}</strong>{who} (within {action.due_in_days} days)"
                    f"{_sup(cites.mark(action.provenance))}<br>{escape(action.rationale)}</li>"
                )
            return f"{head}<ol>{''.join(steps)}</ol>"
        if isinstance(block, Chart):
            sparks = " ".join(f"{escape(s.name)} {sparkline(s)}" for s in block.series)
            return (
                f"<figure><figcaption><h3>{escape(block.title)}{_sup(cites.mark(block.provenance))}</h3></figcaption>"
                f'{render_chart(block, chart_id)}<p class="spark" aria-hidden="true">{escape(sparks)}</p></figure>'
            )
        raise TypeError(f"unknown block {type(block).__name__}")


def _charts_section(images: Sequence[ChartImage]) -> str:
    """The "Charts" section of a mail: each chart an image the mail carries (``cid:``), its
    values in the alt text for readers who block images."""
    figures = "".join(
        f'<figure><img class="chart" src="cid:{escape(image.content_id)}" width="600" height="300" '
        f'alt="{escape(image.title)}. {escape(image.alt)}"><figcaption>{escape(image.title)}'
        "</figcaption></figure>"
        for image in images
    )
    return f'<section aria-label="Charts"><h2>Charts</h2>{figures}</section>'


def _sup(mark: str) -> str:
    if not mark:
        return ""
    numbers = [part for part in mark.strip("[]").replace("][", ",").split(",") if part.isdigit()]
    if not numbers:
        return f"<sup>{escape(mark)}</sup>"
    return "<sup>" + "".join(f'<a href="#src-{n}">[{n}]</a>' for n in numbers) + "</sup>"


@hookimpl
def register_renderers() -> list[Renderer]:
    """The HTML renderer."""
    return [HtmlRenderer()]
