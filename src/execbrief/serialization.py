"""Lossless JSON for execbrief's frozen dataclasses.

``to_jsonable`` turns a dataclass tree into plain JSON data: every dataclass becomes an object whose
``"type"`` names its class by a short, stable tag from ``TAGS`` (``"money"``, ``"table"``), or by
``"module:Qualname"`` for a class outside the table (a plugin's own records),
Decimals and dates become strings, tuples become lists and enums their values. ``from_jsonable``
reverses it using the field annotations, so ``from_jsonable(to_jsonable(x)) == x`` for every value
object, record, finding and document in the package, and for plugin classes that follow the same
conventions (frozen dataclasses, annotated fields).

The tags are the wire format of the JSON export and of the store: moving a class to another module
changes only its entry in ``TAGS``. Stores written before the tags (release 0.1 wrote
``"execbrief.values:Money"``) still decode: a ``module:Qualname`` is looked up in ``MOVED`` first,
then imported as written.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import json
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

JSON = Any

_TYPE_KEY = "type"

#: The short tag of every class the package serialises, and where the class lives now.
TAGS: dict[str, str] = {
    "money": "execbrief.values:Money",
    "money_range": "execbrief.values:MoneyRange",
    "percent": "execbrief.values:Percent",
    "period": "execbrief.values:Period",
    "provenance": "execbrief.snapshot:Provenance",
    "record": "execbrief.snapshot:Record",
    "source_error": "execbrief.snapshot:SourceError",
    "freshness": "execbrief.snapshot:Freshness",
    "source_result": "execbrief.snapshot:SourceResult",
    "column_mapping": "execbrief.snapshot:ColumnMapping",
    "entity_info": "execbrief.snapshot:EntityInfo",
    "snapshot": "execbrief.snapshot:Snapshot",
    "metric": "execbrief.findings:Metric",
    "finding": "execbrief.findings:Finding",
    "action": "execbrief.findings:Action",
    "analysis_result": "execbrief.findings:AnalysisResult",
    "acceptance": "execbrief.findings:Acceptance",
    "paragraph": "execbrief.document:Paragraph",
    "bullet": "execbrief.document:Bullet",
    "bullet_list": "execbrief.document:BulletList",
    "row": "execbrief.document:Row",
    "table": "execbrief.document:Table",
    "metrics": "execbrief.document:Metrics",
    "findings": "execbrief.document:Findings",
    "action_plan": "execbrief.document:ActionPlan",
    "point": "execbrief.document:Point",
    "series": "execbrief.document:Series",
    "chart": "execbrief.document:Chart",
    "section": "execbrief.document:Section",
    "document": "execbrief.document:Document",
    "brief": "execbrief.document:Brief",
    "key_figure": "execbrief.document:KeyFigure",
    "booking": "execbrief.records.bookings:Booking",
    "endpoint": "execbrief.records.code:Endpoint",
    "iac_issue": "execbrief.records.code:IacIssue",
    "stack_item": "execbrief.records.code:StackItem",
    "code_inventory": "execbrief.records.code:CodeInventory",
    "code_coverage": "execbrief.records.code:CodeCoverage",
    "cloud_resource": "execbrief.records.code:CloudResource",
    "env_use": "execbrief.records.code:EnvUse",
    "cloud_cost": "execbrief.records.code:CloudCost",
    "fact": "execbrief.records.handoff:Fact",
    "funnel_step": "execbrief.records.handoff:FunnelStep",
    "note_section": "execbrief.records.handoff:NoteSection",
    "transaction": "execbrief.records.ledger:Transaction",
    "cash_balance": "execbrief.records.ledger:CashBalance",
    "receivable_balance": "execbrief.records.ledger:ReceivableBalance",
    "secret_finding": "execbrief.records.secrets:SecretFinding",
    "env_key": "execbrief.records.secrets:EnvKey",
    "local_business": "execbrief.records.site:LocalBusiness",
    "site_page": "execbrief.records.site:SitePage",
    "site_file": "execbrief.records.site:SiteFile",
    "subscriber_counts": "execbrief.records.subscribers:SubscriberCounts",
    "time_entry": "execbrief.records.timesheets:TimeEntry",
    "invoice": "execbrief.records.timesheets:Invoice",
    "trip": "execbrief.records.trips:Trip",
    "budget_line": "execbrief.records.budget:BudgetLine",
    "channel": "execbrief.records.channels:Channel",
    "channel_terms": "execbrief.records.channels:Terms",
}

#: ``module:Qualname`` paths an older release wrote for a class that has since moved: old -> tag.
MOVED: dict[str, str] = {}

_TAG_OF = {path: tag for tag, path in TAGS.items()}


def type_name(cls: type) -> str:
    """The stable name a class is serialised under: its tag, else ``module:Qualname``."""
    path = f"{cls.__module__}:{cls.__qualname__}"
    return _TAG_OF.get(path, path)


def _is_type_name(value: Any) -> bool:
    return isinstance(value, str) and (value in TAGS or ":" in value)


@cache
def _resolve(name: str) -> type:
    name = TAGS.get(MOVED.get(name, name), name)
    module_name, _, qualname = name.partition(":")
    obj: Any = importlib.import_module(module_name)
    for part in qualname.split("."):
        obj = getattr(obj, part)
    if not isinstance(obj, type):
        raise TypeError(f"{name} is not a class")
    return obj


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def to_jsonable(value: Any) -> JSON:
    """Encode a value (dataclass tree, Decimal, date, enum, tuple, dict) as JSON-ready data."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return format(value, "f")  # "20", never "2E+1"; equal on the way back
    if isinstance(value, datetime | date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, JSON] = {_TYPE_KEY: type_name(type(value))}
        for name in _public_fields(type(value)):
            out[name] = to_jsonable(getattr(value, name))
        return out
    if isinstance(value, tuple | list | frozenset | set):
        return [to_jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    raise TypeError(f"cannot serialise {type(value).__name__}")


@cache
def _public_fields(cls: type) -> tuple[str, ...]:
    """The names of a dataclass's fields that are serialised (not ``_private``), asked once."""
    return tuple(f.name for f in dataclasses.fields(cls) if not f.name.startswith("_"))


#: A list or tuple longer than this is written item by item by ``write_json``.
STREAM_ITEMS = 32


def write_json(
    value: Any,
    write: Callable[[str], object],
    *,
    indent: int | None = 2,
    ensure_ascii: bool = False,
) -> None:
    """Write ``json.dumps(to_jsonable(value), indent=indent, ensure_ascii=ensure_ascii)``, the
    same text, in pieces: long lists (a snapshot's results, a big ledger's records) and the
    dataclasses holding them are written item by item, so the whole JSON tree is never held at
    once. ``indent=None`` is ``json.dumps``'s one-line layout (what the store keeps)."""
    pieces: list[str] = []
    size = 0
    layout = _Layout(indent, ensure_ascii)
    for piece in _json_pieces(value, 0, layout):
        pieces.append(piece)
        size += len(piece)
        if size >= 1 << 16:
            write("".join(pieces))
            pieces, size = [], 0
    write("".join(pieces))


@dataclass(frozen=True)
class _Layout:
    """How ``write_json`` lays its text out: ``json.dumps``'s ``indent`` and ``ensure_ascii``."""

    indent: int | None
    ensure_ascii: bool

    def dumps(self, data: JSON) -> str:
        return json.dumps(data, indent=self.indent, ensure_ascii=self.ensure_ascii)

    def newline(self, depth: int) -> str:
        """What starts a line at ``depth`` (nothing on one line)."""
        return "" if self.indent is None else "\n" + " " * (self.indent * depth)

    def comma(self, depth: int) -> str:
        """What stands between two items at ``depth``."""
        return ", " if self.indent is None else "," + self.newline(depth)


def _json_pieces(value: Any, depth: int, layout: _Layout) -> Iterator[str]:
    inner, comma = layout.newline(depth + 1), layout.comma(depth + 1)
    if isinstance(value, list | tuple) and len(value) > STREAM_ITEMS:
        yield "["
        batch: list[JSON] = []
        written = False
        for item in value:
            if _holds_long_list(item):
                if batch:
                    yield _json_items(batch, depth, layout, written)
                    batch, written = [], True
                yield comma if written else inner
                yield from _json_pieces(item, depth + 1, layout)
                written = True
                continue
            batch.append(to_jsonable(item))
            if len(batch) >= STREAM_ITEMS * 8:
                yield _json_items(batch, depth, layout, written)
                batch, written = [], True
        if batch:
            yield _json_items(batch, depth, layout, written)
        yield layout.newline(depth) + "]"
    elif _holds_long_list(value):
        kind: type = type(value)
        yield "{" + inner + layout.dumps(_TYPE_KEY) + ": " + layout.dumps(type_name(kind))
        for name in _public_fields(kind):
            yield comma + layout.dumps(name) + ": "
            yield from _json_pieces(getattr(value, name), depth + 1, layout)
        yield layout.newline(depth) + "}"
    else:
        text = layout.dumps(to_jsonable(value))
        yield text.replace("\n", layout.newline(depth)) if depth else text


def _json_items(batch: list[JSON], depth: int, layout: _Layout, after: bool) -> str:
    """Items of a list at ``depth`` as ``json.dumps`` lays them out (one call for the batch):
    its ``[``/``]`` (and their lines) cut off, the rest moved to the list's depth."""
    if layout.indent is None:
        return (", " if after else "") + layout.dumps(batch)[1:-1]
    body = layout.dumps(batch)[2:-2]
    pad = layout.newline(depth)
    return ("," if after else "") + pad + body.replace("\n", pad)


def _holds_long_list(value: Any) -> bool:
    """Whether ``value`` is a dataclass with a field holding a long list (written in pieces)."""
    if not dataclasses.is_dataclass(value) or isinstance(value, type):
        return False
    for name in _public_fields(type(value)):
        field = getattr(value, name)
        if isinstance(field, list | tuple) and len(field) > STREAM_ITEMS:
            return True
        if dataclasses.is_dataclass(field) and _holds_long_list(field):
            return True
    return False


def from_jsonable(data: JSON, expected: Any = Any) -> Any:
    """Decode data written by ``to_jsonable``; ``expected`` is the annotation it must satisfy."""
    if data is None:
        return None
    origin = typing.get_origin(expected)
    if origin in (typing.Union, types.UnionType):
        options = [arg for arg in typing.get_args(expected) if arg is not type(None)]
        if isinstance(data, dict) and _TYPE_KEY in data:
            return _decode_dataclass(data)
        for option in options:
            try:
                return from_jsonable(data, option)
            except (TypeError, ValueError, ArithmeticError):
                continue
        raise ValueError(f"{data!r} matches none of {expected}")
    if isinstance(data, dict) and _is_type_name(data.get(_TYPE_KEY)):
        return _decode_dataclass(data)
    if origin is typing.Literal:
        return data
    if origin in (tuple, list, frozenset, set):
        args = typing.get_args(expected)
        item_type = args[0] if args else Any
        items = [from_jsonable(item, item_type) for item in data]
        if origin is tuple:
            if len(args) == 2 and args[1] is Ellipsis:
                return tuple(items)
            if args and len(args) == len(data):
                return tuple(from_jsonable(item, arg) for item, arg in zip(data, args, strict=True))
            return tuple(items)
        return origin(items)
    if origin is dict:
        key_type, value_type = typing.get_args(expected) or (Any, Any)
        return {from_jsonable(k, key_type): from_jsonable(v, value_type) for k, v in data.items()}
    if expected is Any or expected is object:
        if isinstance(data, list):
            return tuple(from_jsonable(item) for item in data)
        if isinstance(data, dict):
            return {key: from_jsonable(item) for key, item in data.items()}
        return data
    if isinstance(expected, type):
        if dataclasses.is_dataclass(expected):
            raise TypeError(f"expected a {expected.__name__} object")
        if issubclass(expected, bool):
            if not isinstance(data, bool):
                raise TypeError("expected a boolean")
            return data
        if issubclass(expected, enum.Enum):
            return expected(data)
        if issubclass(expected, Decimal):
            if isinstance(data, bool) or not isinstance(data, str | int):
                raise TypeError("expected a decimal string")
            return Decimal(data)
        if issubclass(expected, datetime):
            return datetime.fromisoformat(data)
        if issubclass(expected, date):
            if not isinstance(data, str):
                raise TypeError("expected an ISO date")
            return date.fromisoformat(data)
        if issubclass(expected, int):
            if isinstance(data, bool) or not isinstance(data, int):
                raise TypeError("expected an integer")
            return data
        if issubclass(expected, str):
            if not isinstance(data, str):
                raise TypeError("expected a string")
            return data
        if issubclass(expected, float):
            return float(data)
    return data


def _decode_dataclass(data: dict[str, JSON]) -> Any:
    cls = _resolve(data[_TYPE_KEY])
    hints = _hints(cls)
    kwargs = {}
    for field in dataclasses.fields(cls):
        if field.name in data:
            kwargs[field.name] = from_jsonable(data[field.name], hints.get(field.name, Any))
    return cls(**kwargs)
