"""The 13-week forecast of a portfolio an outside tester wrote from the docs alone (Tideline
Holdings: Gull Charters with bookings and a budget, Keel Consulting with invoices), worked by hand
week by week (tests/data/audit19/HANDWORKED.md), replayed as they ran it: three real
`execbrief send` runs to the outbox, as of 2026-09-30, 10-31 and 11-30, each on the files as they
stood then (tests/data/audit19/snapshots/runN). The only change to their portfolio.toml: the CFO
mail also attaches the full report as text, which the assertions read.

Every figure below is the tester's, from HANDWORKED.md (footnote numbers are not asserted). Run 2's
gull weeks 5..13 follow the doc's lead-time rule (31.5 days = 4 weeks 3.5 days: 4 weeks), where
the tool first used 5.
"""

from __future__ import annotations

import email
import email.policy
import re
import shutil
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from execbrief.cli import cli

DATA = Path(__file__).parent.parent / "data" / "audit19"
RUNS = (("run1", "2026-09-30"), ("run2", "2026-10-31"), ("run3", "2026-11-30"))


def _config(root: Path) -> Path:
    config = root / "portfolio.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text.replace("[reports.cfo]\n", '[reports.cfo]\nattach = ["text"]\n'))
    return config


@pytest.fixture(scope="module")
def mails(tmp_path_factory: pytest.TempPathFactory) -> dict[str, EmailMessage]:
    """Each run's CFO mail, by run; the three sends run in order on one store and outbox."""
    root = tmp_path_factory.mktemp("audit19")
    runner = CliRunner()
    out: dict[str, EmailMessage] = {}
    for run, as_of in RUNS:
        shutil.copytree(DATA / "snapshots" / run, root, dirs_exist_ok=True)
        config = _config(root)
        before = set((root / "outbox").glob("*.eml"))
        result = runner.invoke(cli, ["send", "-c", str(config), "--as-of", as_of])
        assert result.exit_code == 0, result.output
        (path,) = sorted(set((root / "outbox").glob("*.eml")) - before)
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        out[run] = message
    # `build` after the sends reads the stored forecast too (read only)
    built = runner.invoke(
        cli, ["build", "-c", str(root / "portfolio.toml"), "--as-of", RUNS[2][1], "--report", "cfo"]
    )
    assert built.exit_code == 0, built.output
    out["build3"] = built.output  # type: ignore[assignment]
    return out


def full(message: EmailMessage) -> str:
    """The attached full report as text."""
    for part in message.iter_attachments():
        if (part.get_filename() or "").endswith(".txt"):
            return str(part.get_content())
    raise AssertionError("no text full report attached")


