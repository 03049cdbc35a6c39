"""What a report plugin is, and the context it builds from."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Protocol, TypeVar

from pydantic import BaseModel

from execbrief.analysis.base import Analysis
from execbrief.config import Config, NoOptions
from execbrief.document import Brief, Bullet, Document, Paragraph, Section
from execbrief.findings import Acceptance, Action, AnalysisResult, Finding, acceptance_for
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

    _accepted: dict[str, tuple[Finding, ...]] = field(default_factory=dict)
    _used: set[str] = field(default_factory=set)

    def analysis(self, name: str) -> AnalysisResult:
        """The result of the named analysis (computed once), without the findings accepted in
        ``[[findings.accept]]`` (and the actions that only they gave)."""
        if name not in self._results:
            if name not in self.analyses:
                raise KeyError(f"no analysis named {name!r} is registered")
            analysis = self.analyses[name]
            # An analysis that builds on others names them in ``requires``: it is handed their
            # results from this context, so each analysis runs once per run, however many use it.
            shared = {dep: self.analysis(dep) for dep in getattr(analysis, "requires", ())}
            raw = analysis.analyze(self.snapshot, self.config, **shared)
            self._results[name], self._accepted[name] = without_accepted(
                raw, self.acceptances(), self.as_of
            )
        self._used.add(name)
        return self._results[name]

    def acceptances(self) -> tuple[Acceptance, ...]:
        """The config's accepted findings."""
        return tuple(Acceptance(a.id, a.reason, a.until) for a in self.config.findings.accept)

    def begin_report(self) -> None:
        """Start counting the analyses the next report reads (for its accepted-findings line)."""
        self._used = set()

    def accepted_findings(self) -> list[Finding]:
        """The accepted findings of the analyses read since ``begin_report``, without repeats."""
        seen: dict[str, Finding] = {}
        for name in sorted(self._used):
            for finding in self._accepted.get(name, ()):
                seen.setdefault(finding.id, finding)
        return list(seen.values())

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
        sections = with_mapping_note(tuple(sections), ctx.snapshot, self.name)
        if self.name != "ceo":  # the CEO briefing lists every source problem on its own
            warnings = (*source_problems(ctx.snapshot, self.name), *warnings)
        accepted = ctx.accepted_findings()
        if accepted:
            sections = (*sections, accepted_section(len(accepted)))
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
            meta={"accepted": " ".join(sorted(f.id for f in accepted))} if accepted else {},
        )


def accepted_section(count: int) -> Section:
    """The one line a report gives its accepted findings."""
    plural = "finding is" if count == 1 else "findings are"
    return Section(
        "Accepted findings",
        (
            Paragraph(
                f"{count} {plural} accepted in portfolio.toml ([[findings.accept]]) and left out "
                "of this report; `execbrief findings` lists them."
            ),
        ),
        id="accepted",
    )


def without_accepted(
    result: AnalysisResult, acceptances: tuple[Acceptance, ...], as_of: date
) -> tuple[AnalysisResult, tuple[Finding, ...]]:
    """The result without accepted findings in any of its tuples of findings, nor actions whose
    findings are all accepted; and the accepted findings."""
    if not acceptances:
        return result, ()
    accepted: dict[str, Finding] = {}
    changes: dict[str, Any] = {}
    for item in dataclasses.fields(result):
        value = getattr(result, item.name)
        if not isinstance(value, tuple) or not value:
            continue
        if all(isinstance(v, Finding) for v in value):
            kept = []
            for finding in value:
                if acceptance_for(finding.id, acceptances, as_of):
                    accepted.setdefault(finding.id, finding)
                else:
                    kept.append(finding)
            changes[item.name] = tuple(kept)
        elif all(isinstance(v, Action) for v in value):
            changes[item.name] = tuple(
                a
                for a in value
                if not a.finding_ids
                or not all(acceptance_for(i, acceptances, as_of) for i in a.finding_ids)
            )
    if not accepted:
        return result, ()
    return dataclasses.replace(result, **changes), tuple(accepted.values())


#: Fields whose mapping changes what a figure means: shown in every report's method note.
MEANINGFUL_FIELDS = ("units", "amount", "rate")


