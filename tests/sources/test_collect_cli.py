"""``execbrief collect``: the table, --json, --strict, and what the demo's JSON must never hold."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli
from kits.files import EXAMPLES, write

PORTFOLIO = """
[portfolio]
name = "Test Holdings"
stale_after_days = 30

[[entities]]
id = "alpha"
name = "Alpha"
kind = "other"
ledger = "alpha.csv"

[[entities]]
id = "beta"
name = "Beta"
kind = "other"
ledger = ["beta.csv", "gone.csv"]
"""

ALPHA = """date,account,amount,memo,type
2026-11-01,Assets:Checking,1000,Opening balance,opening
2026-11-02,Income:Rent,500,,
2026-11-18,Expenses:Fuel,100,,
"""

BETA = """date,account,amount
2026-09-01,Income:Rent,200
2026-09-02,Expenses:Fuel,oops
"""


def portfolio(tmp_path: Path) -> Path:
    write(tmp_path, "alpha.csv", ALPHA)
    write(tmp_path, "beta.csv", BETA)
    return write(tmp_path, "portfolio.toml", PORTFOLIO)


def run(*args: str, columns: str = "120") -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["collect", *args], catch_exceptions=False, env={"COLUMNS": columns}
    )
    return result.exit_code, result.output


def test_collect_table_shows_counts_ranges_age_and_errors(tmp_path: Path) -> None:
    code, out = run("-c", str(portfolio(tmp_path)), "--as-of", "2026-11-20")
    assert code == 0
    assert "Test Holdings: sources as of 2026-11-20" in out
    rows = {
        line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
        for line in out.splitlines()
        if line.startswith("│")
    }
    # alpha: 2 transactions + opening + closing; newest line 2026-11-18
    assert rows["alpha"] == ["ledger", "4", "2026-11-01", "2026-11-18", "2d", "ok"]
    assert rows["beta"] == [
        "ledger",
        "1",
        "2026-09-01",
        "2026-09-01",
        "80d",
        "stale >30d, 2 errors, 1 rows skipped",
    ]
    assert "error beta ledger: gone.csv: no such file or folder" in out
    assert "warning beta ledger: beta.csv:3: 1 row skipped: line 3: bad amount 'oops'" in out


def test_collect_fits_80_columns(tmp_path: Path) -> None:
    code, out = run("-c", str(portfolio(tmp_path)), "--as-of", "2026-11-20", columns="80")
    assert code == 0
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "2026-11-18" in out and "error beta ledger:" in out  # "from" is left out, not "to"


def test_collect_strict_exits_1_on_errors_or_stale(tmp_path: Path) -> None:
    assert run("-c", str(portfolio(tmp_path)), "--as-of", "2026-11-20", "--strict")[0] == 1
    clean = tmp_path / "clean"
    write(clean, "alpha.csv", ALPHA)
    write(clean, "portfolio.toml", PORTFOLIO.split('[[entities]]\nid = "beta"')[0])
    assert run("-c", str(clean / "portfolio.toml"), "--as-of", "2026-11-20", "--strict")[0] == 0
    assert (
        run("-c", str(clean / "portfolio.toml"), "--as-of", "2027-03-01", "--strict")[0] == 1
    )  # stale


def test_collect_json_is_the_snapshot(tmp_path: Path) -> None:
    code, out = run("-c", str(portfolio(tmp_path)), "--as-of", "2026-11-20", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["portfolio"] == "Test Holdings" and data["as_of"] == "2026-11-20"
    alpha, beta = data["results"]
    assert [r["type"] for r in alpha["records"]] == [
        "transaction",
        "transaction",
        "cash_balance",
        "cash_balance",
    ]
    assert alpha["records"][0]["amount"]["amount"] == "500"
    assert alpha["records"][0]["provenance"]["line"] == 3
    assert beta["freshness"]["stale"] is True and beta["freshness"]["age_days"] == 80
    assert [e["provenance"]["source"] for e in beta["errors"]] == ["gone.csv", "beta.csv"]


def test_collect_bad_config_exits_2(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "portfolio.toml",
        PORTFOLIO.replace(
            'ledger = "alpha.csv"', 'ledger = { path = "alpha.csv", sign = "upside-down" }'
        ),
    )
    code, out = run("-c", str(path))
    assert code == 2 and "entities[0].ledger" in out


def test_demo_json_holds_no_secret_and_no_subscriber_address(example_portfolio: Path) -> None:
    # a copy: collecting makes the fingerprint key file next to the store, never in the package
    code, out = run("-c", str(example_portfolio), "--as-of", "2026-11-20", "--json")
    assert code == 0
    assert not (EXAMPLES / ".execbrief").exists()
    secrets = []
    for line in (EXAMPLES / "repos.env").read_text(encoding="utf-8").splitlines():
        key, sep, value = line.partition("=")
        value = value.strip().strip("'\"")
        if sep and not key.lstrip().startswith("#") and len(value) >= 8:
            secrets.append(value)
    assert secrets, "repos.env should hold fake secrets"
    leaked = [s[:6] + "..." for s in secrets if s in out]
    assert leaked == []
    with (EXAMPLES / "subscribers" / "harbor-list.csv").open(encoding="utf-8") as handle:
        addresses = {
            cell.strip().lower()
            for row in csv.reader(handle)
            for cell in row
            if re.fullmatch(r"\S+@\S+\.\S+", cell.strip())
        }
    assert len(addresses) > 3000
    found = set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", out.lower()))
    assert found & addresses == set()
    ledgers = [r for r in json.loads(out)["results"] if r["kind"] == "ledger"]
    assert len(ledgers) == 7 and all(r["errors"] == [] for r in ledgers)
