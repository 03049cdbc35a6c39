"""Writing the ``portfolio.toml`` init proposes: every source it found under its entity, each
table's column mapping shown in a comment, each guess marked ``GUESS`` so it can be checked,
and nothing read from a file's cells beyond a date, a category or a balance (an ``.env`` file is
named, never opened)."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from execbrief.scaffold.entities import Entity, Grouped
from execbrief.scaffold.recognise import Found

#: Words that tell an entity's kind (the first kind whose words appear wins).
KIND_WORDS = (
    ("delivery", ("delivery", "deliveries", "courier", "passage", "freight")),
    ("rental", ("rental", "loft", "cottage", "cabin", "airbnb", "vrbo", "apartment", "condo")),
    ("hauling", ("hauling", "haul", "junk", "removal", "dumpster", "sweep", "moving")),
    ("charter", ("charter", "charters", "sail", "sails", "sailing", "boat", "yacht", "fishing")),
    ("consultancy", ("consult", "consulting", "advisory", "labs", "agency", "studio")),
    ("platform", ("platform", "saas", "board", "software", "marketplace")),
)
#: Layouts that tell an entity's kind by themselves.
LAYOUT_KINDS = (
    ("rental", {"airbnb-transactions", "airbnb-reservations"}),
    ("charter", {"fareharbor"}),
)
#: How the written file begins (its first comment names GUESS without being a guess).
HEADER = "# portfolio.toml written by `execbrief init`"
ORDER = (
    *("handoff", "site", "ledger", "bookings", "timesheets", "invoices", "trips"),
    *("subscribers", "code", "env", "aws"),
)


def toml_value(value: Any) -> str:
    """A TOML literal for a string, number, date, list or table (inline)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string escapes as JSON does
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }" if items else "{}"
    raise TypeError(f"no TOML form for {type(value).__name__}")


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def guess_kind(entity: Entity) -> str:
    """The entity's kind from its sources (trips: delivery; timesheets: consultancy) or the words
    of its id and name; ``other`` when nothing tells."""
    if "trips" in entity.sources:
        return "delivery"
    layouts = {
        str(item.options.get("layout", ""))
        for items in entity.sources.values()
        for item in items
        if isinstance(item.options, dict)
    }
    for kind, tools in LAYOUT_KINDS:
        if layouts & tools:
            return kind
    if "timesheets" in entity.sources or "invoices" in entity.sources:
        return "consultancy"
    text = f"{entity.id} {entity.name or ''}".lower()
    for kind, hints in KIND_WORDS:
        if any(hint in text for hint in hints):
            return kind
    return "other"


def render(grouped: Grouped, portfolio: str, skipped: list[str]) -> str:
    """The whole commented portfolio.toml."""
    lines = [
        f"{HEADER}: check every line marked GUESS, then run",
        "# `execbrief check` and `execbrief build`. docs/formats.md describes every key.",
        "",
        "[portfolio]",
        f"name = {toml_value(portfolio)}   # GUESS: the folder's name",
        'currency = "USD"   # GUESS: amounts written without a currency are in this one',
        "",
        "[delivery]",
        'transport = "outbox"   # reports land as .eml files in outbox/; see docs/delivery.md',
        'outbox = "outbox"',
        "",
        "# Add [reports.<name>] tables with to = [...] to mail a report (`execbrief reports`).",
    ]
    if grouped.shared:
        lines += ["", *_shared(grouped.shared)]
    for entity in grouped.entities:
        lines += ["", *_entity(entity)]
    if grouped.unplaced:
        lines += ["", "# Found but not placed (no entity in its name): add each to its entity."]
        lines += [f"# {item.kind} = {toml_value(item.path)}" for item in grouped.unplaced]
    if skipped:
        lines += ["", "# Looked at but not recognised:"]
        lines += [f"#   {line}" for line in skipped]
    return "\n".join(lines) + "\n"


