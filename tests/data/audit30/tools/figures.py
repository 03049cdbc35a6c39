#!/usr/bin/env python3
"""figures.py TEXTDIR JSONDIR : compares the hand-worked figures of EXPECTED.md with the reports.
One PASS/FAIL line per figure; exit 1 on any FAIL."""
import sys, re, json, os
T, J = sys.argv[1], sys.argv[2]
txt = {f[:-4]: open(os.path.join(T, f), encoding="utf-8").read() for f in os.listdir(T) if f.endswith(".txt")}
js = {f[:-5]: json.load(open(os.path.join(J, f))) for f in os.listdir(J) if f.endswith(".json")}
fails = 0
M = r"(?:\s*\[[^\]\n]+\])*"      # citation marks
GULL = re.escape("Gull Rock Charters & Sunset Fishing Excursions of Marin")
def ok(name, cond, detail=""):
    global fails
    print(("PASS" if cond else "FAIL") + f"  figure {name}" + (f" — {detail}" if detail and not cond else ""))
    fails += 0 if cond else 1
def has(report, pattern, name):
    m = re.search(pattern, txt.get(report, ""))
    ok(name, m is not None, f"{report}.txt has no match for /{pattern}/")
def series(report, title_start, name, label):
    def walk(o):
        if isinstance(o, dict):
            if o.get("type") == "chart" and str(o.get("title", "")).startswith(title_start):
                for s in o["series"]:
                    if s["name"] == name:
                        for p in s["points"]:
                            if p["label"] == label:
                                return p["value"]["amount"]
            for v in o.values():
                r = walk(v)
                if r is not None:
                    return r
        elif isinstance(o, list):
            for v in o:
                r = walk(v)
                if r is not None:
                    return r
    return walk(js.get(report, {}))
# 1-3 Gull Rock, November 2026 (the CFO's monthly chart series, JSON)
for n, (s, want) in enumerate((("Revenue", "2370.00"), ("Expenses", "3601.50"), ("Net burn", "1231.50")), 1):
    got = series("cfo", "Gull Rock Charters", s, "2026-11")
    ok(f"#{n} Gull Rock {s} 2026-11 = {want}", got == want, f"got {got}")
# 4-9 cash, burn, runway (CFO text, Gull Rock's block)
blk = re.search(GULL + M + r"\n((?:    .*\n)+)", txt.get("cfo", ""))
blk = blk.group(1) if blk else ""
for name, pat in (("#4 Gull cash $19,017.31", r"Cash\s+\$19,017\.31"),
                  ("#5 Gull headline burn $1,990.33/mo", r"Net burn \(average\)\s+\$1,990\.33/mo"),
                  ("#6 Gull net burn 3 mo $896.49–3,843/mo", r"Net burn \(3 mo\)\s+\$896\.49–3,843/mo"),
                  ("#7 Gull runway 9.55 months, out 2027-09-17", r"9\.55 months at the average burn \(out 2027-09-17\)"),
                  ("#8 Gull runway range 4.95–21.21 months", r"Runway\s+4\.95–21\.21 months"),
                  ("#9 Gull gross burn 3 mo $3,596.49–7,023/mo", r"Gross burn \(3 mo\)\s+\$3,596\.49–7,023/mo")):
    ok(name, re.search(pat, blk) is not None, "not in the CFO's Gull Rock cash block")
