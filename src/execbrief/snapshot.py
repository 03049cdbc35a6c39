"""Provenance, the record base class, and the Snapshot: everything collected for one ``as_of`` date.

Concrete record types live in ``execbrief.records`` (one module per source family) so that sources,
which write them, and analyses, which read them, both import downward.
"""

from __future__ import annotations

import copyreg
import dataclasses
import heapq
import operator
import types
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from itertools import compress, repeat
from typing import Any, NamedTuple, TypeVar

from execbrief.serialization import JSON, from_jsonable, to_jsonable

C = TypeVar("C", bound=type)


def set_by_slot(cls: C) -> C:
    """Give a frozen slotted dataclass an ``__init__`` that stores each field through its slot's
    descriptor, with the same parameters and defaults.

    The dataclass's own ``__init__`` calls ``object.__setattr__`` once a field (the way round the
    frozen ``__setattr__``): for the classes made once a ledger line (``Provenance``,
    ``Transaction``) that was a quarter of reading a big ledger; this one costs half as much. Only
    for a class with no ``__post_init__``, default factory or keyword-only field (else TypeError).
    """
    fields = _plain_fields(cls, "set_by_slot")
    if not all(isinstance(getattr(cls, f.name, None), types.MemberDescriptorType) for f in fields):
        raise TypeError(f"{cls.__name__}: set_by_slot needs a plain slotted dataclass")
    names = {f"_set_{f.name}": getattr(cls, f.name).__set__ for f in fields}  # the slots' own
    _SLOT_SETTERS[cls] = tuple(names.values())
    return _with_init(cls, fields, names, [f"    _set_{f.name}(self, {f.name})" for f in fields])


#: Each ``set_by_slot`` class's slot setters, in the order of its fields.
_SLOT_SETTERS: dict[type, tuple[Callable[[Any, Any], None], ...]] = {}


def slot_setters(cls: type) -> tuple[Callable[[Any, Any], None], ...] | None:
    """The setters ``set_by_slot`` gave ``cls``'s ``__init__`` (one per field, in order), or None
    for a class it did not make (a subclass of one included): what a caller making many records
    column by column stores each field with."""
    return _SLOT_SETTERS.get(cls)


def set_in_dict(cls: C) -> C:
    """Give a frozen dataclass that is not slotted an ``__init__`` that writes its fields straight
    into the instance's ``__dict__``, with the same parameters and defaults: what the dataclass's
    own ``object.__setattr__`` per field does, at a fifth of the cost (the analyses make such
    results by the hundred thousand at 1,000 entities: metrics, table rows, forecast lines). Only
    for a class with no ``__post_init__``, default factory, keyword-only field or data descriptor
    (a property) under a field's name (else TypeError)."""
    fields = _plain_fields(cls, "set_in_dict")
    if "__slots__" in cls.__dict__ or any(
        hasattr(getattr(cls, f.name, None), "__set__") for f in fields
    ):
        raise TypeError(f"{cls.__name__}: set_in_dict needs a dataclass with a __dict__")
    body = ["    _fields = self.__dict__"] + [f"    _fields[{f.name!r}] = {f.name}" for f in fields]
    return _reduced_to_fields(_with_init(cls, fields, {}, body), fields)


def _reduced_to_fields(cls: C, fields: tuple[dataclasses.Field[Any], ...]) -> C:
    """``cls`` (a ``set_in_dict`` class) pickled as ``(cls, its field values)``, unpickled through
    its own ``__init__``, instead of as a new object, a state dict and its keys: the built reports
    of 1,000 entities hold 200,000 table rows, chart points and bullets, and pickled this way
    cost 8% fewer instructions to pickle and 5% fewer to unpickle. A subclass (which may have
    fields of its own) pickles as the frozen dataclass default does."""
    names: dict[str, Any] = {"_cls": cls, "_newobj": copyreg.__newobj__}  # type: ignore[attr-defined]
    values = "".join(f"_fields[{f.name!r}], " for f in fields)
    exec(
        "def __reduce__(self):\n"
        "    _fields = self.__dict__\n"
        "    if type(self) is not _cls:\n"
        "        return _newobj, (type(self),), _fields\n"
        f"    return _cls, ({values})\n",
        names,
    )
    reduce = names["__reduce__"]
    reduce.__qualname__ = f"{cls.__qualname__}.__reduce__"
    type.__setattr__(cls, "__reduce__", reduce)
    return cls


