"""A consultancy on accrual, its books in a Xero "Account Transactions" export, worked by hand from
docs/metrics.md and docs/formats.md alone and compared, to the cent, with `execbrief build --format
json` (issue 13: 1, 2, 3, 5, 6, 9).

The export is laid out as Xero writes it (Xero Central, "Account Transactions report"; the CSV
export of the report): three title rows, one heading row per account (its name and code, in the
Date column), an ``Opening Balance`` row (no date; the balance in Running Balance), the account's
lines (Date, Source, Contact, Description, Reference, Debit, Credit, Running Balance, Gross, GST),
a ``Total`` row and a ``Closing Balance`` row. Dates are written "06 Oct 2025".

The traps: an ``Opening Balance`` under Accounts Receivable (an invoice of September, not cash);
invoices issued but paid a month later (they move cash when paid, not when issued); a bill paid
later and one unpaid; an accountant paid $2,740 a quarter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.reports.test_finance_handworked import build, cites, rows_of, table

EXPORT = """\
Account Transactions
Fernhill Advisory Ltd
For the period 1 October 2025 to 31 March 2026

Date,Source,Contact,Description,Reference,Debit,Credit,Running Balance,Gross,GST
Business Bank Account (090)
Opening Balance,,,,,,,"8,000.00",,
01 Oct 2025,Spend Money,Marsh Properties,October rent,,,"1,500.00","6,500.00","-1,500.00",0.00
03 Oct 2025,Spend Money,Ledgerly CPA,Quarterly bookkeeping,,,"2,740.00","3,760.00","-2,740.00",0.00
20 Oct 2025,Receivable Payment,Harbor Co,Payment: Harbor Co,INV-0000,"3,200.00",,"6,960.00","3,200.00",0.00
01 Nov 2025,Spend Money,Marsh Properties,November rent,,,"1,500.00","5,460.00","-1,500.00",0.00
14 Nov 2025,Receivable Payment,Kestrel Ltd,Payment: Kestrel Ltd,INV-0001,"5,000.00",,"10,460.00","5,000.00",0.00
01 Dec 2025,Spend Money,Marsh Properties,December rent,,,"1,500.00","8,960.00","-1,500.00",0.00
01 Jan 2026,Spend Money,Marsh Properties,January rent,,,"1,500.00","7,460.00","-1,500.00",0.00
05 Jan 2026,Spend Money,Ledgerly CPA,Quarterly bookkeeping,,,"2,740.00","4,720.00","-2,740.00",0.00
12 Jan 2026,Spend Money,Cloudbooks,Software subscription,,,49.00,"4,671.00",-49.00,0.00
01 Feb 2026,Spend Money,Marsh Properties,February rent,,,"1,500.00","3,171.00","-1,500.00",0.00
04 Feb 2026,Receivable Payment,Harbor Co,Payment: Harbor Co,INV-0002,"6,000.00",,"9,171.00","6,000.00",0.00
12 Feb 2026,Spend Money,Cloudbooks,Software subscription,,,49.00,"9,122.00",-49.00,0.00
01 Mar 2026,Spend Money,Marsh Properties,March rent,,,"1,500.00","7,622.00","-1,500.00",0.00
12 Mar 2026,Spend Money,Cloudbooks,Software subscription,,,49.00,"7,573.00",-49.00,0.00
20 Mar 2026,Payable Payment,Fieldwork Travel,Payment: Fieldwork Travel,BILL-17,,860.00,"6,713.00",-860.00,0.00
31 Mar 2026,Spend Money,Ledgerly CPA,Quarterly bookkeeping,,,"2,740.00","3,973.00","-2,740.00",0.00
Total Business Bank Account (090),,,,,"14,200.00","18,227.00",,,
Closing Balance,,,,,,,"3,973.00",,
Accounts Receivable (610)
Opening Balance,,,,,,,"3,200.00",,
06 Oct 2025,Receivable Invoice,Kestrel Ltd,Strategy review,INV-0001,"5,000.00",,"8,200.00","5,000.00",0.00
20 Oct 2025,Receivable Payment,Harbor Co,Payment: Harbor Co,INV-0000,,"3,200.00","5,000.00","-3,200.00",0.00
14 Nov 2025,Receivable Payment,Kestrel Ltd,Payment: Kestrel Ltd,INV-0001,,"5,000.00",0.00,"-5,000.00",0.00
05 Jan 2026,Receivable Invoice,Harbor Co,Advisory retainer,INV-0002,"6,000.00",,"6,000.00","6,000.00",0.00
04 Feb 2026,Receivable Payment,Harbor Co,Payment: Harbor Co,INV-0002,,"6,000.00",0.00,"-6,000.00",0.00
02 Mar 2026,Receivable Invoice,Kestrel Ltd,Pricing study,INV-0003,"4,500.00",,"4,500.00","4,500.00",0.00
Total Accounts Receivable (610),,,,,"15,500.00","14,200.00",,,
Closing Balance,,,,,,,"4,500.00",,
Accounts Payable (800)
27 Feb 2026,Payable Invoice,Fieldwork Travel,Client site visit,BILL-17,,860.00,-860.00,-860.00,0.00
20 Mar 2026,Payable Payment,Fieldwork Travel,Payment: Fieldwork Travel,BILL-17,860.00,,0.00,860.00,0.00
25 Mar 2026,Payable Invoice,Print Shop,Brochures,PS-88,,300.00,-300.00,-300.00,0.00
Total Accounts Payable (800),,,,,860.00,"1,160.00",,,
Closing Balance,,,,,,,-300.00,,
Sales (200)
06 Oct 2025,Receivable Invoice,Kestrel Ltd,Strategy review,INV-0001,,"5,000.00","-5,000.00","-5,000.00",0.00
05 Jan 2026,Receivable Invoice,Harbor Co,Advisory retainer,INV-0002,,"6,000.00","-11,000.00","-6,000.00",0.00
02 Mar 2026,Receivable Invoice,Kestrel Ltd,Pricing study,INV-0003,,"4,500.00","-15,500.00","-4,500.00",0.00
Total Sales (200),,,,,,"15,500.00",,,
Consulting & Accounting (412)
03 Oct 2025,Spend Money,Ledgerly CPA,Quarterly bookkeeping,,"2,740.00",,"2,740.00","2,740.00",0.00
05 Jan 2026,Spend Money,Ledgerly CPA,Quarterly bookkeeping,,"2,740.00",,"5,480.00","2,740.00",0.00
31 Mar 2026,Spend Money,Ledgerly CPA,Quarterly bookkeeping,,"2,740.00",,"8,220.00","2,740.00",0.00
Total Consulting & Accounting (412),,,,,"8,220.00",,,,
Printing & Stationery (461)
25 Mar 2026,Payable Invoice,Print Shop,Brochures,PS-88,300.00,,300.00,300.00,0.00
Total Printing & Stationery (461),,,,,300.00,,,,
Rent (469)
01 Oct 2025,Spend Money,Marsh Properties,October rent,,"1,500.00",,"1,500.00","1,500.00",0.00
01 Nov 2025,Spend Money,Marsh Properties,November rent,,"1,500.00",,"3,000.00","1,500.00",0.00
01 Dec 2025,Spend Money,Marsh Properties,December rent,,"1,500.00",,"4,500.00","1,500.00",0.00
01 Jan 2026,Spend Money,Marsh Properties,January rent,,"1,500.00",,"6,000.00","1,500.00",0.00
01 Feb 2026,Spend Money,Marsh Properties,February rent,,"1,500.00",,"7,500.00","1,500.00",0.00
01 Mar 2026,Spend Money,Marsh Properties,March rent,,"1,500.00",,"9,000.00","1,500.00",0.00
Total Rent (469),,,,,"9,000.00",,,,
Subscriptions (485)
12 Jan 2026,Spend Money,Cloudbooks,Software subscription,,49.00,,49.00,49.00,0.00
12 Feb 2026,Spend Money,Cloudbooks,Software subscription,,49.00,,98.00,49.00,0.00
12 Mar 2026,Spend Money,Cloudbooks,Software subscription,,49.00,,147.00,49.00,0.00
Total Subscriptions (485),,,,,147.00,,,,
Travel - National (493)
27 Feb 2026,Payable Invoice,Fieldwork Travel,Client site visit,BILL-17,860.00,,860.00,860.00,0.00
Total Travel - National (493),,,,,860.00,,,,
"""

CONFIG = """\
[portfolio]
name = "Fernhill"
currency = "USD"
as_of = 2026-04-15

