"""A forced resend is a new message: it gets a new Message-ID (mail services drop a repeat)."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli


def message_ids(outbox: Path) -> list[str]:
    return sorted(
        str(email.message_from_bytes(p.read_bytes(), policy=email.policy.default)["Message-ID"])
        for p in outbox.glob("*.eml")
    )


def test_force_sends_with_a_new_message_id(tmp_path: Path) -> None:
    config = tmp_path / "portfolio.toml"
    (tmp_path / "notes.md").write_text("# Osprey\n\n- Cash on hand: $20,000\n")
    config.write_text(
        '[portfolio]\nname = "Kestrel"\nas_of = 2026-11-20\n'
        '[reports.ceo]\nto = ["ceo@kestrel.example"]\n'
        '[[entities]]\nid = "osprey"\nname = "Osprey"\nkind = "charter"\nhandoff = "notes.md"\n'
    )
    runner = CliRunner()
    assert runner.invoke(cli, ["send", "-c", str(config)]).exit_code == 0
    first = message_ids(tmp_path / "outbox")
    assert len(first) == 1
    again = runner.invoke(cli, ["send", "-c", str(config)])
    assert again.exit_code == 0 and message_ids(tmp_path / "outbox") == first  # nothing new
    forced = runner.invoke(cli, ["send", "-c", str(config), "--force"])
    assert forced.exit_code == 0, forced.output
    ids = message_ids(tmp_path / "outbox")
    assert len(ids) == 2 and len(set(ids)) == 2
