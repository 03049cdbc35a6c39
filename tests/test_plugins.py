"""Plugins: built-ins register like third parties, duplicates fail naming both, and an external
report plugin installed through an entry point is built with no change to built-in code."""

from __future__ import annotations

import email
import email.policy
import inspect
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import click
import pytest

import execbrief
from execbrief.errors import PluginError
from execbrief.hookspecs import hookimpl
from execbrief.plugins import (
    DEFAULT_PLUGINS,
    NO_ENTRY_POINTS_ENV,
    build_registry,
    entry_points_enabled,
    get_registry,
    make_manager,
)

DOCS = Path(__file__).parents[1] / "docs" / "plugins.md"


def test_builtins_register_through_hooks() -> None:
    registry = get_registry(fresh=True)
    assert {"text", "markdown", "json"} <= set(registry.renderers)
    assert registry.owner("renderers", "text") == "execbrief.renderers.text"
    assert all(
        registry.owner(kind, name) in DEFAULT_PLUGINS
        for kind in ("reports", "sources")
        for name in getattr(registry, kind)
    )


def test_every_hook_is_documented_with_its_signature() -> None:
    # the hooks are whatever the plugin manager knows, not a list kept here
    manager = make_manager(entry_points=False)
    hooks = {
        name: caller.spec.function
        for name, caller in vars(manager.hook).items()
        if getattr(caller, "spec", None) is not None
    }
    assert len(hooks) >= 6
    text = DOCS.read_text()
    table = set(re.findall(r"^\| `(register_\w+\([^)]*\))` \|", text, re.M))
    wanted = {f"{name}({', '.join(inspect.signature(f).parameters)})" for name, f in hooks.items()}
    assert wanted - table == set(), "hooks missing from the table in docs/plugins.md"
    assert table - wanted == set(), "docs/plugins.md documents hooks that do not exist"
    for name, function in hooks.items():
        assert function.__doc__ and function.__doc__.strip(), f"{name} has no docstring"


def test_the_plugin_api_is_importable_from_the_package_top() -> None:
    names = [name for name in execbrief.__all__ if name != "__version__"]
    assert sorted(names) == sorted(execbrief._EXPORTS)  # every public name can be loaded
    for name in ("hookimpl", "BaseSource", "BaseReport", "BaseTransport", "Document"):
        assert name in names
    for name in ("Section", "Table", "Metrics", "Findings", "Metric", "Finding", "Money", "Period"):
        assert name in names
    namespace: dict[str, object] = {}
    exec(f"from execbrief import {', '.join(names)}", namespace)  # the way a plugin imports
    for name in names:
        assert namespace[name] is not None and getattr(execbrief, name) is namespace[name]
    from execbrief.hookspecs import hookimpl as marker

    assert execbrief.hookimpl is marker
    with pytest.raises(AttributeError, match="no attribute 'Nonesuch'"):
        execbrief.Nonesuch  # noqa: B018


def test_entry_points_are_off_in_the_suite_and_on_by_default() -> None:
    assert not entry_points_enabled()  # tests/conftest.py
    assert entry_points_enabled({}) and entry_points_enabled({NO_ENTRY_POINTS_ENV: "0"})
    assert not entry_points_enabled({NO_ENTRY_POINTS_ENV: "1"})


class Greeter:
    """A plugin adding a command."""

    @hookimpl
    def register_commands(self, cli: click.Group) -> None:
        @cli.command(name="greet")
        def greet() -> None:
            click.echo("ahoy")


def test_plugin_commands_are_attached_when_the_cli_is_imported() -> None:
    from click.testing import CliRunner

    from execbrief.cli import attach_plugin_commands, cli

    group = click.Group(commands=dict(cli.commands))
    manager = make_manager([Greeter()], entry_points=False)
    registry = build_registry(manager)
    import execbrief.plugins as plugins

    saved = plugins._DEFAULT
    plugins._DEFAULT = registry
    try:
        assert attach_plugin_commands(group) is None
    finally:
        plugins._DEFAULT = saved
    result = CliRunner().invoke(group, ["greet"])
    assert result.exit_code == 0 and result.output == "ahoy\n"


class Duplicate:
    """A plugin registering a renderer named like a built-in."""

    class Renderer:
        name = "text"
        extension = "txt"
        media_type = "text/plain"

        def render(self, document: object) -> str:
            return ""

    @hookimpl
    def register_renderers(self) -> list[object]:
        return [self.Renderer()]


def test_duplicate_name_fails_naming_both() -> None:
    with pytest.raises(PluginError) as caught:
        build_registry(make_manager([Duplicate()], entry_points=False))
    message = str(caught.value)
    assert "renderer 'text' is registered twice" in message
    assert "execbrief.renderers.text" in message and "Duplicate" in message


PLUGIN = """
from execbrief.document import Document, Paragraph, Section
from execbrief.hookspecs import hookimpl


class WeatherReport:
    name = "weather"
    title = "Weather report"
    audience = "the skipper"
    from execbrief.config import NoOptions as Options

    def build(self, ctx):
        entities = ", ".join(e.name for e in ctx.snapshot.entities)
        return Document(
            report=self.name, title=self.title, audience=self.audience, period=str(ctx.period),
            as_of=ctx.as_of, portfolio=ctx.snapshot.portfolio,
            sections=(Section("Outlook", (Paragraph(f"Fair winds for {entities}."),)),),
        )


@hookimpl
def register_reports():
    return [WeatherReport()]
"""


@pytest.fixture
def installed_plugin(tmp_path: Path) -> dict[str, str]:
    """A tiny report plugin 'installed' with its dist-info and entry point on PYTHONPATH."""
    site = tmp_path / "site"
    (site / "weather_plugin").mkdir(parents=True)
    (site / "weather_plugin" / "__init__.py").write_text(PLUGIN)
    info = site / "weather_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: weather-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[execbrief]\nweather = weather_plugin\n")
    env = dict(os.environ)
    env.pop(NO_ENTRY_POINTS_ENV, None)  # this test loads an installed plugin on purpose
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")])
    return env


def test_external_report_plugin_is_listed_built_and_delivered(
    installed_plugin: dict[str, str], tmp_path: Path
) -> None:
    config = tmp_path / "portfolio.toml"
    config.write_text(
        textwrap.dedent(
            """
            [portfolio]
            name = "Harbor Holdings"
            [reports.weather]
            to = ["skipper@harbor.example"]
            [[entities]]
            id = "harbor"
            name = "Harbor Charters"
            kind = "charter"
            """
        )
    )
    run = [sys.executable, "-m", "execbrief"]
    listed = subprocess.run(
        [*run, "reports", "--json"],
        env=installed_plugin,
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"weather"' in listed.stdout and "weather_plugin" in listed.stdout
    built = subprocess.run(
        [*run, "build", "-c", str(config), "--report", "weather", "--as-of", "2026-11-20"],
        env=installed_plugin,
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    assert "Fair winds for Harbor Charters." in built.stdout

    sent = subprocess.run(
        [*run, "send", "-c", str(config), "--as-of", "2026-11-20"],
        env=installed_plugin,
        capture_output=True,
        text=True,
    )
    assert sent.returncode == 0, sent.stderr
    messages = list((tmp_path / "outbox").glob("*.eml"))
    assert len(messages) == 1
    message = email.message_from_bytes(messages[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "skipper@harbor.example"
    body = message.get_body(("plain",))
    assert body is not None and "Fair winds for Harbor Charters." in body.get_content()
