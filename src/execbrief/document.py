"""The Document a report builds and a renderer formats: frozen dataclasses, lossless JSON.

A Document holds summary bullets and sections; a section holds blocks. Every figure (a ``Metric``)
and every finding carries its provenance, and so may paragraphs, bullets and table rows, so that the
text renderer can number the source notes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date

from execbrief.findings import Action, Finding, Metric, MetricValue
from execbrief.precision import brief_text
from execbrief.sentences import first_sentence
from execbrief.serialization import JSON, from_jsonable, to_jsonable
from execbrief.snapshot import Provenance, set_in_dict
from execbrief.values import Period


@dataclass(frozen=True)
class Paragraph:
    """Prose. ``provenance`` cites what the sentence rests on."""

    text: str
    provenance: tuple[Provenance, ...] = ()


@set_in_dict
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


@set_in_dict
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

    def __post_init__(self) -> None:
        # a plain tuple or list of cells is a row with no provenance: accept it as one
        rows = tuple(row if isinstance(row, Row) else Row(tuple(row)) for row in self.rows)
        object.__setattr__(self, "rows", rows)
        object.__setattr__(self, "columns", tuple(self.columns))


@dataclass(frozen=True)
class Metrics:
    """A list of labelled figures; ``changes`` (parallel to ``metrics``, may be shorter) holds
    each figure's change since the last report, or "" when there is none."""

    metrics: tuple[Metric, ...]
    title: str | None = None
    changes: tuple[str, ...] = ()

    def change(self, index: int) -> str:
        """The change since the last report of the figure at ``index`` ("" when none)."""
        return self.changes[index] if index < len(self.changes) else ""


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


@set_in_dict
@dataclass(frozen=True)
class Point:
    """One point of a chart series: a label (usually a period) and a value."""

    label: str
    value: MetricValue


@set_in_dict
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


#: The brief's budgets (issue 12): what an executive reads in five minutes.
BRIEF_SUMMARY = 7
BRIEF_ACTIONS = 5
BRIEF_FIGURES = 10
BRIEF_CHANGES = 5
BRIEF_WARNINGS = 3
#: ``Document.meta["layer"]`` of a document made by ``brief_document``.
BRIEF_LAYER = "brief"
#: The id of the "Since last report" section (history/deltas.py makes it).
SINCE_LAST_REPORT = "since-last-report"


@dataclass(frozen=True)
class KeyFigure:
    """One of the brief's key figures and its change since the last report ("" when none)."""

    metric: Metric
    change: str = ""
    label: str = ""

    def shown(self) -> Metric:
        """The metric as the brief shows it: under ``label`` when one is given (a figure of one
        entity among several says whose it is)."""
        return replace(self.metric, label=self.label) if self.label else self.metric


@dataclass(frozen=True)
class Brief:
    """The brief layer a report chooses: its summary, the decisions of the period (one action
    per fix, however many places it covers), its key figures and what changed since the last
    report. A part left empty is derived from the document (``brief_of``). ``brief_document``
    keeps each within its budget; the full report keeps everything."""

    summary: tuple[Bullet, ...] = ()
    actions: tuple[Action, ...] = ()
    figures: tuple[KeyFigure, ...] = ()
    changes: tuple[Bullet, ...] = ()


@dataclass(frozen=True)
class Document:
    """A built report: what renderers format and transports deliver.

    ``sections`` are the full report; ``brief`` is the layer the mail body shows (when a report
    does not choose one, ``brief_of`` derives it from the summary, action plans and metrics).
    """

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
    brief: Brief | None = None

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

    def covers(self) -> str:
        """The period as a reader says it, and the data's date: "November 2026, as of 2026-12-01"."""
        try:
            label = Period.parse(self.period).label()
        except ValueError:
            label = self.period
        return f"{label}, as of {self.as_of.isoformat()}"

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


def brief_of(document: Document) -> Brief:
    """The document's brief: the parts its report chose, the others derived from the document
    (its summary, its action plans' actions merged by fix, its first figures)."""
    chosen = document.brief or Brief()
    if chosen.summary and chosen.actions and chosen.figures:
        return chosen
    derived = _derived(document)
    return Brief(
        summary=chosen.summary or derived.summary,
        actions=chosen.actions or derived.actions,
        figures=chosen.figures or derived.figures,
        changes=chosen.changes,
    )


def _derived(document: Document) -> Brief:
    actions = [
        action
        for section in document.sections
        for block in section.blocks
        if isinstance(block, ActionPlan)
        for action in block.actions
    ]
    figures: dict[tuple[str, str | None], Metric] = {}
    for metric in document.metrics():
        figures.setdefault((metric.label, metric.entity), metric)
    # A report without summary bullets is summed up by the first paragraph of each section.
    summary = document.summary or tuple(
        Bullet(block.text, block.provenance)
        for section in document.sections
        if section.id != SINCE_LAST_REPORT
        for block in section.blocks[:1]
        if isinstance(block, Paragraph)
    )
    return Brief(
        summary=summary[:BRIEF_SUMMARY],
        actions=merge_actions(actions),
        figures=_labelled(list(figures.values())[:BRIEF_FIGURES]),
    )


