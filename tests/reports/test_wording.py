"""Lines outside testers found wrong in reports on their own portfolio, each built from a small
portfolio laid out like theirs and checked for the exact text."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.values import counted, with_article

LAMBDA = """import json


def lambda_handler(event, context):
    body = json.loads(event.get("body") or "{}")
    return {"statusCode": 200, "body": json.dumps({"ok": True, "name": body.get("name")})}
"""

# the handoff note's figures table, as the tester's note wrote it
NOTE = """# Tidewater Kayak Tours

## Figures

| Figure | Value |
|---|---|
| Email list size | 640 |
"""

BOOKINGS = """Timestamp,Name,Tour date,Party size,How did you hear about us?,Booking ID,Status
9/14/2026 10:22:31,Jamie Roberts,9/20/2026,4,Google,TK-101,confirmed
10/02/2026 08:10:00,Sam Lee,10/10/2026,2,Instagram,TK-102,completed
"""

TOML = """[portfolio]
name = "Kayak"
currency = "USD"
as_of = "2026-12-01"

[[entities]]
id = "kayak"
name = "Tidewater Kayak Tours"
kind = "other"
handoff = "note.md"
bookings = { path = "bookings.csv", date_format = "%m/%d/%Y", columns = { created = "Timestamp", service_date = "Tour date", channel = "How did you hear about us?" } }

[[entities]]
id = "bot"
name = "Bot"
kind = "other"
code = "bot"
"""


def _portfolio(root: Path) -> Path:
    (root / "bot").mkdir()
    (root / "bot" / "lambda_function.py").write_text(LAMBDA)
    (root / "note.md").write_text(NOTE)
    (root / "bookings.csv").write_text(BOOKINGS)
    (root / "portfolio.toml").write_text(TOML)
    return root / "portfolio.toml"


def _build(config: Path, report: str) -> str:
    result = CliRunner().invoke(
        cli,
        ["build", "-c", str(config), "--report", report, "--jobs", "1"],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())


def test_counts_and_articles_agree_with_their_nouns() -> None:
    assert [counted(1, "endpoint"), counted(2, "endpoint"), counted(0, "spend")] == [
        "1 endpoint",
        "2 endpoints",
        "0 spends",
    ]
    assert [counted(1, "entry"), counted(3, "entry"), counted(2, "day")] == [
        "1 entry",
        "3 entries",
        "2 days",
    ]
    assert [with_article("other"), with_article("consultancy")] == ["an other", "a consultancy"]


def test_cto_counts_one_endpoint_in_the_singular(tmp_path: Path) -> None:
    cto = _build(_portfolio(tmp_path), "cto")
    assert "1 endpoint found; 1 check no caller." in cto
    assert "1 file and 6 lines read; 1 endpoint, 1 without a caller check." in cto
    assert "1 endpoints" not in cto


def test_cmo_does_not_deny_an_email_list_the_note_states(tmp_path: Path) -> None:
    cmo = _build(_portfolio(tmp_path), "cmo")
    assert "No email list found" not in cmo
    assert (
        "Tidewater Kayak Tours: an email list is known, but no booking value (no bookings with "
        "an amount, no average booking value in the notes or the config) to model a blast's "
        "revenue."
    ) in cmo


def test_accounting_without_any_ledger_says_nothing_could_be_checked(tmp_path: Path) -> None:
    accounting = _build(_portfolio(tmp_path), "accounting")
    assert "every balance assertion matches" not in accounting
    assert (
        "Nothing could be checked: no ledger holds a balance assertion (a statement balance) "
        "and no deposits were found to compare."
    ) in accounting
    assert "a standard account for a other business" not in accounting


def test_a_negative_burn_is_worded_as_cash_growing() -> None:
    from decimal import Decimal

    from execbrief.analysis.finance.wording import burn_text
    from execbrief.values import Money, MoneyRange

    def usd(amount: str) -> Money:
        return Money(Decimal(amount), "USD")

    assert burn_text(MoneyRange(usd("-2536.63"), usd("-113.98"))) == "cash grew $113.98–2,536.63/mo"
    assert burn_text(MoneyRange(usd("-1325.31"), usd("-1325.31"))) == "cash grew $1,325.31/mo"
    assert burn_text(MoneyRange(usd("1200"), usd("1500"))) == "net burn $1,200–1,500"


def test_the_full_report_keeps_every_digit_of_a_range_and_the_brief_rounds_it() -> None:
    from decimal import Decimal

    from execbrief.renderers.formatting import format_brief_value, format_value
    from execbrief.values import Cadence, Money, MoneyRange

    monthly = MoneyRange(
        Money(Decimal(170), "USD"), Money(Decimal(1750), "USD"), cadence=Cadence.MONTH
    )
    assert format_value(monthly) == "$170–1,750/mo"
    assert format_brief_value(monthly) == "$170–1.8K/mo"


def test_since_last_report_full_digits_and_a_percent_that_would_cross_the_threshold() -> None:
    from decimal import Decimal

    from execbrief.document import KeyFigure
    from execbrief.findings import Metric
    from execbrief.history.deltas import figure_change, moved
    from execbrief.values import Money

    def cash(amount: str) -> Metric:
        return Metric("finance.cash", "Cash", Money(Decimal(amount), "USD"))

    assert moved(cash("38000"), cash("45123.45"), Decimal(10)) == (
        "Cash: up $7,123.45 (19%) ($38,000 → $45,123.45)"
    )
    # a key figure's change is shown whatever its size: 9.76% under a 10% threshold reads
    # "9.8%", since "10%" would say it crossed
    old, new = cash("100"), cash("109.76")
    assert figure_change(old, KeyFigure(new), Decimal(10)) == "up $10 (9.8%)"
    assert figure_change(old, KeyFigure(new), Decimal(5)) == "up $10 (10%)"


def test_a_forecast_with_no_reserve_says_its_floor_as_a_sentence() -> None:
    # audit30: "Opens with $26,054.50 on hand. never below zero." (an entity not burning)
    from types import SimpleNamespace

    from execbrief.reports.forecastblocks import _floor_words
    from execbrief.values import Money

    steady = SimpleNamespace(reserve=None, weeks=(), zero=Money(0), opening=Money("26054.50"))
    assert _floor_words(steady) == "Never below zero."  # type: ignore[arg-type]
