#!/usr/bin/env bash
# audit.sh — re-runs the audit30 checks of execbrief on a freshly generated portfolio.
# Prints PASS/FAIL per check; exits 1 when any check fails. Runnable from any directory.
#   EXECBRIEF=/path/to/execbrief bash tests/data/audit30/audit.sh      (KEEP=1 keeps the work folder)
set -u
E="${EXECBRIEF:-/work/main/.venv/bin/execbrief}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${PYTHON:-python3}"
W="$(mktemp -d "${TMPDIR:-/tmp}/audit30.XXXXXX")"
[ "${KEEP:-0}" = 1 ] && echo "work folder: $W" || trap 'rm -rf "$W"' EXIT
ASOF=2026-12-01
FAILS=0
pass() { echo "PASS  $*"; }
fail() { echo "FAIL  $*"; FAILS=$((FAILS + 1)); }
verdict() { if [ "$1" = 0 ]; then pass "$2"; else fail "$2${3:+ — $3}"; fi; }

# A fresh fake live Stripe key each run (24 random alphanumerics after sk_live_).
SECRET="sk_live_$("$PY" -c 'import secrets,string;print("".join(secrets.choice(string.ascii_letters+string.digits) for _ in range(24)))')"
"$PY" "$HERE/gen/make_portfolio.py" "$W/p1" "$SECRET" > "$W/figures.json" || { echo "FAIL  generating the portfolio"; exit 1; }
P="$W/p1"; C="$P/portfolio.toml"
b() { "$E" build -c "$C" --as-of "$ASOF" "$@"; }

# 1. check / collect
"$E" check -c "$C" --as-of "$ASOF" > "$W/check.txt" 2>&1; rc=$?
grep -q "ok config" "$W/check.txt" && [ $rc -le 1 ]; verdict $? "check: config valid, every source read (rc=$rc; 1 = the stale Bay Cabin bookings, as documented)"
bad=$(grep -c "problems, listed below" "$W/check.txt"); [ "$bad" = 0 ]; verdict $? "check: no source has problems" "$bad sources with problems"
"$E" collect -c "$C" --as-of "$ASOF" > "$W/collect.txt" 2>&1; verdict $? "collect exits 0"
"$E" collect -c "$C" --as-of "$ASOF" --json > "$W/collect.json" 2>/dev/null; verdict $? "collect --json exits 0"

# 2. first build (text), then json/markdown/html as the second run (uses the kept reports), then all again
for f in text json markdown html; do b --format "$f" --out "$W/first/$f" >/dev/null 2>"$W/first-$f.err"; verdict $? "build --format $f exits 0"; done
for f in text json markdown html; do b --format "$f" --out "$W/second/$f" >/dev/null 2>&1; done
for f in text json markdown html; do b --format "$f" --no-cache --out "$W/nocache/$f" >/dev/null 2>&1; done
for f in text json markdown html; do
  diff -r "$W/first/$f" "$W/second/$f" >/dev/null; verdict $? "cache: first and second unchanged build identical ($f)"
  diff -r "$W/second/$f" "$W/nocache/$f" >/dev/null; verdict $? "cache: cached build identical to --no-cache ($f)"
done

# 3. hand-worked figures (EXPECTED.md)
"$PY" "$HERE/tools/figures.py" "$W/first/text" "$W/first/json" > "$W/figures.txt"; rc=$?
cat "$W/figures.txt" | grep -E '^(FAIL)' ; verdict $rc "figures: every hand-worked figure of EXPECTED.md ($(grep -c '^PASS' "$W/figures.txt") passed, $(grep -c '^FAIL' "$W/figures.txt") failed)"

# 4. --jobs 1 and --jobs 2 give the same bytes
for f in text json; do
  b --format "$f" --jobs 1 --no-cache --out "$W/j1/$f" >/dev/null 2>&1
  b --format "$f" --jobs 2 --no-cache --out "$W/j2/$f" >/dev/null 2>&1
  diff -r "$W/j1/$f" "$W/j2/$f" >/dev/null; verdict $? "jobs: --jobs 1 and --jobs 2 identical ($f)"
done

# 5. text layout: 78 columns (characters, not bytes: mawk's length counts bytes), aligned tables, marks at line ends
"$PY" "$HERE/tools/textcheck.py" "$W/first/text" > "$W/textcheck.txt"; rc=$?
head -5 "$W/textcheck.txt" | sed 's/^/      /'; verdict $rc "text: every line <= 78 columns, tables aligned, citation marks at line ends"
grep -q 'on hand\. [a-z]' "$W/first/text/cfo.txt"; [ $? = 1 ]; verdict $? "text: forecast footnote starts its sentences with a capital" "$(grep -o 'on hand\. [a-z][a-z ]*' "$W/first/text/cfo.txt" | head -1)"

