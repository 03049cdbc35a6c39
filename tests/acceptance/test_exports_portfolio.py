"""Acceptance (issue 14): a portfolio of seven real tools' exports, each laid out as the tool
writes it (tests/data/exports/, copied from tests/data/layouts/ where the layouts are sourced),
read with no column mapping, builds every report with no silent misread.

| entity | kind | exports (layout) |
| --- | --- | --- |
| puffin-charters | charter | Chase checking activity (newest first, running `Balance`); a Google Forms responses sheet (no id column, `Timestamp` with a time, `Party size`, "How did you hear about us?"); Mailchimp subscribed and unsubscribed exports |
| gannet-advisory | consultancy | Bank of America statement (summary block, `Running Bal.`); Toggl detailed time entries (no rate, no invoice column) |
| heron-consulting | consultancy | Harvest detailed time report (`Invoiced?` Yes/No) |

Figures worked by hand (as of 2026-11-20):

- Puffin cash: the Chase running balance of the last date, 2026-10-30: $10,450; by the
  transactions, 9,000 (the 10-01 close, the anchor) + 620 + 1,940 - 200 - 310 - 600 = 10,450, so
  every per-date assertion (10-02 9,620; 10-15 9,110; 10-28 11,050; 10-30 10,450) holds.
  October revenue 620 + 1,940 = 2,560, expenses 450 + 200 + 310 + 600 = 1,560.
- Gannet cash: Bank of America opening 5,000 + 1,200 - 250 - 500 = $5,450 (the last Running Bal.).
- Portfolio cash 10,450 + 5,450 = $15,900; October revenue 2,560 + 1,200 = 3,760, expenses
  1,560 + 750 = 2,310.
- Puffin bookings: 4 form rows, ids "row 2".."row 5", each one unit (party sizes 6, 4, 2, 5 are
  not units); channels referral (Friend), google_business (Google), referral (Word of mouth),
  instagram. Booked or completed: rows 2 and 4, 772 + 700 = 1,472.
- Puffin subscribers: 3 opted in (subscribed file), 1 not (the unsubscribed file has UNSUB_TIME).
- Gannet billing: 10.5 billable h (3 + 2.5 + 4 + 1), valued at the derived rates 450 + 375 + 480 +
  120 = $1,425; the export has no invoice column, so unbilled value and realisation are unknown,
  never $0 or 0%.
- Heron billing: billable 2.0 h invoiced (Yes) + 3.5 h not (No) at $150 = $525 unbilled.
"""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from execbrief.cli import cli

DATA = Path(__file__).resolve().parents[1] / "data" / "exports"
AS_OF = "2026-11-20"
REPORTS = ("ceo", "cfo", "cto", "cmo", "accounting", "rental", "operations", "billing")


def _run(*args: str) -> Any:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("exports") / "exports"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns(".execbrief", "outbox"))
    return root / "portfolio.toml"


@pytest.fixture(scope="module")
def runs(portfolio: Path) -> dict[str, Any]:
    cfg = str(portfolio)
    out: dict[str, Any] = {}
    commands = {
        "check": ["check", "-c", cfg, "--as-of", AS_OF, "--json"],
        "collect": ["collect", "-c", cfg, "--as-of", AS_OF, "--json"],
        **{r: ["build", "-c", cfg, "--as-of", AS_OF, "--report", r] for r in REPORTS},
        **{
            f"{r}.json": ["build", "-c", cfg, "--as-of", AS_OF, "--format", "json", "--report", r]
            for r in REPORTS
        },
    }
    for name, args in commands.items():
        result = _run(*args)
        out[name] = (result.exit_code, result.stdout)
    return out


def _records(collect: dict[str, Any], entity: str, kind: str) -> list[dict[str, Any]]:
    return [
        record
        for result in collect["results"]
        if result["entity"] == entity
        for record in result["records"]
        if record["type"] == kind
    ]


def test_every_source_reads_clean_and_every_layout_is_recognised(runs: dict[str, Any]) -> None:
    code, text = runs["check"]
    check = json.loads(text)
    assert code == 0 and check["problems"] == []
    layouts = {(m["entity"], m["file"].split("/")[0], m["layout"]) for m in check["mappings"]}
    assert layouts == {
        ("puffin-charters", "bank", "chase"),
        ("puffin-charters", "forms", "google-forms"),
        ("puffin-charters", "lists", "mailchimp"),
        ("gannet-advisory", "bank", "bank-of-america"),
        ("gannet-advisory", "time", "toggl"),
        ("heron-consulting", "time", "harvest"),
    }
    form = next(m for m in check["mappings"] if m["layout"] == "google-forms")
    assert form["fields"]["id"] == "(row number)" and "Party size" in form["ignored"]
    collect = json.loads(runs["collect"][1])
    assert all("mappings" in r for r in collect["results"])


