"""Forecast against what happened, through three real `execbrief send` runs to the outbox.

Wren Studio (consultancy, execbrief's own ledger CSV and invoice register, docs/formats.md): rent
1,000 on the 5th, software 50 on the 12th; invoices W-1 and W-2 were paid on their due dates (lag
0 days), W-3 (2,000, due 2026-09-14) is open on 2026-08-31.

Run 1, as of 2026-08-31: the forecast's weeks 1-4 are 09-01..07 (rent -1,000), 09-08..14 (software
-50, W-3 +2,000: net +1,950), 09-15..21 (0), 09-22..28 (0).

Run 2, as of 2026-09-30, after September's lines (rent 09-05, software 09-12, W-3 paid late on
09-20): the actual net movement of those weeks is -1,000, -50, +2,000, 0; errors (actual -
forecast) 0, -2,000, +2,000, 0; mean absolute weekly error 4,000 / 4 = 1,000; added up 0. Run 1's
week 5 (09-29..10-05) has not ended, so it is not compared.

Run 3, as of 2026-10-31, compares run 2's forecast (not run 1's): weeks 10-01..07 (rent -1,000
forecast and actual), 10-08..14 (-50 and -50), then two empty weeks: every error 0.

The error is a stored figure of its own: run 2 states it for the first time ($1,000), run 3 at $0,
and run 3's "Since last report" compares the two: down $1,000, 100%. It is one of the brief's key
figures.
"""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli

CONFIG = """\
[portfolio]
name = "Wren Holdings"

[delivery]
transport = "outbox"
sender = "reports@wren.example"
outbox = "outbox"

[reports.cfo]
to = ["cfo@wren.example"]
attach = ["markdown"]

[[entities]]
id = "wren"
name = "Wren Studio"
kind = "consultancy"
ledger = "ledgers/wren.csv"
invoices = "invoices/wren.csv"
"""
LEDGER = """\
date,account,amount,memo,counterparty,reference,type
2026-06-01,Assets:Checking,10000.00,Opening balance,,,opening
2026-06-05,Expenses:Rent,1000.00,Studio rent,Landlord,,
2026-06-12,Expenses:Software,50.00,Design tool,Figma,,
2026-07-05,Expenses:Rent,1000.00,Studio rent,Landlord,,
2026-07-12,Expenses:Software,50.00,Design tool,Figma,,
2026-07-15,Income:Design,1500.00,Invoice W-1,Heron Co,W-1,
2026-08-05,Expenses:Rent,1000.00,Studio rent,Landlord,,
2026-08-12,Expenses:Software,50.00,Design tool,Figma,,
2026-08-14,Income:Design,1500.00,Invoice W-2,Heron Co,W-2,
"""
SEPTEMBER = """\
2026-09-05,Expenses:Rent,1000.00,Studio rent,Landlord,,
2026-09-12,Expenses:Software,50.00,Design tool,Figma,,
2026-09-20,Income:Design,2000.00,Invoice W-3,Heron Co,W-3,
"""
OCTOBER = """\
2026-10-05,Expenses:Rent,1000.00,Studio rent,Landlord,,
2026-10-12,Expenses:Software,50.00,Design tool,Figma,,
"""
INVOICES = """\
number,client,issued,due,amount,paid_on
W-1,Heron Co,2026-06-15,2026-07-15,1500.00,2026-07-15
W-2,Heron Co,2026-07-15,2026-08-14,1500.00,2026-08-14
W-3,Heron Co,2026-08-15,2026-09-14,2000.00,{paid}
"""


def write(root: Path, ledger: str, paid: str = "") -> None:
    (root / "ledgers").mkdir(parents=True, exist_ok=True)
    (root / "invoices").mkdir(parents=True, exist_ok=True)
    (root / "portfolio.toml").write_text(CONFIG)
    (root / "ledgers" / "wren.csv").write_text(ledger)
    (root / "invoices" / "wren.csv").write_text(INVOICES.format(paid=paid))


def send(runner: CliRunner, root: Path, as_of: str) -> EmailMessage:
    """Run `execbrief send`; the one CFO mail it wrote."""
    outbox = root / "outbox"
    before = set(outbox.glob("*.eml")) if outbox.is_dir() else set()
    result = runner.invoke(cli, ["send", "-c", str(root / "portfolio.toml"), "--as-of", as_of])
    assert result.exit_code == 0, result.output
    (path,) = sorted(set(outbox.glob("*.eml")) - before)
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def full_report(message: EmailMessage) -> str:
    for part in message.iter_attachments():
        if (part.get_filename() or "").endswith(".md"):
            return str(part.get_content())
    raise AssertionError("no markdown full report attached")


