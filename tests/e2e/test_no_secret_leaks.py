"""Secrets never leak: plant secrets in notes, code, .env files and the config, run every command
and every report in every format, then search every byte the program wrote — reports, outbox,
JSON, the SQLite store (with its compressed snapshots), stdout and stderr — for each planted value.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from execbrief.examples import copy_example
from kits.outputs import every_byte_written

# Fake but live-looking values, built at run time so this file itself holds none whole.
STRIPE = "sk_live_" + "9fQ2xLm4Tz8Rw1Kp7Vb3Nc6Yd"
AWS_ID = "AKIA" + "QX7W2PLM4NB8ZR5T"
AWS_SECRET = "wJalr" + "XUtnFEMI/K7MDENG/bPxRfiCY" + "Q8m2Zk4Lp"
GITHUB = "ghp_" + "R8sT2vW4yZ6bD8fH1jK3mN5pQ7rS9tV2xZ4b"
DB_PASSWORD = "Tr0ub4dor" + "-Zq8!xKw2"
PLANTED = {
    "stripe key in a handoff note": STRIPE,
    "aws key id in code": AWS_ID,
    "aws secret in code": AWS_SECRET,
    "github token in .env": GITHUB,
    "password in the config's notes": DB_PASSWORD,
}


def plant(root: Path) -> None:
    note = root / "handoffs" / "harbor-charters.md"
    note.write_text(
        note.read_text() + f"\n## Access\n\nStripe key: {STRIPE}\nAdmin password: {DB_PASSWORD}\n"
    )
    code = root / "code" / "harbor-charters" / "backend" / "settings_local.py"
    code.parent.mkdir(parents=True, exist_ok=True)
    code.write_text(
        "import boto3\n\n"
        f'AWS_ACCESS_KEY_ID = "{AWS_ID}"\n'
        f'AWS_SECRET_ACCESS_KEY = "{AWS_SECRET}"\n'
        'ses = boto3.client("ses", aws_access_key_id=AWS_ACCESS_KEY_ID)\n'
    )
    env = root / "repos.env"
    env.write_text(env.read_text() + f"\nGITHUB_TOKEN={GITHUB}\nDATABASE_PASSWORD={DB_PASSWORD}\n")
    config = root / "portfolio.toml"
    text = config.read_text()
    # the entity's free-text notes field carries a password, as people do
    text = text.replace(
        'id = "harbor-charters"',
        f'id = "harbor-charters"\nnotes = "db password is {DB_PASSWORD}"',
        1,
    )
    config.write_text(text)


def run(args: list[str], cwd: Path, outputs: list[str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "execbrief", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )
    outputs.extend([done.stdout, done.stderr])
    return done


@pytest.mark.slow
def test_no_planted_secret_reaches_any_output(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "harbor")
    plant(root)
    outputs: list[str] = []
    config = str(root / "portfolio.toml")
    as_of = ["--as-of", "2026-11-20"]
    assert run(["check", "-c", config, *as_of, "--json"], root, outputs).returncode in (0, 1)
    assert run(["collect", "-c", config, *as_of, "--json"], root, outputs).returncode in (0, 1)
    for fmt in ("text", "markdown", "json", "html"):
        built = run(
            ["build", "-c", config, *as_of, "--format", fmt, "--out", str(root / "built" / fmt)],
            root,
            outputs,
        )
        assert built.returncode in (0, 1), built.stderr
        assert list((root / "built" / fmt).iterdir()), f"no {fmt} report was written"
    sent = run(["send", "-c", config, *as_of, "--json"], root, outputs)
    assert sent.returncode in (0, 1), sent.stderr
    run(["history", "-c", config, "--json"], root, outputs)
    run(["history", "-c", config, "--period", "2026-11", "--json"], root, outputs)
    run(["archive", "-c", config, "--out", str(root / "site")], root, outputs)

    written = every_byte_written(root, {"handoffs", "code", "repos.env", "portfolio.toml"})
    assert any(name.startswith("outbox") for name, _ in written), "the outbox holds messages"
    assert any(":snapshots" in name for name, _ in written), "the store holds the snapshot"
    leaks = []
    for label, value in PLANTED.items():
        # the whole value, and any 12-character piece of it (a truncated or wrapped leak)
        pieces = {value} | {value[i : i + 12] for i in range(0, len(value) - 11, 4)}
        for name, data in written:
            if any(piece.encode() in data for piece in pieces):
                leaks.append(f"{label} in {name}")
        for index, text in enumerate(outputs):
            if any(piece in text for piece in pieces):
                leaks.append(f"{label} in command output #{index}")
    assert not leaks, leaks

    # and the CTO report did find them, by fingerprint and location only
    cto = (root / "built" / "text" / "cto.txt").read_text()
    assert re.search(r"settings_local\.py:\d+", cto)
