"""Three small portfolios an outside tester wrote from the docs alone (audit18: Gullwing Charters,
Tidewater Consulting, Dune Cottage), worked by hand (tests/data/audit18/EXPECTED.md), run as a
many-client operator runs them: real ``execbrief`` processes with ``--portfolios``.

One ``build --portfolios`` writes every report the figures are read from; a ``send`` over the
three and a broken fourth (a misspelt config key) delivers each report once per recipient and
still exits non-zero, its row naming the failure; a second send over the three, given as the
paths an unquoted ``clients/*`` expands to, sends nothing.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

DATA = Path(__file__).parent.parent / "data" / "audit18"
PERIOD = "2026-10"
#: Mails per portfolio and period: a ceo+cfo, b ceo + billing to two, c ceo+rental.
MAILS = {"a": 2, "b": 3, "c": 2}


def execbrief(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``execbrief ARGS`` in ``root``, on an 80-column terminal, without progress lines."""
    env = {**os.environ, "COLUMNS": "80", "EXECBRIEF_PROGRESS": "never"}
    return subprocess.run(
        [sys.executable, "-m", "execbrief", *args],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=240,
        env=env,
    )


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three portfolios (and the tester's notes) copied to clients/, in a fresh folder."""
    root = tmp_path_factory.mktemp("audit18")
    shutil.copytree(DATA, root / "clients")
    return root


@pytest.fixture(scope="module")
def built(clients: Path) -> dict[str, str]:
    """Every report of the three, by ``<client>/<report>``, flattened to one line each."""
    done = execbrief(clients, "build", "--portfolios", "clients/*", "--out", "out", "--wide")
    assert done.returncode == 0, done.stdout + done.stderr
    reports = {}
    for path in sorted((clients / "out").glob("clients-*/*.txt")):
        client = path.parent.name.removeprefix("clients-")
        reports[f"{client}/{path.stem}"] = flat(path.read_text(encoding="utf-8"))
    assert set(reports) == {
        "a/ceo",
        "a/cfo",
        "b/ceo",
        "b/billing",
        "c/ceo",
        "c/rental",
    }
    return reports


def flat(text: str) -> str:
    """One line, without footnote marks (wrapping is layout; marks are not the figures)."""
    return " ".join(re.sub(r"\[[\d,…]+\]", "", text).split())


HANDWORKED = [
    # a: revenue 4,500, expenses 2,600, net 1,900, margin 42.2%
    ("a/cfo", "Gullwing Charters $4,500 $2,600 $1,900 42.2%"),
    ("a/ceo", "Gullwing Charters $4,500 $2,600 $1,900 42.2%"),
    ("a/cfo", "Cash $11,900"),
    ("a/cfo", "Net burn (average) -$633.33/mo"),
    ("a/cfo", "Runway not burning"),
    ("a/cfo", "Gross burn (3 mo) $850–900/mo"),
    ("a/cfo", "Price/unit $642.86"),
    ("a/cfo", "Variable/unit $71.43"),
    ("a/cfo", "Contribution $571.43"),
    ("a/cfo", "Break-even 2 charters/month (now 2.33/month)"),
    ("a/cfo", "Revenue to break even $787.50"),
    ("a/cfo", "Revenue for 15% margin $947.37"),
    ("a/ceo", "KPI Revenue per month Status tracked Value $1,500"),
    ("a/ceo", "KPI Net margin Status tracked Value 42.22%"),
    ("a/ceo", "KPI Charters per month Status tracked Value 2.33"),
    ("a/ceo", "KPI Average charter value Status tracked Value $642.86"),
    ("a/cfo", "Opens with $11,900 on hand."),
    # b: 7,500 / 3,300 / 4,200 (56%), cash 9.2K, unbilled 1,550 (13 h), ...
    ("b/ceo", "Tidewater Consulting $7,500 $3,300 $4,200 56%"),
    ("b/ceo", "Portfolio cash $9.2K; not burning"),
    ("b/billing", "Unbilled work $1,550"),
    ("b/billing", "Unbilled hours 13 h"),
    ("b/ceo", "KPI Billable hours per month Status tracked Value 23"),
    ("b/billing", "Billable time logged 53 $6,550"),
    ("b/billing", "Invoices issued $8,500, paid $5,000."),
    ("b/billing", "Realisation 129.77%"),
    ("b/billing", "Collection rate 58.82%"),
    ("b/billing", "Accounts receivable $3,500"),
    ("b/billing", "Current $2,500 INV-3"),
    ("b/billing", "90+ $1,000 INV-0"),
    ("b/billing", "Largest client's share 52.94%"),
    ("b/billing", "$1K overdue of $3.5K receivable; 90+ days $1K."),
    ("b/ceo", "KPI Revenue per month Status tracked Value $2,500"),
    ("b/billing", "Acme Corp $4,500 52.94%"),
    ("b/ceo", "Value 9 billable hours/month (now 17.67/month)"),
    # c: rental income 5,000, opex 900, NOI 16,400/yr, cap rate, cash-on-cash, vacancy
    ("c/ceo", "Dune Cottage $5,000 $2,400 $2,600 52%"),
    ("c/ceo", "Portfolio cash $9.4K; not burning"),
    ("c/rental", "Gross potential rent (window) $6,000"),
    ("c/rental", "Vacancy 16.67%"),
    ("c/rental", "NOI (annualised) $16,400"),
    ("c/rental", "Cap rate 5.47%"),
    ("c/rental", "Cash-on-cash return 9.33%"),
    ("c/rental", "Rental income collected 2026-08..2026-10 (3 months) $5,000"),
    ("c/rental", "Operating expenses (excluding debt service) 2026-08..2026-10 (3 months) $900"),
    ("c/rental", "Debt service (interest and principal) 2026-08..2026-10 (3 months) $2,700"),
    ("c/rental", "let 3 of 3 months"),
    ("c/rental", "Net operating income 2026-08..2026-10 (3 months) $4,100"),
    ("c/rental", "Cash flow before tax 2026-08..2026-10 (3 months) $1,400"),
]


@pytest.mark.parametrize(("report", "says"), HANDWORKED, ids=[s for _, s in HANDWORKED])
def test_the_hand_worked_figure_is_in_the_report(
    built: dict[str, str], report: str, says: str
) -> None:
    assert says in built[report]


def test_no_source_note_counts_more_rows_than_its_lines(built: dict[str, str]) -> None:
    """``data/bookings.csv:5-8 (8 rows)`` stood beside ``(4 rows)``: two forecast lines citing one
    booking pace were counted twice."""
    for name, text in built.items():
        for first, last, rows in re.findall(r":(\d+)-(\d+) \((?:at most )?(\d+) rows\)", text):
            assert int(rows) <= int(last) - int(first) + 1, (name, first, last, rows)
    assert "data/bookings.csv:5-8 (8 rows)" not in built["a/cfo"]


def mails(folder: Path) -> Counter[tuple[str, str]]:
    """(report-period, recipient) of every mail in the outbox, counted."""
    seen: Counter[tuple[str, str]] = Counter()
    for path in (folder / "outbox").glob("*.eml"):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        seen[(str(message["Message-ID"]).split("@")[0], str(message["To"]))] += 1
    return seen


def test_send_delivers_once_despite_a_broken_portfolio_and_a_rerun_sends_nothing(
    clients: Path,
) -> None:
    root = clients / "sends"
    shutil.copytree(DATA, root / "clients")
    broken = root / "clients" / "d"
    shutil.copytree(DATA / "b", broken)
    config = broken / "portfolio.toml"
    config.write_text(config.read_text().replace("\nledger = ", "\nledgr = "))

    first = execbrief(root, "send", "--portfolios", "clients/*", "--period", PERIOD)
    assert first.returncode == 2, first.stdout + first.stderr
    for client, count in MAILS.items():
        seen = mails(root / "clients" / client)
        assert len(seen) == count and set(seen.values()) == {1}, (client, seen)
    assert not (broken / "outbox").exists()
    (row,) = [line for line in first.stdout.splitlines() if line.startswith("│ clients/d")]
    assert "failed [1]" in row and " 0 " not in row, first.stdout
    note = " ".join(first.stdout.split("[1] clients/d:", 1)[1].split())
    assert "entities[0].ledgr: unknown key 'ledgr'; did you mean 'ledger'?" in note
    # 80 columns, but for the line holding the config's path (a path is never broken)
    wide = [line for line in first.stdout.splitlines() if len(line) > 80]
    assert all(str(config) in line for line in wide), first.stdout

    # the paths an unquoted clients/* becomes (d left out): nothing new, exit 0
    again = execbrief(root, "send", "--portfolios", "clients/a", "clients/b", "clients/c")
    assert again.returncode == 0, again.stdout + again.stderr
    for client, count in MAILS.items():
        assert sum(mails(root / "clients" / client).values()) == count
    table = {line.split()[1]: line.split()[2:] for line in again.stdout.splitlines() if "│" in line}
    for client, count in MAILS.items():
        sent, skipped = table[f"clients/{client}"][1], table[f"clients/{client}"][3]
        assert (sent, skipped) == ("0", str(count)), again.stdout