def test_cash_comes_from_the_running_balances(runs: dict[str, Any]) -> None:
    collect = json.loads(runs["collect"][1])
    for entity, cash in (("puffin-charters", "10450.00"), ("gannet-advisory", "5450.00")):
        balances = _records(collect, entity, "cash_balance")
        closing = [b for b in balances if b["kind"] == "closing"]
        assert [b["balance"]["amount"] for b in closing] == [cash]
        assertions = [b for b in balances if b["kind"] == "assertion"]
        # each checked against the transactions (the earliest is Chase's anchor: nothing to check)
        checked = [b for b in assertions if b["computed"] is not None]
        assert len(checked) == 4 if entity == "puffin-charters" else 3
        assert all(b["computed"] == b["balance"] for b in checked)
    cfo = runs["cfo"][1]
    assert "Portfolio cash $15.9K" in cfo and "$10,450" in cfo and "$5,450" in cfo
    assert "revenue $3.8K, expenses $2.3K" in cfo


def test_bookings_count_charters_not_people(runs: dict[str, Any]) -> None:
    bookings = _records(json.loads(runs["collect"][1]), "puffin-charters", "booking")
    assert [(b["id"], b["units"], b["channel"]) for b in bookings] == [
        ("row 2", 1, "referral"),
        ("row 3", 1, "google_business"),
        ("row 4", 1, "referral"),
        ("row 5", 1, "instagram"),
    ]
    booked = [b for b in bookings if b["status"] in ("booked", "completed")]
    assert sum(Decimal(b["amount"]["amount"]) for b in booked) == Decimal(1472)


def test_subscribers_from_mailchimp_per_status_files(runs: dict[str, Any]) -> None:
    counts = _records(json.loads(runs["collect"][1]), "puffin-charters", "subscriber_counts")
    assert [(c["unique"], c["opted_in"]) for c in counts] == [(3, 3), (1, 0)]


def test_billing_says_unknown_never_zero(runs: dict[str, Any]) -> None:
    code, billing = runs["billing"]
    assert code == 0
    assert "Gannet Advisory: unbilled value unknown (the export has no invoice column); 10.5" in (
        " ".join(billing.split())
    )
    assert "Heron Consulting: $525 of work is logged but not invoiced (3.5 h)." in " ".join(
        billing.split()
    )
    assert "Gannet Advisory: $0 of work" not in billing
    doc = json.loads(runs["billing.json"][1])
    metrics = [
        m
        for section in doc["sections"]
        for block in section["blocks"]
        if block["type"] == "metrics"
        for m in block["metrics"]
    ]
    gannet = {m["id"] for m in metrics if m["entity"] == "gannet-advisory"}
    assert "billing.unbilled" not in gannet and "billing.realisation" not in gannet
    assert "Unbilled work by client and month" in billing


def test_every_report_builds_and_says_how_the_exports_were_read(runs: dict[str, Any]) -> None:
    # each report's note names the files its figures come from: the booking form's headcount
    # where bookings are read (the CFO's forecast reads them), the Toggl rate where time is
    party = {"ceo", "cfo", "cmo", "accounting"}
    rate = {"ceo", "billing"}
    for name in REPORTS:
        code, text = runs[name]
        assert code == 0, (name, text[-400:])
        assert ("How the exports were read:" in text) == (name in party | rate), name
        flat = " ".join(text.split())
        assert ("'Party size' is a headcount, not units" in flat) == (name in party), name
        assert ("rate = amount ÷ hours" in flat) == (name in rate), name


def test_a_report_built_from_stale_sources_says_so_in_one_line(portfolio: Path) -> None:
    """Item 5: as of 2026-12-20 the Toggl log (newest 2026-11-03, 47 days) and the Harvest report
    (newest 2026-10-10, 71 days) are over the 45-day limit: the billing brief says so once."""
    result = _run("build", "-c", str(portfolio), "--as-of", "2026-12-20", "--report", "billing")
    assert result.exit_code == 0
    flat = " ".join(result.stdout.split())
    line = (
        "Stale sources: gannet-advisory timesheets is 47 days old, heron-consulting "
        "timesheets is 71 days old; figures from them may be out of date."
    )
    assert flat.count(line) == 1
    cfo = " ".join(_run("build", "-c", str(portfolio), "--as-of", "2026-12-20", "--report", "cfo")
                   .stdout.split())  # fmt: skip
    # the CFO's forecast reads the bookings too, so their age is said beside the ledgers'
    assert (
        "puffin-charters ledger is 51 days old, puffin-charters bookings is 48 days old, "
        "gannet-advisory ledger is 61 days old"
    ) in cfo
