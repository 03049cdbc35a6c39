"""Follow-ups from a tester's run of issue 16: `--strict` on check and build, `check --expect`
saying when nothing is missing, the CI fingerprint key being the local one, and the ledger's
hint for a bank export naming the layouts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner

from execbrief.cli import cli

PORTFOLIO = """
[portfolio]
name = "Strict Co"
currency = "USD"

[delivery]
transport = "outbox"
outbox = "outbox"

[reports.cfo]
to = ["owner@example.com"]

[[entities]]
id = "alpha"
name = "Alpha"
kind = "other"
ledger = "{ledger}"
"""
GOOD = "date,account,amount\n2026-11-02,Income:Sales,500\n2026-11-03,Expenses:Fuel,-40\n"
# an unknown bank's download: one signed amount per row, no account column
BANK = "Date,Description,Amount\n11/02/2026,CARD PURCHASE,-40.00\n"


def portfolio(root: Path, ledger: str, text: str) -> str:
    root.mkdir(parents=True, exist_ok=True)
    (root / ledger).write_text(text)
    (root / "portfolio.toml").write_text(PORTFOLIO.format(ledger=ledger))
    return str(root / "portfolio.toml")


def test_build_strict_exits_1_on_a_source_error_and_check_takes_the_flag(tmp_path: Path) -> None:
    good = portfolio(tmp_path / "good", "books.csv", GOOD)
    bad = portfolio(tmp_path / "bad", "books.csv", GOOD + "2026-11-04,Expenses:Fuel,oops\n")
    env = {"COLUMNS": "80"}
    args = ["--as-of", "2026-11-20", "--report", "cfo", "--out"]
    plain = CliRunner().invoke(cli, ["build", "-c", bad, *args, str(tmp_path / "a")], env=env)
    assert plain.exit_code == 0, plain.output
    strict = ["build", "-c", bad, *args, str(tmp_path / "b"), "--strict"]
    result = CliRunner().invoke(cli, strict, env=env)
    assert result.exit_code == 1 and "(--strict)" in result.stderr
    assert (tmp_path / "b" / "cfo.txt").is_file()  # the reports are still written
    fine = ["build", "-c", good, *args, str(tmp_path / "c"), "--strict"]
    assert CliRunner().invoke(cli, fine, env=env).exit_code == 0
    checked = ["check", "-c", bad, "--as-of", "2026-11-20", "--strict"]
    assert CliRunner().invoke(cli, checked, env=env).exit_code == 1
    assert "--strict" in CliRunner().invoke(cli, ["check", "--help"]).output


def test_check_expect_says_in_one_line_when_nothing_is_missing(tmp_path: Path) -> None:
    config = portfolio(tmp_path, "books.csv", GOOD)
    env = {"COLUMNS": "80", "EXECBRIEF_SENDER": "reports@example.com"}
    sent = CliRunner().invoke(cli, ["send", "-c", config, "--as-of", "2026-11-20"], env=env)
    assert sent.exit_code == 0, sent.output
    result = CliRunner().invoke(
        cli, ["check", "-c", config, "--as-of", "2026-11-20", "--expect", "monthly"], env=env
    )
    assert result.exit_code == 0, result.output
    assert "every expected monthly report was sent to every recipient (cfo)" in " ".join(
        result.stdout.split()
    )


def test_the_ci_fingerprint_key_is_the_local_key_file(tmp_path: Path, monkeypatch: Any) -> None:
    from execbrief.config import load_config
    from execbrief.pipeline import fingerprint_key
    from execbrief.plugins import get_registry

    path = Path(portfolio(tmp_path, "books.csv", GOOD))
    config = load_config(path, get_registry().option_models())
    local = fingerprint_key(config)  # made on first use
    text = (tmp_path / ".execbrief" / "fingerprint.key").read_text()
    monkeypatch.setenv("EXECBRIEF_FINGERPRINT_KEY", text.strip())
    assert fingerprint_key(config) == local
    monkeypatch.delenv("EXECBRIEF_FINGERPRINT_KEY")
    printed = (
        CliRunner().invoke(cli, ["schedule", "-c", str(config.path), "--print", "github"]).output
    )
    assert "LOCAL key" in printed and "fingerprint.key" in printed


def test_a_bank_export_without_accounts_is_pointed_at_the_layouts(tmp_path: Path) -> None:
    config = portfolio(tmp_path, "bank.csv", BANK)
    result = CliRunner().invoke(
        cli, ["check", "-c", config, "--as-of", "2026-11-20"], env={"COLUMNS": "80"}
    )
    said = " ".join(result.output.replace("│", " ").split())  # a cell's lines, not its borders
    assert result.exit_code == 1
    assert 'layout = "<name>"' in said and "chase" in said and 'sign = "bank"' in said
    assert "Export layouts" in said