# 6. README: a build before anything was sent has no "Since last report" section (no history yet)
grep -qi "since last report" "$W/first/text/cfo.txt"; [ $? = 1 ]; verdict $? "README: a build before any send has no 'Since last report' section" "cfo.txt has one"

# 7. history: a send between two builds changes "Since last report"; the kept reports must not be reused stale
cp -r "$P" "$W/ph"; CH="$W/ph/portfolio.toml"
"$PY" - "$CH" <<'EOF'
import sys; p = sys.argv[1]; s = open(p).read()
s = s.replace("[delivery]", '[reports.cfo]\nto = ["cfo@audit.example"]\n\n[reports.ceo]\nto = ["ceo@audit.example"]\n\n[delivery]', 1)
open(p, "w").write(s)
EOF
"$E" build -c "$CH" --as-of "$ASOF" --out "$W/h/before" >/dev/null 2>&1
"$E" send -c "$CH" --as-of 2026-11-01 --allow-unreconciled > "$W/send.txt" 2>&1; verdict $? "send (outbox) for October exits 0"
"$E" build -c "$CH" --as-of "$ASOF" --out "$W/h/after" >/dev/null 2>&1
"$E" build -c "$CH" --as-of "$ASOF" --no-cache --out "$W/h/after-nc" >/dev/null 2>&1
diff -r "$W/h/after" "$W/h/after-nc" >/dev/null && grep -q "Compared with the CFO report for October 2026" "$W/h/after/cfo.txt"; verdict $? "cache: after a send the rebuilt report compares with October and equals --no-cache"
"$E" send -c "$CH" --as-of "$ASOF" --allow-unreconciled > "$W/send2.txt" 2>&1
"$PY" - "$W/ph/outbox" > "$W/brief.txt" <<'EOF'
import sys, glob, email, email.policy
bad = []
for p in sorted(glob.glob(sys.argv[1] + "/*.eml")):
    m = email.message_from_bytes(open(p, "rb").read(), policy=email.policy.default)
    body = m.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    bad += [(p, l) for l in body.split("\n") if len(l) > 78]
print(len(bad)); [print(b) for b in bad[:5]]
EOF
[ "$(head -1 "$W/brief.txt")" = 0 ]; verdict $? "brief: every mail body line <= 78 characters"

# 8. edit one ledger line (+1,000.00 on Bay Cabin's BC-09 stay), rebuild with the cache
E1="$W/pe"; cp -r "$P" "$E1"; CE="$E1/portfolio.toml"
"$E" build -c "$CE" --as-of "$ASOF" --out "$W/e/before" >/dev/null 2>&1
sed -i 's/^2026-11-06,4000 Rental Income,330.00,Stay BC-09/2026-11-06,4000 Rental Income,"1,330.00",Stay BC-09/' "$E1/ledgers/bay-cabin.csv"
"$E" build -c "$CE" --as-of "$ASOF" --out "$W/e/after" >/dev/null 2>&1
"$E" build -c "$CE" --as-of "$ASOF" --no-cache --out "$W/e/after-nc" >/dev/null 2>&1
diff -r "$W/e/after" "$W/e/after-nc" >/dev/null; verdict $? "edit: cached rebuild after the edit equals --no-cache"
grep -Pzq 'Bay Cabin(\s*\[[^\]]+\])*\n\s+Cash\s+\$20,066\.52' "$W/e/after/cfo.txt" && grep -Eq '2026-11 +\$11,125 +\$8,195\.55 +\$2,929\.45' "$W/e/after/cfo.txt" \
  && grep -q 'NOI (annualised) *\$10,133\.04' "$W/e/after/rental.txt"; verdict $? "edit: Bay Cabin cash +1,000 (\$20,066.52), portfolio Nov revenue \$11,125, NOI \$10,133.04"
! grep -rqE '\$19,066\.52|\$64,138\.33|\$8,133\.04|2026-11 +\$10,125 ' "$W/e/after"; verdict $? "edit: nothing stale remains"
# same size, same modification time, different bytes
cp -p "$E1/ledgers/bay-cabin.csv" "$W/ref.csv"
sed -i 's/"1,330.00",Stay BC-09/"1,930.00",Stay BC-09/' "$E1/ledgers/bay-cabin.csv"; touch -r "$W/ref.csv" "$E1/ledgers/bay-cabin.csv"
"$E" build -c "$CE" --as-of "$ASOF" --out "$W/e/same" >/dev/null 2>&1
grep -Pzq 'Bay Cabin(\s*\[[^\]]+\])*\n\s+Cash\s+\$20,666\.52' "$W/e/same/cfo.txt"; verdict $? "edit: a same-size edit with the old mtime is seen (cash \$20,666.52)"

