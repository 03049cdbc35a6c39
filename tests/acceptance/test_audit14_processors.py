"""A bank export beside Stripe's, as an outside tester built them (issue 14; their hand-worked
figures are tests/data/audit14/HANDWORKED.md, "gull-rock-charters"; as_of 2026-11-20):

- bank/Chase4821_Activity_20261104.CSV: Chase's activity download (newest first, CRLF, a
  trailing comma on every row) whose four "ORIG CO NAME:STRIPE ... TRANSFER" credits (943.21,
  1,528.72, 1,064.90, 621.14) are Stripe's payouts;
- stripe/Itemized_balance_change_from_activity_...csv: Stripe's balance_change_from_activity
  .itemized.3 with ``automatic_payout_id`` (every field quoted, lowercase currency), no payout
  rows (that report lists activity only);
- stripe/Itemized_payouts_...csv: payouts.itemized.3 (payout_id, effective_at, ...,
  balance_transaction_id, ..., payout_expected_arrival_date, payout_status).

Hand-worked: revenue Sep $972.00 and Oct $3,715.00 (Stripe gross with the refund, plus the $400
check deposit), $4,687.00 in all; Stripe fees Sep $28.79, Oct $100.24; expenses Oct $1,462.64;
the payouts are transfers, not income (double counted, Oct revenue would read $7,251.83); cash is
the bank's: October's net burn is -$2,574.43 (8,000.00 on 9/30 to 10,574.43 on 10/31), and
September, before the Chase export starts, has no burn of its own.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from execbrief.cli import cli

DATA = Path(__file__).parent.parent / "data" / "audit14"
BANK = "bank/Chase4821_Activity_20261104.CSV"
ACTIVITY = "stripe/Itemized_balance_change_from_activity_USD_2026-09-30_to_2026-10-31.csv"
PAYOUTS = "stripe/Itemized_payouts_USD_2026-10-01_to_2026-11-04.csv"

HEAD = """
[portfolio]
name = "Lindqvist Ventures"
currency = "USD"
as_of = 2026-11-20

[delivery]
transport = "outbox"
sender = "reports@lindqvist.example"
outbox = "outbox"

[reports.cfo]
to = ["founder@lindqvist.example"]
[reports.accounting]
to = ["books@lindqvist.example"]

