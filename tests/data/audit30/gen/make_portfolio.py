#!/usr/bin/env python3
"""Writes the audit portfolio p1 (and a small p2) from fixed data; prints hand-worked figures."""
import sys, os, json, secrets, string
from decimal import Decimal as D
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(sys.argv[1])  # where to write the portfolio
SECRET = sys.argv[2] if len(sys.argv) > 2 else "sk_live_" + "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(24))
for d in ["handoffs", "ledgers", "bookings", "time", "trips"]:
    (ROOT / d).mkdir(parents=True, exist_ok=True)

def money(x, paren=False):
    x = D(x)
    s = f"{abs(x):,.2f}"
    if x < 0:
        return f"({s})" if paren else f"-{s}"
    return s

def q(s):
    return '"' + s.replace('"', '""') + '"' if any(c in s for c in ',"') else s

def write_csv(relative, header, rows):
    """A CSV file of the portfolio: its header line, then each row's cells quoted as needed."""
    with open(ROOT / relative, "w") as f:
        f.write(header + "\n")
        for r in rows:
            f.write(",".join(q(c) for c in r) + "\n")


# ---------------- Gull Rock Charters: bank-signed CSV with title rows ----------------
INS = "Expenses:Marine Insurance Premiums and Hull Coverage Fees Annual"
fuel = {8: ["312.45", "289.10", "301.00", "275.80", "330.25", "298.60"],
        9: ["305.15", "290.40", "312.00", "280.75", "299.99", "318.20"],
        10: ["322.10", "287.65", "309.30", "295.45", "301.80", "316.70"],
        11: ["298.35", "311.90", "284.20", "305.55", "292.10", "319.40"]}
g = []  # (date, account, amount(bank sign), memo, payee, ref, type)
g.append((date(2026, 8, 1), "Assets:Checking", D("24500.00"), "Opening balance", "", "", "opening"))
for m in (8, 9, 10, 11):
    g.append((date(2026, m, 1), "Expenses:Dockage", D("-1150.00"), "Slip rent, dock {B-14}", "Gull Rock Marina", "", ""))
    g.append((date(2026, m, 5), INS, D("-640.00"), "Hull and liability premium 100% of fleet", "Coastal Marine Insurance Underwriters of New England", "", ""))
    for i, a in enumerate(fuel[m]):
        g.append((date(2026, m, 3 + 4 * i), "Expenses:Fuel", -D(a), f"Diesel {{pump {i+1}}} 5% discount %s", "Harbor Fuel Dock", "", ""))
g += [
    (date(2026, 8, 10), "Income:Charters", D("1875.00"), "Charter sales (pre-booking system)", "Square", "", ""),
    (date(2026, 8, 24), "Income:Charters", D("2210.50"), "Charter sales (pre-booking system)", "Square", "", ""),
    (date(2026, 9, 2), "Income:Charters", D("430.00"), "Deposit GR-201", "Stripe", "GR-201", ""),
    (date(2026, 9, 5), "Income:Charters", D("380.00"), "Deposit GR-202", "Stripe", "GR-202", ""),
    (date(2026, 9, 20), "Income:Charters", D("1010.00"), "Balance GR-201", "Stripe", "GR-201", ""),
    (date(2026, 9, 27), "Income:Charters", D("880.00"), "Balance GR-202", "Stripe", "GR-202", ""),
    (date(2026, 10, 1), "Income:Charters", D("450.00"), "Deposit GR-205", "Stripe", "GR-205", ""),
    (date(2026, 10, 4), "Income:Charters", D("350.00"), "Deposit GR-206", "Stripe", "GR-206", ""),
    (date(2026, 10, 12), "Expenses:Maintenance", D("-3400.00"), "Engine rebuild 100% {port} side, {0} %d", "Bayside Diesel", "", ""),
    (date(2026, 10, 18), "Income:Charters", D("1070.00"), "Balance GR-205", "Stripe", "GR-205", ""),
    (date(2026, 10, 20), "Income:Charters", D("480.00"), "Deposit GR-209", "Stripe", "GR-209", ""),
    (date(2026, 10, 25), "Income:Charters", D("830.00"), "Balance GR-206", "Stripe", "GR-206", ""),
    (date(2026, 11, 2), "Income:Charters", D("400.00"), "Deposit GR-210", "Stripe", "GR-210", ""),
    (date(2026, 11, 3), "Income:Charters", D("520.00"), "Deposit GR-211", "Stripe", "GR-211", ""),
    (date(2026, 11, 5), "Income:Charters", D("330.00"), "Deposit GR-212", "Stripe", "GR-212", ""),
    (date(2026, 11, 6), "Income:Charters", D("360.00"), "Deposit GR-213", "Stripe", "GR-213", ""),
    (date(2026, 11, 15), "Income:Charters", D("940.00"), "Balance GR-210", "Stripe", "GR-210", ""),
    (date(2026, 11, 22), "Income:Charters", D("-180.00"), "Refund promo {SUMMER25} 15% off, 100%% goodwill {}", "Stripe", "", ""),
]
g.sort(key=lambda r: (r[0], r[6] != "opening"))
cash_lines = [r for r in g if r[6] == ""]
gull_cash = D("24500.00") + sum(r[2] for r in cash_lines)
g.append((date(2026, 11, 30), "Assets:Checking", gull_cash, "Statement balance", "", "", "balance"))
with open(ROOT / "ledgers/gull-operating.csv", "w") as f:
    f.write("Gull Rock Charters LLC - Operating Account\n")
    f.write("Account number: ****4821\n")
    f.write("Statement period: 08/01/2026 - 11/30/2026\n\n")
    f.write("Date,Account,Amount,Description,Payee,Ref,Type\n")
    for d, a, amt, memo, payee, ref, typ in g:
        f.write(",".join([d.strftime("%m/%d/%Y"), q(a), q(money(amt, paren=True)), q(memo), q(payee), ref, typ]) + "\n")