def _labelled(metrics: list[Metric]) -> tuple[KeyFigure, ...]:
    """Key figures whose label several entities share say whose each one is."""
    labels = [m.label for m in metrics]
    return tuple(
        KeyFigure(
            m, label=f"{m.label} ({m.entity})" if m.entity and labels.count(m.label) > 1 else ""
        )
        for m in metrics
    )


def merge_actions(actions: Iterable[Action]) -> tuple[Action, ...]:
    """Actions that share a fix (the same title) as one action listing every place it covers,
    in order of first appearance; the earliest due date wins."""
    groups: dict[str, list[Action]] = {}
    for action in actions:
        groups.setdefault(action.title.strip().lower(), []).append(action)
    return tuple(_merged(group) for group in groups.values())


def _merged(group: list[Action]) -> Action:
    first = group[0]
    if len(group) == 1:
        return first
    places = list(dict.fromkeys(a.entity for a in group if a.entity))
    effects = {a.monthly_effect for a in group}
    return replace(
        first,
        entity=", ".join(places) or None,
        due_in_days=min(a.due_in_days for a in group),
        finding_ids=tuple(dict.fromkeys(i for a in group for i in a.finding_ids)),
        provenance=tuple(dict.fromkeys(p for a in group for p in a.provenance)),
        monthly_effect=first.monthly_effect if len(effects) == 1 else None,
    )


#: How many sources an action cites in the brief (the full report cites them all).
BRIEF_ACTION_SOURCES = 3


def _in_brief(action: Action) -> Action:
    """An action as the brief shows it: the first sentence of its rationale (the fix), and its
    first few sources; the full report keeps the whole rationale and every source."""
    rationale = first_sentence(action.rationale) or action.rationale
    return replace(
        action,
        title=brief_text(action.title),
        rationale=brief_text(rationale),
        provenance=action.provenance[:BRIEF_ACTION_SOURCES],
    )


def _said_briefly(bullets: Iterable[Bullet]) -> tuple[Bullet, ...]:
    """Bullets with their dollar amounts rounded as a brief says them (precision.brief_text)."""
    return tuple(replace(bullet, text=brief_text(bullet.text)) for bullet in bullets)


def _more(count: int, what: str) -> Paragraph:
    plural = what if count == 1 else f"{what}s"
    return Paragraph(f"{count} more {plural} in the full report.")


def brief_document(document: Document, pointer: str) -> Document:
    """The brief layer as a Document of its own (what the mail body shows): warnings, summary,
    decisions, key figures and changes within their budgets, and ``pointer``, the one line that
    says where the full report is. It cites only its own figures' sources."""
    brief = brief_of(document)
    warnings = document.warnings[:BRIEF_WARNINGS]
    if len(document.warnings) > BRIEF_WARNINGS:
        extra = len(document.warnings) - BRIEF_WARNINGS
        warnings += (Bullet(f"{extra} more warning{'s' * (extra > 1)} in the full report."),)
    sections: list[Section] = []
    if brief.actions:
        blocks: list[Block] = [
            ActionPlan(tuple(_in_brief(a) for a in brief.actions[:BRIEF_ACTIONS]))
        ]
        if len(brief.actions) > BRIEF_ACTIONS:
            blocks.append(_more(len(brief.actions) - BRIEF_ACTIONS, "action"))
        sections.append(Section("Decisions this period", tuple(blocks), id="decisions"))
    if brief.figures:
        shown = brief.figures[:BRIEF_FIGURES]
        figures = Metrics(tuple(f.shown() for f in shown), changes=tuple(f.change for f in shown))
        sections.append(Section("Key figures", (figures,), id="key-figures"))
    if brief.changes:
        changes: list[Block] = [BulletList(_said_briefly(brief.changes[:BRIEF_CHANGES]))]
        if len(brief.changes) > BRIEF_CHANGES:
            changes.append(_more(len(brief.changes) - BRIEF_CHANGES, "change"))
        sections.append(Section("Since last report", tuple(changes), id=SINCE_LAST_REPORT))
    sections.append(Section("Full report", (Paragraph(pointer),), id="full-report"))
    return replace(
        document,
        summary=_said_briefly(brief.summary[:BRIEF_SUMMARY]),
        sections=tuple(sections),
        warnings=warnings,
        meta={**document.meta, "layer": BRIEF_LAYER},
        brief=None,
    )