[[entities]]
id = "fernhill"
name = "Fernhill Advisory"
kind = "consultancy"

[entities.ledger]
path = "exports/fernhill-account-transactions.csv"
date_format = "%d %b %Y"
grouped = true
double_entry = true

[entities.ledger.account_types]
"Business Bank Account (090)" = "asset"
"Accounts Receivable (610)" = "asset"
"Accounts Payable (800)" = "liability"
"Sales (200)" = "income"
"Consulting & Accounting (412)" = "expense"
"Printing & Stationery (461)" = "expense"
"Rent (469)" = "expense"
"Subscriptions (485)" = "expense"
"Travel - National (493)" = "expense"
"""

LEDGER = "exports/fernhill-account-transactions.csv"


def write(root: Path, export: str = EXPORT) -> Path:
    (root / "exports").mkdir(parents=True, exist_ok=True)
    (root / LEDGER).write_text(export, encoding="utf-8")
    (root / "portfolio.toml").write_text(CONFIG, encoding="utf-8")
    return root / "portfolio.toml"


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write(tmp_path_factory.mktemp("accrual"))


def test_cash_is_the_bank_alone_and_burn_counts_payments_not_invoices(config: Path) -> None:
    cfo = build(config, "cfo")
    rows = table(cfo, "Cash, burn and runway")
    fern = rows["Fernhill Advisory"]
    # Cash: the bank's Closing Balance row (line 25), 3,973.00 = 8,000 + 14,200 in - 18,227 out
    # (rent 6 x 1,500 + Ledgerly 3 x 2,740 + Cloudbooks 3 x 49 + the travel bill paid, 860). The
    # receivable's Opening Balance (3,200, line 27) is not cash: counting it gave 7,173.
    assert fern[0] == "3973.00"
    # Cash movements per month (only transactions with a bank line; invoices and bills move cash
    # when paid):
    #   Jan: out 1,500 rent + 2,740 Ledgerly + 49 Cloudbooks = 4,289; in 0 (INV-0002 is issued,
    #        not paid)                                            -> gross 4,289, net 4,289
    #   Feb: out 1,500 + 49 = 1,549 (the travel bill of 27 Feb is unpaid); in 6,000 (INV-0002
    #        paid)                                                -> gross 1,549, net -4,451
    #   Mar: out 1,500 + 49 + 860 (BILL-17 paid) + 2,740 = 5,149; in 0 (INV-0003 unpaid, the
    #        Print Shop bill unpaid)                              -> gross 5,149, net 5,149
    #   Oct: out 1,500 + 2,740 = 4,240, in 3,200 (INV-0000)       -> gross 4,240, net 1,040
    #   Nov: out 1,500, in 5,000 (INV-0001)                       -> gross 1,500, net -3,500
    #   Dec: out 1,500, in 0                                      -> gross 1,500, net 1,500
    assert fern[1] == "-4451.00..5149.00"  # net, Jan..Mar
    assert fern[2] == "-4451.00..5149.00"  # net, Oct..Mar
    # Gross Jan..Mar: 1,549..5,149 (counting invoices issued made January 10,289)
    assert fern[3] == "1549.00..5149.00"
    # Runway: worst month 3,973 / 5,149 = 0.7716 months; the best month did not burn: "N+";
    # out 2026-04-15 + floor(0.7716 x 30.4375) = 23 days = 2026-05-08
    assert fern[4] == "0.77+ months (out 2026-05-08 at the worst month's burn)"
    # Headline: (4,289 - 4,451 + 5,149) / 3 = 4,987 / 3 = 1,662.333.. -> 1,662.33 a month;
    # runway 3,973 / 1,662.333.. = 2.39 months, + floor(2.39001 x 30.4375) = 72 days -> 2026-06-26
    assert fern[5] == "1662.33..1662.33"
    assert fern[6] == "2.39 months at the average burn (out 2026-06-26)"
    # The burn row cites the cash anchor (the bank's Closing Balance, line 25) and the ledger rows
    # its burn sums (issue 13, 6): the 16 lines of cash transactions Oct..Mar, the first the
    # receivable payment of 20 Oct (line 29), the last Cloudbooks of 12 Mar (line 66): 3
    # receivable payments + 3 Ledgerly + 6 rent + 3 Cloudbooks + 1 payable payment = 16.
    assert burn_row_citations(cfo, "Fernhill Advisory") == [
        (LEDGER, 25, None, None),
        (LEDGER, 29, 66, "16 rows"),
    ]
    assert f"{LEDGER}:25" in cites(cfo)
    assert cfo["reconciled"] is True


def burn_row_citations(document: dict[str, Any], entity: str) -> list[tuple[Any, ...]]:
    """The (source, line, end line, detail) of each citation of an entity's burn row."""
    for section in document["sections"]:
        for block in section.get("blocks", []):
            if block.get("title") == "Cash, burn and runway":
                for row in block["rows"]:
                    if row["cells"][0] == entity:
                        return [
                            (p["source"], p["line"], p.get("end_line"), p.get("detail"))
                            for p in row["provenance"]
                        ]
    raise AssertionError(f"no burn row for {entity}")


