#!/usr/bin/env python3
"""Acceptance run of audit26 (issue 18: --jobs, the source cache, --portfolios), from the docs alone.

Copies clients/ to a fresh temporary folder (so no state from earlier runs counts), runs the
execbrief CLI the way the README and docs/delivery.md describe, and prints one PASS/FAIL line per
check. Exit 0 when every check passes. About a minute of CPU on 2 cores.

    python3 tests/data/audit26/run_acceptance.py [--keep]   (EXECBRIEF: the command to run)
"""
import json, os, re, shutil, sqlite3, subprocess, sys, tempfile, zlib, email, email.policy

EB = os.environ.get("EXECBRIEF", f"{sys.executable} -m execbrief").split()
HERE = os.path.dirname(os.path.abspath(__file__))
SECRETS = json.load(open(os.path.join(HERE, "SECRETS.json")))
results = []


def run(*args, cwd):
    p = subprocess.run([*EB, *args], cwd=cwd, capture_output=True, text=True,
                       env={**os.environ, "EXECBRIEF_PROGRESS": "never"})
    return p.returncode, p.stdout, p.stderr


def check(name, ok, detail=""):
    results.append(ok)
    print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f"  -- {detail}" if detail else ""))


def series(report_json):
    """{(chart title, series name): {month: amount}} of every monthly chart in a JSON report."""
    out = {}
    def walk(o):
        if isinstance(o, dict):
            if isinstance(o.get("series"), list) and "monthly revenue" in str(o.get("title")):
                for s in o["series"]:
                    out[(o["title"].split(":")[0], s.get("name"))] = {
                        p.get("label"): (p.get("value") or {}).get("amount") for p in s["points"]}
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)
    walk(report_json)
    return out


def blobs(b, depth=0):
    yield b
    if depth >= 3:
        return
    for m in re.finditer(rb"\x78[\x01\x5e\x9c\xda]", b):
        try:
            out = zlib.decompressobj().decompress(b[m.start():], 50_000_000)
        except Exception:
            continue
        if out:
            yield from blobs(out, depth + 1)


def leaks(root, inputs):
    found = []
    needles = {k: v.encode() for k, v in SECRETS.items()}
    def look(label, data):
        found.extend((label, k) for k, n in needles.items() if n in data)
    for dp, _, fn in os.walk(root):
        for f in fn:
            p = os.path.join(dp, f)
            rel = os.path.relpath(p, root)
            if rel in inputs:
                continue
            data = open(p, "rb").read()
            look(rel, data)
            if f.endswith(".eml"):
                m = email.message_from_bytes(data, policy=email.policy.default)
                for part in m.walk():
                    if not part.is_multipart():
                        look(rel + "#part", part.get_payload(decode=True) or b"")
            if data[:16] == b"SQLite format 3\x00":
                c = sqlite3.connect(f"file:{p}?mode=ro", uri=True)
                for (t,) in c.execute("select name from sqlite_master where type='table'"):
                    for row in c.execute(f'select * from "{t}"'):
                        for cell in row:
                            if cell is not None:
                                b = cell if isinstance(cell, bytes) else str(cell).encode()
                                for x in blobs(b):
                                    look(f"{rel}:{t}", x)
    return sorted(set(found))


