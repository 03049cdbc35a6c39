"""The Document a report builds and a renderer formats: frozen dataclasses, lossless JSON.

A Document holds summary bullets and sections; a section holds blocks. Every figure (a ``Metric``)
and every finding carries its provenance, and so may paragraphs, bullets and table rows, so that the
text renderer can number the source notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from execbrief.findings import Action, Finding, Metric, MetricValue
from execbrief.serialization import JSON, from_jsonable, to_jsonable
from execbrief.snapshot import Provenance


@dataclass(frozen=True)
class Paragraph:
    """Prose. ``provenance`` cites what the sentence rests on."""

    text: str
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class Bullet:
    """One bullet of a list or of the summary."""

    text: str
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class BulletList:
    """A list of bullets under an optional title."""

    items: tuple[Bullet, ...]
    title: str | None = None


@dataclass(frozen=True)
class Row:
    """A table row: cells (values are formatted by the renderer) and what they rest on."""

    cells: tuple[MetricValue, ...]
    provenance: tuple[Provenance, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table with column headings; ``align`` is ``l`` or ``r`` per column (default: numbers right)."""

    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    title: str | None = None
    align: tuple[str, ...] = ()
    caption: str | None = None


@dataclass(frozen=True)
class Metrics:
    """A list of labelled figures."""

    metrics: tuple[Metric, ...]
    title: str | None = None


@dataclass(frozen=True)
class Findings:
    """Findings, shown in the given order with severity, evidence and fix."""

    findings: tuple[Finding, ...]
    title: str | None = None
    empty_text: str = "Nothing found."


@dataclass(frozen=True)
class ActionPlan:
    """Ranked actions."""

    actions: tuple[Action, ...]
    title: str | None = None


@dataclass(frozen=True)
class Point:
    """One point of a chart series: a label (usually a period) and a value."""

    label: str
    value: MetricValue


@dataclass(frozen=True)
class Series:
    """A named series of points, in order."""

    name: str
    points: tuple[Point, ...]
    unit: str | None = None


@dataclass(frozen=True)
class Chart:
    """A chart of one or more series: a sparkline in text, an SVG in HTML."""

    title: str
    series: tuple[Series, ...]
    kind: str = "line"
    provenance: tuple[Provenance, ...] = ()


Block = Paragraph | BulletList | Table | Metrics | Findings | ActionPlan | Chart


@dataclass(frozen=True)
class Section:
    """A titled part of a document."""

    title: str
    blocks: tuple[Block, ...]
    id: str | None = None


@dataclass(frozen=True)
class Document:
    """A built report: what renderers format and transports deliver."""

    report: str
    title: str
    audience: str
    period: str
    as_of: date
    portfolio: str
    summary: tuple[Bullet, ...] = ()
    sections: tuple[Section, ...] = ()
    warnings: tuple[Bullet, ...] = ()
    reconciled: bool = True
    meta: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> JSON:
        """JSON data; ``Document.from_dict(doc.to_dict()) == doc``."""
        return to_jsonable(self)

    @classmethod
    def from_dict(cls, data: JSON) -> Document:
        """Inverse of ``to_dict``."""
        document = from_jsonable(data, Document)
        if not isinstance(document, Document):
            raise TypeError("not a document")
        return document

    def findings(self) -> list[Finding]:
        """Every finding in the document, in order of appearance."""
        return [
            finding
            for section in self.sections
            for block in section.blocks
            if isinstance(block, Findings)
            for finding in block.findings
        ]

    def metrics(self) -> list[Metric]:
        """Every metric in the document, in order of appearance."""
        return [
            metric
            for section in self.sections
            for block in section.blocks
            if isinstance(block, Metrics)
            for metric in block.metrics
        ]

    def provenance(self) -> list[Provenance]:
        """Every provenance cited, in order of first appearance, without repeats."""
        seen: dict[Provenance, None] = {}

        def add(items: tuple[Provenance, ...]) -> None:
            for item in items:
                seen.setdefault(item, None)

        for bullet in (*self.warnings, *self.summary):
            add(bullet.provenance)
        for section in self.sections:
            for block in section.blocks:
                for item in block_provenance(block):
                    seen.setdefault(item, None)
        return list(seen)


def block_provenance(block: Block) -> list[Provenance]:
    """The provenance a block cites, in order."""
    out: list[Provenance] = []
    if isinstance(block, Paragraph | Chart):
        out.extend(block.provenance)
    elif isinstance(block, BulletList):
        for bullet in block.items:
            out.extend(bullet.provenance)
    elif isinstance(block, Table):
        for row in block.rows:
            out.extend(row.provenance)
    elif isinstance(block, Metrics):
        for metric in block.metrics:
            out.extend(metric.provenance)
    elif isinstance(block, Findings):
        for finding in block.findings:
            out.extend(finding.provenance)
    elif isinstance(block, ActionPlan):
        for action in block.actions:
            out.extend(action.provenance)
    return out
