"""`execbrief init` on three trees laid out differently: the demo's, a founder's `repos/` tree
and a flat folder of exports. Each config it writes is accepted by `check` and builds every
report with no hand edit; the tests assert which sources and mappings it found."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from execbrief.cli import cli

EXAMPLE = Path(__file__).parents[2] / "src" / "execbrief" / "examples" / "harbor"
AS_OF = "2026-11-20"

#: Chase's account-activity CSV as its site writes it (header "Details,Posting Date,Description,
#: Amount,Type,Balance,Check or Slip #", US dates, money out negative, the running balance after
#: each line); the same layout as tests/sources/test_ledger.py's bank export, with its title lines.
CHASE = (
    "Account activity for CHECKING ...4417\n"
    "Exported 2026-11-19\n"
    "\n"
    "Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #\n"
    "CREDIT,09/02/2026,CLIENT PAYMENT PELICAN,4800.00,ACH_CREDIT,16800.00,\n"
    "DEBIT,09/05/2026,OFFICE RENT,-1200.00,ACH_DEBIT,15600.00,\n"
    "DEBIT,09/14/2026,GOOGLE WORKSPACE,-85.00,DEBIT_CARD,15515.00,\n"
    "CREDIT,10/02/2026,CLIENT PAYMENT GULL ROCK,2600.00,ACH_CREDIT,18115.00,\n"
    "DEBIT,10/05/2026,OFFICE RENT,-1200.00,ACH_DEBIT,16915.00,\n"
    "DEBIT,10/21/2026,CHECK 1042,-300.00,CHECK_PAID,16615.00,1042\n"
    "CREDIT,11/03/2026,CLIENT PAYMENT PELICAN,3900.00,ACH_CREDIT,20515.00,\n"
    "DEBIT,11/05/2026,OFFICE RENT,-1200.00,ACH_DEBIT,19315.00,\n"
)

#: Stripe's itemized Balance report ("Balance change from activity", itemized download), the
#: leading columns in the order docs.stripe.com/reports/balance lists them: times in UTC with a
#: clock, net signed as the balance moves (a payout or fee negative).
STRIPE = (
    "balance_transaction_id,created_utc,created,available_on_utc,available_on,currency,gross,"
    "fee,net,reporting_category,source_id,description\n"
    "txn_1A,2026-09-03 15:02:11,2026-09-03 11:02:11,2026-09-05 00:00:00,2026-09-05 00:00:00,"
    "usd,620.00,-18.28,601.72,charge,ch_1A,Charter BK-2001\n"
    "txn_1B,2026-09-12 18:40:00,2026-09-12 14:40:00,2026-09-14 00:00:00,2026-09-14 00:00:00,"
    "usd,480.00,-14.22,465.78,charge,ch_1B,Charter BK-2002\n"
    "txn_1C,2026-09-15 00:05:00,2026-09-14 20:05:00,2026-09-15 00:05:00,2026-09-14 20:05:00,"
    "usd,-1067.50,0.00,-1067.50,payout,po_1C,STRIPE PAYOUT\n"
    "txn_1D,2026-10-04 16:20:00,2026-10-04 12:20:00,2026-10-06 00:00:00,2026-10-06 00:00:00,"
    "usd,750.00,-22.05,727.95,charge,ch_1D,Charter BK-2003\n"
    "txn_1E,2026-10-20 13:00:00,2026-10-20 09:00:00,2026-10-20 13:00:00,2026-10-20 09:00:00,"
    "usd,-120.00,0.00,-120.00,refund,re_1E,Refund BK-2002 partial\n"
    "txn_1F,2026-11-02 17:45:00,2026-11-02 13:45:00,2026-11-04 00:00:00,2026-11-04 00:00:00,"
    "usd,540.00,-15.96,524.04,charge,ch_1F,Charter BK-2004\n"
)

#: Harvest's detailed time export, its leading columns as the unseen acceptance portfolio's
#: (tests/data/unseen/timesheets/brightline-harvest.csv) copy of Harvest's layout.
HARVEST = (
    "Date,Client,Project,Task,Notes,Hours,Billable?,Invoiced?,First Name,Billable Rate\n"
    "2026-09-10,Pelican Marina,Yard flow,Consulting,Discovery,20.0,Yes,Yes,Tom,150.00\n"
    "2026-10-15,Gull Rock Fisheries,Pricing review,Consulting,,12.0,Yes,No,Tom,150.00\n"
    "2026-11-02,Pelican Marina,Yard flow,Consulting,,6.0,Yes,No,Ana,120.00\n"
)
INVOICES = (
    "Invoice No,Customer,Invoice Date,Due Date,Total,Date Paid\n"
    "AC-2026-011,Pelican Marina,2026-09-01,2026-10-01,4800.00,2026-09-02\n"
    "AC-2026-012,Gull Rock Fisheries,2026-10-01,2026-10-31,2600.00,2026-10-02\n"
    "AC-2026-013,Pelican Marina,2026-11-01,2026-12-01,3900.00,\n"
)
#: Mailchimp's audience export (subscribed_members), its leading columns.
MAILCHIMP = (
    "Email Address,First Name,Last Name,MEMBER_RATING,OPTIN_TIME,OPTIN_IP,CONFIRM_TIME\n"
    "guest01@example.net,Ann,Lee,2,2026-05-01 10:00:00,,2026-05-01 10:01:00\n"
    "guest02@example.net,Bo,Kim,3,2026-06-11 12:00:00,,2026-06-11 12:02:00\n"
)
BOOKINGS = (
    "Booking #,Created At,Trip Date,Status,Total,Deposit Paid,Source,Guest Name\n"
    "BK-2001,2026-08-20,2026-09-03,Completed,620.00,150.00,Website,Ann Lee\n"
    "BK-2002,2026-09-01,2026-09-12,Completed,480.00,120.00,GetMyBoat,Bo Kim\n"
    "BK-2003,2026-09-25,2026-10-04,Completed,750.00,200.00,Website,Cy Dunn\n"
    "BK-2004,2026-10-20,2026-11-02,Completed,540.00,100.00,Phone,Di Ross\n"
    "BK-2005,2026-11-10,2026-12-01,Quote sent,600.00,,Website,Ed Fox\n"
)
NOTE = """---
entity: {name}
owner: Sam Reyes
updated: 2026-11-10
---
# {name} — handoff