# 9. --portfolios: two portfolios in one build
M="$W/multi"; mkdir -p "$M"; cp -r "$P" "$M/alpha"
mkdir -p "$M/beta/handoffs" "$M/beta/trips"; cp "$P/trips/blue-passage.csv" "$M/beta/trips/"; cp "$P/handoffs/blue-passage.md" "$M/beta/handoffs/"
cat > "$M/beta/portfolio.toml" <<'EOF'
[portfolio]
name = "Beta Yacht Deliveries"
currency = "USD"

[delivery]
transport = "outbox"
sender = "reports@beta.example"

[[entities]]
id = "blue-passage"
name = "Blue Passage Yacht Delivery"
kind = "delivery"
handoff = "handoffs/blue-passage.md"
trips = "trips/blue-passage.csv"
EOF
( cd "$W" && "$E" build --portfolios 'multi/*' --as-of "$ASOF" --out mout > "$W/mout.txt" 2>&1 ); rc=$?
[ $rc = 0 ] && [ -d "$W/mout/multi-alpha" ] && [ -d "$W/mout/multi-beta" ]; verdict $? "portfolios: build --portfolios writes mout/multi-alpha and mout/multi-beta (rc=$rc)"
diff -r "$W/first/text" "$W/mout/multi-alpha" >/dev/null; verdict $? "portfolios: a portfolio's reports equal its single build"
( cd "$W" && "$E" build --portfolios 'multi/*' --as-of "$ASOF" --jobs 1 --no-cache --out m1 >/dev/null 2>&1; "$E" build --portfolios 'multi/*' --as-of "$ASOF" --jobs 2 --no-cache --out m2 >/dev/null 2>&1 )
diff -r "$W/m1" "$W/m2" >/dev/null; verdict $? "portfolios: --jobs 1 and --jobs 2 identical"
( cd "$W" && "$E" build --portfolios 'multi/*' -c "$C" --out x >/dev/null 2>&1 ); [ $? = 2 ]; verdict $? "portfolios: with -c is a usage error (exit 2)"
( cd "$W" && "$E" build --portfolios 'nothing/*' --out x >/dev/null 2>&1 ); [ $? = 2 ]; verdict $? "portfolios: a glob matching nothing exits 2"

# 10. the planted secret never appears: reports, exports, mails, printed output, the stores (blobs opened)
"$PY" "$HERE/tools/leakscan.py" "$SECRET" "$W/first" "$W/second" "$W/nocache" "$W/j1" "$W/j2" "$W/h" "$W/e" "$W/mout" "$W/m1" "$W/m2" \
   "$W/collect.json" "$W/collect.txt" "$W/check.txt" "$W/send.txt" "$W/send2.txt" "$W/ph/outbox" "$P/.execbrief" "$W/ph/.execbrief" "$E1/.execbrief" \
   "$M/alpha/.execbrief" "$M/beta/.execbrief" > "$W/leak.txt"; rc=$?
verdict $rc "secrets: the planted key is in no output, export, mail or store ($(tail -1 "$W/leak.txt"))"
n=$("$PY" -c 'import sqlite3, sys; print("\n".join(sqlite3.connect(sys.argv[1]).iterdump()))' "$P/.execbrief/execbrief.db" | grep -c "${SECRET#sk_live_}"); [ "${n:-0}" = 0 ]; verdict $? "secrets: the store's SQL dump holds no trace of the key"

# 11. docs/delivery.md "What the store's blobs hold": source_cache.result is a 32-byte seal, a plain
#     pickle and, inside it, the records as a zlib stream; built_reports.built a seal + a zlib stream
"$PY" - "$P/.execbrief/execbrief.db" <<'EOF'; verdict $? "store: source_cache and built_reports blobs hold what delivery.md says"
import sys, sqlite3, zlib
con = sqlite3.connect(sys.argv[1]); bad = []; n = 0
for (blob,) in con.execute("select result from source_cache"):
    n += 1
    body = bytes(blob[32:])
    at = body.find(b"\x78\x01")
    try:
        assert body[:1] == b"\x80" and at > 0  # a pickle, with a zlib stream inside
        zlib.decompressobj().decompress(body[at:])
    except Exception:
        bad.append("source_cache")
for (blob,) in con.execute("select built from built_reports"):
    n += 1
    try:
        zlib.decompress(bytes(blob[32:]))
    except Exception:
        bad.append("built_reports")
print(f"      {len(bad)} of {n} blobs do not: {sorted(set(bad))}", file=sys.stderr) if bad else None
sys.exit(1 if bad or not n else 0)
EOF

echo
if [ "$FAILS" = 0 ]; then echo "ALL PASS"; else echo "$FAILS check(s) FAILED"; fi
[ "$FAILS" = 0 ]
