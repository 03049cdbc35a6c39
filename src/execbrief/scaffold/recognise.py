"""Walking a folder and telling what each file or folder is: handoff notes, ledgers and bank or
processor exports (by their headers), bookings, timesheets, invoices, trips, subscriber lists,
AWS cost exports, sites, code folders and ``.env`` files. Only headers and the first rows of a
table are looked at; an ``.env`` file is never opened (its values are secrets)."""

from __future__ import annotations

import csv
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from execbrief.scaffold.options import table_options
from execbrief.scaffold.tables import (
    HEADER_SEARCH,
    KINDS,
    missing_columns,
    recognise_rows,
    sample_table,
)
from execbrief.sources import layouts
from execbrief.sources.ledger import classify_account, guess_account_type, heading_labels
from execbrief.sources.ofx import OFX_SUFFIXES

#: How much of a file is read to recognise it.
READ_BYTES = 64 * 1024
#: Folders never walked: tools' own state, dependencies, build output.
SKIP_DIRS = frozenset(
    {".git", ".hg", ".venv", "venv", "node_modules", "__pycache__", ".execbrief", "outbox"}
    | {"dist", "build", ".terraform", ".aws-sam", ".pytest_cache", ".mypy_cache"}
)
#: A folder holding one of these is a code folder (a repo, an app, a Lambda).
CODE_MARKERS = frozenset(
    {"package.json", "requirements.txt", "pyproject.toml", "setup.py", "template.yaml"}
    | {"template.yml", "serverless.yml", "go.mod", "Cargo.toml", "Gemfile", "appsscript.json"}
    | {"lambda_function.py", "main.tf", "Dockerfile", "samconfig.toml"}
)
TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson")
NOTE_SUFFIXES = (".md", ".markdown")
NOT_NOTES = frozenset({"readme", "changelog", "license", "contributing", "code_of_conduct"})
BEANCOUNT_SUFFIXES = (".beancount", ".bean")


@dataclass
class Found:
    """One source init recognised: its kind, its path (relative, POSIX), the options it needs,
    the comment lines that show how it was read, and the guesses to check."""

    kind: str
    path: str
    options: dict[str, Any] = field(default_factory=dict)
    shown: list[str] = field(default_factory=list)
    guesses: list[str] = field(default_factory=list)
    title: str | None = None
    #: A handoff note's text in lower case (to tell which business mentions a tool or folder);
    #: never written to the config.
    mentions: str = ""
    #: A second source of a file already found as another (Airbnb's history as bookings too):
    #: an entity's own source of that kind comes first.
    companion: bool = False


@dataclass
class Walked:
    """Everything found under a folder, and the files looked at but not recognised."""

    found: list[Found]
    skipped: list[str]


def is_env_file(name: str) -> bool:
    """``.env``, ``.env.production``, ``repos.env``: the env source's file names."""
    return name == ".env" or name.startswith(".env.") or name.endswith(".env")


def walk(root: Path) -> Walked:
    """Recognise every source under ``root``, in sorted order."""
    found: list[Found] = []
    skipped: list[str] = []
    for folder, dirs, files in _folders(root):
        rel = folder.relative_to(root)
        if (rel.parts and CODE_MARKERS & set(files)) or ((folder / ".git").is_dir() and rel.parts):
            found.append(Found("code", rel.as_posix()))
            dirs.clear()  # the code source reads the whole folder
            continue
        if rel.parts and any(f.lower() in ("index.html", "index.htm") for f in files):
            found.append(Found("site", rel.as_posix()))
        for name in files:
            path = folder / name
            item = _file(path, path.relative_to(root).as_posix(), in_site=_in_site(found, rel))
            if item is None:
                if name.lower().endswith(TABLE_SUFFIXES):
                    jsonl = path.suffix.lower() in (".jsonl", ".ndjson")
                    rows = sample_table(_head(path), jsonl=jsonl)
                    skipped.append(why_not(rows, path.relative_to(root).as_posix()))
            else:
                found.append(item)
                found.extend(_also(item))
    return Walked(found, skipped)


#: A file that is two sources at once: Airbnb's transaction history is the rental's money (its
#: ledger) and its stays (its bookings), read with a layout each (docs/formats.md, Airbnb).
ALSO = {"airbnb-transactions": ("bookings", "airbnb-reservations")}


