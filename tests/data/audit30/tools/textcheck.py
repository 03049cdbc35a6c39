#!/usr/bin/env python3
"""textcheck.py DIR : checks every *.txt report: width <= 78 characters, grid tables aligned
(the dash rule under a header gives the columns: every row's gaps between columns are blank and
right-aligned numbers end at their column's end), citation marks only at the end of a line
(or opening a SOURCES line). Prints problems; exit 1 if any."""
import sys, re, glob, os, unicodedata
MARK = re.compile(r"\[(?:\d+(?:[–,]\d+)*(?:,…)?)\]")
bad = 0
def report(f, n, msg, line):
    global bad
    bad += 1
    print(f"{os.path.basename(f)}:{n}: {msg}: {line!r}")
def width(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 0 if unicodedata.combining(c) else 1 for c in s)
for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.txt"))):
    lines = open(f, encoding="utf-8").read().split("\n")
    in_sources = False
    for i, l in enumerate(lines, 1):
        if width(l) > 78:
            report(f, i, f"{width(l)} columns", l)
        if l.strip() == "SOURCES":
            in_sources = True
        body = l.strip()
        if in_sources and MARK.match(body):
            body = MARK.sub("", body, count=1)
        # marks must be trailing: strip the trailing run of marks, then none may remain
        rest = re.sub(r"(\s*" + MARK.pattern + r")+\s*$", "", body)
        if MARK.search(rest):
            report(f, i, "citation mark inside the line", l)
    # grid tables
    for i in range(1, len(lines)):
        rule = lines[i]
        if not re.fullmatch(r"\s*-+(  +-+)+\s*", rule or "x"):
            continue
        spans = [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]
        header = lines[i - 1]
        j = i + 1
        end = j
        while end < len(lines) and lines[end].strip():
            end += 1
        # a footnote under the table: the last lines of the block, prose ending with a full stop
        foot = end
        if end > j and lines[end - 1].rstrip().endswith("."):
            foot = end - 1
            while foot > j and not re.search(r"\d  |\]$|  \S+$", lines[foot - 1]) and not lines[foot - 1].rstrip().endswith("]"):
                foot -= 1
        while j < foot and lines[j].startswith(" " * spans[0][0]):
            row = lines[j]
            for (s, e), (s2, _) in zip(spans, spans[1:]):
                gap = row[e:s2]
                if gap.strip():
                    report(f, j + 1, f"text in the gap between columns {s}-{e} and {s2}", row)
                    break
            # a right-aligned numeric cell must end exactly at its column end
            for (s, e) in spans[1:]:
                cell = row[s:e]
                if re.fullmatch(r"\s*-?\$?[\d,.]+%?( h)?", cell or "") and cell.strip() and not cell.endswith(cell.strip()):
                    report(f, j + 1, f"number not right-aligned in column {s}-{e}", row)
            j += 1
print(f"text problems: {bad}")
sys.exit(1 if bad else 0)
