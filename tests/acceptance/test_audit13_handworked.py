"""Two portfolios an outside tester wrote from the docs alone, with every figure worked by hand
(tests/data/audit13/HANDWORK.md; as_of 2026-11-20), run through the real CLI:

- a-consultancy: Meridian Advisory, a Xero "Account Transactions" export on accrual (grouped,
  double entry), laid out as Xero writes it: three title rows, a heading per account, an
  ``Opening Balance`` row, ``Total <account>`` and ``Closing Balance`` rows, and the footer
  ``Accrual basis  <weekday>, <date>  <time>`` after the last account;
- b-rental-charter: Elm Street Flat (a long-term let on execbrief's CSV ledger) and Gull Charters
  (a Chase activity export, Details/Posting Date/Description/Amount/Type/Balance, whose income
  arrives as ``STRIPE TRANSFER`` payouts) with a bookings sheet that took deposits;
- c-broken: a bookings sheet whose ``status`` column is misspelt.

Each test names the difference of HANDWORK.md it pins ("item N").
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from execbrief.cli import cli

DATA = Path(__file__).parent.parent / "data" / "audit13"
XERO = "exports/Meridian_Advisory_LLC_-_Account_Transactions.csv"


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("audit13")
    for name in ("a-consultancy", "b-rental-charter", "c-broken"):
        shutil.copytree(DATA / name, out / name)
    return out


def run(root: Path, portfolio: str, *args: str) -> tuple[int, str]:
    config = root / portfolio / "portfolio.toml"
    result = CliRunner().invoke(cli, [*args, "-c", str(config)])
    return result.exit_code, result.output


_BUILT: dict[tuple[str, str], str] = {}


def build(root: Path, portfolio: str, report: str) -> str:
    """The text report with its lines joined (wrapping is layout, not content)."""
    if (portfolio, report) not in _BUILT:
        code, output = run(root, portfolio, "build", "--report", report, "--jobs", "1")
        assert code == 0, output
        _BUILT[(portfolio, report)] = output
    return _BUILT[(portfolio, report)]


def flat(text: str) -> str:
    return " ".join(text.split())


def section(text: str, title: str, end: str) -> str:
    start = text.index(title)
    return flat(text[start : text.index(end, start)])


def source(text: str, marker: int) -> str:
    """What footnote [marker] cites."""
    found = re.search(rf"^\s*\[{marker}\] (.+)$", text, re.MULTILINE)
    assert found, f"no footnote [{marker}]"
    return found.group(1).strip()


def test_item1_xero_footer_row_is_skipped_and_check_passes(root: Path) -> None:
    code, output = run(root, "a-consultancy", "check")
    assert code == 0, output
    assert "comes before any account heading" not in output
    assert "row skipped" not in output


def test_meridian_cash_and_burn_as_worked_by_hand(root: Path) -> None:
    text = flat(build(root, "a-consultancy", "cfo"))
    # Business Bank Account only: opening 40,000 + its lines = Xero's Closing Balance 41,850
    assert "Cash $41,850" in text
    assert "Gross burn (3 mo) $1,500–2,400/mo" in text
    assert "Runway 17.44+ months (out 2028-05-03 at the worst month's burn)" in text
    assert "Net burn (average) -$2,200/mo Runway at the average not burning" in text


def test_item2_a_burn_not_labelled_net_is_weighed_against_gross_burn(root: Path) -> None:
    text = flat(build(root, "a-consultancy", "ceo"))
    # the note's $4,000 against gross 1,500–2,400 (band 3,600–4,400): they differ
    assert (
        "Meridian Advisory: the note says burn $4,000/mo (handoffs/meridian.md:13); the ledger "
        "(gross burn, 3 months) says $1,500–2,400/mo"
    ) in text
    assert "the note says cash $52,000 (handoffs/meridian.md:12)" in text


def test_item3_invoices_and_unpaid_bills_are_not_large_spends(root: Path) -> None:
    text = flat(build(root, "a-consultancy", "cfo"))
    assert "Accounts Receivable $8,000" not in text
    assert "Holds for Meridian Advisory." in text
    assert "financial rule check(s) fail" not in text


def test_item4_the_revenue_bullet_cites_the_revenue_rows(root: Path) -> None:
    raw = build(root, "a-consultancy", "cfo")
    bullet = re.search(r"Last 12 complete months \(2025-11\.\.2026-10\):[^\[]*((?:\[\d+\])+)", raw)
    assert bullet, raw
    assert "revenue $29.5K, expenses $17.1K, net $12.4K" in flat(bullet.group(0))
    markers = [int(m) for m in re.findall(r"\d+", bullet.group(1))]
    # Sales rows 47, 48, 49: INV-101 12,000 (Aug), INV-102 8,000 (Sep), INV-103 9,500 (Oct): every
    # income line is cited, each file once with its rows
    assert [source(raw, m) for m in markers] == [f"{XERO}:47-49 (3 rows)"]


def test_item5_one_action_per_rule_so_count_and_list_agree(root: Path) -> None:
    raw = build(root, "a-consultancy", "cfo")
    tier = raw[raw.index("Zero-cost actions") : raw.index("Low-cost actions")]
    count = int(re.search(r"\((\d+)\)\n", tier).group(1))  # type: ignore[union-attr]
    listed = re.findall(r"^\s+\d+\. ", tier, re.MULTILINE)
    assert count == len(listed) == 2
    # the three missing-KPI findings are one action naming the rule's other fixes
    assert "The rule's other fixes: Add 'Realisation: <value>'" in flat(tier)


def test_item6_reconciliation_names_only_the_checks_that_ran(root: Path) -> None:
    text = flat(build(root, "a-consultancy", "accounting"))
    assert "deposits agree" not in text
    assert (
        "The books reconcile: Meridian Advisory: 1 balance assertion against the ledger."
    ) in text


def test_item7_no_milestones_above_the_target_margin_as_documented(root: Path) -> None:
    text = flat(build(root, "a-consultancy", "accounting"))
    # run rate 29,500 / 6 = 4,916.67 is above the target-margin revenue 2,700 / 0.85 = 3,176.47
    assert "Meridian Advisory: already at the target-margin revenue ($4,916.67/mo)." in text
    docs = (Path(__file__).parents[2] / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert "already at the target-margin revenue ($4,916.67/mo)" in docs


def test_gull_milestones_as_worked_by_hand(root: Path) -> None:
    text = section(
        build(root, "b-rental-charter", "accounting"),
        "MILESTONES TO PROFITABILITY",
        "No milestones",
    )
    # run rate 882.50 to break-even 1,320.65 in four equal steps; net = goal × 1 − 1,320.65
    for quarter, revenue, net in (
        ("2027-Q1", "$992.04", "-$328.61"),
        ("2027-Q2", "$1,101.58", "-$219.08"),
        ("2027-Q3", "$1,211.11", "-$109.54"),
        ("2027-Q4", "$1,320.65", "$0"),
    ):
        assert (
            f"Quarter {quarter} Revenue per month {revenue} Net per month at that revenue {net}"
        ) in text


def test_item8_stripe_transfers_call_for_a_processing_fees_account(root: Path) -> None:
    text = flat(build(root, "b-rental-charter", "accounting"))
    assert "processing fees (income is paid through Stripe, who keep a fee)" in text


def test_item9_unchecked_deposits_are_listed_under_not_checked(root: Path) -> None:
    text = flat(build(root, "b-rental-charter", "accounting"))
    not_checked = text[text.index("Not checked") : text.index("2. REVENUE RECOGNITION")]
    assert "Elm Street Flat: no balance assertion (a statement balance)" in not_checked
    assert (
        "Gull Charters: bookings' deposits against the ledger (the ledger has no deposit "
        "account; see the warning)"
    ) in not_checked
    assert "bookings took $750 in deposits from 2026-07-01 to 2026-11-20" in text


def test_item10_the_rental_report_carries_no_charter_warning(root: Path) -> None:
    text = flat(build(root, "b-rental-charter", "rental"))
    assert "Gull Charters" not in text
    assert "deposit account" not in text


def test_elm_and_gull_cash(root: Path) -> None:
    raw = build(root, "b-rental-charter", "cfo")
    text = flat(raw)
    # Elm: 5,000 + 6 × 1,800 − 7 × 400 − 7 × 300 − 600 − 250; Gull: the latest Chase Balance
    elm = re.search(r"Elm Street Flat \[(\d+)\]\[(\d+)\] Cash \$10,050", text)
    gull = re.search(r"Gull Charters \[(\d+)\]\[(\d+)\] Cash \$7,393", text)
    assert elm and gull
    assert "elm" in " ".join(source(raw, int(n)) for n in elm.groups())
    assert "chase" in " ".join(source(raw, int(n)) for n in gull.groups()).lower()
    assert "Net burn (3 mo) -$450.60 to $2,074.40/mo" in text


def test_a_misspelt_status_column_is_named(root: Path) -> None:
    _code, output = run(root, "c-broken", "check")
    assert "did you mean 'Stauts'?" in flat(output)
