"""What each reader was mailed says what changed since the last report *they received*.

Seven real `execbrief send` runs to the outbox of a two-business portfolio, with its handoff notes
and ledger changed between them the way a month of work changes them, and every "Since last
report" line of every mail worked out by hand beforehand (the arithmetic is in the comments):

- a quarterly report (2026-Q2) before the monthly ones: the first monthly report is not
  compared with it, and the next quarterly one (2026-Q3) is compared with it alone;
- 2026-08, 2026-09: ledger cash moves (10,600 → 12,000, +13.2%), a figure appears from nothing
  ("not stated → 5%"; one the last report did not carry at all reads "first stated: …"), a
  pipeline fills and its finding is resolved;
- a re-run inside 2026-09 with new bank lines (cash 13,000): its deliveries are skipped, and it
  does not become the basis of October's comparison;
- 2026-10: the books do not reconcile, so the CFO report is held back by the gate; the CEO report
  goes and compares with the September mail (cash 12,000, not the re-run's 13,000), and a figure
  disappears ("$50,000 → not stated");
- 2026-11: the books are fixed; the CFO report compares with September, the last CFO report its
  reader received, not the October one the gate held back.

The ledger is execbrief's own CSV layout (docs/formats.md, "Ledgers"), not a third-party export.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
import textwrap
from email.message import EmailMessage
from pathlib import Path

from click.testing import CliRunner

from execbrief.cli import cli

CONFIG = """
[portfolio]
name = "Kestrel Partners"

[delivery]
transport = "outbox"
sender = "reports@kestrel.example"
outbox = "outbox"

[reports.ceo]
to = ["ceo@kestrel.example"]
attach = ["markdown"]

[reports.cfo]
to = ["cfo@kestrel.example"]
attach = ["markdown"]

[[entities]]
id = "osprey"
name = "Osprey Charters"
kind = "charter"
handoff = "notes/osprey.md"
ledger = "ledgers/osprey.csv"

[[entities]]
id = "tern"
name = "Tern Consulting"
kind = "consultancy"
handoff = "notes/tern.md"
"""

OSPREY = """
# Osprey Charters

## Finances
- Monthly burn: $4,000

## Sales
- Pipeline: 6 leads
{equity}
"""

TERN = """
# Tern Consulting

## Finances
{cash}
- Monthly burn: $10,000

