"""Three real `send` runs of a small portfolio with known changes between them give exactly the
expected "Since last report" lines in the CEO report."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.document import BulletList, Document

CONFIG = """
[portfolio]
name = "Kestrel Partners"

[reports.ceo]
to = ["ceo@kestrel.example"]

[[entities]]
id = "osprey"
name = "Osprey Charters"
kind = "charter"
handoff = "notes/osprey.md"

[[entities]]
id = "tern"
name = "Tern Consulting"
kind = "consultancy"
handoff = "notes/tern.md"
"""

OSPREY = """
# Osprey Charters

## Finances
- Cash on hand: {cash}
- Monthly burn: $4,000
- OTA listings: {ota}

## Sales
- Pipeline: 6 leads
"""

TERN = """
# Tern Consulting

## Finances
- Cash on hand: $50,000
- Monthly burn: $10,000

## Sales
- Pipeline: {pipeline}
"""


def write(root: Path, cash: str, ota: str, pipeline: str) -> None:
    (root / "notes").mkdir(parents=True, exist_ok=True)
    (root / "notes" / "osprey.md").write_text(textwrap.dedent(OSPREY.format(cash=cash, ota=ota)))
    (root / "notes" / "tern.md").write_text(textwrap.dedent(TERN.format(pipeline=pipeline)))


def since_last(runner: CliRunner, config: Path, as_of: str) -> dict[str, list[str]]:
    sent = runner.invoke(cli, ["send", "-c", str(config), "--as-of", as_of])
    assert sent.exit_code == 0, sent.output
    built = runner.invoke(cli, ["build", "-c", str(config), "--as-of", as_of, "--format", "json"])
    assert built.exit_code == 0, built.output
    document = Document.from_dict(json.loads(built.output))
    section = document.sections[0]
    assert section.title == "Since last report"
    return {
        b.title or "": [i.text for i in b.items]
        for b in section.blocks
        if isinstance(b, BulletList)
    }


def test_three_runs_with_known_changes(tmp_path: Path) -> None:
    runner = CliRunner()
    config = tmp_path / "portfolio.toml"
    config.write_text(CONFIG)

    write(tmp_path, cash="$20,000", ota="2", pipeline="none")
    first = runner.invoke(cli, ["send", "-c", str(config), "--as-of", "2026-09-20"])
    assert first.exit_code == 0, first.output

    write(tmp_path, cash="$15,000", ota="2", pipeline="3 leads")
    october = since_last(runner, config, "2026-10-20")
    assert october["Figures that moved"] == [
        "Cash (Osprey Charters): down $5,000 (25%) ($20,000 → $15,000)",
        "Pipeline (Tern Consulting): up 3 leads (0 leads → 3 leads)",
    ]
    assert october["New findings"] == ["No new findings."]
    assert october["Resolved"] == ["[CRITICAL] Tern Consulting has an empty sales pipeline"]

    write(tmp_path, cash="$15,000", ota="0", pipeline="3 leads")
    november = since_last(runner, config, "2026-11-20")
    assert november["Figures that moved"] == ["No figure moved beyond the threshold."]
    assert len(november["New findings"]) == 1 and "Osprey Charters" in november["New findings"][0]
    assert "OTA" in november["New findings"][0] or "online travel" in november["New findings"][0]
    assert november["Resolved"] == ["Nothing resolved."]