[[entities]]
id = "gull-rock-charters"
name = "Gull Rock Charters"
kind = "charter"
"""

#: docs/formats.md, "Reconciling deposits": the bank export and the Stripe balance export, one list.
RECIPE = HEAD + f'\n[entities.ledger]\npaths = ["{BANK}", "{ACTIVITY}"]\n'
#: the tester's variant/v2.toml: the same two files as two ledger tables.
TWO_TABLES = (
    HEAD + f'\n[[entities.ledger]]\npath = "{BANK}"\n\n[[entities.ledger]]\npath = "{ACTIVITY}"\n'
)
#: the tester's tree: the bank, then both Stripe exports (no layout named).
BOTH_EXPORTS = (
    HEAD
    + f'\n[[entities.ledger]]\npath = "{BANK}"\n'
    + 'default_accounts = { money_in = "Income:Charters", money_out = "Expenses:Operating" }\n'
    + f'\n[[entities.ledger]]\npaths = ["{ACTIVITY}", "{PAYOUTS}"]\n'
)


def tree(tmp_path: Path, config: str) -> Path:
    for name in (BANK, ACTIVITY, PAYOUTS):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DATA / name, tmp_path / name)
    (tmp_path / "portfolio.toml").write_text(config)
    return tmp_path / "portfolio.toml"


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def build(config: Path, report: str) -> str:
    """The text report with its lines joined (wrapping is layout, not content)."""
    code, output = run("build", "--report", report, "--jobs", "1", "-c", str(config))
    assert code == 0, output
    return " ".join(output.split())


def collected(config: Path) -> dict:  # type: ignore[type-arg]
    code, output = run("collect", "--json", "-c", str(config))
    assert code == 0, output
    return json.loads(output)


def ledger_result(snapshot: dict) -> dict:  # type: ignore[type-arg]
    return next(r for r in snapshot["results"] if r["kind"] == "ledger")


@pytest.mark.parametrize(
    "config", [RECIPE, TWO_TABLES, BOTH_EXPORTS], ids=["recipe", "two-tables", "both-exports"]
)
def test_item1_revenue_is_counted_once_by_the_documented_recipe(
    tmp_path: Path, config: str
) -> None:
    path = tree(tmp_path, config)
    ledger = ledger_result(collected(path))
    assert ledger["errors"] == []  # every payout matched a Chase credit, none said twice
    txns = [r for r in ledger["records"] if r["type"] == "transaction"]
    transfers = sorted(t["amount"]["amount"] for t in txns if t["account_type"] == "asset")
    # the four STRIPE credits are transfers from the Stripe balance: cash in, not income
    assert transfers == ["-1064.90", "-1528.72", "-621.14", "-943.21"]
    cfo = build(path, "cfo")
    assert "Revenue $4,687 Expenses $1,491.43 Net $3,195.57" in cfo
    # the hand-worked months: revenue, expenses (Stripe's fees among them) and net
    assert "2026-09 $972 $28.79 $943.21 2026-10 $3,715 $1,462.64 $2,252.36" in cfo
    assert "Revenue ▁█ 2026-09 $972 → 2026-10 $3,715" in cfo  # not $7,251.83
    assert "Expenses ▁█ 2026-09 $28.79 → 2026-10 $1,462.64" in cfo
    accounting = build(path, "accounting")
    # Chase's 10 running balances: the first is where the cash starts, so 9 were checked
    # (audit14b finding 8)
    assert "The books reconcile: Gull Rock Charters: 9 balance assertions" in accounting
    # what the matching did is said as checked: the four credits are the payouts, counted once
    assert (
        "Gull Rock Charters: 4 Stripe payouts ($4,157.97) matched to bank deposits, so the "
        "income is counted once, from Stripe's sales" in accounting
    )


def test_item1_no_payout_ids_is_said_loudly_and_not_reconciled(tmp_path: Path) -> None:
    # The same activity export downloaded without its automatic_payout_id column (Stripe lets
    # the columns be picked): nothing ties a charge to the bank's STRIPE credit.
    path = tree(tmp_path, RECIPE)
    rows = list(csv.reader(io.StringIO((DATA / ACTIVITY).read_text())))
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(r[:-1] for r in rows)
    assert rows[0][-1] == "automatic_payout_id"
    (tmp_path / ACTIVITY).write_text(out.getvalue())
    ledger = ledger_result(collected(path))
    said = [e["message"] for e in ledger["errors"]]
    assert len(said) == 1
    assert ledger["errors"][0]["provenance"]["source"] == BANK  # the first unmatched credit
    assert "4 bank credit(s) naming Stripe (4157.97 in all, the first on 2026-10-02)" in said[0]
    assert ACTIVITY in said[0] and "counted twice" in said[0]
    assert "Itemized payouts" in said[0] and "automatic_payout_id" in said[0]
    accounting = build(path, "accounting")
    assert "The books reconcile" not in accounting
    assert "counted twice" in accounting
    # a warning that skipped no row is not worded as rows skipped (it read "1 ledger row(s)
    # skipped and not checked"), and no payout is said matched
    assert "skipped" not in accounting and "matched to bank deposits" not in accounting
    assert f"Gull Rock Charters: {BANK}:12: 4 bank credit(s) naming Stripe" in accounting


def test_item2_the_payouts_export_is_recognised_as_stripe_payouts(tmp_path: Path) -> None:
    path = tree(tmp_path, BOTH_EXPORTS)
    mappings = ledger_result(collected(path))["mappings"]
    assert [m["layout"] for m in mappings] == ["chase", "stripe-balance", "stripe-payouts"]
    folder = tmp_path / "fresh"
    for name in (ACTIVITY, PAYOUTS):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(DATA / name, folder / name)
    code, output = run("init", str(folder))
    assert code == 0, output
    written = (folder / "portfolio.toml").read_text()
    payouts_part = written[written.index(f'path = "{PAYOUTS}"') :]
    assert payouts_part.split("\n")[1] == 'layout = "stripe-payouts"'
    activity_part = written[written.index(f'path = "{ACTIVITY}"') :]
    assert activity_part.split("\n")[1] == 'layout = "stripe-balance"'


def test_item3_stripe_lines_move_no_cash(tmp_path: Path) -> None:
    path = tree(tmp_path, BOTH_EXPORTS)
    txns = [r for r in ledger_result(collected(path))["records"] if r["type"] == "transaction"]
    stripe = [t for t in txns if t["provenance"]["source"].startswith("stripe/")]
    assert len(stripe) == 13 and not any(t["cash"] for t in stripe)  # 7 sales/refund + 6 fees
    cfo = build(path, "cfo")
    # October alone is the burn window: cash in 400 + 3,536.83 of payouts, out 1,362.40
    assert "Net burn (3 mo) -$2,574.43/mo" in cfo
    assert "Gross burn (3 mo) $1,362.40/mo" in cfo
    assert "Net burn (average) -$2,574.43/mo" in cfo
    assert "$28.79/mo" not in cfo and "-$943.21" not in cfo  # September's Stripe lines
    assert "Cash $11,097.07" in cfo


#: The tester's Stripe exports alone, no bank: the payouts go to a bank the portfolio does not list.
STRIPE_ONLY = HEAD + f'\n[[entities.ledger]]\npaths = ["{ACTIVITY}", "{PAYOUTS}"]\n'


def test_a_stripe_only_entity_says_why_its_burn_is_unknown(tmp_path: Path) -> None:
    # docs/metrics.md: a processor's lines move no cash, so its export alone gives no burn: its
    # fees, refunds and payouts are not what the business spent from the bank. The portfolio read
    # "burning $0/mo" and charted a net burn of $0 a month; the entity a bare "unknown, no cash
    # balance and no complete month of ledger lines" (it has two months of lines).
    path = tree(tmp_path, STRIPE_ONLY)
    cfo = build(path, "cfo")
    why = "burn needs a bank or books ledger; only a Stripe export was given"
    assert f"Portfolio cash unknown; burn and runway unknown: {why}." in cfo
    assert f"Gull Rock Charters Cash unknown Runway unknown, {why}" in cfo
    assert "$0/mo" not in cfo and "Net burn ▅" not in cfo
    assert "Gull Rock Charters: monthly revenue and expenses" in cfo
    assert "Revenue ▁█ 2026-09 $972 → 2026-10 $3,315" in cfo  # the P&L is still the export's
    ceo = build(path, "ceo")
    assert f"burn and runway unknown: {why}." in ceo


def test_a_stripe_only_entity_has_no_break_even_or_margins_built_on_its_fees(
    tmp_path: Path,
) -> None:
    # Its only expenses are Stripe's fees ($129.03): the break-even table read "Fixed/mo $0",
    # "Revenue to break even $0" and "Revenue for 15% margin $0", the P&L "Net margin 97%" and
    # the KPI framework "Net margin 96.99%" and "Contribution margin 96.99%", each cited.
    path = tree(tmp_path, STRIPE_ONLY)
    cfo = build(path, "cfo")
    part = cfo[cfo.index("Break-even and monthly revenue targets") :]
    part = part[: part.index("Measured over")]
    why = "needs a bank or books ledger; only a Stripe export was given"
    assert f"Break-even unknown, break-even {why}" in part
    assert "$0" not in part and "Fixed/mo" not in part and "Revenue to break even" not in part
    assert "Revenue/mo now $2,143.50" in part  # the revenue is the export's: measured, kept
    pnl = cfo[cfo.index("P&L by entity") : cfo.index("Portfolio by month")]
    assert "Net margin 97%" not in pnl and "%" not in pnl.split("Accrual basis")[0]
    assert "Net margin unknown for Gull Rock Charters (so the portfolio's is too)" in pnl
    ceo = build(path, "ceo")
    assert "96.99%" not in ceo and "97%" not in ceo
    assert f"Net margin Status unknown Value unknown, net margin {why}" in ceo
    assert f"Contribution margin Status unknown Value unknown, contribution margin {why}" in ceo
    assert f"Cash runway Status unknown Value unknown, cash runway {why}" in ceo


#: A second entity, a bank export of its own beside the Stripe-only one.
MIXED = (
    STRIPE_ONLY
    + '\n[[entities]]\nid = "tern-hauling"\nname = "Tern Hauling"\nkind = "hauling"\n'
    + f'\n[[entities.ledger]]\npath = "{BANK}"\n'
    + 'default_accounts = { money_in = "Income:Jobs", money_out = "Expenses:Operating" }\n'
)


def test_a_portfolio_burn_says_it_leaves_out_the_entity_whose_burn_is_unknown(
    tmp_path: Path,
) -> None:
    # The portfolio's burn is Tern Hauling's alone (Gull Rock's is unknown); its runway said
    # "not burning; cash unknown for Gull Rock Charters" and its summary "not burning: cash grew
    # $2.6K/mo on average (...)." with nothing left out.
    path = tree(tmp_path, MIXED)
    cfo = build(path, "cfo")
    left = "cash and burn unknown for Gull Rock Charters"
    assert "Lindqvist Ventures Cash $11,097.07 Net burn (3 mo) -$2,574.43/mo" in cfo
    assert f"Runway not burning; {left} Net burn (average) -$2,574.43/mo" in cfo
    assert f"Runway at the average not burning; {left}" in cfo
    assert (
        "Portfolio cash $11.1K; not burning: cash grew $2.6K/mo on average (1-month average, "
        f"2026-10; months ranged -$2.6K to -$2.6K); {left}." in cfo
    )
    assert "cash unknown for Gull Rock Charters" not in cfo.replace(left, "")
    assert "Tern Hauling [" in cfo and "Runway not burning Net burn (average)" in cfo
    # September has no cash line in any entity: no burn of its own, not a month of $0 burn
    assert "Net burn ▅ 2026-10 -$2,574.43" in cfo and "Net burn █▁ 2026-09 $0" not in cfo
    ceo = build(path, "ceo")
    assert f"{left}." in ceo