## Sales
- Pipeline: {pipeline}
"""

HEADER = "date,account,amount,memo,counterparty,reference,type\n"
#: Cash: 10,000 on 04-01; each month +1,500 on the 10th and fuel on the 20th.
#: At 2026-09-20: 10,000 + 0 + 0 − 300 + 300 + 200 + 400 = 10,600.
LEDGER_TO_SEPTEMBER = """\
2026-04-01,Assets:Checking,10000.00,Opening balance,,,opening
2026-04-10,Income:Charters,1500.00,Charter,Client A,C1,
2026-04-20,Expenses:Fuel,1500.00,Fuel,Shell,,
2026-05-10,Income:Charters,1500.00,Charter,Client B,C2,
2026-05-20,Expenses:Fuel,1500.00,Fuel,Shell,,
2026-06-10,Income:Charters,1500.00,Charter,Client C,C3,
2026-06-20,Expenses:Fuel,1800.00,Fuel,Shell,,
2026-07-10,Income:Charters,1500.00,Charter,Client D,C4,
2026-07-20,Expenses:Fuel,1200.00,Fuel,Shell,,
2026-08-10,Income:Charters,1500.00,Charter,Client E,C5,
2026-08-20,Expenses:Fuel,1300.00,Fuel,Shell,,
2026-09-10,Income:Charters,1500.00,Charter,Client F,C6,
2026-09-18,Expenses:Fuel,1100.00,Fuel,Shell,,
"""
#: At 2026-10-20: 10,600 − 1,000 + 2,400 = 12,000 (+13.2% on 10,600).
OCTOBER = """\
2026-09-25,Expenses:Fuel,1000.00,Fuel,Shell,,
2026-10-10,Income:Charters,2400.00,Charter,Client G,C7,
"""
#: A late bank line the re-run of September sees: at 2026-10-25, 13,000.
LATE = "2026-10-22,Income:Charters,1000.00,Charter,Client H,C8,\n"
#: October closes at 13,000 − 1,500 = 11,500; November: + 3,000 − 500 = 14,000 at 2026-11-20.
NOVEMBER = """\
2026-10-28,Expenses:Fuel,1500.00,Fuel,Shell,,
2026-10-31,Assets:Checking,{statement},Statement balance,,,balance
2026-11-10,Income:Charters,3000.00,Charter,Client I,C9,
2026-11-15,Expenses:Fuel,500.00,Fuel,Shell,,
"""
#: December: + 1,500 = 15,500 at 2026-12-20.
DECEMBER = "2026-12-10,Income:Charters,1500.00,Charter,Client J,C10,\n"


def write(
    root: Path,
    ledger: str,
    *,
    equity: str = "",
    tern_cash: str = "- Cash on hand: $50,000",
    pipeline: str = "none",
) -> None:
    (root / "notes").mkdir(parents=True, exist_ok=True)
    (root / "ledgers").mkdir(parents=True, exist_ok=True)
    osprey = OSPREY.format(equity=equity)
    tern = TERN.format(cash=tern_cash, pipeline=pipeline)
    (root / "notes" / "osprey.md").write_text(textwrap.dedent(osprey))
    (root / "notes" / "tern.md").write_text(textwrap.dedent(tern))
    (root / "ledgers" / "osprey.csv").write_text(HEADER + ledger)


def send(
    runner: CliRunner, root: Path, as_of: str, *args: str
) -> dict[tuple[str, str], EmailMessage]:
    """Run `execbrief send`; return the mails it wrote to the outbox, by (report, recipient)."""
    outbox = root / "outbox"
    before = set(outbox.glob("*.eml")) if outbox.is_dir() else set()
    result = runner.invoke(
        cli, ["send", "-c", str(root / "portfolio.toml"), "--as-of", as_of, *args]
    )
    assert result.exit_code in (0, 1), result.output
    mails: dict[tuple[str, str], EmailMessage] = {}
    for path in sorted(set(outbox.glob("*.eml")) - before):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        mails[(_attachment(message)[0].split("-")[0], str(message["To"]))] = message
    return mails


def _attachment(message: EmailMessage) -> tuple[str, str]:
    """The mailed full report in markdown: (file name, text)."""
    for part in message.iter_attachments():
        name = part.get_filename() or ""
        if name.endswith(".md"):
            return name, part.get_content()
    raise AssertionError("no markdown full report attached")


def since_last_report(message: EmailMessage) -> dict[str, list[str]]:
    """The "Since last report" section of the mailed full report: its opening paragraph under
    "Compared with", and each list under its title (source-note marks dropped)."""
    section = _attachment(message)[1].split("## Since last report", 1)[1].split("\n## ", 1)[0]
    out: dict[str, list[str]] = {"Compared with": []}
    current = "Compared with"
    for line in (line.strip() for line in section.splitlines()):
        if line.startswith("**") or line.startswith("### "):
            current = line.strip("*# :")
            out[current] = []
        elif line:
            out[current].append(re.sub(r"\s*(\[\d+\])+$", "", line.removeprefix("- ")))
    return {title: items for title, items in out.items() if not title.startswith("Trend")}


def sent_on(runner: CliRunner, root: Path) -> dict[tuple[str, str, str], str]:
    """The day each delivery was sent, by (report, period, recipient), from `history --json`."""
    listed = runner.invoke(cli, ["history", "-c", str(root / "portfolio.toml"), "--json"])
    assert listed.exit_code == 0, listed.output
    return {
        (row["report"], row["period"], row["recipient"]): (row["sent_at"] or "")[:10]
        for row in json.loads(listed.output)
    }


def body(message: EmailMessage) -> str:
    """The mail's text body (the brief), on one line."""
    part = message.get_body(("plain",))
    assert part is not None
    return " ".join(str(part.get_content()).split())


FIRST = ["This is the first report of its kind; there is no earlier one to compare with."]
CEO, CFO, BOARD = "ceo@kestrel.example", "cfo@kestrel.example", "board@kestrel.example"
EQUITY = "\n## Ownership\n- Equity promised: 5% to Sam Ortiz (skipper)"


def compared(title: str, covers: str, sent: str) -> list[str]:
    return [
        f"Compared with the {title} for {covers}, the last one delivered to you (sent {sent});"
        " figures that moved by 10% or more."
    ]