# 10 funnel
has("cmo", r"2026-11" + M + r"\n\s+Inquiries\s+13\n\s+Quoted\s+7\n\s+Booked\s+4\n\s+Completed\s+1\n\s+Cancelled\s+1\n", "#10 Gull Nov funnel 13/7/4/1/1")
# 11 channel share
has("cmo", GULL + M + r"\n\s+Channel\s+Own site\n\s+Bookings\s+4\n\s+Share\s+50%\n\s+Revenue\s+\$5,900\n\s+Revenue share\s+52\.9%", "#11 own-site share 50% / 52.9%")
# 12 deposit share, as docs/metrics.md defines it (corrected after this audit): the median over the
#    committed bookings with a stated deposit (8: GR-213, cancelled, does not count)
has("cfo", r"deposit share: 29\.9% \(median of 8 bookings", "#12 deposit share 29.9% over the 8 committed bookings with a deposit (metrics.md, Measured assumptions)")
# 13 deposits reconcile
has("accounting", r"deposits \$3,700 against the ledger's \$3,700", "#13 deposits $3,700 = $3,700")
# 14 fuel
has("accounting", r"Expenses:Fuel" + M + r"\n\s+Total\s+\$7,258\.19\n\s+Previous month\s+\$1,833\n\s+Last month\s+\$1,811\.50\n\s+Change\s+-\$21\.50\n\s+Change %\s+-1\.17%", "#14 fuel Nov vs Oct")
# 15-16 Meridian
for s, want in (("Revenue", "7425.00"), ("Expenses", "4173.50"), ("Net burn", "-3251.50")):
    got = series("cfo", "Meridian Advisory", s, "2026-11")
    ok(f"#15 Meridian {s} 2026-11 = {want}", got == want, f"got {got}")
has("cfo", r"Meridian Advisory & Fractional CFO Services Partners LLC" + M + r"\n\s+Cash\s+\$26,054\.50", "#16 Meridian cash $26,054.50")
# 17-21 billing
for name, pat in (("#17 unbilled $3,453.75", r"Unbilled work\s+\$3,453\.75"), ("#17 unbilled hours 21.25 h", r"Unbilled hours\s+21\.25 h"),
                  ("#18 receivable $9,450", r"Accounts receivable\s+\$9,450\b"),
                  ("#18 aging current $4,950", r"Current\s+\$4,950\s+MA-2026-035"), ("#18 aging 1-30 $1,200", r"1-30\s+\$1,200\s+MA-2026-033"),
                  ("#18 aging 31-60 $3,300", r"31-60\s+\$3,300\s+MA-2026-032"),
                  ("#19 collection rate 59.74%", r"Collection rate\s+59\.74%"), ("#19 largest client 59.74%", r"Largest client's share\s+59\.74%"),
                  ("#20 realisation 87.17%", r"Realisation\s+87\.17%")):
    has("billing", pat, name)
has("ceo", r"Billable hours per month\n\s+Status\s+tracked\n\s+Value\s+51\.25", "#21 billable hours Nov 51.25")
# 22-26 rental, misc, bay cash
for name, pat in (("#22 occupancy 24.04%", r"Occupancy\s+24\.04%"), ("#23 ADR $188.07", r"Average daily rate" + M + r"\n\s+Value\s+\$188\.07"),
                  ("#24 NOI $8,133.04", r"NOI \(annualised\)\s+\$8,133\.04"), ("#24 cap rate 2.11%", r"Cap rate\s+2\.11%"),
                  ("#24 cash-on-cash 8.47%", r"Cash-on-cash return\s+8\.47%")):
    has("rental", pat, name)
has("accounting", r"3 more such lines, 2026-10-21 to 2026-11-04 \(\$1,081\.80\)", "#25 misc: 20 listed + 3 more ($1,081.80)")
has("rental", r"\$1,583\.48 of uncategorised", "#25 misc total $1,583.48")
has("cfo", r"Bay Cabin" + M + r"\n\s+Cash\s+\$19,066\.52", "#26 Bay Cabin cash $19,066.52")
# 27 delivery
for name, pat in (("#27 revenue per trip $1,968.10", r"Revenue per trip\s+\$1,968\.10"), ("#27 margin per trip $1,375.40", r"Margin per trip\s+\$1,375\.40"),
                  ("#27 revenue per nm $7.32", r"Revenue per nautical mile\s+\$7\.32"), ("#27 utilisation 11.76%", r"Utilisation\s+11\.76%")):
    has("operations", pat, name)
# 28 roll-up
has("cfo", r"2026-11\s+\$10,125\s+\$8,195\.55\s+\$1,929\.45", "#28 portfolio Nov $10,125 / $8,195.55 / $1,929.45")
print(f"figures failed: {fails}")
sys.exit(1 if fails else 0)