def _plain_fields(cls: type, maker: str) -> tuple[dataclasses.Field[Any], ...]:
    """The fields of a dataclass whose ``__init__`` only stores them, in order."""
    fields = dataclasses.fields(cls)
    plain = all(
        f.init and not f.kw_only and f.default_factory is dataclasses.MISSING for f in fields
    )
    if not plain or hasattr(cls, "__post_init__"):  # (an InitVar needs a __post_init__)
        raise TypeError(f"{cls.__name__}: {maker} needs a dataclass whose __init__ only stores")
    return fields


def _with_init(
    cls: C, fields: tuple[dataclasses.Field[Any], ...], names: dict[str, Any], body: list[str]
) -> C:
    """``cls`` with an ``__init__`` of the fields' parameters (and defaults) running ``body``."""
    params = []
    for f in fields:
        if f.default is dataclasses.MISSING:
            params.append(f.name)
        else:
            names[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    exec(f"def __init__(self, {', '.join(params)}):\n" + "\n".join(body), names)
    init = names["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    type.__setattr__(cls, "__init__", init)
    return cls


@set_by_slot
@dataclass(frozen=True, order=True, slots=True)
class Provenance:
    """Where a value came from: a file and line, a URL, or an API call.

    ``source`` is a path relative to the portfolio root (the folder holding portfolio.toml) when the
    file lies inside it, else the path or URL as configured (``s3://bucket/key``), or an API call such
    as ``aws:cloudfront:ListDistributions``. ``line`` is 1-based; for CSV files it is the physical
    line of the row (the header is line 1). ``commit`` and ``commit_date`` are set when the file sits
    in a git repository.

    Every ledger line has one, so it is slotted (no ``__dict__``: 80 bytes, not 128) and pickles
    as the tuple of its fields.
    """

    source: str
    line: int | None = None
    end_line: int | None = None
    commit: str | None = None
    commit_date: date | None = None
    detail: str | None = None

    def cite(self) -> str:
        """Short human citation: ``handoffs/harbor.md:12`` or ``handoffs/harbor.md:12-14``."""
        where = self.source
        if self.line is not None:
            where += f":{self.line}"
            if self.end_line is not None and self.end_line != self.line:
                where += f"-{self.end_line}"
        if self.detail:
            where += f" ({self.detail})"
        return where

    def at_line(self, line: int | None, end_line: int | None = None) -> Provenance:
        """The same file (and commit) at another line."""
        return Provenance(self.source, line, end_line, self.commit, self.commit_date, self.detail)

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return Provenance, (
            self.source,
            self.line,
            self.end_line,
            self.commit,
            self.commit_date,
            self.detail,
        )


@dataclass(frozen=True, slots=True)
class Record:
    """Base of every typed record a source returns. Subclasses are frozen dataclasses.

    Subclasses must put ``entity`` and ``provenance`` first (they are inherited) and give every
    further field a type annotation; serialisation follows the annotations. The base is slotted,
    so that a slotted subclass (a ledger's ``Transaction``, millions of them) has no ``__dict__``;
    any other subclass keeps one of its own.

    A record pickles as ``(its class, its field values)``: one C-level attribute fetch on the way
    out, the class's own ``__init__`` on the way back (the frozen dataclass default calls
    ``dataclasses.fields`` per record both ways: a third of loading a thousand entities' kept
    results). A subclass whose ``__init__`` is not its fields in order (a ``__post_init__``, a
    field left out of it) pickles as the default does.
    """

    entity: str
    provenance: Provenance

    def __reduce__(self) -> tuple[Any, ...]:
        kind = type(self)
        if kind not in _FIELD_VALUES:
            _FIELD_VALUES[kind] = _field_values(kind)
        values = _FIELD_VALUES[kind]
        if values is None:
            return copyreg.__newobj__, (kind,), self.__getstate__()  # type: ignore[attr-defined]
        return kind, values(self)


#: Per record class, what gives its field values in ``__init__`` order (None: pickled as the
#: frozen dataclass default does).
_FIELD_VALUES: dict[type, Callable[[Any], tuple[Any, ...]] | None] = {}


def _field_values(kind: type) -> Callable[[Any], tuple[Any, ...]] | None:
    """An attribute getter of ``kind``'s fields, or None when its ``__init__`` would not take
    them back as they are."""
    fields = dataclasses.fields(kind)
    if hasattr(kind, "__post_init__") or not all(f.init for f in fields):
        return None
    return operator.attrgetter(*(f.name for f in fields))


@dataclass(frozen=True)
class SourceError:
    """A source (or part of one) that could not be read. Never holds a secret value.

    ``rows_skipped`` counts bad rows when the rest of the file was still read; ``message`` is one
    sentence saying what was wrong and what was expected.
    """

    entity: str
    source_kind: str
    provenance: Provenance
    message: str
    rows_skipped: int = 0
    fatal: bool = True

    def describe(self) -> str:
        """``path:line: message`` as shown to users."""
        return f"{self.provenance.cite()}: {self.message}"


@dataclass(frozen=True)
class Freshness:
    """How old a source is against the snapshot's ``as_of``.

    ``last_updated`` is the newest of: the last git commit touching the files, or else the files'
    modification time, and ``newest_record`` is the latest date found in the data itself.
    """

    last_updated: date | None
    newest_record: date | None
    age_days: int | None
    stale: bool
    limit_days: int


@dataclass(frozen=True)
class ColumnMapping:
    """How one table file was read: which header went to which field, which were ignored, and
    which known export layout was recognised (``collect`` and ``check`` show it).

    ``fields`` pairs a canonical field with the header as written (``("created", "Timestamp")``;
    ``"(row number)"`` when ``id = "row"``); ``configured`` names the fields the config or the
    layout mapped rather than an alias; ``notes`` say what a reading changes (``rate = Amount
    (USD) ÷ hours``).
    """

    source: str
    header_line: int | None
    fields: tuple[tuple[str, str], ...]
    ignored: tuple[str, ...] = ()
    layout: str | None = None
    configured: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line: ``form.csv (layout google-forms): created <- Timestamp, ...; ignored: ...``."""
        head = self.source + (f" (layout {self.layout})" if self.layout else "")
        text = head + ": " + ", ".join(f"{name} <- {header}" for name, header in self.fields)
        if self.ignored:
            text += "; ignored: " + ", ".join(self.ignored)
        if self.notes:
            text += "; " + "; ".join(self.notes)
        return text


_LOAD_RECORDS = "_load_records"


class _DeferredRecords:
    """``SourceResult.records`` when ``SourceResult.deferred`` made the result: its records are
    loaded on first use and kept in the instance (which then answers for itself). Any other
    result holds its records in the instance from ``__init__`` on and never gets here."""

    def __get__(self, result: SourceResult | None, owner: type) -> tuple[Record, ...]:
        if result is None:
            return ()  # the field's default
        records = tuple(result.__dict__.pop(_LOAD_RECORDS)())
        result.__dict__["records"] = records
        return records


@dataclass(frozen=True)
class SourceResult:
    """What one source kind produced for one entity; ``mappings`` say how each table file's
    columns were read."""

    entity: str
    kind: str
    paths: tuple[str, ...]
    records: tuple[Record, ...] = _DeferredRecords()  # type: ignore[assignment]
    errors: tuple[SourceError, ...] = ()
    freshness: Freshness | None = None
    first_date: date | None = None
    last_date: date | None = None
    mappings: tuple[ColumnMapping, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no fatal error stopped the source."""
        return not any(error.fatal for error in self.errors)

    @classmethod
    def deferred(cls, head: SourceResult, load: Callable[[], Iterable[Record]]) -> SourceResult:
        """``head`` with its records those ``load`` gives, loaded the first time they are asked
        for (a kept result's records are most of it, and a re-run that kept its reports never
        asks). It is equal, hashed, serialised and pickled as the loaded result."""
        result = object.__new__(cls)
        result.__dict__.update(head.__dict__)
        del result.__dict__["records"]  # so that ``_DeferredRecords`` answers
        result.__dict__[_LOAD_RECORDS] = load
        return result

    def __getstate__(self) -> dict[str, Any]:
        if "records" not in self.__dict__:
            self.records  # noqa: B018  (loaded: the loader is not pickled)
        return self.__dict__


@dataclass(frozen=True)
class EntityInfo:
    """An entity as the snapshot knows it (a copy of the config's essentials)."""

    id: str
    name: str
    kind: str
    stream: bool = False


R = TypeVar("R", bound=Record)


def _position(placed: tuple[int, Any]) -> int:
    return placed[0]


class _Pile(NamedTuple):
    """The records of one type in a snapshot (or an entity's part of it), in source order, with
    each one's place among all of them; the places as 8-byte machine integers (a tuple of place
    and record each was about 80 bytes more a record, kept for the snapshot's life). Never sent
    over the wire, so a tuple, not a tagged dataclass."""

    positions: array[int]
    records: list[Any]


_record = operator.itemgetter(1)


@dataclass(frozen=True)
class Snapshot:
    """Everything collected for one ``as_of`` date: plain data, serialisable to JSON."""

    portfolio: str
    currency: str
    as_of: date
    entities: tuple[EntityInfo, ...]
    results: tuple[SourceResult, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)

    def records(self, kind: type[R], entity: str | None = None) -> list[R]:
        """Every record of one type, optionally for one entity, in source order.

        Analyses ask this per entity and per record type; the answers are kept (the snapshot is
        frozen), so a portfolio of N entities costs N lookups, not N scans of every record.
        """
        found = self._record_index.get((kind, entity))
        if found is None:
            by_type = self._records_by_type(entity)
            piles = [pile for cls, pile in by_type.items() if issubclass(cls, kind)]
            if len(piles) == 1:
                found = tuple(piles[0].records)
            else:  # several record types are kinds of ``kind``: back into source order
                placed = (zip(pile.positions, pile.records, strict=True) for pile in piles)
                found = tuple(map(_record, heapq.merge(*placed, key=_position)))
            self._record_index[(kind, entity)] = found
        return list(found)

    def _records_by_type(self, entity: str | None) -> dict[type[Any], _Pile]:
        """One scan of an entity's records (every record for None), grouped by their exact type
        with their place in source order: each record type asked of it after is a lookup."""
        by_type = self._type_index.get(entity)
        if by_type is None:
            results = self.results if entity is None else self._by_entity.get(entity, ())
            by_type = {}
            position = 0
            for result in results:  # grouped in C: a ledger's result holds a million records
                records = result.records
                places = range(position, position + len(records))
                types = list(map(type, records))
                kinds = set(types)
                for kind in kinds:
                    pile = by_type.get(kind)
                    if pile is None:
                        pile = by_type[kind] = _Pile(array("q"), [])
                    if len(kinds) == 1:
                        pile.positions.extend(places)
                        pile.records.extend(records)
                    else:
                        chosen = list(map(operator.is_, types, repeat(kind)))
                        pile.positions.extend(compress(places, chosen))
                        pile.records.extend(compress(records, chosen))
                position += len(records)
            self._type_index[entity] = by_type
        return by_type

    @cached_property
    def _type_index(self) -> dict[str | None, dict[type[Any], _Pile]]:
        return {}

    @cached_property
    def _by_entity(self) -> dict[str, tuple[SourceResult, ...]]:
        grouped: dict[str, list[SourceResult]] = {}
        for result in self.results:
            grouped.setdefault(result.entity, []).append(result)
        return {entity: tuple(results) for entity, results in grouped.items()}

    @cached_property
    def _record_index(self) -> dict[tuple[type[Any], str | None], tuple[Any, ...]]:
        return {}

    def __getstate__(self) -> dict[str, Any]:
        """Pickled without the lookup caches (they are rebuilt on first use)."""
        return {key: value for key, value in self.__dict__.items() if not key.startswith("_")}

    def entity(self, entity_id: str) -> EntityInfo:
        """The entity with this id (KeyError if absent): a lookup, as analyses ask it per entity."""
        return self._entity_by_id[entity_id]

    @cached_property
    def _entity_by_id(self) -> dict[str, EntityInfo]:
        index: dict[str, EntityInfo] = {}
        for info in self.entities:
            index.setdefault(info.id, info)
        return index

    def results_for(
        self, entity: str | None = None, kind: str | None = None
    ) -> Iterator[SourceResult]:
        """Source results filtered by entity and/or source kind."""
        results = self.results if entity is None else self._by_entity.get(entity, ())
        for result in results:
            if kind is None or result.kind == kind:
                yield result

    def errors(self, entity: str | None = None) -> list[SourceError]:
        """Every source error of the snapshot (of one entity's sources when given), in source
        order; one entity's are a lookup, so asking it of every entity stays linear."""
        results = self.results if entity is None else self._by_entity.get(entity, ())
        return [error for result in results for error in result.errors]

    def stale_sources(self) -> list[SourceResult]:
        """Sources older than their freshness limit."""
        return [r for r in self.results if r.freshness is not None and r.freshness.stale]

    def to_dict(self) -> JSON:
        """JSON data (lossless; see ``execbrief.serialization``)."""
        return to_jsonable(self)

    @classmethod
    def from_dict(cls, data: JSON) -> Snapshot:
        """Inverse of ``to_dict``."""
        snapshot = from_jsonable(data, Snapshot)
        if not isinstance(snapshot, Snapshot):
            raise TypeError("not a snapshot")
        return snapshot

    def with_results(self, results: tuple[SourceResult, ...]) -> Snapshot:
        """A copy with other results."""
        return Snapshot(
            self.portfolio, self.currency, self.as_of, self.entities, results, dict(self.meta)
        )