def main():
    tmp = tempfile.mkdtemp(prefix="audit26-")
    w = os.path.join(tmp, "w")
    shutil.copytree(os.path.join(HERE, "clients"), os.path.join(w, "clients"), symlinks=True)
    for p in ("gullwing", "brightline"):
        for sub in (".execbrief", "outbox", "reports"):
            shutil.rmtree(os.path.join(w, "clients", p, sub), ignore_errors=True)
    gw, bl = "clients/gullwing/portfolio.toml", "clients/brightline/portfolio.toml"
    streams = []

    # 2. figures against EXPECTED.md
    rc, out, err = run("build", "-c", gw, "--format", "json", "--out", "out/gw1", cwd=w); streams += [out, err]
    s = series(json.load(open(os.path.join(w, "out/gw1/cfo.json"))))
    want = {("Gullwing Charters", "Revenue"): {"2026-10": "2420.00", "2026-11": "2690.25"},
            ("Gullwing Charters", "Expenses"): {"2026-10": "2302.50", "2026-11": "1384.05"},
            ("Pier Cafe", "Revenue"): {"2026-10": "3935.00", "2026-11": "3635.25"},
            ("Pier Cafe", "Expenses"): {"2026-10": "2012.35", "2026-11": "2221.00"},
            ("Portfolio", "Revenue"): {"2026-10": "6355.00", "2026-11": "6325.50"},
            ("Portfolio", "Net burn"): {"2026-10": "-2040.15", "2026-11": "-2720.45"}}
    bad = [(k, m, s.get(k, {}).get(m), v) for k, ms in want.items() for m, v in ms.items() if s.get(k, {}).get(m) != v]
    check("gullwing monthly revenue/expenses/net match EXPECTED.md", rc == 0 and not bad, str(bad) if bad else "")
    cfo = open(os.path.join(w, "out/gw1/cfo.json")).read()
    check("gullwing cash 11,423.70 and 8,336.90", "11423.70" in cfo and "8336.90" in cfo)
    rc, out, err = run("build", "-c", gw, "--report", "ceo", cwd=w); streams += [out, err]
    check("gullwing charters per month 1.33 (4 booked/completed in 2026-09..11)", re.search(r"Charters per month\s+Status\s+tracked\s+Value\s+1\.33", out) is not None)
    rc, out, err = run("build", "-c", bl, "--format", "json", "--out", "out/bl1", cwd=w); streams += [out, err]
    s = series(json.load(open(os.path.join(w, "out/bl1/ceo.json"))))
    ok = s.get(("Portfolio", "Revenue")) == {"2026-10": "5850.00", "2026-11": "4365.50"} and \
        s.get(("Portfolio", "Expenses")) == {"2026-10": "2444.99", "2026-11": "2057.79"}
    billing = open(os.path.join(w, "out/bl1/billing.json")).read()
    check("brightline revenue/expenses, cash 13,712.72, unbilled $990", ok and "13712.72" in open(os.path.join(w, "out/bl1/ceo.json")).read() and '"990' in billing)
    rc, out, err = run("build", "-c", gw, "--report", "ceo", cwd=w)
    check("notes-vs-data compares the report's month (Nov), not October", "the ledger (2026-10) says" not in out,
          "as_of 2026-11-30 reports November, but the note's November revenue is compared with October's ledger")

    # 3. cache
    db = os.path.join(w, "clients/gullwing/.execbrief/execbrief.db")
    rows = lambda: {(e, k): t for e, k, t in sqlite3.connect(db).execute("select entity, kind, stored_at from source_cache")}
    before = rows()
    run("build", "-c", gw, cwd=w)
    after = rows()
    check("second build reuses the kept results (source_cache rows not rewritten)", bool(before) and after == before,
          f"{len(before)} rows" + ("" if after == before else f"; before {before} after {after}"))
    # (the [shared] env and code are read on every run, as docs/architecture.md says: not kept)
    f = os.path.join(w, "clients/gullwing/ledgers/pier-cafe.csv")
    st = os.stat(f); text = open(f).read()
    open(f, "w").write(text.replace("2026-11-15,4000 Cafe Sales,1660.25", "2026-11-15,4000 Cafe Sales,1960.25"))
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    same = os.stat(f).st_size == st.st_size and os.stat(f).st_mtime_ns == st.st_mtime_ns
    run("build", "-c", gw, "--format", "json", "--out", "out/gw2", cwd=w)
    s = series(json.load(open(os.path.join(w, "out/gw2/cfo.json"))))
    check("same size+mtime edit of a ledger amount shows the new figure", same and s[("Pier Cafe", "Revenue")]["2026-11"] == "3935.25"
          and s[("Portfolio", "Revenue")]["2026-11"] == "6625.50")
    open(f, "w").write(text); os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    t = os.path.join(w, bl); conf = open(t).read()
    open(t, "w").write(conf.replace('amount = "8000.00"', 'amount = "9000.00"'))
    run("build", "-c", bl, "--format", "json", "--out", "out/bl2", cwd=w)
    check("changed source option (opening_balance) is re-read", "14712.72" in open(os.path.join(w, "out/bl2/ceo.json")).read())
    open(t, "w").write(conf)

    # 4. --jobs 1 vs 2 (uncached) vs 2 cached
    for tag, extra in (("j1", ["--jobs", "1", "--no-cache"]), ("j2", ["--jobs", "2", "--no-cache"]), ("j2c", ["--jobs", "2"])):
        for fmt in ("text", "json", "markdown", "html"):
            run("build", "-c", gw, "--format", fmt, "--out", f"out/{tag}", *extra, cwd=w)
        rc, out, err = run("collect", "-c", gw, "--json", *extra, cwd=w)
        open(os.path.join(w, f"out/{tag}/snapshot.json"), "w").write(out)
    d1 = subprocess.run(["diff", "-r", "out/j1", "out/j2"], cwd=w, capture_output=True).returncode
    d2 = subprocess.run(["diff", "-r", "out/j1", "out/j2c"], cwd=w, capture_output=True).returncode
    check("--jobs 1 vs --jobs 2 (and cached) byte-identical reports and snapshot", d1 == 0 and d2 == 0)

    # 5. many portfolios
    rc, out, err = run("build", "--portfolios", "clients/*", "--out", "multi", cwd=w); streams += [out, err]
    check("build --portfolios: exit 2, broken row failed, others built", rc == 2 and "failed [1]" in out
          and os.path.exists(os.path.join(w, "multi/clients-gullwing/cfo.txt"))
          and os.path.exists(os.path.join(w, "multi/clients-brightline/billing.txt")), f"rc={rc}")
    rc1, out1, err1 = run("send", "--portfolios", "clients/*", "--json", cwd=w)
    rc2, out2, err2 = run("send", "--portfolios", "clients/*", "--json", cwd=w); streams += [out1, err1, out2, err2]
    c1 = {p["portfolio"]: p["counts"] for p in json.loads(out1)["portfolios"]}
    c2 = {p["portfolio"]: p["counts"] for p in json.loads(out2)["portfolios"]}
    n_eml = sum(len([x for x in os.listdir(os.path.join(w, "clients", p, "outbox")) if "-alert-" not in x]) for p in ("gullwing", "brightline"))
    check("send --portfolios twice: 4 sent, then 4 skipped, 4 .eml files, exit 2 (broken)",
          rc1 == rc2 == 2 and c1["clients/gullwing"].get("sent") == 2 and c1["clients/brightline"].get("sent") == 2
          and c2["clients/gullwing"].get("skipped") == 2 and c2["clients/brightline"].get("skipped") == 2 and n_eml == 4,
          f"{c1} / {c2} / {n_eml} mails")

    # 6. secrets
    for i, text_ in enumerate(streams):
        open(os.path.join(w, f"out/stream-{i}.txt"), "w").write(text_)
    inputs = {"clients/gullwing/repos.env", "clients/gullwing/handoffs/gullwing-charters.md",
              "clients/gullwing/bank/Chase4821_Activity_20261130.CSV", "clients/brightline/app/.env",
              "clients/brightline/handoffs/brightline.md"}
    found = leaks(w, inputs)
    check("no planted secret in any output, log, outbox mail or store cell", not found, "; ".join(f"{k} in {l}" for l, k in found[:6]))

    print(f"\n{sum(results)}/{len(results)} passed; work folder {tmp}")
    if "--keep" not in sys.argv:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
