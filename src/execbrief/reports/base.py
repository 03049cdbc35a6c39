"""What a report plugin is, and the context it builds from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Protocol, TypeVar

from pydantic import BaseModel

from execbrief.analysis.base import Analysis
from execbrief.config import Config, NoOptions
from execbrief.document import Brief, Bullet, Document, Paragraph, Section
from execbrief.findings import AnalysisResult
from execbrief.snapshot import Provenance, Snapshot
from execbrief.values import Period

A = TypeVar("A", bound=AnalysisResult)


@dataclass
class ReportContext:
    """What a report builds from: the snapshot, the config, the period and the analyses.

    Analyses run once per context, on first use, and are shared by every report of the run.
    ``history`` is whatever the store knows of earlier runs (see the history issue); it may be None.
    """

    snapshot: Snapshot
    config: Config
    period: Period
    analyses: Mapping[str, Analysis]
    history: Any = None
    _results: dict[str, AnalysisResult] = field(default_factory=dict)

    @property
    def as_of(self) -> date:
        """The snapshot date."""
        return self.snapshot.as_of

    def analysis(self, name: str) -> AnalysisResult:
        """The result of the named analysis (computed once)."""
        if name not in self._results:
            if name not in self.analyses:
                raise KeyError(f"no analysis named {name!r} is registered")
            self._results[name] = self.analyses[name].analyze(self.snapshot, self.config)
        return self._results[name]

    def typed(self, name: str, kind: type[A]) -> A:
        """The named analysis' result, checked to be of the expected class."""
        result = self.analysis(name)
        if not isinstance(result, kind):
            raise TypeError(
                f"analysis {name!r} returned {type(result).__name__}, not {kind.__name__}"
            )
        return result


class Report(Protocol):
    """A report plugin: ``name`` is the key of ``[reports.<name>]``."""

    name: ClassVar[str]
    title: ClassVar[str]
    audience: ClassVar[str]

    @property
    def Options(self) -> type[BaseModel]:
        """The pydantic model that validates this plugin's options."""
        ...

    def build(self, ctx: ReportContext) -> Document:
        """Arrange metrics and findings into a Document; compute nothing an analysis should own."""
        ...


class BaseReport:
    """Convenience base: no options, and ``document`` to put a report's parts together."""

    name: ClassVar[str] = ""
    title: ClassVar[str] = ""
    audience: ClassVar[str] = ""
    Options: ClassVar[type[BaseModel]] = NoOptions

    def document(
        self,
        ctx: ReportContext,
        *,
        summary: Iterable[Bullet] = (),
        sections: Iterable[Section] = (),
        warnings: Iterable[Bullet] = (),
        reconciled: bool = True,
        brief: Brief | None = None,
    ) -> Document:
        """This report's Document for the context's period, date and portfolio; ``brief`` holds
        the parts of the brief layer the report chooses (the rest is derived). A column mapping
        that changes what a figure means (units, amount, rate) is added to the method note."""
        sections = with_mapping_note(tuple(sections), ctx.snapshot)
        if self.name != "ceo":  # the CEO briefing lists every source problem on its own
            warnings = (*source_problems(ctx.snapshot, self.name), *warnings)
        return Document(
            report=self.name,
            title=self.title,
            audience=self.audience,
            period=str(ctx.period),
            as_of=ctx.as_of,
            portfolio=ctx.snapshot.portfolio,
            summary=tuple(summary),
            sections=tuple(sections),
            warnings=tuple(warnings),
            reconciled=reconciled,
            brief=brief,
        )


#: Fields whose mapping changes what a figure means: shown in every report's method note.
MEANINGFUL_FIELDS = ("units", "amount", "rate")


def mapping_notes(snapshot: Snapshot) -> list[str]:
    """One sentence per table file whose units, amount or rate come from a header that does not
    name them (``Party size``, ``Total``), or whose reading changes a figure (a derived rate, an
    unknown invoice state)."""
    out: list[str] = []
    for result in snapshot.results:
        for mapping in result.mappings:
            # A header that names the field (Amount (USD), Billable Rate) keeps its meaning, and so
            # does an amount alias (Price, Total); a units or rate read from another header (Party
            # size, Nights), or an amount the config or a layout mapped, is said.
            moved = [
                f"{name} <- {header!r}"
                for name, header in mapping.fields
                if name in MEANINGFUL_FIELDS
                and name not in _key(header)
                and (name != "amount" or name in mapping.configured)
            ]
            notes = [n for n in mapping.notes if "rate" in n or "units" in n or "unknown" in n]
            if moved or notes:
                layout = f" (layout {mapping.layout})" if mapping.layout else ""
                out.append(
                    f"{result.entity} {result.kind}, {mapping.source}{layout}: "
                    + "; ".join([*moved, *notes])
                    + "."
                )
    return out


def _key(header: str) -> str:
    return "".join(ch for ch in header.lower() if ch.isalnum())


def with_mapping_note(sections: tuple[Section, ...], snapshot: Snapshot) -> tuple[Section, ...]:
    """``sections`` with the mapping notes added to the method section (made when missing)."""
    notes = mapping_notes(snapshot)
    if not notes:
        return sections
    note = Paragraph("How the exports were read: " + " ".join(notes))
    for index, section in enumerate(sections):
        if section.id == "method":
            changed = Section(section.title, (*section.blocks, note), section.id)
            return (*sections[:index], changed, *sections[index + 1 :])
    return (*sections, Section("Method", (note,), "method"))


#: The source kinds each built-in report's figures come from (a report not named: every kind).
REPORT_SOURCES: dict[str, tuple[str, ...]] = {
    "cfo": ("ledger",),
    "accounting": ("ledger", "bookings"),
    "billing": ("timesheets", "invoices"),
    "operations": ("trips",),
    "rental": ("bookings", "ledger"),
    "cmo": ("bookings", "subscribers", "site", "handoff"),
    "cto": ("code", "env", "aws", "site"),
}


def source_problems(snapshot: Snapshot, report: str) -> tuple[Bullet, ...]:
    """One warning line naming every stale or failed source this report's figures use."""
    kinds = REPORT_SOURCES.get(report)
    parts: list[str] = []
    cites: list[Provenance] = []
    for result in snapshot.results:
        if kinds is not None and result.kind not in kinds:
            continue
        fresh = result.freshness
        if not result.ok:
            parts.append(f"{result.entity} {result.kind} failed")
        elif fresh is not None and fresh.stale:
            parts.append(f"{result.entity} {result.kind} is {fresh.age_days} days old")
        else:
            continue
        cites.extend(Provenance(path) for path in result.paths[:1])
    if not parts:
        return ()
    return (
        Bullet(
            "Stale or failed sources: "
            + ", ".join(parts)
            + "; figures from them may be out of date or missing.",
            tuple(cites),
        ),
    )
