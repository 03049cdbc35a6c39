"""Issue 17: a ``date_format`` that cannot read back a date it writes fails when the config is read
(``check`` says so, naming the key), not later as an error on every row."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from execbrief.cli import cli

CONFIG = """
[portfolio]
name = "Test Holdings"

[[entities]]
id = "acme"
name = "Acme"
kind = "other"
{source} = {{ path = "data.csv", date_format = "{fmt}" }}
"""


def check(tmp_path: Path, source: str, fmt: str) -> tuple[int, str]:
    (tmp_path / "data.csv").write_text("date,account,amount\n2026-01-01,Assets:Cash,10\n")
    config = tmp_path / "portfolio.toml"
    config.write_text(CONFIG.format(source=source, fmt=fmt))
    result = CliRunner().invoke(cli, ["check", "-c", str(config)], catch_exceptions=False)
    return result.exit_code, " ".join(result.output.split())


@pytest.mark.parametrize("source", ["ledger", "bookings", "timesheets"])
@pytest.mark.parametrize("fmt", ["%Q%Q", "%m/%Y", "%d %d %d", "no percent"])
def test_a_date_format_that_cannot_round_trip_fails_check_naming_the_key(
    tmp_path: Path, source: str, fmt: str
) -> None:
    code, out = check(tmp_path, source, fmt)
    assert code != 0
    assert "date_format" in out and f"entities[0].{source}" in out
    assert "cannot read back the date it writes" in out
    assert "expected a strptime format with a day, month and year, such as '%m/%d/%Y'" in out


@pytest.mark.parametrize("fmt", ["%m/%d/%Y", "%d.%m.%y", "%Y-%m-%d %H:%M", "%b %d, %Y"])
def test_a_real_date_format_is_accepted(tmp_path: Path, fmt: str) -> None:
    _code, out = check(tmp_path, "ledger", fmt)
    assert "cannot read back" not in out and "ok config" in out, out