def checked_weeks(message: EmailMessage, title: str) -> list[list[str]]:
    """The rows of the table titled ``title`` in the mailed full report (cells stripped)."""
    text = full_report(message)
    assert title in text, text[-3000:]
    table = text.split(title, 1)[1]
    rows = []
    for line in table.splitlines()[1:]:
        if not line.strip():
            if rows:
                break
            continue
        if line.startswith("|") and not set(line) <= set("|-: "):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            rows.append(cells[:5])  # the sixth column holds the source notes
    return rows[1:]  # without the heading row


def body(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return " ".join(str(part.get_content()).split())


def test_run_two_sets_run_one_forecast_against_what_happened(tmp_path: Path) -> None:
    runner = CliRunner()
    write(tmp_path, LEDGER)
    first = send(runner, tmp_path, "2026-08-31")
    assert "Last forecast against what happened" not in full_report(first)

    write(tmp_path, LEDGER + SEPTEMBER, paid="2026-09-20")
    second = send(runner, tmp_path, "2026-09-30")
    title = "Wren Studio: forecast of 2026-08-31 against actual cash movement (in - out)"
    assert checked_weeks(second, title) == [
        ["1", "2026-09-07", "-$1,000", "-$1,000", "$0"],
        ["2", "2026-09-14", "$1,950", "-$50", "-$2,000"],
        ["3", "2026-09-21", "$0", "$2,000", "$2,000"],
        ["4", "2026-09-28", "$0", "$0", "$0"],
    ]
    report = full_report(second)
    assert "Mean absolute weekly error $1,000 over 4 weeks; actual - forecast $0." in report
    assert (
        "The forecast of 2026-08-31 was off by $1K a week on average over 4 weeks; "
        "$0 more cash moved than forecast." in body(second)
    )

    write(tmp_path, LEDGER + SEPTEMBER + OCTOBER, paid="2026-09-20")
    third = send(runner, tmp_path, "2026-10-31")
    title = "Wren Studio: forecast of 2026-09-30 against actual cash movement (in - out)"
    assert checked_weeks(third, title) == [
        ["1", "2026-10-07", "-$1,000", "-$1,000", "$0"],
        ["2", "2026-10-14", "-$50", "-$50", "$0"],
        ["3", "2026-10-21", "$0", "$0", "$0"],
        ["4", "2026-10-28", "$0", "$0", "$0"],
    ]
    assert "forecast of 2026-08-31" not in full_report(third)
    assert "The forecast of 2026-09-30 was off by $0 a week on average over 4 weeks" in body(third)


def since_last_report(message: EmailMessage) -> str:
    """The full report's "Figures that moved" of "Since last report"."""
    text = full_report(message)
    return text.split("### Figures that moved", 1)[1].split("###", 1)[0]


def key_figures(message: EmailMessage) -> str:
    text = body(message)
    return text.split("KEY FIGURES", 1)[1].split("SINCE LAST REPORT", 1)[0]


def test_the_forecast_error_is_a_stored_figure_compared_run_to_run(tmp_path: Path) -> None:
    runner = CliRunner()
    write(tmp_path, LEDGER)
    first = send(runner, tmp_path, "2026-08-31")
    assert "Forecast error" not in full_report(first)

    write(tmp_path, LEDGER + SEPTEMBER, paid="2026-09-20")
    second = send(runner, tmp_path, "2026-09-30")
    assert "Forecast error a week, portfolio $1K [" in key_figures(second)
    assert "- **Forecast error (mean absolute, a week):** $1,000 [" in full_report(second)
    assert "Forecast error (mean absolute, a week): first stated: $1,000" in since_last_report(
        second
    )

    write(tmp_path, LEDGER + SEPTEMBER + OCTOBER, paid="2026-09-20")
    third = send(runner, tmp_path, "2026-10-31")
    assert "Forecast error a week, portfolio $0 (down $1K (100%))" in key_figures(third)
    assert (
        "Forecast error (mean absolute, a week): down $1,000 (100%) ($1,000 → $0)"
        in since_last_report(third)
    )
    # one entity: its error is the portfolio's, stated once
    assert full_report(third).count("**Forecast error (mean absolute, a week):**") == 1
