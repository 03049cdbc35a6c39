"""Plugins: built-ins register like third parties, duplicates fail naming both, and an external
report plugin installed through an entry point is built with no change to built-in code."""

from __future__ import annotations

import email
import email.policy
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from execbrief import hookspecs
from execbrief.errors import PluginError
from execbrief.hookspecs import hookimpl
from execbrief.plugins import DEFAULT_PLUGINS, build_registry, get_registry, make_manager


def test_builtins_register_through_hooks() -> None:
    registry = get_registry(fresh=True)
    assert {"text", "markdown", "json"} <= set(registry.renderers)
    assert registry.owner("renderers", "text") == "execbrief.renderers.text"
    assert all(
        registry.owner(kind, name) in DEFAULT_PLUGINS
        for kind in ("reports", "sources")
        for name in getattr(registry, kind)
    )


def test_every_hook_is_documented() -> None:
    for name in (
        "register_sources",
        "register_analyses",
        "register_reports",
        "register_renderers",
        "register_transports",
        "register_commands",
    ):
        spec = getattr(hookspecs, name)
        assert spec.__doc__ and spec.__doc__.strip(), name
        docs = Path(__file__).parents[1] / "docs" / "plugins.md"
        assert name in docs.read_text(), f"{name} is not documented in docs/plugins.md"


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