def test_each_mail_compares_with_the_last_report_its_reader_received(tmp_path: Path) -> None:
    runner = CliRunner()
    config = tmp_path / "portfolio.toml"
    config.write_text(CONFIG)

    # 2026-Q2, as of 2026-07-15: the first quarterly reports
    write(tmp_path, LEDGER_TO_SEPTEMBER)
    q2 = send(runner, tmp_path, "2026-07-15", "--period", "2026-Q2")
    assert {key: since_last_report(m)["Compared with"] for key, m in q2.items()} == {
        ("ceo", CEO): FIRST,
        ("cfo", CFO): FIRST,
    }

    # 2026-08: the first monthly reports; a quarter is no basis for a month
    august = send(runner, tmp_path, "2026-09-20")
    assert {key: since_last_report(m)["Compared with"] for key, m in august.items()} == {
        ("ceo", CEO): FIRST,
        ("cfo", CFO): FIRST,
    }

    # 2026-09: new bank lines, an equity promise written down, Tern's pipeline fills
    write(tmp_path, LEDGER_TO_SEPTEMBER + OCTOBER, equity=EQUITY, pipeline="3 leads")
    september = send(runner, tmp_path, "2026-10-20")
    sent = sent_on(runner, tmp_path)
    cfo = since_last_report(september[("cfo", CFO)])
    assert cfo["Compared with"] == compared(
        "CFO report", "August 2026, as of 2026-09-20", sent[("cfo", "2026-08", CFO)]
    )
    # Net burn by month (cash out − in): Jun 300, Jul −300, Aug −200, Sep 1,100 + 1,000 − 1,500
    # = 600. August's window Jun..Aug, September's Jul..Sep.
    assert cfo["Figures that moved"] == [
        "Cash: up $1,400 (13%) ($10,600 → $12,000)",  # 10,600 → 12,000: +13.2%
        # (−300 − 200 + 600) ÷ 3 = 33.33, was (300 − 300 − 200) ÷ 3 = −66.67
        "Net burn, 3-month average: up $100 (150%) (-$66.67/mo → $33.33/mo)",
        "Runway at the average burn: changed from not burning to 360 months",  # 12,000 ÷ 33.33
        # 360 months on; August was not burning, so its report had no such date at all
        "Cash runs out (at the average burn): first stated: 2056-10-19",
        # ranges compare by midpoints: 0 → 150 (from zero: no percentage)
        "Net burn, trailing 3 months: up $150 (-$300 to $300/mo → -$300 to $600/mo)",
        "Net burn, trailing 6 months: up $150 (-$300 to $300/mo → -$300 to $600/mo)",
        # 1,200..1,800 → 1,200..2,100: midpoints 1,500 → 1,650, exactly 10%
        "Gross burn, trailing 3 months: up $150 (10%) ($1,200–1,800/mo → $1,200–2,100/mo)",
        # cash ÷ the highest month: 10,600 ÷ 300 = 35.3 months, then 12,000 ÷ 600 = 20
        "Cash runs out (earliest): changed from 2029-08-30 to 2028-06-19",
        # August (as of 09-20) set the Q2 run's forecast of 07-15 against weeks 1..9 (07-16..
        # 09-16): cash 11,200; fuel is no recurring line (1,500, 1,500, 1,800: one month within
        # 10% of the latest), so the forecast is the known future fuel lines only: -1,200 in
        # week 1 (07-20), -1,300 in week 6 (08-20). Actual: those two, and +1,500 in week 4
        # (08-10) and week 9 (09-10): errors 0,0,0,+1,500,0,0,0,0,+1,500 → 3,000 ÷ 9 = 333.33.
        # September (as of 10-20) sets August's forecast of 09-20 (nothing expected: fuel
        # 1,200 and 1,100 within 10% in two months only, no later lines) against weeks 1..4
        # (09-21..10-18): -1,000 (09-25), 0, +2,400 (10-10), 0 → 3,400 ÷ 4 = 850; +516.67, 155%
        "Forecast error (mean absolute, a week): up $516.67 (155%) ($333.33 → $850)",
    ]
    assert cfo["New findings"] == [
        "[CRITICAL] Rule broken: No equity promised without a signed agreement (Osprey Charters)"
    ]
    assert (cfo["Still open"], cfo["Resolved"]) == (
        ["Nothing carried over."],
        ["Nothing resolved."],
    )
    ceo = since_last_report(september[("ceo", CEO)])
    assert ceo["Figures that moved"] == [
        "Equity promised (Osprey Charters): not stated → 5%",  # a value from nothing
        "Pipeline (Tern Consulting): up 3 leads (0 leads → 3 leads)",
        "Cash: up $1,400 (13%) ($10,600 → $12,000)",
        "Net burn, 3-month average: up $100 (150%) (-$66.67/mo → $33.33/mo)",
        "Runway at the average burn: changed from not burning to 360 months",
    ]
    assert ceo["New findings"] == [
        "[HIGH] Osprey Charters: an equity promise (5%) has no agreement the note mentions"
    ]
    # the missing-KPI findings the report shows are stored and carried too (same notes, same
    # KPIs missing both months: each open 2 reports running, none resolved)
    kpis = [line for line in ceo["Still open"] if " does not track " in line]
    assert kpis and all(
        k.startswith("[LOW] ") and k.endswith("open 2 reports running") for k in kpis
    )
    assert [line for line in ceo["Still open"] if line not in kpis] == [
        "[HIGH] Osprey Charters is on no OTA — open 2 reports running",
        "[MEDIUM] Osprey Charters: the handoff note does not state its cash — open 2 reports running",
    ]
    assert ceo["Resolved"] == ["[CRITICAL] Tern Consulting has an empty sales pipeline"]
    # the brief (the mail body) says it too, and names the report it compares with
    brief = body(september[("cfo", CFO)])
    assert "Cash: up $1.4K (13%) ($10.6K → $12K)" in brief
    assert (
        "Compared with the CFO report for August 2026, as of 2026-09-20, sent to you"
        f" {sent[('cfo', '2026-08', CFO)]}." in brief
    )

    # a re-run inside 2026-09 sees a late bank line (cash 13,000): already sent, nothing goes
    write(tmp_path, LEDGER_TO_SEPTEMBER + OCTOBER + LATE, equity=EQUITY, pipeline="3 leads")
    assert send(runner, tmp_path, "2026-10-25") == {}

    # 2026-Q3 beside the months: compared with 2026-Q2 alone (cash 11,200 at 07-15 → 13,000)
    q3 = send(runner, tmp_path, "2026-10-25", "--period", "2026-Q3")
    sent = sent_on(runner, tmp_path)
    q3_cfo = since_last_report(q3[("cfo", CFO)])
    assert q3_cfo["Compared with"] == compared(
        "CFO report", "Q2 2026, as of 2026-07-15", sent[("cfo", "2026-Q2", CFO)]
    )
    assert q3_cfo["Figures that moved"] == [
        "Cash: up $1,800 (16%) ($11,200 → $13,000)",
        # Apr..Jun averaged (0 + 0 + 300) ÷ 3 = 100; Jul..Sep 33.33
        "Net burn, 3-month average: down $66.67 (67%) ($100/mo → $33.33/mo)",
        "Runway at the average burn: up 278 months (112 months → 390 months)",
        "Cash runs out (at the average burn): changed from 2035-11-14 to 2059-04-25",
        # 11,200 ÷ 300 = 37.3 months from 07-15; 13,000 ÷ 600 = 21.7 from 10-25
        "Cash runs out (earliest): changed from 2029-08-24 to 2028-08-14",
        # the ranges kept their midpoints (150, 1,650): not moved
    ]

    # 2026-10: the bank statement says 11,000 where the ledger computes 11,500, so the CFO report
    # is held back; Tern's note no longer states its cash; a board member joins the CEO report
    config.write_text(CONFIG.replace(f'to = ["{CEO}"]', f'to = ["{CEO}", "{BOARD}"]'))
    write(
        tmp_path,
        LEDGER_TO_SEPTEMBER + OCTOBER + LATE + NOVEMBER.format(statement="11000.00"),
        equity=EQUITY,
        pipeline="3 leads",
        tern_cash="",
    )
    october = send(runner, tmp_path, "2026-11-20")
    assert sorted(october) == [("ceo", BOARD), ("ceo", CEO)]  # the CFO report was gated
    sent = sent_on(runner, tmp_path)
    assert sent[("cfo", "2026-10", CFO)] == ""
    ceo = since_last_report(october[("ceo", CEO)])
    assert ceo["Compared with"] == compared(
        "CEO briefing", "September 2026, as of 2026-10-20", sent[("ceo", "2026-09", CEO)]
    )
    # compared with the mailed 12,000, not the re-run's 13,000; the statement anchors cash at
    # 11,000 on 10-31, + 3,000 − 500 in November = 13,500
    assert ceo["Figures that moved"] == [
        "Cash (Tern Consulting): $50,000 → not stated",  # a value gone
        "Cash: up $1,500 (13%) ($12,000 → $13,500)",
        # Aug −200, Sep 600, Oct 1,500 − 3,400 = −1,900: average −500
        "Net burn, 3-month average: down $533.33 (1600%) ($33.33/mo → -$500/mo)",
        "Runway at the average burn: changed from 360 months to not burning",
    ]
    assert ceo["New findings"] == [
        "[MEDIUM] Tern Consulting: the handoff note does not state its cash"
    ]
    assert since_last_report(october[("ceo", BOARD)])["Compared with"] == [
        "This is the first of these reports sent to you; the earlier ones went to other readers,"
        " so there is none of yours to compare with."
    ]
    assert "First of these reports sent to you" in body(october[("ceo", BOARD)])

    # 2026-11: the statement fixed (11,500); the CFO report compares with September, the last one
    # its reader received, not the October one the gate held back
    write(
        tmp_path,
        LEDGER_TO_SEPTEMBER + OCTOBER + LATE + NOVEMBER.format(statement="11500.00") + DECEMBER,
        equity=EQUITY,
        pipeline="3 leads",
        tern_cash="",
    )
    november = send(runner, tmp_path, "2026-12-20")
    sent = sent_on(runner, tmp_path)
    cfo = since_last_report(november[("cfo", CFO)])
    assert cfo["Compared with"] == compared(
        "CFO report", "September 2026, as of 2026-10-20", sent[("cfo", "2026-09", CFO)]
    )
    # Sep 600, Oct −1,900, Nov 500 − 3,000 = −2,500; cash 11,500 + 2,500 + 1,500 = 15,500
    assert cfo["Figures that moved"] == [
        "Cash: up $3,500 (29%) ($12,000 → $15,500)",
        "Net burn, 3-month average: down $1,300 (3900%) ($33.33/mo → -$1,266.67/mo)",
        "Runway at the average burn: changed from 360 months to not burning",
        # midpoints 150 → −950
        "Net burn, trailing 3 months: down $1,100 (733%) (-$300 to $600/mo → -$2,500 to $600/mo)",
        "Net burn, trailing 6 months: down $1,100 (733%) (-$300 to $600/mo → -$2,500 to $600/mo)",
        # 1,200..2,100 → 500..2,100: midpoints 1,650 → 1,300
        "Gross burn, trailing 3 months: down $350 (21%) ($1,200–2,100/mo → $500–2,100/mo)",
        "Cash runs out (earliest): changed from 2028-06-19 to 2029-02-13",  # 15,500 ÷ 600
        # the forecast of 11-20 (the gated October run's; fuel 500 is alone within 10% of the
        # latest, no later lines: nothing expected) against weeks 11-21..12-18: 0, 0, +1,500
        # (12-10), 0 → 1,500 ÷ 4 = 375, against September's 850: -475, 55.9%
        "Forecast error (mean absolute, a week): down $475 (56%) ($850 → $375)",
        # not burning: the November report carries no such date (the old report's figures last)
        "Cash runs out (at the average burn): 2056-10-19, no longer stated",
    ]
    # the gated October report is no report its reader saw: two reports running, not three
    assert cfo["Still open"] == [
        "[CRITICAL] Rule broken: No equity promised without a signed agreement"
        " (Osprey Charters) — open 2 reports running"
    ]
    # both CEO readers got October's report: the same figures moved for both, but the board
    # member has had two reports, so a finding is "open 2 reports running" for them
    ceo, board = (
        since_last_report(november[("ceo", CEO)]),
        since_last_report(november[("ceo", BOARD)]),
    )
    assert ceo["Figures that moved"] == board["Figures that moved"]
    assert ceo["Figures that moved"][0] == "Cash: up $2,000 (15%) ($13,500 → $15,500)"
    # (the missing-KPI findings, carried since August, are left out here)
    assert [line for line in ceo["Still open"] if " does not track " not in line] == [
        "[HIGH] Osprey Charters: an equity promise (5%) has no agreement the note mentions"
        " — open 3 reports running",
        "[HIGH] Osprey Charters is on no OTA — open 4 reports running",
        "[MEDIUM] Osprey Charters: the handoff note does not state its cash — open 4 reports running",
        "[MEDIUM] Tern Consulting: the handoff note does not state its cash — open 2 reports running",
    ]
    assert board["Still open"] == [
        line.replace("open 3", "open 2").replace("open 4", "open 2") for line in ceo["Still open"]
    ]
