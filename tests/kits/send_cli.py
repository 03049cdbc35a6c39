"""A small portfolio on disk and ``execbrief send`` / ``history`` run as real subprocesses, for
the fault tests and the fault bench."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

NOTE = """# Harbor Charters handoff

## Finance

- Cash on hand: $12,000
- Burn rate: $7,500/mo

## Sales

Pipeline: none
"""

CONFIG = """
[portfolio]
name = "Test Holdings"

[delivery]
transport = "{transport}"
sender = "reports@harbor.example"
operator = "{operator}"

{section}

[reports.ceo]
to = [{recipients}]

[[entities]]
id = "harbor-charters"
name = "Harbor Charters"
kind = "charter"
handoff = "handoffs/harbor-charters.md"
"""

OPERATOR = "ops@harbor.example"
PERIOD = "2026-11"
AS_OF = "2026-11-30"


def ses_section(endpoint: str, **extra: object) -> str:
    """``[delivery.ses]`` pointing at ``endpoint`` (moto, or a fault proxy in front of it)."""
    lines = ['region = "us-east-1"', f'endpoint_url = "{endpoint}"', "max_send_rate = 50"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in extra.items()]
    return "[delivery.ses]\n" + "\n".join(lines)


def smtp_section(port: int) -> str:
    """``[delivery.smtp]`` for a plain (no TLS, no login) server on loopback."""
    return f'[delivery.smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\ntimeout = 10'


def write_portfolio(
    root: Path, transport: str, section: str, recipients: list[str] | tuple[str, ...]
) -> Path:
    """A one-entity portfolio whose CEO report goes to ``recipients``; its portfolio.toml."""
    (root / "handoffs").mkdir(parents=True, exist_ok=True)
    (root / "handoffs" / "harbor-charters.md").write_text(NOTE)
    config = root / "portfolio.toml"
    config.write_text(
        CONFIG.format(
            transport=transport,
            operator=OPERATOR,
            section=section,
            recipients=", ".join(json.dumps(r) for r in recipients),
        )
    )
    return config


def send_command(config: Path, *args: str) -> list[str]:
    """The argv of ``execbrief send --json`` for the fixed period."""
    return [
        sys.executable,
        "-m",
        "execbrief",
        "send",
        "-c",
        str(config),
        "--period",
        PERIOD,
        "--as-of",
        AS_OF,
        "--json",
        *args,
    ]


def run_send(
    config: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 120
) -> tuple[int, dict[str, Any], str]:
    """Run ``execbrief send``; its exit code, its JSON and its stderr."""
    done = subprocess.run(
        send_command(config, *args),
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **(env or {})},
    )
    return done.returncode, json.loads(done.stdout or "{}"), done.stderr


def history(config: Path) -> dict[str, dict[str, Any]]:
    """``execbrief history --json``: each delivery row of the fixed period, by recipient."""
    done = subprocess.run(
        [sys.executable, "-m", "execbrief", "history", "-c", str(config), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    rows = json.loads(done.stdout)
    return {row["recipient"]: row for row in rows if row["period"] == PERIOD}