## Money
- Revenue: about $3K/mo
- Burn: ~$1.5K/mo
"""
LAMBDA = '''import json
import os


def lambda_handler(event, context):
    """Take a booking request and queue it."""
    table = os.environ["TABLE_NAME"]
    return {"statusCode": 200, "body": json.dumps({"table": table})}
'''
SITE = (
    "<!doctype html><html><head><title>{name}</title></head><body><h1>{name}</h1></body></html>\n"
)
#: A fake key in the shared env file: init must never copy it into portfolio.toml.
ENV = "STRIPE_SECRET_KEY=sk_live_51FAKEinitNEVERcopiesTHISvalue000000000000\nTABLE_NAME=bookings\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def init(root: Path) -> dict:
    result = CliRunner().invoke(cli, ["init", str(root)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(root / "portfolio.toml")  # the result; the rest on stderr
    assert (
        "lines marked GUESS to check" in result.stderr and "next: execbrief check" in result.stderr
    )
    return tomllib.loads((root / "portfolio.toml").read_text(encoding="utf-8"))


def check_and_build(root: Path) -> list[str]:
    config = str(root / "portfolio.toml")
    checked = CliRunner().invoke(cli, ["check", "-c", config, "--as-of", AS_OF])
    assert checked.exit_code == 0, checked.output
    out = root / "out"
    built = CliRunner().invoke(cli, ["build", "-c", config, "--as-of", AS_OF, "--out", str(out)])
    assert built.exit_code == 0, built.output
    return sorted(p.stem for p in out.iterdir())


def by_id(config: dict) -> dict[str, dict]:
    return {entity["id"]: entity for entity in config["entities"]}


ALL_REPORTS = ["accounting", "billing", "ceo", "cfo", "cmo", "cto", "operations", "rental"]


def test_the_demo_tree_gives_the_demo_config(tmp_path: Path) -> None:
    root = tmp_path / "harbor"
    shutil.copytree(EXAMPLE, root)
    (root / "portfolio.toml").unlink()
    entities = by_id(init(root))
    assert sorted(entities) == [
        "blue-passage", "clean-sweep", "crewboard", "dockside-loft", "harbor-charters",
        "sunset-sails", "tidewater-labs",
    ]  # fmt: skip
    harbor = entities["harbor-charters"]
    assert harbor["name"] == "Harbor Charters" and harbor["kind"] == "charter"
    assert harbor["ledger"] == "ledgers/harbor-charters.csv"
    assert harbor["bookings"] == "bookings/harbor-charters.csv"
    assert harbor["subscribers"] == "subscribers/harbor-list.csv"  # 'harbor' joins by name
    assert harbor["code"] == "code/harbor-charters"
    assert harbor["site"] == "sites/harbor-charters"
    assert harbor["aws"] == {"cur_export": "billing/harbor-charters-cur.csv"}
    assert "env" not in harbor  # .env files no name claims are [shared]
    shared = tomllib.loads((root / "portfolio.toml").read_text())["shared"]
    assert shared == {"env": ["repos.env", "fixtures/stripe-sample.env"]}
    sweep = entities["clean-sweep"]
    assert sweep["kind"] == "hauling"
    # the bank export: a header no alias covers is mapped, the sign and the bare category
    # guessed, and the opening balance read off the running balance (the demo's own figure)
    assert sweep["ledger"] == {
        "path": "ledgers/clean-sweep.csv",
        "columns": {"date": "Posted Date"},
        "date_format": "%m/%d/%Y",
        "sign": "bank",
        "account_types": {"Dump Fees": "expense"},
        "opening_balance": {
            "date": __import__("datetime").date(2025, 10, 3),
            "amount": "27462.00",
            "account": "Assets:Checking",
        },
    }
    assert sweep["bookings"] == {"path": "bookings/clean-sweep.csv", "date_format": "%m/%d/%Y"}
    assert entities["tidewater-labs"]["kind"] == "consultancy"
    assert entities["tidewater-labs"]["timesheets"] == "timesheets/tidewater-labs.csv"
    assert entities["blue-passage"]["trips"] == "trips/blue-passage.csv"
    assert entities["dockside-loft"]["kind"] == "rental"
    text = (root / "portfolio.toml").read_text(encoding="utf-8")
    assert "# ledgers/clean-sweep.csv: account <- 'Category'; amount <- 'Amount (USD)'" in text
    assert "GUESS (ledgers/clean-sweep.csv) columns: date is 'Posted Date'" in text
    assert check_and_build(root) == ALL_REPORTS


def founder_tree(root: Path) -> Path:
    return write(
        root,
        {
            "agent_handoffs/README.md": "# How we write handoffs\n",
            "agent_handoffs/projects/harbor-charters.md": NOTE.format(name="Harbor Charters"),
            "agent_handoffs/projects/tidewater-labs.md": NOTE.format(name="Tidewater Labs"),
            "sites/harborcharters.com/index.html": SITE.format(name="Harbor Charters"),
            "sites/harborcharters.com/tools/booking/lambda_function.py": LAMBDA,
            "sites/tidewaterlabs.io/index.html": SITE.format(name="Tidewater Labs"),
            "sites/tidewaterlabs.io/tools/intake/lambda_function.py": LAMBDA,
            "repos.env": ENV,
            "finance/harbor-charters/stripe-balance.csv": STRIPE,
            "finance/harbor-charters/bookings.csv": BOOKINGS,
            "finance/tidewater-labs/chase-checking.csv": CHASE,
            "finance/tidewater-labs/harvest-time.csv": HARVEST,
            "finance/tidewater-labs/invoices.csv": INVOICES,
        },
    )


def test_a_founders_repos_tree(tmp_path: Path) -> None:
    root = founder_tree(tmp_path / "repos")
    entities = by_id(init(root))
    assert sorted(entities) == ["harbor-charters", "tidewater-labs"]
    harbor = entities["harbor-charters"]
    assert harbor["handoff"] == "agent_handoffs/projects/harbor-charters.md"
    assert harbor["site"] == "sites/harborcharters.com"  # the domain joins the note's name
    assert harbor["code"] == "sites/harborcharters.com/tools/booking"
    assert "env" not in harbor  # the shared .env is [shared]: read once, attributed by code
    assert tomllib.loads((root / "portfolio.toml").read_text())["shared"] == {"env": "repos.env"}
    assert harbor["bookings"] == "finance/harbor-charters/bookings.csv"
    # Stripe's balance export: a catalogued layout now (gross, fees and payouts read as they are)
    ledger = harbor["ledger"]
    assert ledger == {
        "path": "finance/harbor-charters/stripe-balance.csv",
        "layout": "stripe-balance",
    }
    tide = entities["tidewater-labs"]
    assert tide["kind"] == "consultancy"
    assert tide["code"] == "sites/tidewaterlabs.io/tools/intake"
    assert tide["timesheets"] == {  # a catalogued export is written with its layout
        "path": "finance/tidewater-labs/harvest-time.csv",
        "layout": "harvest",
    }
    assert tide["invoices"] == "finance/tidewater-labs/invoices.csv"
    # the catalogue's layout reads the Chase download (sign, dates, its running balance)
    assert tide["ledger"] == {
        "path": "finance/tidewater-labs/chase-checking.csv",
        "layout": "chase",
    }
    text = (root / "portfolio.toml").read_text(encoding="utf-8")
    assert "sk_live" not in text and "FAKEinit" not in text  # the env file is named, never read
    assert "README" not in text
    assert "Itemized balance change from activity (CSV): layout 'stripe-balance'" in text
    assert "header on line 4 (the lines above are skipped)" in text
    assert check_and_build(root) == ALL_REPORTS


def test_a_flat_folder_of_exports(tmp_path: Path) -> None:
    root = write(
        tmp_path / "acme-consulting",
        {
            "handoff.md": NOTE.format(name="Acme Consulting"),
            "Chase4417_Activity_20261119.CSV".lower(): CHASE,
            "harvest_time_report_2026.csv": HARVEST,
            "invoices-2026.csv": INVOICES,
            "subscribed_members_export.csv": MAILCHIMP,
            "notes.txt": "not a table\n",
        },
    )
    config = init(root)
    assert config["portfolio"]["name"] == "Acme Consulting"
    (entity,) = config["entities"]
    assert entity["id"] == "acme-consulting" and entity["name"] == "Acme Consulting"
    assert entity["kind"] == "consultancy"
    assert entity["handoff"] == "handoff.md"
    assert entity["ledger"]["path"] == "chase4417_activity_20261119.csv"
    assert entity["timesheets"] == {"path": "harvest_time_report_2026.csv", "layout": "harvest"}
    assert entity["invoices"] == "invoices-2026.csv"
    assert entity["subscribers"] == {"path": "subscribed_members_export.csv", "layout": "mailchimp"}
    assert check_and_build(root) == ALL_REPORTS


def test_init_never_overwrites(tmp_path: Path) -> None:
    root = founder_tree(tmp_path / "repos")
    (root / "portfolio.toml").write_text("# mine\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["init", str(root)])
    assert result.exit_code == 2
    assert "exists and is never overwritten" in result.stderr
    assert (root / "portfolio.toml").read_text(encoding="utf-8") == "# mine\n"


@pytest.mark.parametrize("cells,fmt", [(["03/11/2026", "25/11/2026"], "%d/%m/%Y")])
def test_day_first_dates_are_told_by_a_day_above_12(cells: list[str], fmt: str) -> None:
    from execbrief.scaffold.tables import guess_date_format

    assert guess_date_format(cells).fmt == fmt
    assert not guess_date_format(["03/11/2026"]).certain
