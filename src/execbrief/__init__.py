"""execbrief: executive reports for a small portfolio, computed from its own files and mailed out.

The names below are the plugin author's API (docs/plugins.md): import them from ``execbrief``
rather than from the module that happens to define them today, which may move. They load on
first use, so ``import execbrief`` stays cheap for the command line.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from execbrief.analysis.base import Analysis
    from execbrief.config import Config, NoOptions
    from execbrief.document import (
        ActionPlan,
        Bullet,
        BulletList,
        Chart,
        Document,
        Findings,
        Metrics,
        Paragraph,
        Point,
        Row,
        Section,
        Series,
        Table,
    )
    from execbrief.findings import Action, AnalysisResult, Effort, Finding, Metric, Severity
    from execbrief.hookspecs import hookimpl
    from execbrief.renderers.base import Renderer
    from execbrief.reports.base import BaseReport, Report, ReportContext
    from execbrief.snapshot import Provenance, Record, Snapshot, SourceError, SourceResult
    from execbrief.sources.base import BaseSource, Source, SourceRequest
    from execbrief.transports.base import (
        BaseTransport,
        CheckItem,
        EventKind,
        EventSource,
        ProviderEvent,
        SendResult,
        Transport,
        TransportFactory,
        TransportLimits,
        UnreadableEvent,
    )
    from execbrief.values import Cadence, Money, MoneyRange, Percent, Period

#: Each public name and the module that defines it.
_EXPORTS: dict[str, str] = {
    # the hook marker
    "hookimpl": "execbrief.hookspecs",
    # what a plugin is, and the bases that fill in the defaults
    "Source": "execbrief.sources.base",
    "BaseSource": "execbrief.sources.base",
    "SourceRequest": "execbrief.sources.base",
    "Analysis": "execbrief.analysis.base",
    "Report": "execbrief.reports.base",
    "BaseReport": "execbrief.reports.base",
    "ReportContext": "execbrief.reports.base",
    "Renderer": "execbrief.renderers.base",
    "Transport": "execbrief.transports.base",
    "BaseTransport": "execbrief.transports.base",
    "TransportFactory": "execbrief.transports.base",
    "TransportLimits": "execbrief.transports.base",
    "SendResult": "execbrief.transports.base",
    "CheckItem": "execbrief.transports.base",
    "EventSource": "execbrief.transports.base",
    "ProviderEvent": "execbrief.transports.base",
    "EventKind": "execbrief.transports.base",
    "UnreadableEvent": "execbrief.transports.base",
    "Config": "execbrief.config",
    "NoOptions": "execbrief.config",
    # the document and its blocks
    "Document": "execbrief.document",
    "Section": "execbrief.document",
    "Paragraph": "execbrief.document",
    "Bullet": "execbrief.document",
    "BulletList": "execbrief.document",
    "Table": "execbrief.document",
    "Row": "execbrief.document",
    "Metrics": "execbrief.document",
    "Findings": "execbrief.document",
    "ActionPlan": "execbrief.document",
    "Chart": "execbrief.document",
    "Series": "execbrief.document",
    "Point": "execbrief.document",
    "Brief": "execbrief.document",
    "KeyFigure": "execbrief.document",
    # what analyses return
    "Metric": "execbrief.findings",
    "Finding": "execbrief.findings",
    "Action": "execbrief.findings",
    "AnalysisResult": "execbrief.findings",
    "Severity": "execbrief.findings",
    "Effort": "execbrief.findings",
    # what sources return
    "Snapshot": "execbrief.snapshot",
    "SourceResult": "execbrief.snapshot",
    "SourceError": "execbrief.snapshot",
    "Record": "execbrief.snapshot",
    "Provenance": "execbrief.snapshot",
    # values
    "Money": "execbrief.values",
    "MoneyRange": "execbrief.values",
    "Percent": "execbrief.values",
    "Cadence": "execbrief.values",
    "Period": "execbrief.values",
}

__all__ = [
    "Action",
    "ActionPlan",
    "Analysis",
    "AnalysisResult",
    "BaseReport",
    "BaseSource",
    "BaseTransport",
    "Brief",
    "Bullet",
    "BulletList",
    "Cadence",
    "Chart",
    "CheckItem",
    "Config",
    "Document",
    "Effort",
    "EventKind",
    "EventSource",
    "Finding",
    "Findings",
    "KeyFigure",
    "Metric",
    "Metrics",
    "Money",
    "MoneyRange",
    "NoOptions",
    "Paragraph",
    "Percent",
    "Period",
    "Point",
    "Provenance",
    "ProviderEvent",
    "Record",
    "Renderer",
    "Report",
    "ReportContext",
    "Row",
    "Section",
    "SendResult",
    "Series",
    "Severity",
    "Snapshot",
    "Source",
    "SourceError",
    "SourceRequest",
    "SourceResult",
    "Table",
    "Transport",
    "TransportFactory",
    "TransportLimits",
    "UnreadableEvent",
    "__version__",
    "hookimpl",
]


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use (PEP 562)."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'execbrief' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
