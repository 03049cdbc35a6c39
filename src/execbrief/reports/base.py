"""What a report plugin is, and the context it builds from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar, Protocol, TypeVar

from pydantic import BaseModel

from execbrief.analysis.base import Analysis
from execbrief.config import Config, NoOptions
from execbrief.document import Brief, Bullet, Document, Section
from execbrief.findings import AnalysisResult
from execbrief.snapshot import Snapshot
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
            analysis = self.analyses[name]
            # An analysis that builds on others names them in ``requires``: it is handed their
            # results from this context, so each analysis runs once per run, however many use it.
            shared = {dep: self.analysis(dep) for dep in getattr(analysis, "requires", ())}
            self._results[name] = analysis.analyze(self.snapshot, self.config, **shared)
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
        the parts of the brief layer the report chooses (the rest is derived)."""
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