def month(rows, y, m, pred):
    return sum((r[2] for r in rows if r[0].year == y and r[0].month == m and pred(r)), D(0))
gull = {}
for m in (8, 9, 10, 11):
    rev = month(g, 2026, m, lambda r: r[1].startswith("Income") and r[6] == "")
    exp = -month(g, 2026, m, lambda r: r[1].startswith("Expenses") and r[6] == "")
    net_burn = -month(g, 2026, m, lambda r: r[6] == "")
    gull[m] = dict(revenue=rev, expenses=exp, net=rev - exp, net_burn=net_burn)
gull["cash"] = gull_cash
gull["burn_avg"] = (gull[9]["net_burn"] + gull[10]["net_burn"] + gull[11]["net_burn"]) / 3
gull["runway_avg"] = (gull_cash / gull["burn_avg"]).quantize(D("0.01"))
gull["fuel_rows"] = sum(len(v) for v in fuel.values())

# bookings
B = [  # id, created, service, status, amount, deposit, channel, customer
 ("GR-201", "2026-09-02", "2026-09-20", "Completed", "1,440.00", "430.00", "Website", "Avery Stanhope"),
 ("GR-202", "2026-09-05", "2026-09-27", "completed", "1,260.00", "380.00", "GetMyBoat", "Gray Underhill"),
 ("GR-203", "2026-09-10", "", "Quote sent", "980.00", "", "Phone", "Indigo Calloway"),
 ("GR-204", "2026-09-12", "", "Inquiry", "", "", "Website", "Kai Thistlewood"),
 ("GR-205", "2026-10-01", "2026-10-18", "Completed", "1,520.00", "450.00", "Website", "Sage Kettering"),
 ("GR-206", "2026-10-04", "2026-10-25", "Completed", "1,180.00", "350.00", "Friend", "Rowan Ashgrove"),
 ("GR-207", "2026-10-09", "", "Quoted", "1,050.00", "", "GetMyBoat", "Emery Blackwood"),
 ("GR-208", "2026-10-15", "", "New lead", "", "", "e-mail", "Harper Linwood"),
 ("GR-209", "2026-10-20", "2026-12-12", "Deposit Paid", "1,600.00", "480.00", "Website", "Quinn Marlowe"),
 ("GR-210", "2026-11-02", "2026-11-15", "Completed", "1,340.00", "400.00", "Website", "Bartholomew Alexander Fitzwilliam-Montgomery III of Nantucket"),
 ("GR-211", "2026-11-03", "2026-12-20", "Confirmed", "1,720.00", "520.00", "GetMyBoat", "Reese Halloway"),
 ("GR-212", "2026-11-05", "2027-01-10", "Booked", "1,100.00", "330.00", "Phone", "Tatum Everly"),
 ("GR-213", "2026-11-06", "2026-12-05", "Cancelled", "1,200.00", "360.00", "Website", "Morgan Wrenfield"),
 ("GR-214", "2026-11-08", "", "Quote sent", "990.00", "", "Website", "Jules Penhallow"),
 ("GR-215", "2026-11-10", "", "Quote sent", "1,150.00", "", "GetMyBoat", "Casey Thornbury"),
 ("GR-216", "2026-11-12", "", "Estimate", "870.00", "", "Friend", "Parker Vale"),
 ("GR-217", "2026-11-14", "", "Inquiry", "", "", "Website", "Devon Ashby"),
 ("GR-218", "2026-11-16", "", "Inquiry", "", "", "Phone", "Skyler Brandt"),
 ("GR-219", "2026-11-18", "", "Inquiry", "", "", "Website", "Logan Pryce"),
 ("GR-220", "2026-11-20", "", "Enquiry", "", "", "GetMyBoat", "Finley Oakes"),
 ("GR-221", "2026-11-23", "", "Inquiry", "", "", "Website", "Rory Castellan"),
 ("GR-222", "2026-11-25", "", "Inquiry", "", "", "Walk-in", "Ellis Drummond"),
]
write_csv("bookings/gull-rock.csv", "id,created,service_date,status,amount,deposit,channel,customer", B)
rank = {"inquiry": 1, "enquiry": 1, "new lead": 1, "quote sent": 2, "quoted": 2, "estimate": 2,
        "deposit paid": 3, "confirmed": 3, "booked": 3, "completed": 4}
