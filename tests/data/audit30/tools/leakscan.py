#!/usr/bin/env python3
"""leakscan.py SECRET PATH... : search files (and SQLite stores, blobs zlib-decompressed) for SECRET.
Prints each hit; exit 1 if any."""
import sys, os, sqlite3, zlib
secret = sys.argv[1].encode()
needles = [secret, secret[8:]]  # the whole key, and its random part alone
hits = 0
streams = 0
depth_guard = [0]
def check(label, data):
    global hits
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if not isinstance(data, (bytes, bytearray)):
        return
    for n in needles:
        if n in data:
            print(f"LEAK {label}"); hits += 1; return
    # zlib streams anywhere in a blob (a kept source result is a seal, then a pickle holding
    # zlib-compressed packed records): try every zlib header
    if depth_guard[0] > 4:
        return
    starts = [0, 32] + [i for i in range(len(data) - 1) if data[i] == 0x78 and data[i + 1] in (0x01, 0x5e, 0x9c, 0xda)]
    seen = set()
    for off in starts:
        if off in seen or off >= len(data):
            continue
        seen.add(off)
        try:
            d = zlib.decompressobj().decompress(data[off:])
        except Exception:
            continue
        if len(d) < 8:
            continue
        depth_guard[0] += 1
        check(f"{label} (zlib@{off})", d)
        depth_guard[0] -= 1
        global streams
        streams += 1
def scan_db(path):
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
    except Exception as e:
        print(f"cannot open {path}: {e}"); return 0
    cells = 0
    for t in tables:
        for row in con.execute(f'select * from "{t}"'):
            for i, c in enumerate(row):
                cells += 1
                check(f"{path}:{t}[col {i}]", c)
    con.close()
    return cells
for root in sys.argv[2:]:
    for dp, dn, fn in os.walk(root) if os.path.isdir(root) else [(os.path.dirname(root), [], [os.path.basename(root)])]:
        for f in fn:
            p = os.path.join(dp, f)
            with open(p, "rb") as fh:
                data = fh.read()
            check(p, data)
            if data[:16] == b"SQLite format 3\x00":
                n = scan_db(p)
                print(f"scanned store {p}: {n} cells")
print(f"zlib streams opened: {streams}; leak hits: {hits}")
sys.exit(1 if hits else 0)
