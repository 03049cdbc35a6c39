"""A big result's records pickled as columns, so a ledger of hundreds of thousands of lines is
kept for the next run at a fraction of what pickling it record by record costs.

A record type that pickles as ``(its class, its field values)`` (``records.ledger.Compact``, and
``Provenance``) is rebuilt by calling the class with those values; a run of such records is then
written as one list per field instead (a field that holds one object throughout as that object
once, a field of such records as columns of its own), and read back by calling the class over the
columns (``map`` in C): no reduce call per record either way. Runs are cut into chunks of
``CHUNK`` records, each pickled on its own, so neither side holds more than a chunk's columns
(and a pickler's memory of one chunk's objects) beside the records. Objects a chunk shares (a
ledger's few hundred dates, amounts and memos) stay shared: pickle writes each once a chunk.
"""

from __future__ import annotations

import collections
import itertools
import operator
import pickle
from collections.abc import Callable, Iterable, Sequence
from dataclasses import fields, is_dataclass, replace
from operator import attrgetter
from typing import Any

from execbrief.snapshot import slot_setters

#: Records per chunk of a columnar run.
CHUNK = 1 << 15

#: A result with fewer records than this is pickled as it is.
MIN_RECORDS = 1 << 12

_SAME, _EACH, _MADE = 0, 1, 2

#: Per record type, its field getters when it pickles as ``(type, field values)``, else None.
_GETTERS: dict[type, tuple[Callable[[Any], Any], ...] | None] = {}


def _getters(kind: type, sample: Any) -> tuple[Callable[[Any], Any], ...] | None:
    """The field getters of a type rebuilt as ``kind(*fields)`` (asked of one record, once)."""
    if kind in _GETTERS:
        return _GETTERS[kind]
    found = None
    if is_dataclass(kind):
        names = [f.name for f in fields(kind)]
        try:
            reduced = sample.__reduce__()
        except TypeError:
            reduced = None
        if (
            isinstance(reduced, tuple)
            and len(reduced) == 2
            and reduced[0] is kind
            and len(reduced[1]) == len(names)
            and all(value is getattr(sample, n) for value, n in zip(reduced[1], names, strict=True))
        ):
            found = tuple(attrgetter(name) for name in names)
    _GETTERS[kind] = found
    return found


def dump(value: Any, file: Any, result_type: type) -> None:
    """Pickle ``value`` to ``file``: a ``result_type`` (a dataclass with ``records``) of many
    records as a header then its records in parts, each part with a pickler of its own (whose
    memory of what it wrote is one part's), else one plain pickle."""
    records: Sequence[Any] = getattr(value, "records", ())
    if not (isinstance(value, result_type) and len(records) >= MIN_RECORDS):
        pickle.dump(value, file, protocol=pickle.HIGHEST_PROTOCOL)
        return
    header = _Header(replace(value, records=()))  # type: ignore[type-var]
    pickle.dump(header, file, protocol=pickle.HIGHEST_PROTOCOL)
    for part in _parts(records):
        pickle.dump(part, file, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.dump(None, file, protocol=pickle.HIGHEST_PROTOCOL)


def load(file: Any) -> Any:
    """The value ``dump`` wrote to ``file``."""
    first = pickle.load(file)
    if not isinstance(first, _Header):
        return first
    parts = []
    while (part := pickle.load(file)) is not None:
        parts.append(part)
    return replace(first.result, records=tuple(itertools.chain.from_iterable(parts)))


class _Header:
    """What comes before a result's records: the result without them."""

    __slots__ = ("result",)

    def __init__(self, result: Any) -> None:
        self.result = result

    def __reduce__(self) -> tuple[type, tuple[Any]]:
        return _Header, (self.result,)


def _parts(items: Sequence[Any]) -> Iterable[Any]:
    """Runs of one record type, ``CHUNK`` at most each: columnar where the type allows."""
    for kind, run in itertools.groupby(items, type):
        while chunk := list(itertools.islice(run, CHUNK)):
            getters = _getters(kind, chunk[0])
            if getters is None or len(chunk) < 2:
                yield tuple(chunk)
            else:
                yield _Chunk(kind, _column_specs(chunk, getters), len(chunk))


def _column_specs(chunk: list[Any], getters: tuple[Callable[[Any], Any], ...]) -> list[Any]:
    specs: list[tuple[Any, ...]] = []
    for getter in getters:
        values = list(map(getter, chunk))
        first = values[0]
        if values[-1] is first and _all_are(values, first):
            specs.append((_SAME, first))
            continue
        kind = type(first)
        nested = _getters(kind, first)
        if nested is not None and _all_are(map(type, values), kind):
            specs.append((_MADE, kind, _column_specs(values, nested)))
        else:
            specs.append((_EACH, values))
    return specs


def _all_are(values: Iterable[Any], one: Any) -> bool:
    """Whether every one of ``values`` is ``one`` itself (told in C, stopping at the first that is
    not: a set of 32K ids, or of their types, cost a tenth of a big ledger's pickling)."""
    return all(map(operator.is_, values, itertools.repeat(one)))


class _Chunk:
    __slots__ = ("kind", "size", "specs")

    def __init__(self, kind: type, specs: list[Any], size: int) -> None:
        self.kind, self.specs, self.size = kind, specs, size

    def __reduce__(self) -> tuple[Callable[..., list[Any]], tuple[Any, ...]]:
        return _built, (self.kind, self.specs, self.size)


def _column(spec: tuple[Any, ...], size: int) -> Iterable[Any]:
    if spec[0] == _SAME:
        return itertools.repeat(spec[1], size)
    if spec[0] == _EACH:
        return spec[1]
    return _built(spec[1], spec[2], size)


def _built(kind: type, specs: list[Any], size: int) -> list[Any]:
    """The records of one chunk, each ``kind(*its fields)`` as its own pickling does. A
    ``set_by_slot`` class's records are made empty and filled a field at a time, through the
    setters its ``__init__`` calls (in C: no Python frame per record, a sixth of a big kept
    ledger's loading)."""
    columns = [_column(spec, size) for spec in specs]
    setters = slot_setters(kind)
    if setters is None:
        return list(map(kind, *columns))
    made: list[Any] = list(map(object.__new__, itertools.repeat(kind, size)))
    for setter, column in zip(setters, columns, strict=True):
        collections.deque(map(setter, made, column), maxlen=0)
    return made
