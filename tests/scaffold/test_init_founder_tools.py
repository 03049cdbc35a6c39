"""`init` on a founder's tree whose exports are named after the tool, not the business: a Toggl
export joins the business whose note mentions Toggl, a Chase download the one whose note names
its Chase account, a tool folder the business whose note mentions it; recognised exports are
written with their catalogue layout, and a bookings sheet that lacks a required column says
which. The exports are laid out as the tools write them (headers from the layout catalogue's
references, src/execbrief/sources/layouts.py)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli

NOTES = {
    "ridgeline-consulting.md": "# Ridgeline Consulting — handoff\n\nLast updated: 2026-11-20\n\n"
    "## Money\n\n- Cash: $42,000\n\n## Tasks\n\n1. Move timesheets from Toggl to Harvest\n",
    "tidewater-kayak.md": "# Tidewater Kayak Tours — handoff\n\nUpdated: 2026-11-18\n\n"
    "## Money\n\n- **Cash on hand:** $18,250 (Chase checking, Nov 15)\n\n## Open items\n\n"
    "- [ ] Fix the booking bot Lambda timeouts\n",
}
# Toggl Track detailed export (layouts.py, "toggl")
TOGGL = (
    "User,Email,Client,Project,Task,Description,Billable,Start date,Start time,End date,"
    "End time,Duration,Tags,Amount (USD)\n"
    "Priya Shah,priya@ridgeline.example,Harbor Freight Co-op,Ops audit,,Interviews,Yes,"
    "2026-10-05,09:00:00,2026-10-05,12:30:00,03:30:00,,525.00\n"
    "Priya Shah,priya@ridgeline.example,Harbor Freight Co-op,Ops audit,,Report draft,Yes,"
    "2026-11-24,13:00:00,2026-11-24,17:00:00,04:00:00,,600.00\n"
)
# Chase activity download: a trailing comma on every row, newest first (layouts.py, "chase")
CHASE = (
    "Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #\n"
    'DEBIT,11/28/2026,"GUSTO PAYROLL 112826 PPD ID: 1234567890",-2850.00,ACH_DEBIT,18250.14,,\n'
    'CREDIT,11/26/2026,"STRIPE TRANSFER ST-X9Y8Z7 PPD ID: 4270465600",1640.50,ACH_CREDIT,'
    "21100.14,,\n"
)
# Google Forms responses download: Timestamp, then one column per question (no id, no status)
FORM = (
    "Timestamp,Name,Tour date,Party size,How did you hear about us?\n"
    "9/14/2026 10:22:31,Jamie Roberts,9/20/2026,4,Google\n"
)
LAMBDA = 'def lambda_handler(event, context):\n    return {"statusCode": 200}\n'


def founder_tree(root: Path, bot_under_site: bool = False) -> Path:
    for name, text in NOTES.items():
        (root / "agent_handoffs/projects").mkdir(parents=True, exist_ok=True)
        (root / "agent_handoffs/projects" / name).write_text(text)
    files = {
        "timesheets/Toggl_time_entries_2026-10-01_to_2026-11-30.csv": TOGGL,
        "exports/chase/Chase1234_Activity_20261130.CSV": CHASE,
        "bookings/tidewater-kayak-bookings.csv": FORM,
        "sites/tidewaterkayak.com/index.html": "<html><title>Tidewater</title></html>\n",
    }
    bot = "sites/tidewaterkayak.com/tools/booking-bot" if bot_under_site else "tools/booking-bot"
    files[f"{bot}/lambda_function.py"] = LAMBDA
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def init(root: Path) -> tuple[dict, str]:
    result = CliRunner().invoke(cli, ["init", str(root)])
    assert result.exit_code == 0, result.output
    text = (root / "portfolio.toml").read_text()
    return tomllib.loads(text), text


def test_tool_exports_and_tool_folders_join_the_business_whose_note_names_them(
    tmp_path: Path,
) -> None:
    config, text = init(founder_tree(tmp_path))
    by_id = {e["id"]: e for e in config["entities"]}
    assert set(by_id) == {"ridgeline-consulting", "tidewater-kayak"}  # no "entries-to", no "bot"
    ridgeline, tidewater = by_id["ridgeline-consulting"], by_id["tidewater-kayak"]
    assert ridgeline["timesheets"]["layout"] == "toggl"
    assert tidewater["ledger"] == {
        "path": "exports/chase/Chase1234_Activity_20261130.CSV",
        "layout": "chase",
    }
    assert tidewater["code"] == "tools/booking-bot"
    assert "Found but not placed" not in text
    # the sheet without a status column is named with what it lacks
    assert "bookings/tidewater-kayak-bookings.csv: looks like bookings" in text
    assert "has no column for status" in text


def test_a_tool_folder_under_a_site_belongs_to_the_sites_business(tmp_path: Path) -> None:
    config, _ = init(founder_tree(tmp_path, bot_under_site=True))
    by_id = {e["id"]: e for e in config["entities"]}
    assert "bot" not in by_id
    assert by_id["tidewater-kayak"]["code"] == "sites/tidewaterkayak.com/tools/booking-bot"


def test_the_written_config_checks_and_builds_with_no_hand_edit(tmp_path: Path) -> None:
    founder_tree(tmp_path)
    init(tmp_path)
    config = str(tmp_path / "portfolio.toml")
    env = {"COLUMNS": "80"}
    checked = CliRunner().invoke(cli, ["check", "-c", config, "--as-of", "2026-12-02"], env=env)
    assert checked.exit_code == 0, checked.output
    said = " ".join(checked.output.split())
    assert "(layout chase)" in said and "(layout toggl)" in said
    built = CliRunner().invoke(
        cli,
        ["build", "-c", config, "--as-of", "2026-12-02", "--out", str(tmp_path / "r"), "--strict"],
        env=env,
    )
    assert built.exit_code == 0, built.output
    assert (tmp_path / "r" / "cfo.txt").is_file()
