"""A bounded fuzz harness for every file parser (issue 17, break 3 and 7).

Each target is a real source (``SiteSource``, ``HandoffSource``, ``BookingsSource`` for CSV and
JSON Lines, ``LedgerSource`` for CSV, beancount and OFX, ``EnvSource``, ``CodeSource`` for each code file kind) reading one
file. Inputs start from the demo portfolio's own files (real layouts, see
``execbrief/examples/harbor``) and are mutated by a seeded generator: hostile fragments the fault
run found (``<![[``, ``http://[x``, a huge ``&#...;``, ``$`` + 5,000 digits, ``2026-13-45``,
YAML aliases, unclosed blocks, ``async `` + newlines, deep nesting), repeats of a slice or
fragment, deletions, control and invalid-UTF-8 bytes.

An input passes when the source returns: a ``SourceError`` (a row, page or file problem) is a
fine answer; an exception out of ``collect`` is a crash, and an input read for more than
``SLOW_SECONDS`` is a hang. ``run`` stops at a time budget, so the test suite stays bounded and
``bench/fuzz.py`` can run it longer.
"""

from __future__ import annotations

import random
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from execbrief.config import Entity, SourceSpec
from execbrief.sources.base import SourceRequest
from execbrief.sources.bookings import BookingsSource
from execbrief.sources.code import CodeSource
from execbrief.sources.envfile import EnvSource
from execbrief.sources.handoff import HandoffSource
from execbrief.sources.ledger import LedgerSource
from execbrief.sources.site import SiteSource

EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "execbrief" / "examples" / "harbor"
#: Test fixtures shaped like real exports (tests/data/layouts names each file's source).
DATA = Path(__file__).resolve().parents[1] / "data"
SLOW_SECONDS = 2.0
MAX_INPUT = 200_000

HOSTILE = (
    "\x00", "\ufeff", "\r", "\r\n", "\t", "\u2028", "\x1b[31m", "\udcff",
    "$" + "9" * 5000, "1e99999", "-0", "NaN", "9" * 40, "(1,234.56)", "€", "1,2,3",
    "&#" + "9" * 60 + ";", "&#x" + "f" * 60 + ";", "<![[", "<![CDATA[", '<a href="http://[x">',
    '<a href="/x%00.html">', "<script>", "</", "<!--", '"', "'", "`", "\\", "/*", "//", "#",
    "---\n", "a: &x [*x, *x]\n", "*x", "{{nope}}", "{", "}", "[", "]", "(", ")", "|", "| a | b |\n|---|---|\n",
    "```\n", "-----BEGIN RSA PRIVATE KEY-----\n", "2026-13-45", "0001-01-01", "9999-12-31",
    "exports.handler = async ", "function doGet(e) {", "if (action === \"x\") {", "(/[",
    'resource "aws_s3_bucket" "b" {', "<<EOF\n", "include \"/etc/passwd\"\n", "export X=",
    "${X}", "=", ",", ";", "\n" * 40, " " * 200, "if event[\"httpMethod\"] == \"POST\":\n",
    '{"a":' * 50, "[" * 3000, "def handler(event, context):\n", "@app.route('/x')\n",
    "<STMTTRN>", "<OFX>", "</STMTTRN>", "<TRNAMT>", "<DTPOSTED>20261345", "<FITID>",
    "2026-01-01 open Assets:Cash\n", "pushtag #x\n", "  Assets:Cash  1.00 USD\n", 'option "x" "y"\n',
)  # fmt: skip


@dataclass(frozen=True)
class Target:
    """One parser: the source kind, the file name it reads, the source and its options."""

    name: str
    kind: str
    filename: str
    make: Callable[[], Any]
    seeds: tuple[str, ...]


def _texts(pattern: str, base: Path = EXAMPLES) -> tuple[str, ...]:
    return tuple(
        path.read_text(encoding="utf-8") for path in sorted(base.glob(pattern)) if path.is_file()
    )


def targets() -> list[Target]:
    """Every parser the harness drives, each seeded with the demo's files of its kind."""
    code = CodeSource
    out = [
        Target("site", "site", "index.html", SiteSource, _texts("sites/*/*.html")),
        Target("handoff", "handoff", "note.md", HandoffSource, _texts("handoffs/*.md")),
        Target("bookings-csv", "bookings", "b.csv", BookingsSource, _texts("bookings/harbor-charters.csv")),
        Target("bookings-jsonl", "bookings", "b.jsonl", BookingsSource, _texts("bookings/*.jsonl")),
        Target("ledger-csv", "ledger", "l.csv", LedgerSource, _texts("ledgers/harbor-charters.csv")),
        Target("ledger-beancount", "ledger", "l.beancount", LedgerSource, _texts("beancount/*.beancount", DATA)),
        Target("ledger-ofx", "ledger", "l.ofx", LedgerSource, _texts("layouts/*.[oq]fx", DATA)),
        Target("env", "env", "repos.env", EnvSource, (*_texts("*.env"), *_texts("fixtures/*.env"))),
        Target("code-python", "code", "app.py", code, _texts("code/*/backend/app.py")),
        Target("code-apps-script", "code", "Code.gs", code, _texts("code/*/apps-script/Code.gs")),
        Target("code-node", "code", "index.js", code, (
            "exports.handler = async (event) => {\n  if (event.httpMethod === 'POST') {\n"
            "    const auth = event.headers.authorization;\n    if (auth !== process.env.TOKEN) return 401;\n"
            "    await db.put({ TableName: 't' });\n  }\n  return 200;\n};\n",)),
        Target("code-terraform", "code", "main.tf", code, _texts("code/*/infra/main.tf")),
        Target("code-template", "code", "template.yaml", code, _texts("code/*/template.yaml")),
        Target("code-requirements", "code", "requirements.txt", code, _texts("code/*/backend/requirements.txt")),
        Target("code-package", "code", "package.json", code, _texts("code/*/apps-script/package.json")),
    ]  # fmt: skip
    return [t for t in out if t.seeds]