def _shared(shared: list[Found]) -> list[str]:
    """The ``[shared]`` table: .env files no entity's name claims, read once and attributed to
    the entities whose code reads each key (docs/formats.md, "Shared sources")."""
    paths = [item.path for item in shared]
    return [
        "# Read once; each key goes to the entities whose code reads it (docs/formats.md).",
        "[shared]",
        f"env = {toml_value(paths[0] if len(paths) == 1 else paths)}",
    ]


def _entity(entity: Entity) -> list[str]:
    name = entity.name or entity.id.replace("-", " ").title()
    lines = [
        "[[entities]]",
        f"id = {toml_value(entity.id)}",
        f"name = {toml_value(name)}" + ("" if entity.name else "   # GUESS: from the file names"),
        f"kind = {toml_value(guess_kind(entity))}   # GUESS: charter, hauling, consultancy, rental, delivery, platform or other",
    ]
    sources = {
        kind: sorted(items, key=lambda i: i.companion) for kind, items in entity.sources.items()
    }
    tables: list[str] = []
    for kind in sorted(sources, key=lambda k: ORDER.index(k) if k in ORDER else len(ORDER)):
        items = sources[kind]
        for item in items:
            lines += _comments(item)
        if kind == "aws":
            lines.append(f"aws = {toml_value({'cur_export': items[0].path})}")
        elif kind in PARTS and len({json.dumps(i.options, default=str) for i in items}) > 1:
            tables += _parts(kind, items)
        elif any(item.options for item in items):
            tables += _tables(kind, items)
        elif len(items) == 1:
            lines.append(f"{kind} = {toml_value(items[0].path)}")
        else:
            lines.append(f"{kind} = {toml_value([i.path for i in items])}")
    return lines + tables


def _comments(item: Found) -> list[str]:
    out = []
    if item.shown:
        out.append(f"# {item.path}: " + "; ".join(item.shown))
    out += [f"# GUESS ({item.path}) {guess}" for guess in item.guesses]
    return out


#: The sources that take a list of tables, each file with its own options, and what they make.
PARTS = {
    "ledger": "Several ledger files, each read its own way, into one cash pool.",
    "timesheets": "Several time trackers, each read its own way, into one timesheet.",
}


def _parts(kind: str, items: list[Found]) -> list[str]:
    """Files of one source laid out differently (a bank export beside a processor's, Harvest
    beside Clockify): one ``[[entities.<kind>]]`` table each."""
    out = ["", f"# {PARTS[kind]}"]
    for item in items:
        out += [f"[[entities.{kind}]]", f"path = {toml_value(item.path)}"]
        nested = {k: v for k, v in item.options.items() if isinstance(v, dict) and len(v) > 3}
        out += [f"{_key(k)} = {toml_value(v)}" for k, v in item.options.items() if k not in nested]
        for key, value in nested.items():
            out += [f"[entities.{kind}.{_key(key)}]"]
            out += [f"{_key(k)} = {toml_value(v)}" for k, v in value.items()]
    return out


def _tables(kind: str, items: list[Found]) -> list[str]:
    """A source with options as an ``[entities.<kind>]`` table (after the entity's plain keys):
    files read the same way share it as ``paths``; a file laid out differently is left as a
    comment, since one source reads one layout."""
    first = items[0]
    same = [i for i in items if i.options == first.options]
    other = [i for i in items if i.options != first.options]
    out = ["", f"[entities.{kind}]"]
    if len(same) == 1:
        out.append(f"path = {toml_value(first.path)}")
    else:
        out.append(f"paths = {toml_value([i.path for i in same])}")
    nested = {k: v for k, v in first.options.items() if isinstance(v, dict) and len(v) > 3}
    for key, value in first.options.items():
        if key not in nested:
            out.append(f"{_key(key)} = {toml_value(value)}")
    out += [
        f"# GUESS: {i.path} is laid out differently; give it its own entity or convert it"
        for i in other
    ]
    for key, value in nested.items():
        out += ["", f"[entities.{kind}.{_key(key)}]"]
        out += [f"{_key(k)} = {toml_value(v)}" for k, v in value.items()]
    return out