def mapping_notes(snapshot: Snapshot, report: str | None = None) -> list[str]:
    """One sentence per table file whose units, amount or rate come from a header that does not
    name them (``Party size``, ``Total``), or whose reading changes a figure (a derived rate, an
    unknown invoice state); for ``report``, only the files of the source kinds its figures come
    from (``REPORT_SOURCES``: Billing's note names no bookings file)."""
    out: list[str] = []
    kinds = REPORT_SOURCES.get(report) if report is not None else None
    only = REPORT_ENTITY_KINDS.get(report) if report is not None else None
    covered = {e.id for e in snapshot.entities if only is None or e.kind in only}
    for result in snapshot.results:
        if kinds is not None and result.kind not in kinds:
            continue
        if result.entity not in covered:
            continue  # the rental report's note names no charter's bookings file
        for mapping in result.mappings:
            # A header that names the field (Amount (USD), Billable Rate) keeps its meaning, and so
            # does an amount alias (Price, Total); a units or rate read from another header (Party
            # size, Nights), or an amount the config or a layout mapped, is said.
            moved = [
                (name, header)
                for name, header in mapping.fields
                if name in MEANINGFUL_FIELDS
                and name not in _key(header)
                and (name != "amount" or name in mapping.configured)
            ]
            notes = [n for n in mapping.notes if "rate" in n or "units" in n or "unknown" in n]
            said = _said_once(moved, notes, mapping.fields)
            if said:
                layout = f" (layout {mapping.layout})" if mapping.layout else ""
                line = f"{result.entity} {result.kind}, {mapping.source}{layout}: {said}."
                if line not in out:
                    out.append(line)
    return out


def _said_once(
    moved: list[tuple[str, str]], notes: list[str], fields: tuple[tuple[str, str], ...]
) -> str:
    """The mapped fields and the reading notes of one file, each mapping said once: a field whose
    note explains it ("units <- 'Nights': each booking counts that many units") takes that note's
    words, and a note's clause that only restates the mapping ("units = Nights") is left out."""
    parts = [part for note in notes for part in note.split("; ")]
    said: list[str] = []
    for name, header in moved:
        arrow = f"{name} <- {header!r}"
        explained = next((p for p in parts if p.startswith(arrow)), arrow)
        said.append(explained)
    restated = {f"{name} = {header}" for name, header in fields}
    for part in parts:
        clauses = {c.strip() for c in part.split(",")}
        if part in said or clauses <= restated:
            continue
        said.append(part)
    return "; ".join(dict.fromkeys(said))


def _key(header: str) -> str:
    return "".join(ch for ch in header.lower() if ch.isalnum())


def with_mapping_note(
    sections: tuple[Section, ...], snapshot: Snapshot, report: str | None = None
) -> tuple[Section, ...]:
    """``sections`` with the mapping notes of the files ``report`` reads added to the method
    section (made when missing)."""
    notes = mapping_notes(snapshot, report)
    if not notes:
        return sections
    note = Paragraph("How the exports were read: " + " ".join(notes))
    for index, section in enumerate(sections):
        if section.id == "method":
            changed = Section(section.title, (*section.blocks, note), section.id)
            return (*sections[:index], changed, *sections[index + 1 :])
    return (*sections, Section("Method", (note,), "method"))


#: The entity kinds a built-in report covers (a report not named: every entity).
REPORT_ENTITY_KINDS: dict[str, tuple[str, ...]] = {"rental": ("rental",)}
#: The source kinds each built-in report's figures come from (a report not named: every kind).
REPORT_SOURCES: dict[str, tuple[str, ...]] = {
    "cfo": ("ledger", "bookings", "invoices", "budget"),  # the 13-week forecast reads all four
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
    failed = stale = 0
    for result in snapshot.results:
        if kinds is not None and result.kind not in kinds:
            continue
        fresh = result.freshness
        if not result.ok:
            parts.append(f"{result.entity} {result.kind} failed")
            failed += 1
        elif fresh is not None and fresh.stale:
            parts.append(f"{result.entity} {result.kind} is {fresh.age_days} days old")
            stale += 1
        else:
            continue
        cites.extend(Provenance(path) for path in result.paths[:1])
    if not parts:
        return ()
    # a stale source is read (its figures are used, maybe out of date); a failed one is missing
    if not failed:
        head, tail = "Stale sources", "figures from them may be out of date"
    elif not stale:
        head, tail = "Failed sources", "figures from them are missing"
    else:
        head = "Stale or failed sources"
        tail = "figures from the stale ones may be out of date, from the failed ones missing"
    return (Bullet(f"{head}: {', '.join(parts)}; {tail}.", tuple(cites)),)
