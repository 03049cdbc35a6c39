"""The period a report names and the windows its figures use agree: an as-of on a month's last
day completes that month; a report for a past period (`send --period`) reads as of its last day."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from execbrief.cli import cli

NOW = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("period-rule")
    made = CliRunner().invoke(cli, ["demo", "--out", str(root / "demo")])
    assert made.exit_code in (0, 1), made.output
    return root / "demo" / "portfolio.toml"


def burn_window(document: dict[str, object]) -> str:
    found = re.findall(r"the average is over (\d{4}-\d\d\.\.\d{4}-\d\d)", json.dumps(document))
    assert found, "the CFO report states its burn window"
    return str(found[0])


@pytest.mark.parametrize(
    ("as_of", "period", "window"),
    [
        ("2026-10-31", "2026-10", "2026-08..2026-10"),  # last day: October is complete
        ("2026-10-30", "2026-09", "2026-07..2026-09"),  # a day short: September
        ("2026-10-15", "2026-09", "2026-07..2026-09"),  # mid-month
        ("2026-11-01", "2026-10", "2026-08..2026-10"),  # first day of the next month
    ],
)
def test_the_default_period_is_the_month_the_windows_end_with(
    demo: Path, as_of: str, period: str, window: str
) -> None:
    built = CliRunner().invoke(
        cli, ["build", "-c", str(demo), "--report", "cfo", "--as-of", as_of, "--format", "json"]
    )
    assert built.exit_code == 0, built.output
    document = json.loads(built.output)
    assert (document["period"], document["as_of"]) == (period, as_of)
    assert burn_window(document) == window


def test_a_quarterly_report_reads_as_of_the_quarters_last_day(demo: Path) -> None:
    from execbrief.cli import load
    from execbrief.history.runs import History
    from execbrief.store.db import Store

    runner = CliRunner()
    sent = runner.invoke(
        cli,
        [
            "send",
            "-c",
            str(demo),
            "--report",
            "cfo",
            "--period",
            "2026-Q3",
            "--as-of",
            "2026-10-31",
        ],
    )
    assert sent.exit_code == 0, sent.output
    with Store(load(str(demo)).config.store_path, clock=lambda: NOW) as store:
        stored = [s for s in History(store).sent_documents() if s.period == "2026-Q3"]
    assert [s.report for s in stored] == ["cfo"]
    document = stored[0].document
    assert document.as_of.isoformat() == "2026-09-30"  # the quarter's end, not 2026-10-31
    assert burn_window(document.to_dict()) == "2026-07..2026-09"  # the quarter's months
    assert document.covers() == "Q3 2026, as of 2026-09-30"
