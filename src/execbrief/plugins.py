"""The pluggy manager: built-ins (``DEFAULT_PLUGINS``) and entry-point plugins, and the registry.

A name registered twice, by the same or different plugins, fails at start-up with a
``PluginError`` naming both. A built-in module whose optional dependency is missing is skipped with
a warning naming the module and the missing package; the rest of the program works.
"""

from __future__ import annotations

import importlib
import os
import sys
import types
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

import pluggy

from execbrief import hookspecs
from execbrief.config import OptionModels
from execbrief.errors import PluginError

if TYPE_CHECKING:
    from execbrief.analysis.base import Analysis
    from execbrief.renderers.base import Renderer
    from execbrief.reports.base import Report
    from execbrief.sources.base import Source
    from execbrief.transports.base import TransportFactory

DEFAULT_PLUGINS: tuple[str, ...] = (
    "execbrief.sources.handoff",
    "execbrief.sources.ledger",
    "execbrief.sources.bookings",
    "execbrief.sources.timesheets",
    "execbrief.sources.trips",
    "execbrief.sources.budget",
    "execbrief.sources.subscribers",
    "execbrief.sources.site",
    "execbrief.sources.envfile",
    "execbrief.sources.code",
    "execbrief.sources.aws",
    "execbrief.analysis.briefing",
    "execbrief.analysis.finance",
    "execbrief.analysis.forecast",
    "execbrief.analysis.accounting",
    "execbrief.analysis.operations",
    "execbrief.analysis.security",
    "execbrief.analysis.ux",
    "execbrief.analysis.marketing",
    "execbrief.reports.ceo",
    "execbrief.reports.cto",
    "execbrief.reports.cmo",
    "execbrief.reports.cfo",
    "execbrief.reports.accounting",
    "execbrief.reports.rental",
    "execbrief.reports.operations",
    "execbrief.reports.billing",
    "execbrief.renderers.text",
    "execbrief.renderers.markdown",
    "execbrief.renderers.json",
    "execbrief.renderers.html",
    "execbrief.transports.outbox",
    "execbrief.transports.memory",
    "execbrief.transports.ses",
    "execbrief.transports.smtp",
)

ENTRY_POINT_GROUP = "execbrief"
#: Set (to anything but "" or "0") to load no installed plugin: only the built-ins and the
#: plugins passed in. The test suite sets it, so that what happens to be installed cannot
#: change its results.
NO_ENTRY_POINTS_ENV = "EXECBRIEF_NO_ENTRY_POINTS"


def entry_points_enabled(environ: dict[str, str] | None = None) -> bool:
    """False when ``EXECBRIEF_NO_ENTRY_POINTS`` says not to load installed plugins."""
    value = (os.environ if environ is None else environ).get(NO_ENTRY_POINTS_ENV, "")
    return value.strip() in ("", "0")


