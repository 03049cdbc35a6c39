"""The plugin hooks. Every built-in source, analysis, report, renderer and transport registers
through these, exactly as a third-party plugin would (entry-point group ``execbrief``)."""

from __future__ import annotations

from typing import Any

import pluggy

hookspec = pluggy.HookspecMarker("execbrief")
hookimpl = pluggy.HookimplMarker("execbrief")


@hookspec
def register_sources() -> list[Any]:
    """Return source plugins (objects with ``name``, ``Options`` and ``collect(request)``)."""
    return []


@hookspec
def register_analyses() -> list[Any]:
    """Return analysis plugins (objects with ``name``, ``Options`` and ``analyze(snapshot, config)``)."""
    return []


@hookspec
def register_reports() -> list[Any]:
    """Return report plugins (objects with ``name``, ``title``, ``audience`` and ``build(ctx)``)."""
    return []


@hookspec
def register_renderers() -> list[Any]:
    """Return renderer plugins (objects with ``name``, ``extension`` and ``render(document)``)."""
    return []


@hookspec
def register_transports() -> list[Any]:
    """Return transport factories (objects with ``name``, ``Options`` and ``open(...)``)."""
    return []


@hookspec
def register_commands(cli: Any) -> None:
    """Add click commands to the ``execbrief`` command group."""
