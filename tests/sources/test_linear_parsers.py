"""The code, site and handoff-note parsers are linear on hostile files (issue 17, break 3).

Each pathological shape is written at about 1 MB and read by the real source (``CodeSource`` for
code files, ``SiteSource`` for pages, ``HandoffSource`` for notes) in a child process with a
wall-clock timeout, so a hang fails the test instead of blocking the suite. The child measures the
CPU time of the read alone (building the input is not counted, and CPU time is not inflated by
other jobs on the machine). Before the fix the first three shapes took 88 s, 121 s and 13 s at a
few KB to 69 KB; dense notes took 3 to 12 s a MB, the Python Lambda router 4 s.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from execbrief.sources.codeaudit.lambdas import MAX_ROUTES

MB = 1_000_000
#: CPU seconds one 1 MB code file or note may take (the Python Lambda router, 20,000 ``if`` routes
#: each an endpoint record through ``ast``, takes about 1 s a MB on a busy machine).
LIMIT = 2.0
#: A hostile page may take at most this many times an ordinary page of the same size (or the
#: bound), measured in the same child. On BeautifulSoup 1 MB of 100k nested ``<div>`` took 4.1 s,
#: 2.1 times the ordinary page (1.9 s); lxml reads the ordinary page in about 0.2 s and stops the
#: nested one at its depth limit (2,048) with a problem, in hundredths of a second.
PAGE_FACTOR = 1.5
#: On a busy machine CPU seconds inflate too (shared caches, frequency): a hostile code file may
#: also take this many times an ordinary 1 MB handler file read in the same child.
CODE_FACTOR = 5.0
WALL_TIMEOUT = 600  # a busy CI machine gives a child a few % of a core; a hang still fails

CHILD = textwrap.dedent(
    """
    import json, sys, tempfile, time
    from pathlib import Path
    from execbrief.config import Entity, SourceSpec
    from execbrief.sources.base import SourceRequest
    from execbrief.sources.code import CodeOptions, CodeSource
    from execbrief.sources.handoff import HandoffSource
    from execbrief.sources.bookings import BookingsSource
    from execbrief.sources.ledger import LedgerSource
    from execbrief.sources.site import SiteOptions, SiteSource
    from datetime import date

    def rep(unit, head="", tail=""):
        return head + unit * ((MB - len(head) - len(tail)) // len(unit)) + tail

    SHAPES = {SHAPES}

    for argument in sys.argv[1:]:
        name, _, size = argument.partition("@")  # "note-headings@256000": at another size
        MB = int(size or 1_000_000)
        kind, filename, expression = SHAPES[name]
        root = Path(tempfile.mkdtemp())
        folder = root / kind if kind in {"code", "site"} else root
        folder.mkdir(exist_ok=True)
        (folder / filename).write_text(eval(expression), encoding="utf-8")
        if kind == "code":
            source, options, paths = CodeSource(), CodeOptions(max_file_bytes=2 * MB), (kind,)
        elif kind == "site":
            source, options, paths = SiteSource(), SiteOptions(), (kind,)
        else:
            source = {"handoff": HandoffSource, "ledger": LedgerSource, "bookings": BookingsSource}[kind]()
            options, paths = source.Options(), (filename,)
        request = SourceRequest(
            entity=Entity(id="acme", name="Acme", kind="other"),
            spec=SourceSpec(kind, paths, options, f"entities[0].{kind}"),
            root=root,
            as_of=date(2026, 11, 20),
            stale_after_days=45,
        )
        print(json.dumps({"started": name}), flush=True)
        began = time.process_time()
        result = source.collect(request)
        spent = time.process_time() - began
        print(json.dumps({"name": argument, "seconds": spent, "records": len(result.records),
                          "errors": [e.message for e in result.errors]}), flush=True)
    """
)

#: name -> (source kind, file name, expression building the ~1 MB text in the child).
SHAPES: dict[str, tuple[str, str, str]] = {
    "js-plain-baseline": (
        "code",
        "plain.js",
        'rep("function f(a) { return a + 1; }\\n", "exports.handler = async (event) => {")',
    ),
    # the three of the issue
    "node-handler-newlines": (
        "code",
        "index.js",
        'rep("\\n", "exports.handler = async ", "x // event")',
    ),
    "apps-script-unclosed-functions": (
        "code",
        "Code.gs",
        'rep("function fN() {", "function doGet(e) {")',
    ),
    "terraform-unclosed-resources": (
        "code",
        "main.tf",
        'rep(\'resource "aws_s3_bucket" "b" {\\n  bucket = "x"\\n\')',
    ),
    # more of the same families
    "terraform-unclosed-heredocs": ("code", "heredoc.tf", 'rep("x = <<EOF\\n")'),
    "terraform-long-attribute": (
        "code",
        "spaces.tf",
        '\'resource "aws_s3_bucket" "b" {\\n  bucket = "\' + " " * MB + \'x\\n}\'',
    ),
    "js-unclosed-regex-classes": (
        "code",
        "regex.js",
        'rep("(/[", "exports.handler = async (event) => {")',
    ),
    "apps-script-nested-dispatch": (
        "code",
        "dispatch.gs",
        'rep(\'if (action === "x") {\', "function doGet(e) {")',
    ),
    "node-nested-routes": (
        "code",
        "routes.js",
        'rep(\'if (event.httpMethod === "GET") {\', "exports.handler = async (event) => {")',
    ),
    "node-header-reads": (
        "code",
        "reads.js",
        'rep("const a = event.headers.authorization;\\n", "exports.handler = async (event) => {")',
    ),
    "node-many-calls": (
        "code",
        "calls.js",
        'rep("f(", "function f() {} exports.handler = async (event) => {")',
    ),
    "apps-script-long-word": (
        "code",
        "word.gs",
        'rep("a", "function doGet(e) { if (x === ", ") {}}")',
    ),
    "apps-script-member-chain": (
        "code",
        "dots.gs",
        'rep("a.", "function doGet(e) { if (x === ", ") {}}")',
    ),
    "python-lambda-routes": (
        "code",
        "lambda.py",
        'rep(\'    if event["httpMethod"] == "GET":\\n        return 1\\n\', "def handler(event, context):\\n")',
    ),
    "python-deep-brackets": (
        "code",
        "nested.py",
        'rep("[", "def handler(event, context):\\n    x = ")',
    ),
    # Python handlers whose routes each cost more than their own lines before (quadratic):
    # 20,000 header reads bound to 20,000 names (the names were copied once a branch), 20,000
    # bindings of the method before 20,000 branches (the bindings were copied once a branch),
    # one router handed the event 30,000 times (it was analysed again each time: 36 s at 64 KB),
    # 7,000 branches each handing the event to that router (cut at lambdas.MAX_ROUTES and the
    # hand-off budget, with a problem), 30,000 dispatch-table keys on one big function (walked
    # once a key: 15 s at 64 KB), 4,000 elif branches (recursion overflowed at 800, losing the
    # file), and a branch over the product of two long ``in`` tuples
    "python-credential-names": (
        "code",
        "lambda.py",
        '"def handler(event, context):\\n" + "".join(f"    if event[\\"httpMethod\\"] == \\"GET\\":\\n'
        '        a{i} = event[\\"headers\\"][\\"authorization\\"]\\n        return 1\\n" for i in range(MB // 90))',
    ),
    "python-bound-methods": (
        "code",
        "lambda.py",
        '"def handler(event, context):\\n" + "".join(f"    m{i} = event[\\"httpMethod\\"]\\n'
        '    if m{i} == \\"GET\\":\\n        return 1\\n" for i in range(MB // 60))',
    ),
    "python-repeated-handoffs": (
        "code",
        "lambda.py",
        '"def route(event):\\n" + "    if event[\\"path\\"] == \\"/a\\":\\n        return 1\\n" * (MB // 90)'
        ' + "def handler(event, context):\\n" + "    route(event)\\n" * (MB // 32)',
    ),
    "python-handoffs-per-route": (
        "code",
        "lambda.py",
        '"def route(event):\\n" + "    if event[\\"path\\"] == \\"/a\\":\\n        return 1\\n" * (MB // 90)'
        ' + "def handler(event, context):\\n" + "".join(f"    if event[\\"httpMethod\\"] == \\"GET\\"'
        ' and event[\\"path\\"] == \\"/{i}\\":\\n        route(event)\\n" for i in range(MB // 140))',
    ),
    "python-table-one-target": (
        "code",
        "lambda.py",
        '"def f(event):\\n" + "    x = event[\\"body\\"]\\n" * (MB // 42) + "ROUTES = {" + "".join('
        'f"\\"GET /a{i}\\": f, " for i in range(MB // 32)) + "}\\ndef handler(event, context):\\n'
        '    return ROUTES\\n"',
    ),
    "python-elif-chain": (
        "code",
        "lambda.py",
        '"def handler(event, context):\\n    if event[\\"path\\"] == \\"/\\":\\n        return 0\\n"'
        ' + "".join(f"    elif event[\\"path\\"] == \\"/a{i}\\":\\n        return {i}\\n" for i in range(MB // 50))',
    ),
    "python-in-tuples": (
        "code",
        "lambda.py",
        '"def handler(event, context):\\n    b = json.loads(event[\\"body\\"])\\n    if event[\\"path\\"] in ("'
        ' + "".join(f"\\"/{i}\\"," for i in range(MB // 16)) + ") and b[\\"action\\"] in ("'
        ' + "".join(f"\\"a{i}\\"," for i in range(MB // 16)) + "):\\n        return 1\\n"',
    ),
    # 70,000 dependencies: each name's line was searched for in every line (21.5 s at 1 MB)
    "package-json-dependencies": (
        "code",
        "package.json",
        '"{\\"dependencies\\": {" + ",".join(f"\\"p{i}\\": \\"^1\\"" for i in range(MB // 14)) + "}}"',
    ),
    # Node routes reading the auth header: each line lookup compared the file with its masked
    # copy (4 s at 2 MB, 2.7x a doubling)
    "node-header-checks": (
        "code",
        "checks.js",
        '"exports.handler = async (event) => {" + "".join(f"if (event.path === \\"/a{i}\\") {{ const t = '
        'event.headers.authorization; if (t !== process.env.T) return 401; }}\\n" for i in range(MB // 110)) + "}"',
    ),
    "requirements-lines": ("code", "requirements.txt", 'rep("a==1 ; b\\n")'),
    "pyproject-dependencies": (
        "code",
        "pyproject.toml",
        '"[project]\\ndependencies = [" + rep(\'"a-b.c>=1",\') + "]\\n"',
    ),
    "python-boto-clients": ("code", "app.py", "rep(\"import boto3\\nboto3.client('s3')\\n\")"),
    # the site source, and the ordinary page the hostile ones are measured against
    "html-plain-baseline": (
        "site",
        "index.html",
        'rep("<p>Sail with us <a href=\\"/\\">home</a></p>\\n", "<html><body>")',
    ),
    "html-huge-entities": ("site", "index.html", 'rep("&#" + "9" * 5000 + ";", "<html><body>")'),
    "html-bogus-markup": ("site", "index.html", 'rep("<![[ x", "<html><body>")'),
    "html-many-links": (
        "site",
        "index.html",
        'rep(\'<a href="http://[x">x</a><a href="/x%00.html">y</a>\', "<html><body>")',
    ),
    "html-deep-nesting": ("site", "index.html", 'rep("<div>", "<html><body>")'),
    # nesting within the parser's depth (lxml's stops at 2,048 and says so), read whole
    "html-nested-closed": (
        "site",
        "index.html",
        'rep("<div>" * 1000 + "<a href=\\"/\\">x</a>" + "</div>" * 1000, "<html><body>")',
    ),
    "html-nested-microdata": (
        "site",
        "index.html",
        'rep(\'<div itemscope itemtype="https://schema.org/LocalBusiness"><span itemprop="name">'
        'x</span>\', "<html><body>")',
    ),
    "html-nested-headings": ("site", "index.html", 'rep("<h1>Cash <b>x", "<html><body>")'),
}
#: Dense handoff notes (markdown-it-py alone takes 3 to 12 s a MB of dense lines): prose, lists,
#: quotes and runs of markup the note parser skips, and labelled lines, tables, headings and
#: funnels it reads up to its cut (``notechunks.MAX_PARSED_CHARS``, one problem).
NOTE = "# Harbor\\n\\n"
NOTES: dict[str, tuple[str, str, str]] = {
    f"note-{name}": ("handoff", "note.md", expression)
    for name, expression in {
        "one-char-lines": f'rep("x\\n", "{NOTE}")',
        "bracket-lines": f'rep("[\\n", "{NOTE}")',
        "brackets": f'rep("[", "{NOTE}")',
        "long-paragraph": f'rep("we sailed twice and the weather held ", "{NOTE}")',
        "wrapped-prose": f'rep("we sailed twice and the weather held\\n", "{NOTE}")',
        "short-bullets": f'rep("- a\\n", "{NOTE}")',
        "nested-bullets": f'rep("- a\\n  - b\\n    - c\\n", "{NOTE}")',
        "ordered-items": f'rep("1. a\\n", "{NOTE}")',
        "quotes": f'rep("> a\\n", "{NOTE}")',
        "emphasis-runs": f'rep("*a* **b** _c_ __d__ ", "{NOTE}")',
        "hard-breaks": f'rep("a  \\n", "{NOTE}")',
        "label-lines": f'rep("Cash on hand: $12,400\\n", "{NOTE}")',
        "label-bullets": f'rep("- **Burn:** ~$8K/mo\\n", "{NOTE}")',
        "tables": f'rep("| Label | Value |\\n|---|---|\\n| Cash | $1 |\\n\\n", "{NOTE}")',
        "wide-table": f'rep("| a | b | c | d | e | f |\\n", "{NOTE}| a | b | c | d | e | f |'
        f'\\n|---|---|---|---|---|---|\\n")',
        "links": f'rep("[log](https://example.com/a) ", "{NOTE}")',
        "autolinks": f'rep("<https://a.example> ", "{NOTE}")',
        "headings": f'rep("## Cash\\n", "{NOTE}")',
        "setext-headings": f'rep("Cash\\n====\\n", "{NOTE}")',
        "chain-funnels": f'rep("Funnel: Enquiries 30 → Quotes 12 → Bookings 0\\n", "{NOTE}")',
        "colons": f'rep(":", "{NOTE}")',
    }.items()
}
SHAPES.update(NOTES)
#: Ledgers and bookings: beancount's 500,000 one-character lines (500,000 errors: 4.9 s), OFX
#: statements in SGML and XML (ofxparse on BeautifulSoup took 4.7 s at 1 MB; the tag reader,
#: ``sources/ofxtags.py``, 0.5 s), a single 1 MB value, 1 MB of nested tags and of unclosed
#: transactions (refused in one pass before the tags are read), JSON Lines of empty objects.
OFX_HEAD = (
    "OFXHEADER:100\\nDATA:OFXSGML\\nVERSION:102\\n\\n<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS>"
    "<CURDEF>USD<BANKACCTFROM><BANKID>1<ACCTID>1234<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST>"
)
OFX_TAIL = "</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>"
LEDGERS: dict[str, tuple[str, str, str]] = {
    "beancount-bad-lines": ("ledger", "l.beancount", 'rep("x\\n")'),
    "ofx-transactions": (
        "ledger",
        "l.ofx",
        f'rep("<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20251001<TRNAMT>-1.00<FITID>1<NAME>X</STMTTRN>\\n",'
        f' "{OFX_HEAD}", "{OFX_TAIL}")',
    ),
    "ofx-xml-transactions": (
        "ledger",
        "l.ofx",
        f'rep("<STMTTRN><TRNTYPE>DEBIT</TRNTYPE><DTPOSTED>20251001</DTPOSTED><TRNAMT>-1.00</TRNAMT>'
        f'<FITID>1</FITID><NAME>X</NAME></STMTTRN>\\n", "{OFX_HEAD}", "{OFX_TAIL}")',
    ),
    "ofx-huge-value": (
        "ledger",
        "l.ofx",
        f'rep("x", "{OFX_HEAD}<STMTTRN><DTPOSTED>20251001<TRNAMT>-1.00<FITID>1<NAME>",'
        f' "</STMTTRN>{OFX_TAIL}")',
    ),
    "ofx-nested-tags": ("ledger", "l.ofx", f'rep("<A>", "{OFX_HEAD}")'),
    "ofx-nested-closed-tags": ("ledger", "l.ofx", f'rep("<A>", "{OFX_HEAD}") + "</A>" * 5'),
    "ofx-unclosed-transactions": (
        "ledger",
        "l.ofx",
        f'rep("<STMTTRN><TRNTYPE>CREDIT\\n", "{OFX_HEAD}<STMTTRN><FITID>1</STMTTRN>", "{OFX_TAIL}")',
    ),
    "jsonl-empty-objects": ("bookings", "b.jsonl", 'rep("{}\\n")'),
}
SHAPES.update(LEDGERS)
PAGES = [name for name, shape in SHAPES.items() if shape[0] == "site" and "baseline" not in name]
GROUPS = [
    [
        name
        for name in list(SHAPES)[index::3]
        if name not in PAGES
        and name not in NOTES
        and name not in LEDGERS
        and "baseline" not in name
    ]
    for index in range(3)
]
NOTE_GROUPS = [list(NOTES)[index::2] for index in range(2)]
#: A shape at 1 MB may take at most this many times itself at 256 KB (linear: 4, quadratic: 16);
#: timings of a few tenths of a second on a loaded machine jitter by half, hence 8.
GROWTH = 8.0
#: Below this many CPU seconds a 256 KB timing is noise: the growth is measured from it.
FLOOR = 0.1
SMALL = 256_000
BASELINE = "js-plain-baseline"


def run_child(names: list[str], tmp_path: Path) -> dict[str, dict[str, object]]:
    script = tmp_path / "child.py"
    script.write_text(CHILD.replace("{SHAPES}", repr(SHAPES)), encoding="utf-8")
    try:
        done = subprocess.run(
            [sys.executable, str(script), *names],
            capture_output=True,
            text=True,
            timeout=WALL_TIMEOUT,
        )
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else (exc.stdout or "")
        started = [json.loads(line)["started"] for line in out.splitlines() if "started" in line]
        pytest.fail(f"hung for {WALL_TIMEOUT} s on the shape {started[-1] if started else '?'}")
    assert done.returncode == 0, done.stderr[-3000:]
    results = [json.loads(line) for line in done.stdout.splitlines()]
    return {r["name"]: r for r in results if "name" in r}


@pytest.mark.parametrize("group", range(len(GROUPS)))
def test_each_pathological_shape_reads_in_linear_time(group: int, tmp_path: Path) -> None:
    """Each code shape reads 1 MB within the bound, and 1 MB costs at most ``GROWTH`` times
    256 KB (a quadratic shape is caught below the bound too)."""
    names = GROUPS[group]
    results = run_child([BASELINE, *names, *(f"{n}@{SMALL}" for n in names)], tmp_path)
    baseline = float(results.pop(BASELINE)["seconds"])  # type: ignore[arg-type]
    assert set(results) == {*names, *(f"{n}@{SMALL}" for n in names)}
    seconds = {name: float(r["seconds"]) for name, r in results.items()}  # type: ignore[arg-type]
    too_slow = {n: round(seconds[n], 2) for n in names if _too_slow(seconds[n], baseline)}
    assert not too_slow, f"CPU seconds at 1 MB (an ordinary file: {baseline:.2f}): {too_slow}"
    assert not _steep(names, seconds), (
        f"CPU seconds at 256 KB and 1 MB, growing faster than linear: {_steep(names, seconds)}"
    )


def test_hostile_pages_read_as_fast_as_an_ordinary_page(tmp_path: Path) -> None:
    results = run_child(["html-plain-baseline", *PAGES], tmp_path)
    baseline = float(results["html-plain-baseline"]["seconds"])  # type: ignore[arg-type]
    too_slow = {
        name: round(float(results[name]["seconds"]), 2)  # type: ignore[arg-type]
        for name in PAGES
        if float(results[name]["seconds"]) > max(LIMIT, PAGE_FACTOR * baseline)  # type: ignore[arg-type]
    }
    assert not too_slow, f"CPU seconds at 1 MB (an ordinary page: {baseline:.2f}): {too_slow}"
    for name in PAGES:
        records = int(results[name]["records"])  # type: ignore[call-overload]
        # the site file and the page, and a LocalBusiness an item read (to the depth limit)
        expected = records > 2_000 if name == "html-nested-microdata" else records == 2
        assert expected, results[name]
    assert results["html-nested-closed"]["errors"] == [], results["html-nested-closed"]
    assert any(
        "nests its elements more than 2,048 deep; read up to line 1," in e
        for e in results["html-deep-nesting"]["errors"]  # type: ignore[union-attr]
    ), results["html-deep-nesting"]


def test_the_hostile_files_still_give_their_findings(tmp_path: Path) -> None:
    """Linear is not empty: the shapes that hold an endpoint or a page still report it."""
    names = ["node-handler-newlines", "apps-script-unclosed-functions"]
    results = run_child(names, tmp_path)
    for name in names:
        assert int(results[name]["records"]) >= 3, results[name]  # type: ignore[call-overload]
        assert not results[name]["errors"], results[name]


def _too_slow(seconds: float, baseline: float) -> bool:
    return seconds > max(LIMIT, CODE_FACTOR * baseline)


def _steep(names: list[str], seconds: dict[str, float]) -> dict[str, tuple[float, float]]:
    """The shapes whose 1 MB took over ``GROWTH`` times their 256 KB (or the floor)."""
    return {
        n: (round(seconds[f"{n}@{SMALL}"], 2), round(seconds[n], 2))
        for n in names
        if seconds[n] > GROWTH * max(seconds[f"{n}@{SMALL}"], FLOOR)
    }


@pytest.mark.parametrize("group", range(len(NOTE_GROUPS)))
def test_dense_notes_read_in_linear_time(group: int, tmp_path: Path) -> None:
    """Every dense note shape reads 1 MB within the bound, and 1 MB costs at most ``GROWTH``
    times 256 KB; what it holds is still read (labelled lines give facts up to the cut)."""
    names = NOTE_GROUPS[group]
    results = run_child([BASELINE, *names, *(f"{n}@{SMALL}" for n in names)], tmp_path)
    baseline = float(results.pop(BASELINE)["seconds"])  # type: ignore[arg-type]
    seconds = {name: float(r["seconds"]) for name, r in results.items()}  # type: ignore[arg-type]
    too_slow = {n: round(seconds[n], 2) for n in names if _too_slow(seconds[n], baseline)}
    assert not too_slow, f"CPU seconds at 1 MB (an ordinary file: {baseline:.2f}): {too_slow}"
    steep = _steep(names, seconds)
    assert not steep, f"CPU seconds at 256 KB and 1 MB, growing faster than linear: {steep}"
    for name in names:
        records = int(results[name]["records"])  # type: ignore[call-overload]
        if name in {"note-label-lines", "note-label-bullets", "note-tables", "note-headings"}:
            assert records >= 2_000, results[name]  # read up to the cut, not dropped
            assert any("is read to line" in e for e in results[name]["errors"]), results[name]  # type: ignore[union-attr]


def test_ledgers_and_bookings_read_in_linear_time(tmp_path: Path) -> None:
    names = list(LEDGERS)
    results = run_child([BASELINE, *names, *(f"{n}@{SMALL}" for n in names)], tmp_path)
    baseline = float(results.pop(BASELINE)["seconds"])  # type: ignore[arg-type]
    seconds = {name: float(r["seconds"]) for name, r in results.items()}  # type: ignore[arg-type]
    too_slow = {n: round(seconds[n], 2) for n in names if _too_slow(seconds[n], baseline)}
    assert not too_slow, f"CPU seconds at 1 MB (an ordinary file: {baseline:.2f}): {too_slow}"
    steep = _steep(names, seconds)
    assert not steep, f"CPU seconds at 256 KB and 1 MB, growing faster than linear: {steep}"
    for name in ("ofx-transactions", "ofx-xml-transactions"):
        assert int(results[name]["records"]) > 7_000, results[name]  # type: ignore[call-overload]
        assert not results[name]["errors"], results[name]
    assert int(results["ofx-huge-value"]["records"]) == 1, results["ofx-huge-value"]  # type: ignore[call-overload]
    for name in (
        "ofx-nested-tags",
        "ofx-nested-closed-tags",
        "ofx-unclosed-transactions",
        "beancount-bad-lines",
    ):
        assert results[name]["errors"], results[name]


def test_the_python_shapes_still_give_their_routes(tmp_path: Path) -> None:
    """The router's 20,000 routes are all listed; a 2,000-branch ``elif`` router (within
    CPython's own nesting limit) is read whole; a router handed the event 30,000 times lists
    its routes once each; the product of two 4,000-value tuples is cut at ``MAX_ROUTES`` with a
    problem naming the limit."""
    names = [
        "python-lambda-routes",
        f"python-elif-chain@{100_000}",
        f"python-repeated-handoffs@{64_000}",
        f"python-in-tuples@{64_000}",
    ]
    results = run_child(names, tmp_path)
    routes, elifs, handoffs, tuples = (results[name] for name in names)
    assert int(routes["records"]) > 18_000 and not routes["errors"], routes  # type: ignore[call-overload]
    assert int(elifs["records"]) > 100_000 // 50 and not elifs["errors"], elifs  # type: ignore[call-overload]
    # 64,000 // 90 branches in route(), each one route, once (not once per hand-off)
    assert 64_000 // 90 <= int(handoffs["records"]) <= 64_000 // 90 + 5, handoffs  # type: ignore[call-overload]
    assert int(tuples["records"]) <= MAX_ROUTES + 5, tuples  # type: ignore[call-overload]
    assert any(f"more than {MAX_ROUTES:,} routes" in e for e in tuples["errors"]), tuples  # type: ignore[union-attr]