def _also(item: Found) -> list[Found]:
    """The other source a file is, listed beside the one it was recognised as."""
    layout = item.options.get("layout") if isinstance(item.options, dict) else None
    if item.kind != "ledger" or layout not in ALSO:
        return []
    kind, other = ALSO[str(layout)]
    shown = [f"also its {kind}: layout {other!r} (docs/formats.md, Export layouts)"]
    return [Found(kind, item.path, {"layout": other}, shown, companion=True)]


def _in_site(found: list[Found], rel: Path) -> bool:
    text = rel.as_posix()
    return any(f.kind == "site" and (text + "/").startswith(f.path + "/") for f in found)


def _folders(root: Path) -> Iterator[tuple[Path, list[str], list[str]]]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        regular = [f for f in sorted(files) if _regular(Path(folder) / f)]
        yield Path(folder), dirs, regular


def _regular(path: Path) -> bool:
    """A regular file, not a link, pipe or device (opening a FIFO would hang)."""
    try:
        return stat.S_ISREG(path.lstat().st_mode)
    except OSError:
        return False


def _file(path: Path, rel: str, *, in_site: bool) -> Found | None:
    name = path.name
    lower = name.lower()
    if is_env_file(name):
        if lower.endswith((".example", ".sample", ".template")):
            return None
        return Found("env", rel)
    if lower.endswith(BEANCOUNT_SUFFIXES):
        return Found("ledger", rel, shown=["a beancount ledger (needs the beancount extra)"])
    if lower.endswith(OFX_SUFFIXES):
        return Found("ledger", rel, shown=["a bank's or card's OFX/QFX statement"])
    if lower.endswith(NOTE_SUFFIXES) and not in_site:
        if path.stem.lower() in NOT_NOTES:
            return None
        text = _head(path)
        return Found("handoff", rel, title=_note_title(text), mentions=text.lower())
    if lower.endswith(TABLE_SUFFIXES):
        return _table(path, rel)
    return None


def _head(path: Path) -> str:
    with path.open("rb") as handle:
        data = handle.read(READ_BYTES)
    text = data.decode("utf-8-sig", errors="replace")
    if len(data) == READ_BYTES and "\n" in text:
        text = text[: text.rindex("\n")]  # never a cut-off last row
    return text


def _note_title(text: str) -> str | None:
    """The business a note is about: its front matter's ``entity:``, else its first heading
    (``# Harbor Charters — handoff`` gives ``Harbor Charters``)."""
    lines = text.splitlines()
    if lines and lines[0].strip() == "---":
        for line in lines[1:40]:
            if line.strip() == "---":
                break
            key, _, value = line.partition(":")
            if key.strip().lower() in ("entity", "business", "company", "project") and value:
                return value.strip().strip("'\"") or None
    for line in lines[:60]:
        if line.startswith("# "):
            title = line[2:].strip()
            for cut in (" — ", " – ", " - ", ": "):
                title = title.split(cut)[0]
            return title.strip() or None
    return None


def _table(path: Path, rel: str) -> Found | None:
    jsonl = path.suffix.lower() in (".jsonl", ".ndjson")
    rows = sample_table(_head(path), jsonl=jsonl)
    recognised = recognise_rows(rows)
    known = by_layout(rows, rel)
    if known is not None and (recognised is None or recognised.kind != known.kind):
        return known  # a catalogued export's own headers say more than column aliases do
    if recognised is None:
        return None
    if recognised.kind == "aws":
        return Found("aws", rel, {"cur_export": rel}, ["an AWS Cost and Usage Report export"])
    layout = layouts.recognise(recognised.kind, recognised.table.headers)
    if layout is not None:  # the catalogue's options read it right (sign, dates, mapping)
        shown = [f"{layout.label}: layout {layout.key!r} (docs/formats.md, Export layouts)"]
        if recognised.table.header_line > 1:
            shown.append(
                f"header on line {recognised.table.header_line} (the lines above are skipped)"
            )
        options: dict[str, Any] = {"layout": layout.key}
        guesses: list[str] = []
        if layout.options.get("grouped"):
            types = _heading_types(path, recognised.table.header_line, recognised.table.headers)
            if types:
                options["account_types"] = types
                named = ", ".join(f"{k} {v}" for k, v in types.items())
                guesses.append(f"account_types: each heading typed by its name ({named})")
        return Found(recognised.kind, rel, options, shown, guesses)
    options, shown, guesses = table_options(recognised)
    return Found(recognised.kind, rel, options, shown, guesses)


