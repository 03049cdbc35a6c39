"""The plugin hooks. Every built-in source, analysis, report, renderer and transport registers
through these, exactly as a third-party plugin would (entry-point group ``execbrief``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pluggy

if TYPE_CHECKING:
    import click

    from execbrief.analysis.base import Analysis
    from execbrief.renderers.base import Renderer
    from execbrief.reports.base import Report
    from execbrief.sources.base import Source
    from execbrief.transports.base import TransportFactory

hookspec = pluggy.HookspecMarker("execbrief")
hookimpl = pluggy.HookimplMarker("execbrief")


@hookspec
def register_sources() -> Iterable[Source]:
    """Return source plugins (objects with ``name``, ``Options`` and ``collect(request)``)."""
    return []


@hookspec
def register_analyses() -> Iterable[Analysis]:
    """Return analysis plugins (objects with ``name``, ``Options`` and ``analyze(snapshot, config)``)."""
    return []


@hookspec
def register_reports() -> Iterable[Report]:
    """Return report plugins (objects with ``name``, ``title``, ``audience`` and ``build(ctx)``)."""
    return []


@hookspec
def register_renderers() -> Iterable[Renderer]:
    """Return renderer plugins (objects with ``name``, ``extension`` and ``render(document)``)."""
    return []


@hookspec
def register_transports() -> Iterable[TransportFactory]:
    """Return transport factories (objects with ``name``, ``Options`` and ``open(...)``)."""
    return []


@hookspec
def register_commands(cli: click.Group) -> None:
    """Add click commands to the ``execbrief`` command group."""