def mutate(rng: random.Random, text: str, max_input: int = MAX_INPUT) -> str:
    """One to four random edits of ``text``, bounded in size."""
    for _ in range(rng.randint(1, 4)):
        at = rng.randint(0, len(text))
        move = rng.random()
        if move < 0.4:
            text = text[:at] + rng.choice(HOSTILE) + text[at:]
        elif move < 0.6:
            piece = (
                rng.choice(HOSTILE) if rng.random() < 0.5 else text[at : at + rng.randint(1, 40)]
            )
            times = rng.choice((2, 10, 100, 1000, 5000))
            text = text[:at] + piece * min(times, max_input // max(len(piece), 1)) + text[at:]
        elif move < 0.75:
            text = text[:at] + text[at + rng.randint(1, 200) :]
        elif move < 0.9:
            text = (
                text[:at]
                + chr(rng.choice((0, 1, 8, 11, 12, 27, 127, 0x85, 0xA0, 0x202E, 0xFFFF)))
                + text[at:]
            )
        else:
            text = text[: rng.randint(0, len(text))]
    return text[:max_input]


@dataclass
class Tally:
    """What one run found, per target."""

    inputs: dict[str, int] = field(default_factory=dict)
    errors_reported: dict[str, int] = field(default_factory=dict)
    crashes: list[str] = field(default_factory=list)
    slow: list[str] = field(default_factory=list)
    slowest: dict[str, float] = field(default_factory=dict)


def _request(root: Path, target: Target) -> SourceRequest:
    return SourceRequest(
        entity=Entity(id="acme", name="Acme", kind="other"),
        spec=SourceSpec(target.kind, (target.filename,) if target.kind != "code" and target.kind != "site" else (target.kind,), target.make().Options(), f"entities[0].{target.kind}"),
        root=root,
        as_of=date(2026, 11, 20),
        stale_after_days=45,
    )  # fmt: skip


def _write(root: Path, target: Target, text: str, rng: random.Random) -> None:
    folder = root / target.kind if target.kind in {"code", "site"} else root
    folder.mkdir(exist_ok=True)
    data = text.encode("utf-8", "surrogateescape" if rng.random() < 0.5 else "replace")
    if rng.random() < 0.05:
        data = data + b"\xff\xfe\xc3"
    (folder / target.filename).write_bytes(data)


def run(
    root: Path,
    seconds_per_target: float,
    seed: int,
    tally: Tally | None = None,
    keep: Path | None = None,
    max_input: int = MAX_INPUT,
) -> Tally:
    """Drive every target for ``seconds_per_target`` with inputs from ``seed``; with ``keep``,
    every input that crashed or was slow is saved there whole, to reproduce."""
    tally = tally if tally is not None else Tally()
    rng = random.Random(seed)
    for target in targets():
        folder = root / target.name
        folder.mkdir(parents=True, exist_ok=True)
        source = target.make()
        stop = time.monotonic() + seconds_per_target
        while time.monotonic() < stop:
            text = mutate(rng, rng.choice(target.seeds), max_input)
            _write(folder, target, text, rng)
            began = time.process_time()  # CPU: a busy machine does not make an input slow
            try:
                result = source.collect(_request(folder, target))  # type: ignore[attr-defined]
            except Exception:
                tally.crashes.append(
                    f"{target.name}: {traceback.format_exc(limit=-4)}\ninput: {text[:300]!r}"
                )
                _keep(keep, target, "crash", text)
                continue
            finally:
                spent = time.process_time() - began
                tally.inputs[target.name] = tally.inputs.get(target.name, 0) + 1
                tally.slowest[target.name] = max(tally.slowest.get(target.name, 0.0), spent)
            if spent > SLOW_SECONDS:
                tally.slow.append(f"{target.name}: {spent:.1f} s on {text[:200]!r}")
                _keep(keep, target, f"slow-{spent:.0f}s", text)
            if result.errors:
                tally.errors_reported[target.name] = tally.errors_reported.get(target.name, 0) + 1
    return tally


def _keep(keep: Path | None, target: Target, why: str, text: str) -> None:
    if keep is None:
        return
    keep.mkdir(parents=True, exist_ok=True)
    number = len(list(keep.iterdir()))
    path = keep / f"{target.name}-{number}-{why}-{target.filename}"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
