"""`send --period` takes the months `as_of` can be (1900-01..2999-12): `--period 0001-01` or
`9999-12` is refused in one sentence, as `--as-of 0001-01-01` is, and nothing is sent or
recorded (issue 17 audit, item 10: both sent real reports "as of 0001-01-31")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.config import check_period
from execbrief.errors import ConfigError
from execbrief.examples import copy_example
from execbrief.multirun import Plan
from execbrief.values import Period, PeriodParseError


@pytest.mark.parametrize("period", ["0001-01", "9999-12", "1899-Q4", "3000-01"])
def test_send_refuses_a_period_outside_the_report_dates(tmp_path: Path, period: str) -> None:
    root = copy_example(tmp_path / "harbor")
    done = CliRunner().invoke(
        cli, ["send", "-c", str(root / "portfolio.toml"), "--period", period, "--dry-run"]
    )
    assert done.exit_code != 0
    assert f"--period: '{period}' is outside 1900-01..2999-12" in done.output
    assert not (root / ".execbrief").exists() or not list((root / "outbox").glob("*.eml"))


def test_the_ends_of_the_range_are_periods() -> None:
    assert check_period("1900-01") == Period.month(1900, 1)
    assert check_period("2999-Q4") == Period.parse("2999-Q4")
    with pytest.raises(PeriodParseError):
        check_period("2026-13")


def test_many_portfolios_refuse_it_too() -> None:
    plan = Plan(command="send", today=date(2026, 11, 20), period="0001-01")
    with pytest.raises(ConfigError, match=r"outside 1900-01\.\.2999-12"):
        plan.validate()