def test_accrual_pnl_counts_invoices_when_issued(config: Path) -> None:
    rows = table(build(config, "cfo"), "P&L by entity, 2025-10..2026-03")
    # Revenue: INV-0001 5,000 + INV-0002 6,000 + INV-0003 4,500 = 15,500 (paid or not)
    # Expenses: rent 9,000 + Ledgerly 8,220 + Cloudbooks 147 + travel 860 + printing 300 = 18,527
    # Net: 15,500 - 18,527 = -3,027; margin -3,027 / 15,500 = -19.529..% -> -19.5%
    assert rows["Fernhill Advisory"][:3] == ["15500.00", "18527.00", "-3027.00"]


def test_recurring_charges_keep_their_cadence(config: Path) -> None:
    acc = build(config, "accounting")
    recurring = {
        r[1]: r[2:6]
        for r in rows_of(
            acc,
            "Recurring charges (per month: the monthly equivalent, charge ÷ months between "
            "charges)",
        )
    }
    # Ledgerly CPA: 03 Oct, 05 Jan, 31 Mar; gaps 94 and 85 days, median 89.5 / 30.4375 = 2.94
    # -> every 3 months; 2,740 / 3 = 913.333.. -> 913.33 a month
    assert recurring["Ledgerly CPA"] == ["2740.00", "quarter", "913.33", 3]
    assert recurring["Marsh Properties"] == ["1500.00", "month", "1500.00", 6]
    assert recurring["Cloudbooks"] == ["49.00", "month", "49.00", 3]
    # The total adds monthly equivalents: 1,500 + 49 + 913.333.. = 2,462.333.. -> $2,462.33/mo
    # (adding 2,740 as if monthly gave $4,289.00)
    text = str(acc)
    assert "3 recurring charge(s), $2,462.33/mo (monthly equivalents)" in text
    assert "Ledgerly CPA $2,740 a quarter, $913.33/mo equivalent (3 months)" in text


def test_a_bank_line_without_its_other_side_is_a_reconciliation_failure(tmp_path: Path) -> None:
    # Drop the Subscriptions (485) section and the bank's Closing Balance row: the bank's own
    # lines say 3,973.00, the finance cash (opening + the lines of cash transactions) misses the
    # three Cloudbooks charges: 8,000 + 14,200 - (18,227 - 147) = 4,120.00, off by 147.00.
    export = EXPORT.replace('Closing Balance,,,,,,,"3,973.00",,\n', "")
    start = export.index("Subscriptions (485)")
    end = export.index("Travel - National (493)")
    export = export[:start] + export[end:]
    cfo = build(write(tmp_path, export), "cfo")
    assert cfo["reconciled"] is False
    text = str(cfo)
    assert (
        "the ledger's own cash accounts come to $3,973 on 2026-04-15 but the finance cash is "
        "$4,120 (off by $147); a line moved cash on one side only"
    ) in text