@dataclass
class Registry:
    """Every registered plugin object by kind and name, with the plugin that registered it.

    Each table holds one kind, typed by its Protocol (``sources/base.py``, ``analysis/base.py``,
    ``reports/base.py``, ``renderers/base.py``, ``transports/base.py``).
    """

    sources: dict[str, Source] = field(default_factory=dict)
    analyses: dict[str, Analysis] = field(default_factory=dict)
    reports: dict[str, Report] = field(default_factory=dict)
    renderers: dict[str, Renderer] = field(default_factory=dict)
    transports: dict[str, TransportFactory] = field(default_factory=dict)
    owners: dict[tuple[str, str], str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    manager: pluggy.PluginManager | None = None

    def option_models(self) -> OptionModels:
        """The options models config validation needs."""
        return OptionModels(
            sources={name: source.Options for name, source in self.sources.items()},
            reports={name: report.Options for name, report in self.reports.items()},
            transports={name: transport.Options for name, transport in self.transports.items()},
            analyses={name: analysis.Options for name, analysis in self.analyses.items()},
            entity_settings={
                name: options
                for name, analysis in self.analyses.items()
                if (options := getattr(analysis, "EntityOptions", None)) is not None
            },
            renderers=frozenset(self.renderers),
        )

    def owner(self, kind: str, name: str) -> str:
        """The plugin that registered ``name`` of ``kind``."""
        return self.owners[(kind, name)]


def _plugin_name(manager: pluggy.PluginManager, plugin: object) -> str:
    """A name a user recognises: the module, or the class of a plugin object."""
    if isinstance(plugin, types.ModuleType):
        return plugin.__name__
    name = manager.get_name(plugin)
    if name and not name.isdigit():  # pluggy names unnamed objects by their id()
        return str(name)
    return f"{type(plugin).__module__}.{type(plugin).__qualname__}"


def make_manager(
    extra_plugins: Iterable[object] = (), *, entry_points: bool | None = None
) -> pluggy.PluginManager:
    """A plugin manager with the built-ins, the entry-point plugins and ``extra_plugins``.

    ``entry_points`` None (the default) loads installed plugins unless
    ``EXECBRIEF_NO_ENTRY_POINTS`` is set.
    """
    if entry_points is None:
        entry_points = entry_points_enabled()
    manager = pluggy.PluginManager("execbrief")
    manager.add_hookspecs(hookspecs)
    warnings: list[str] = []
    for module_name in DEFAULT_PLUGINS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.split(".")[0] != "execbrief":
                warnings.append(
                    f"plugin {module_name} is disabled: it needs the package {exc.name!r} (pip install it)"
                )
                continue
            raise
        manager.register(module, name=module_name)
    if entry_points:
        try:
            manager.load_setuptools_entrypoints(ENTRY_POINT_GROUP)
        except Exception as exc:  # a broken third-party plugin must name itself
            raise PluginError(
                f"a plugin in entry-point group {ENTRY_POINT_GROUP!r} failed to load: {exc}"
            ) from exc
    for plugin in extra_plugins:
        manager.register(plugin)
    manager.execbrief_warnings = warnings  # type: ignore[attr-defined]
    return manager


def build_registry(manager: pluggy.PluginManager) -> Registry:
    """Collect what every plugin registers; a name registered twice raises ``PluginError``."""
    registry = Registry(manager=manager, warnings=list(getattr(manager, "execbrief_warnings", [])))
    _collect(registry, "sources", manager.hook.register_sources, registry.sources)
    _collect(registry, "analyses", manager.hook.register_analyses, registry.analyses)
    _collect(registry, "reports", manager.hook.register_reports, registry.reports)
    _collect(registry, "renderers", manager.hook.register_renderers, registry.renderers)
    _collect(registry, "transports", manager.hook.register_transports, registry.transports)
    return registry


def _collect(registry: Registry, kind: str, hook: pluggy.HookCaller, table: dict[str, Any]) -> None:
    """Put what each implementation of ``hook`` returns into ``table`` under its name."""
    assert registry.manager is not None
    for impl in hook.get_hookimpls():
        owner = _plugin_name(registry.manager, impl.plugin)
        items = cast("Iterable[Any] | None", impl.function())
        for item in list(items or []):
            name = getattr(item, "name", None)
            if not name:
                raise PluginError(f"plugin {owner} registered a {kind[:-1]} with no name")
            if name in table:
                first = registry.owners[(kind, name)]
                raise PluginError(
                    f"{kind[:-1]} {name!r} is registered twice: by {first} and by {owner}; "
                    "uninstall or rename one of them"
                )
            table[name] = item
            registry.owners[(kind, name)] = owner


_DEFAULT: Registry | None = None


def get_registry(extra_plugins: Iterable[object] = (), *, fresh: bool = False) -> Registry:
    """The process-wide registry (built once), or a fresh one with extra plugins."""
    global _DEFAULT
    extra = tuple(extra_plugins)
    if extra or fresh:
        return build_registry(make_manager(extra))
    if _DEFAULT is None:
        _DEFAULT = build_registry(make_manager())
        for warning in _DEFAULT.warnings:
            print(f"execbrief: {warning}", file=sys.stderr)
    return _DEFAULT