def _heading_types(path: Path, header_line: int, headers: list[str]) -> dict[str, str]:
    """The account headings of a grouped export (Xero's Account Transactions) that a name alone
    does not type (neither ``Expenses:Fuel`` nor ``6100 Fuel``), each with the type its words
    suggest (a bank account an asset, Sales income, else expense): the guess ``check`` needs,
    since an untyped heading is a row error. Read from the file's first 64 KB."""
    rows = list(csv.reader(_head(path).splitlines()[header_line:]))  # the rows under the header
    out: dict[str, str] = {}
    for label in heading_labels(rows, headers):
        try:
            classify_account(label)
        except ValueError:
            out[label] = str(guess_account_type(label))
    return out


def by_layout(rows: list[list[str]] | list[dict[str, str]], rel: str) -> Found | None:
    """A table recognised by a known export layout whose columns cover what its source needs
    (a Google Forms bookings sheet with a status question) or that a processor reads (Square,
    PayPal), or an export with no header line whose first row has its shape (Wells Fargo's):
    used when no column catalogue took the table, or took it for another kind."""
    first = next((r for r in rows if isinstance(r, list) and any(c.strip() for c in r)), None)
    shaped = layouts.headerless(first) if first is not None else None
    if shaped is not None:
        shown = [f"{shaped.label}: layout {shaped.key!r}, no header line (docs/formats.md)"]
        return Found(shaped.source, rel, {"layout": shaped.key}, shown, _opening_guess(shaped))
    for row in rows[:HEADER_SEARCH]:
        headers = [c.strip() for c in row] if isinstance(row, list) else list(row)
        # a processor's export first: Airbnb's file is its money (the ledger) before its stays;
        # of those that match, the most specific (a Stripe payouts export is not its balance one)
        processors = [c for c in layouts.CATALOGUE if c.reader == "processor"]
        covered = [
            c
            for c in layouts.CATALOGUE
            if c.reader != "processor" and not missing_columns(c.source, headers, c)
        ]
        layout = layouts.most_specific(processors, headers) or layouts.most_specific(
            covered, headers
        )
        if layout is not None:
            shown = [f"{layout.label}: layout {layout.key!r} (docs/formats.md, Export layouts)"]
            return Found(layout.source, rel, {"layout": layout.key}, shown)
    return None


def _opening_guess(layout: layouts.Layout) -> list[str]:
    """A bank download with no balance column (Wells Fargo's) says nothing of what the account
    held: the placeholder of the opening balance its cash needs, for the owner to fill in."""
    if layout.source != "ledger" or layout.balance is not None:
        return []
    if layout.options.get("sign", "bank") != "bank":
        return []
    return [
        "opening_balance: the export has no balance column, so its cash is unknown until you "
        'give opening_balance = { date = ..., amount = "...", account = "Assets:Checking" } '
        "(the balance at the start of its earliest line's day) in its ledger table"
    ]


def why_not(rows: list[list[str]] | list[dict[str, str]], rel: str) -> str:
    """Why a table was not recognised: for a file named after a kind (``bookings.csv``) or laid
    out as a known export, which of that source's required columns it lacks."""
    name = PurePosixPath(rel).name.lower()
    headers: list[str] = []
    for row in rows[:HEADER_SEARCH]:
        cells = [c.strip() for c in row] if isinstance(row, list) else list(row)
        if len([c for c in cells if c]) >= 2:
            headers = cells
            break
    for kind in KINDS:
        layout = layouts.recognise(kind.key, headers) if headers else None
        if (kind.key in name or layout) and headers:
            missing = missing_columns(kind.key, headers, layout)
            if missing:
                known = f" (read as {layout.label})" if layout else ""
                return (
                    f"{rel}: looks like {kind.key}{known} but has no column for "
                    f"{', '.join(missing)}; map them, e.g. {kind.key} = {{ path = {rel!r}, "
                    f'columns = {{ {missing[0]} = "<its header>" }} }}'
                )
    return f"{rel}: no header of a known table"
