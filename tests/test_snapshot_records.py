"""Snapshot.records: every record of a type (and of its subtypes) in source order, per entity;
how a record pickles."""

from __future__ import annotations

import pickle
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path

from execbrief.config import load_config
from execbrief.pipeline import collect
from execbrief.plugins import get_registry
from execbrief.snapshot import EntityInfo, Provenance, Record, Snapshot, SourceResult


@dataclass(frozen=True)
class Row(Record):
    n: int


@dataclass(frozen=True)
class SpecialRow(Row):
    pass


@dataclass(frozen=True)
class Other(Record):
    n: int


def _at(n: int) -> Provenance:
    return Provenance("rows.csv", n)


def _snapshot() -> Snapshot:
    a1, a2 = Row("a", _at(1), 1), SpecialRow("a", _at(2), 2)
    a3, a4 = Other("a", _at(3), 3), Row("a", _at(4), 4)
    b1, b2 = SpecialRow("b", _at(5), 5), Row("b", _at(6), 6)
    return Snapshot(
        "p",
        "USD",
        date(2026, 11, 20),
        (EntityInfo("a", "A", "rental"), EntityInfo("b", "B", "rental")),
        (
            SourceResult("a", "ledger", ("x",), (a1, a2, a3)),
            SourceResult("b", "ledger", ("y",), (b1,)),
            SourceResult("a", "bookings", ("z",), (a4,)),
            SourceResult("b", "bookings", ("w",), (b2,)),
        ),
    )


def numbers(records: list[Row] | list[Other] | list[Record]) -> list[int]:
    return [getattr(r, "n") for r in records]  # noqa: B009


def test_a_type_and_its_subtypes_come_back_in_source_order() -> None:
    snapshot = _snapshot()
    assert numbers(snapshot.records(Row, "a")) == [1, 2, 4]
    assert numbers(snapshot.records(Row)) == [1, 2, 5, 4, 6]
    assert numbers(snapshot.records(Record, "a")) == [1, 2, 3, 4]


def test_a_subtype_alone_and_another_type_stay_apart() -> None:
    snapshot = _snapshot()
    assert numbers(snapshot.records(SpecialRow)) == [2, 5]
    assert numbers(snapshot.records(Other, "b")) == []
    assert numbers(snapshot.records(Other)) == [3]
    assert snapshot.records(Row, "nobody") == []


def test_each_answer_is_a_fresh_list() -> None:
    snapshot = _snapshot()
    first = snapshot.records(Row, "a")
    first.clear()
    assert numbers(snapshot.records(Row, "a")) == [1, 2, 4]


def test_one_entitys_errors_are_its_own_in_source_order() -> None:
    """``errors(entity)`` (a lookup, asked once per entity by the accounting coverage) gives that
    entity's errors as the whole list has them, and no other entity's."""
    from execbrief.snapshot import SourceError

    def error(entity: str, line: int) -> SourceError:
        return SourceError(entity, "ledger", Provenance(f"{entity}.csv", line), "bad row")

    results = (
        SourceResult("a", "ledger", ("a.csv",), errors=(error("a", 1), error("a", 2))),
        SourceResult("b", "ledger", ("b.csv",), errors=(error("b", 3),)),
        SourceResult("a", "bank", ("a.ofx",), errors=(error("a", 4),)),
    )
    infos = (EntityInfo("a", "A", "x"), EntityInfo("b", "B", "x"))
    snapshot = Snapshot("p", "USD", date(2026, 1, 1), infos, results)
    assert [e.provenance.line for e in snapshot.errors("a")] == [1, 2, 4]
    assert [e.provenance.line for e in snapshot.errors("b")] == [3]
    assert snapshot.errors("c") == []
    assert [e.provenance.line for e in snapshot.errors()] == [1, 2, 3, 4]


@dataclass(frozen=True)
class Checked(Record):
    """A record whose ``__init__`` does more than take its fields (it checks them)."""

    n: int

    def __post_init__(self) -> None:
        if self.n < 0:
            raise ValueError("negative")


@dataclass(frozen=True, slots=True)
class Slotted(Record):
    n: int
    label: str = ""


def test_a_record_pickles_as_its_class_and_field_values() -> None:
    for record in (Row("a", _at(1), 1), Slotted("a", _at(2), 2, "x"), SpecialRow("b", _at(3), 3)):
        kind, values = record.__reduce_ex__(pickle.HIGHEST_PROTOCOL)
        assert kind is type(record)
        assert values == tuple(getattr(record, f.name) for f in fields(record))
        back = pickle.loads(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL))
        assert back == record and type(back) is type(record)


def test_a_record_with_its_own_init_work_pickles_as_the_default_does() -> None:
    record = Checked("a", _at(1), 4)
    assert record.__reduce_ex__(pickle.HIGHEST_PROTOCOL)[0] is not Checked
    assert pickle.loads(pickle.dumps(record)) == record


def test_every_record_type_comes_back_equal_from_the_kept_results(
    example_portfolio: Path,
) -> None:
    registry = get_registry()
    config = load_config(example_portfolio, registry.option_models())
    snapshot = collect(config, registry, date(2026, 11, 20))
    records = [record for result in snapshot.results for record in result.records]
    assert len({type(record) for record in records}) >= 10
    for record in records:
        assert record.__reduce_ex__(pickle.HIGHEST_PROTOCOL)[0] is type(record)
    assert pickle.loads(pickle.dumps(records, protocol=pickle.HIGHEST_PROTOCOL)) == records