def brief(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    return flat(str(part.get_content()))


def flat(text: str) -> str:
    """One line, without footnote marks (wrapping is layout; marks are not the figures)."""
    return " ".join(re.sub(r"\[[\d,…]+\]", "", text).split())


def table(text: str, title: str) -> list[list[str]]:
    """The rows of the grid table titled ``title`` (cells split on two spaces, marks dropped)."""
    lines = text.split(title + "\n", 1)[1].splitlines()
    columns = len(lines[1].split())  # the rule under the heading: one dash run a column
    rows = []
    for line in lines[2:]:
        cells = re.split(r"\s{2,}", re.sub(r"(\s*\[\d+\])+$", "", line).strip())
        if len(cells) != columns:  # the caption, a blank line: the table has ended
            break
        rows.append(cells)
    return rows


def weeks(text: str, name: str) -> list[tuple[int, str, str, str]]:
    """(week, in, out, close) of one 13-week table."""
    rows = table(text, f"{name}: 13-week cash forecast")
    return [(int(r[0]), r[2], r[3], r[4]) for r in rows]


def money(*values: int) -> list[str]:
    return [f"${v:,}" for v in values]


def test_run1_gull_week_by_week(mails: dict[str, EmailMessage]) -> None:
    got = weeks(full(mails["run1"]), "Gull Charters")
    inflows = money(800, 1670, 170, 170, 630, 630, 630, 2370, 630, 630, 630, 630, 630)
    outflows = money(1200, 800, 2400, 3500, 1250, 800, 0, 3500, 1200, 0, 1700, 0, 3500)
    closes = money(21650, 22520, 20290, 16960, 16340, 16170, 16800, 15670, 15100, 15730, 14660)
    closes += money(15290, 12420)
    assert got == list(zip(range(1, 14), inflows, outflows, closes, strict=True))


def test_run1_keel_week_by_week(mails: dict[str, EmailMessage]) -> None:
    got = weeks(full(mails["run1"]), "Keel Consulting")
    inflows = money(3500, 0, 2500, 4000, 1800, 0, 0, 0, 0, 0, 0, 0, 0)
    outflows = money(800, 0, 0, 4000, 0, 800, 1500, 0, 4000, 800, 0, 0, 4000)
    closes = money(14100, 14100, 16600, 16600, 18400, 17600, 16100, 16100, 12100, 11300)
    closes += money(11300, 11300, 7300)
    assert got == list(zip(range(1, 14), inflows, outflows, closes, strict=True))


def test_run1_portfolio_closes_and_reserves(mails: dict[str, EmailMessage]) -> None:
    text = full(mails["run1"])
    closes = [c for _w, _i, _o, c in weeks(text, "Portfolio")]
    assert closes == money(35750, 36620, 36890, 33560, 34740, 33770, 32900, 31770, 27200) + money(
        27030, 25960, 26590, 19720
    )
    said = flat(text)
    assert (
        "Opens with $33,450 on hand. Reserve $27,600 (the sum of the entities' reserves); " in said
    )
    assert "below it in week 9 (ends 2026-12-02); never below zero." in said
    assert (
        "Opens with $22,050 on hand. Reserve $13,200 (3 months × the worst month's net burn $4,400"
        in said
    )
    assert "below it in week 13 (ends 2026-12-30); never below zero." in said
    assert (
        "Opens with $11,400 on hand. Reserve $14,400 (3 months × the worst month's net burn $4,800"
        in said
    )
    assert (
        "already below it on the report date, back above it in week 3 (ends 2026-10-21), below it "
        "again in week 9 (ends 2026-12-02); never below zero." in said
    )


def test_run1_lines_dates_and_assumptions(mails: dict[str, EmailMessage]) -> None:
    said = flat(full(mails["run1"]))
    # the lines of the tester's table, each on its date (the lines table is one block a line)
    for line in (
        "Date 2026-10-01 Kind booking balance Line GC-107 balance, service 2026-09-20 "
        "Amount $630 At risk unpaid since service on 2026-09-20",
        "Date 2026-10-10 Kind loan payment Line First Harbor Bank (Boat Loan), monthly Amount -$800",
        "Date 2026-10-20 Kind bill Line Bayside Boatyard (Repairs) Amount -$2,400",
        "Date 2026-11-01 Kind bill Line Harbor Marina (Rent) Amount -$1,250",
        "Date 2026-11-04 Kind new bookings Line balances of week 1's new bookings Amount $460",
        "Date 2026-12-15 Kind recurring charge Line Coastal Marine Insurance (Insurance), "
        "quarterly Amount -$900",
        "Date 2026-10-01 Kind invoice Line K-007 Meridian Port, due 2026-07-30 +24 days "
        "Amount $3,500 At risk due 2026-07-30, overdue 62 days",
        "Date 2026-10-31 Kind invoice Line K-010 Gull Rock Fisheries, due 2026-10-20 +11 days "
        "Amount $1,800",
    ):
        assert line in said, line
    assert "booking lead time: 30 days" in said
    assert "new bookings' deposits: $170 a week" in said
    assert "new bookings' balances: $460 a week" in said
    assert "payment lag, Meridian Port: 24 days" in said
    assert "payment lag, any other client: 11 days" in said


def test_run1_brief_names_the_first_new_shortfall_and_the_two_at_risk(
    mails: dict[str, EmailMessage],
) -> None:
    said = brief(mails["run1"])
    # Keel is short now (and falls back below its reserve in week 9): said with the cash short
    # now; the first new shortfall is Gull's, week 13
    assert (
        "Cash is already short now (2026-09-30): Keel Consulting $11.4K, below its $14.4K "
        "reserve, forecast back above it in week 3 (ends 2026-10-21), below it again in week 9 "
        "(ends 2026-12-02)." in said
    )
    assert (
        "Cash runs short in week 13 (ends 2026-12-30) at Gull Charters: $12.4K forecast, below "
        "its $13.2K reserve." in said
    )
    assert (
        "Inflows at risk: Keel Consulting K-007 Meridian Port $3.5K (due 2026-07-30, overdue 62 "
        "days); Gull Charters GC-107 balance $630 (unpaid since service on 2026-09-20)." in said
    )


def test_budget_tables_of_the_three_runs(mails: dict[str, EmailMessage]) -> None:
    expected = {
        "run1": [
            ["Gull Charters: Income:Charters", "$2,330", "$3,000", "-$670", "-22.3%"],
            ["Gull Charters: Payroll", "$3,500", "$3,200", "$300", "+9.4%"],
            ["Gull Charters: Fuel", "$330", "$400", "-$70", "-17.5%"],
            ["Gull Charters: Rent", "$1,200", "$1,200", "$0", "+0.0%"],
            ["Gull Charters: Insurance", "$900", "$900", "$0", "+0.0%"],
            ["Gull Charters: Repairs", "$0", "$0", "$0", "—"],
        ],
        "run2": [  # Payroll and Repairs tie at +400: the budget file's order
            ["Gull Charters: Payroll", "$3,600", "$3,200", "$400", "+12.5%"],
            ["Gull Charters: Repairs", "$2,400", "$2,000", "$400", "+20.0%"],
            ["Gull Charters: Income:Charters", "$3,180", "$3,000", "$180", "+6.0%"],
            ["Gull Charters: Fuel", "$280", "$400", "-$120", "-30.0%"],
            ["Gull Charters: Rent", "$1,200", "$1,200", "$0", "+0.0%"],
        ],
        "run3": [
            ["Gull Charters: Payroll", "$3,500", "$3,200", "$300", "+9.4%"],
            ["Gull Charters: Income:Charters", "$2,790", "$3,000", "-$210", "-7.0%"],
            ["Gull Charters: Fuel", "$200", "$400", "-$200", "-50.0%"],
            ["Gull Charters: Rent", "$1,250", "$1,250", "$0", "+0.0%"],
        ],
    }
    months = {"run1": "2026-09", "run2": "2026-10", "run3": "2026-11"}
    for run, rows in expected.items():
        text = full(mails[run])
        assert table(text, f"Budget against actual, {months[run]}") == rows, run
        # Keel has no budget: one line says how to add one
        assert 'No budget for Keel Consulting: add budget = "budgets/ENTITY.csv"' in flat(text)


def test_run2_sets_run1_against_what_happened(mails: dict[str, EmailMessage]) -> None:
    text = full(mails["run2"])
    title = "{}: forecast of 2026-09-30 against actual cash movement (in - out)"
    gull = [r[2:] for r in table(text, title.format("Gull Charters"))]
    assert gull == [
        ["-$400", "-$120", "$280"],
        ["$870", "$420", "-$450"],
        ["-$2,230", "-$1,800", "$430"],
        ["-$3,330", "-$3,600", "-$270"],
    ]
    keel = [r[2:] for r in table(flat_title(text, title.format("Keel Consulting")), "KEEL")]
    assert keel == [
        ["$2,700", "-$800", "-$3,500"],
        ["$0", "$3,500", "$3,500"],
        ["$2,500", "$2,500", "$0"],
        ["$0", "-$4,000", "-$4,000"],
    ]
    errors = [r[4] for r in table(text, title.format("Portfolio"))]
    assert errors == ["-$3,220", "$3,050", "$430", "-$4,270"]
    said = flat(text)
    assert "Mean absolute weekly error $357.50 over 4 weeks; actual - forecast -$10." in said
    assert "Mean absolute weekly error $2,750 over 4 weeks; actual - forecast -$4,000." in said
    assert "Mean absolute weekly error $2,742.50 over 4 weeks; actual - forecast -$4,010." in said
    assert "Forecast error: Portfolio Forecast error (mean absolute, a week) $2,742.50" in said
    assert "Forecast error: Gull Charters Forecast error (mean absolute, a week) $357.50" in said
    assert "Forecast error: Keel Consulting Forecast error (mean absolute, a week) $2,750" in said
    body = brief(mails["run2"])
    assert "Forecast error a week, portfolio $2.7K" in body
    assert "Forecast error (mean absolute, a week): first stated: $2,742.50" in flat(text)


def flat_title(text: str, title: str) -> str:
    """``text`` with a title the renderer wrapped over two lines put back on one, as KEEL."""
    words = title.split()
    pattern = r"\s+".join(re.escape(w) for w in words) + r"\n"
    return re.sub(pattern, "KEEL\n", text, count=1)


def test_run2_forecast_follows_the_doc_lead_time(mails: dict[str, EmailMessage]) -> None:
    text = full(mails["run2"])
    gull = weeks(text, "Gull Charters")
    # weeks 1-4 as worked: -1,030, +470, +1,960, -3,380 from 16,950; below 15,300 in week 4
    assert [c for _w, _i, _o, c in gull[:4]] == money(15920, 16390, 18350, 14970)
    said = flat(text)
    assert "booking lead time: 31.5 days" in said
    # 31.5 days = 4 weeks 3.5 days → 4 weeks: week 1's new bookings' balance, 7,230 ÷ 13 =
    # 556.15, arrives in week 5 (ends 2026-12-05) beside that week's 220 deposits
    assert (
        "Date 2026-12-05 Kind new bookings Line balances of week 1's new bookings Amount $556.15"
        in said
    )
    assert gull[4][1] == "$776.15"
    keel = weeks(text, "Keel Consulting")  # +5,000, +2,200, -1,500, -4,000 from 12,600
    assert [c for _w, _i, _o, c in keel[:4]] == money(17600, 19800, 18300, 14300)


def test_run3_sets_run2_against_what_happened(mails: dict[str, EmailMessage]) -> None:
    text = full(mails["run3"])
    said = flat(text)
    assert "Mean absolute weekly error $245 over 4 weeks; actual - forecast -$980." in said
    assert "Mean absolute weekly error $2,550 over 4 weeks; actual - forecast -$2,200." in said
    assert "Mean absolute weekly error $2,585 over 4 weeks; actual - forecast -$3,180." in said
    title = "Portfolio: forecast of 2026-10-31 against actual cash movement (in - out)"
    assert [r[4] for r in table(text, title)] == ["-$6,020", "-$620", "$3,580", "-$120"]
    body = brief(mails["run3"])
    assert "Forecast error a week, portfolio $2.6K (down $158 (6%))" in body
    assert "Forecast error a week, Gull Charters $245" in body
    assert (
        "The forecast of 2026-10-31 was off by $2.6K a week on average over 4 weeks; $3.2K less "
        "cash moved than forecast." in body
    )


def test_build_after_the_sends_shows_the_last_forecast_against_what_happened(
    mails: dict[str, EmailMessage],
) -> None:
    built = flat(str(mails["build3"]))  # type: ignore[arg-type]
    assert "LAST FORECAST AGAINST WHAT HAPPENED" in built
    assert "Mean absolute weekly error $2,585 over 4 weeks; actual - forecast -$3,180." in built


def test_no_shortfall_names_the_floor(tmp_path: Path) -> None:
    """The tester's variant: run 1 with every reserve set to 1,000."""
    shutil.copytree(DATA / "variants" / "noshort", tmp_path, dirs_exist_ok=True)
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "-c",
            str(tmp_path / "portfolio.toml"),
            "--as-of",
            "2026-09-30",
            "--report",
            "cfo",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "No shortfall in 13 weeks; closest: Keel Consulting, lowest $7.3K in week 13 (ends "
        "2026-12-30) against its $1K reserve." in flat(result.output)
    )