def stage(r):
    s = r[3].lower()
    if s == "cancelled":
        return 3 if r[5] else (2 if r[4] else 1)
    return rank[s]
nov = [r for r in B if r[1].startswith("2026-11")]
gull["funnel_nov"] = {k: sum(1 for r in nov if stage(r) >= v) for k, v in (("inquiries", 1), ("quoted", 2), ("booked", 3), ("completed", 4))}
gull["funnel_nov"]["cancelled"] = sum(1 for r in nov if r[3] == "Cancelled")
commit = [r for r in B if r[3].lower() in ("completed", "deposit paid", "confirmed", "booked")]
amt = lambda s: D(s.replace(",", "")) if s else D(0)
gull["site_booking_share"] = D(sum(1 for r in commit if r[6] == "Website")) / len(commit)
gull["site_revenue_share"] = sum(amt(r[4]) for r in commit if r[6] == "Website") / sum(amt(r[4]) for r in commit)
shares = sorted(amt(r[5]) / amt(r[4]) for r in B if r[5])
n = len(shares)
gull["deposit_share_median"] = shares[n // 2] if n % 2 else (shares[n // 2 - 1] + shares[n // 2]) / 2
gull["bookings_deposits_total"] = sum(amt(r[5]) for r in B)

(ROOT / "handoffs/gull-rock.md").write_text(f"""---
owner: Dana Whitcombe
updated: 2026-11-28
---

# Gull Rock Charters — handoff

Two-boat sunset and fishing charter out of Gull Rock Marina. Fuel prices went up 5% {{again}}.

## Money

- **Cash on hand:** $14,900
- Burn rate: ~$2.5K/mo
- Monthly revenue: $2,400 (November)
- Stripe key: {SECRET}

## Sales

| Figure | Value |
| --- | --- |
| Open leads | 6 |
| OTA listings | GetMyBoat |
| Google rating | 4.7 (88 reviews) |

| Step | Count |
| --- | ---: |
| Inquiries | 13 |
| Quotes sent | 7 |
| Deposits paid | 4 |

## Ownership

- Equity promised — 10% to Jordan Reyes (partner)
- Agreement status: not signed, agreed verbally in July
""")

# ---------------- Meridian: Chase checking export (layout chase) ----------------
MARIN = "Northwind Harbour Logistics & Port Services Authority of Marin County"
SONOMA = "Northwind Harbour Logistics & Port Services Authority of Sonoma County"
chase = [  # date, description, amount (bank sign), type, check
 (date(2026, 9, 1), "ONLINE PAYMENT RENT OFFICE HARBOR SQ", D("-2100.00"), "ACH_DEBIT"),
 (date(2026, 9, 4), "GITHUB INC SOFTWARE", D("-84.00"), "DEBIT_CARD"),
 (date(2026, 9, 9), "XERO SUBSCRIPTION 50% PROMO {X}", D("-39.50"), "DEBIT_CARD"),
 (date(2026, 9, 15), "ORIG CO NAME:KEEL AND CO PAYMENT", D("4200.00"), "ACH_CREDIT"),
 (date(2026, 10, 1), "ONLINE PAYMENT RENT OFFICE HARBOR SQ", D("-2100.00"), "ACH_DEBIT"),
 (date(2026, 10, 4), "GITHUB INC SOFTWARE", D("-84.00"), "DEBIT_CARD"),
 (date(2026, 10, 9), "XERO SUBSCRIPTION 50% PROMO {X}", D("-39.50"), "DEBIT_CARD"),
 (date(2026, 10, 15), "CONTRACTOR PAYOUT A. LINDQVIST", D("-1800.00"), "ACH_DEBIT"),
 (date(2026, 10, 28), "ORIG CO NAME:NORTHWIND HARBOUR PAYMENT", D("6600.00"), "ACH_CREDIT"),
 (date(2026, 11, 1), "ONLINE PAYMENT RENT OFFICE HARBOR SQ", D("-2100.00"), "ACH_DEBIT"),
 (date(2026, 11, 4), "GITHUB INC SOFTWARE", D("-84.00"), "DEBIT_CARD"),
 (date(2026, 11, 9), "XERO SUBSCRIPTION 50% PROMO {X}", D("-39.50"), "DEBIT_CARD"),
 (date(2026, 11, 15), "CONTRACTOR PAYOUT A. LINDQVIST", D("-1950.00"), "ACH_DEBIT"),
 (date(2026, 11, 20), "ORIG CO NAME:NORTHWIND HARBOUR PAYMENT", D("7425.00"), "ACH_CREDIT"),
]
bal = D("18250.00")
rows = []
for d, desc, a, typ in chase:
    bal += a
    rows.append((d, desc, a, typ, bal))
with open(ROOT / "ledgers/Chase4417_Activity_20261201.CSV", "w") as f:
    f.write("Details,Posting Date,Description,Amount,Type,Balance,Check or Slip #\n")
    for d, desc, a, typ, b in reversed(rows):
        f.write(",".join(["CREDIT" if a > 0 else "DEBIT", d.strftime("%m/%d/%Y"), desc, f"{a:.2f}", typ, f"{b:.2f}", ""]) + ",\n")
mer = {}
for m in (9, 10, 11):
    mr = [r for r in chase if r[0].month == m]
    mer[m] = dict(revenue=sum((r[2] for r in mr if r[2] > 0), D(0)), expenses=-sum((r[2] for r in mr if r[2] < 0), D(0)),
                  net_burn=-sum((r[2] for r in mr), D(0)))
mer["cash"] = rows[-1][4]
# anchor = first date's closing balance; cash = last balance
# timesheets
T = [  # date, client, person, hours, billable, rate, invoice
 ("2026-09-08", MARIN, "Ana", "8.0", "yes", "165.00", "MA-2026-031"),
 ("2026-09-15", MARIN, "Ana", "12.0", "yes", "165.00", "MA-2026-031"),
 ("2026-09-22", MARIN, "Ben", "20.0", "yes", "165.00", "MA-2026-031"),
 ("2026-09-10", SONOMA, "Ben", "20.0", "yes", "165.00", "MA-2026-032"),
 ("2026-10-06", MARIN, "Ana", "25.0", "yes", "165.00", "MA-2026-034"),
 ("2026-10-13", MARIN, "Ben", "20.0", "yes", "165.00", "MA-2026-034"),
 ("2026-10-20", "Keel & Co.", "Ana", "8.0", "yes", "150.00", "MA-2026-033"),
 ("2026-10-21", "Keel & Co.", "Ben", "2.0", "no", "150.00", ""),
 ("2026-11-03", SONOMA, "Ana", "30.0", "yes", "165.00", "MA-2026-035"),
 ("2026-11-10", MARIN, "Ana", "6:30", "yes", "165.00", ""),
 ("2026-11-12", MARIN, "Ben", "7.25", "yes", "165.00", "none"),
 ("2026-11-18", SONOMA, "Ben", "4.0", "yes", "165.00", ""),
 ("2026-11-24", "Keel & Co.", "Ana", "3.5", "yes", "150.00", "-"),
 ("2026-11-25", "Keel & Co.", "Ana", "1.5", "no", "150.00", ""),
 ("2026-12-03", MARIN, "Ana", "5.0", "yes", "165.00", ""),
]
write_csv("time/meridian-timesheet.csv", "date,client,person,hours,billable,rate,invoice", T)
def hrs(s):
    if ":" in s:
        h, m = s.split(":")
        return D(h) + D(m) / 60
    return D(s)
unb = [r for r in T if r[4] == "yes" and r[6] in ("", "none", "-") and r[0] <= "2026-12-01"]
mer["unbilled"] = sum(hrs(r[3]) * D(r[5]) for r in unb)
mer["unbilled_hours"] = sum(hrs(r[3]) for r in unb)
mer["billable_hours_nov"] = sum(hrs(r[3]) for r in T if r[4] == "yes" and r[0].startswith("2026-11"))
I = [
 ("MA-2026-031", MARIN, "2026-09-30", "2026-10-30", "6,600.00", "2026-10-28"),
 ("MA-2026-032", SONOMA, "2026-09-30", "2026-10-30", "3,300.00", ""),
 ("MA-2026-033", "Keel & Co.", "2026-10-31", "2026-11-30", "1,200.00", ""),
 ("MA-2026-034", MARIN, "2026-10-31", "2026-11-30", "7,425.00", "2026-11-20"),
 ("MA-2026-035", SONOMA, "2026-11-15", "2026-12-15", "4,950.00", ""),
]
write_csv("time/meridian-invoices.csv", "number,client,issued,due,amount,paid_on", I)
issued = sum(amt(r[4]) for r in I)
mer["receivable"] = sum(amt(r[4]) for r in I if not r[5])
mer["collection_rate"] = sum(amt(r[4]) for r in I if r[5]) / issued
mer["top_client_share"] = sum(amt(r[4]) for r in I if r[1] == MARIN) / issued
mer["realisation"] = issued / sum(hrs(r[3]) * D(r[5]) for r in T if r[4] == "yes" and r[0] <= "2026-12-01")
(ROOT / "handoffs/meridian.md").write_text("""# Meridian Advisory — handoff

Fractional CFO and port-logistics advisory for harbour authorities.

## Money

- Cash on hand: $21,000
- Monthly revenue: $7,400
- Pipeline: 2

## Open items

About $3,000 of November work is unbilled; it needs invoicing before the 15th.
""")

# ---------------- Bay Cabin: numbered accounts, natural sign, many Misc rows ----------------
bay = [("2026-06-01", "1000 Checking", "15,000.00", "Opening balance", "", "opening")]
stays = [  # id, created, start, nights, amount, channel, guest
 ("BC-01", "2026-05-20", "2026-06-05", 4, "720.00", "Airbnb", "Lee Park"),
 ("BC-02", "2026-06-01", "2026-06-20", 3, "555.00", "Website", "Sam Ortiz"),
 ("BC-03", "2026-06-15", "2026-07-02", 7, "1,365.00", "Airbnb", "Ira Banks"),
 ("BC-04", "2026-07-01", "2026-07-18", 5, "975.00", "Vrbo", "Noel Frost"),
 ("BC-05", "2026-07-10", "2026-08-01", 10, "1,980.00", "Airbnb", "Ada Moss"),
 ("BC-06", "2026-08-05", "2026-08-22", 6, "1,140.00", "Website", "Eli Stone"),
 ("BC-07", "2026-08-20", "2026-09-12", 4, "700.00", "Airbnb", "Mia Lund"),
 ("BC-08", "2026-09-15", "2026-10-09", 3, "510.00", "Vrbo", "Oli Dunn"),
 ("BC-09", "2026-10-01", "2026-11-06", 2, "330.00", "Airbnb", "Zoe Hart"),
]
with open(ROOT / "bookings/bay-cabin.csv", "w") as f:
    f.write("id,created,service_date,status,amount,nights,channel,guest\n")
    for r in stays:
        f.write(",".join(q(str(c)) for c in (r[0], r[1], r[2], "completed", r[4], r[3], r[5], r[6])) + "\n")
for r in stays:
    bay.append((r[2], "4000 Rental Income", r[4], f"Stay {r[0]}", r[5], ""))
    bay.append((r[2], "6100 Cleaning", "85.00", f"Turnover clean {r[0]}", "Sparkle Cleaning", ""))
misc = ["22.50", "18.99", "33.40", "15.00", "27.25", "19.95", "41.00", "24.80", "16.49", "32.00",
        "21.11", "29.99", "17.50", "38.30", "23.45", "14.75", "26.60", "31.20", "19.00", "28.40",
        "36.15", "1,020.10", "25.55"]
for i, a in enumerate(misc):
    d = date(2026, 6, 3) + timedelta(days=7 * i)
    memo = f"Hardware store run {{#{i+1}}} 10% off" if i != 4 else f"Locksmith; door code key {SECRET}"
    bay.append((d.isoformat(), "6900 Miscellaneous", a, memo, "Harbor Hardware", ""))
for m in (6, 7, 8, 9, 10, 11):
    bay.append((f"2026-{m:02d}-15", "6500 Property Tax", "310.00", "Escrow {county} 1.2%", "Bay County Treasurer", ""))
bay.sort(key=lambda r: (r[0], r[5] != "opening"))
write_csv("ledgers/bay-cabin.csv", "date,account,amount,memo,counterparty,type", bay)
bc = {}
win_nights = sum((date(2026, m + 1, 1) - date(2026, m, 1)).days for m in range(6, 12))
in_win = [r for r in stays if "2026-06-01" <= r[2] <= "2026-11-30"]
bc["window_nights"] = win_nights
bc["occupied"] = sum(r[3] for r in in_win)
bc["occupancy"] = D(bc["occupied"]) / win_nights
bc["adr"] = sum(amt(r[4]) for r in in_win) / bc["occupied"]
bc["misc_total"] = sum(amt(a) for a in misc)
bc["misc_rows"] = len(misc)
bc["revenue_nov"] = sum(amt(r[4]) for r in stays if r[2].startswith("2026-11"))
bc["rental_income_window"] = sum(amt(r[4]) for r in in_win)
opx = len(in_win) * D(85) + bc["misc_total"] + 6 * D(310)
bc["noi_annual"] = (bc["rental_income_window"] - opx) * 12 / 6
bc["cash"] = D(15000) + sum(amt(r[2]) * (1 if r[1].startswith("4") else -1) for r in bay if r[5] == "")
(ROOT / "handoffs/bay-cabin.md").write_text("""# Bay Cabin — handoff

- Occupancy: 20%
- Average daily rate: $190
- OTA listings: Airbnb, Vrbo
- Cash: $13,000
""")

# ---------------- Blue Passage: trips ----------------
TR = [
 ("BP-101", "2026-07-06", "2026-07-09", "Annapolis MD", "Newport RI", "360", "2,130.00", "846.00"),
 ("BP-102", "2026-08-14", "2026-08-15", "Newport RI", "Portland ME", "150", "1,050.00", "0"),
 ("BP-103", "2026-09-20", "2026-09-26", "Portland ME", "Halifax NS {customs 2%}", "410", "3,480.50", "1,212.40"),
 ("BP-104", "2026-10-30", "2026-11-02", "Halifax NS", "Boston MA", "380", "2,760.00", "905.10"),
 ("BP-105", "2026-11-20", "", "Boston MA", "Provincetown MA", "45", "420.00", ""),
]
write_csv("trips/blue-passage.csv", "id,start,end,origin,destination,nm,fee,expenses", TR)
bp = {}
fees = [amt(r[6]) for r in TR]
exps = [amt(r[7].replace("(", "").replace(")", "")) for r in TR]
bp["trips"] = len(TR)
bp["revenue_per_trip"] = sum(fees) / len(TR)
bp["margin_per_trip"] = (sum(fees) - sum(exps)) / len(TR)
bp["nm"] = sum(D(r[5]) for r in TR)
bp["revenue_per_nm"] = sum(fees) / bp["nm"]
days = set()
for r in TR:
    s = date.fromisoformat(r[1]); e = date.fromisoformat(r[2]) if r[2] else s
    while s <= e:
        days.add(s); s += timedelta(days=1)
win = (date(2026, 12, 1) - date(2026, 7, 1)).days
bp["utilisation"] = D(len([d for d in days if d < date(2026, 12, 1)])) / win
bp["window_days"] = win
(ROOT / "handoffs/blue-passage.md").write_text("""# Blue Passage — handoff

- Deliveries: 5
- Day rate: $650
- Pipeline: none
""")

# ---------------- a platform stream, note only ----------------
(ROOT / "handoffs/crewboard.md").write_text("""# Crewboard — handoff

- Active users: 312
- Placements: 9
- Take rate: 12%
- Churn: 4%
""")

(ROOT / "repos.env").write_text(f"""# shared deployment settings
STRIPE_SECRET_KEY={SECRET}
APP_ENV=production
DATABASE_URL=
""")

(ROOT / "portfolio.toml").write_text(f"""[portfolio]
name = "Harbor & Marin Coastal Ventures Holding Portfolio"
currency = "USD"
stale_after_days = 45
show_customer_names = true

[delivery]
transport = "outbox"
sender = "reports@audit.example"
operator = "ops@audit.example"

[[entities]]
id = "gull-rock"
name = "Gull Rock Charters & Sunset Fishing Excursions of Marin"
kind = "charter"
handoff = "handoffs/gull-rock.md"
bookings = "bookings/gull-rock.csv"
env = ["repos.env"]
channels = {{ getmyboat = true }}

[entities.ledger]
path = "ledgers/gull-operating.csv"
sign = "bank"
date_format = "%m/%d/%Y"

[entities.ledger.columns]
memo = "Description"
counterparty = "Payee"
reference = "Ref"

[[entities]]
id = "meridian"
name = "Meridian Advisory & Fractional CFO Services Partners LLC"
kind = "consultancy"
handoff = "handoffs/meridian.md"
ledger = "ledgers/Chase4417_Activity_20261201.CSV"
timesheets = "time/meridian-timesheet.csv"
invoices = "time/meridian-invoices.csv"
env = ["repos.env"]

[[entities]]
id = "bay-cabin"
name = "Bay Cabin"
kind = "rental"
handoff = "handoffs/bay-cabin.md"
ledger = "ledgers/bay-cabin.csv"
bookings = {{ path = "bookings/bay-cabin.csv", columns = {{ customer = "guest" }} }}
settings.operations = {{ property_value = 385000, cash_invested = 96000 }}

[[entities]]
id = "blue-passage"
name = "Blue Passage Yacht Delivery"
kind = "delivery"
handoff = "handoffs/blue-passage.md"
trips = "trips/blue-passage.csv"

[[entities]]
id = "crewboard"
name = "Crewboard"
kind = "platform"
stream = true
handoff = "handoffs/crewboard.md"
""")

def monthsum(rows, m, pref):
    return sum((amt(r[2]) for r in rows if r[0].startswith(f"2026-{m:02d}") and r[1].startswith(pref) and r[5] == ""), D(0))
for m in (6,7,8,9,10,11):
    bc[f"rev_{m}"] = monthsum(bay, m, "4"); bc[f"exp_{m}"] = monthsum(bay, m, "6")
gull["runway_low"] = (gull_cash / max(gull[m]["net_burn"] for m in (9,10,11))).quantize(D("0.01"))
gull["runway_high"] = (gull_cash / min(gull[m]["net_burn"] for m in (9,10,11))).quantize(D("0.01"))
import math
gull["runway_out_date"] = (date(2026,12,1) + timedelta(days=math.floor(gull["runway_avg"] * D("365.25") / 12))).isoformat()
gull["gross_burn"] = {m: -sum((r[2] for r in g if r[6] == "" and r[0].month == m and r[2] < 0), D(0)) for m in (9,10,11)}
gull["fuel_nov"] = sum(D(a) for a in fuel[11]); gull["fuel_oct"] = sum(D(a) for a in fuel[10])
roll = {}
for m in (9,10,11):
    roll[m] = dict(revenue=gull[m]["revenue"] + mer[m]["revenue"] + bc[f"rev_{m}"], expenses=gull[m]["expenses"] + mer[m]["expenses"] + bc[f"exp_{m}"])
    roll[m]["net"] = roll[m]["revenue"] - roll[m]["expenses"]
out = {"roll": roll, "secret": SECRET, "gull": gull, "meridian": mer, "bay": bc, "blue": bp}
print(json.dumps(out, default=str, indent=1))
