"""``snapshot.set_by_slot``: a frozen slotted dataclass built by slot descriptors is the same
object the dataclass's own ``__init__`` builds (same parameters, defaults, values, freezing)."""

from __future__ import annotations

import dataclasses
import inspect
import io
import pickle
import random
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from execbrief.records.bookings import Booking
from execbrief.records.code import CloudCost, StackItem
from execbrief.records.handoff import Fact
from execbrief.records.ledger import AccountType, CashBalance, Transaction
from execbrief.records.timesheets import Invoice, TimeEntry
from execbrief.snapshot import Provenance, SourceResult, set_by_slot, slot_setters
from execbrief.store import columns
from execbrief.values import Money


def _twin(cls: type) -> type:
    """``cls``'s fields in a class the dataclass decorator alone makes (its own ``__init__``)."""
    return dataclasses.make_dataclass(
        f"Twin{cls.__name__}",
        [(f.name, f.type, dataclasses.field(default=f.default)) for f in dataclasses.fields(cls)],
        frozen=True,
        slots=True,
    )


#: Every class built by slot: those made once a ledger line, and the records a portfolio holds
#: by the thousand (a collect worker builds each once, the parent again as it unpacks them).
BUILT_BY_SLOT = [
    Provenance,
    Transaction,
    CashBalance,
    Booking,
    TimeEntry,
    Invoice,
    CloudCost,
    StackItem,
    Fact,
]


@pytest.mark.parametrize("cls", BUILT_BY_SLOT)
def test_parameters_and_defaults_are_the_dataclass_ones(cls: type) -> None:
    ours = inspect.signature(cls.__init__)
    theirs = inspect.signature(_twin(cls).__init__)
    assert [(p.name, p.default, p.kind) for p in ours.parameters.values()] == [
        (p.name, p.default, p.kind) for p in theirs.parameters.values()
    ]
    assert ours.parameters.keys() == {"self", *(f.name for f in dataclasses.fields(cls))}


@pytest.mark.parametrize("cls", BUILT_BY_SLOT)
def test_every_field_is_stored_in_its_own_slot(cls: type) -> None:
    names = [f.name for f in dataclasses.fields(cls)]
    values = [object() for _ in names]  # each a value no other field holds
    for built in (cls(*values), cls(**dict(zip(names, values, strict=True)))):
        assert [getattr(built, name) for name in names] == values
        assert not hasattr(built, "__dict__")
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(built, names[-1], None)


def _values(rng: random.Random) -> list[object]:
    return [
        rng.choice(["", "e1", "harbor"]),
        Provenance(rng.choice(["a.csv", "b.csv"]), rng.randint(1, 9)),
        date(2026, rng.randint(1, 12), rng.randint(1, 28)),
        rng.choice(["Income:Charters", "Expenses:Fuel"]),
        rng.choice(list(AccountType)),
        rng.choice(["Charters", "Fuel"]),
        Money(Decimal(rng.randint(-9999, 9999)) / 100, "USD"),
        rng.choice(["", "memo"]),
        rng.choice([None, "Stripe"]),
        rng.choice([None, "BK-1"]),
        rng.choice([True, False]),
        rng.choice([None, "Assets:Checking"]),
    ]


def test_a_record_built_either_way_is_the_same() -> None:
    rng = random.Random(18)
    twin = _twin(Transaction)
    for _ in range(200):
        values = _values(rng)
        cut = rng.randint(7, len(values))  # the defaults past the cut
        ours, theirs = Transaction(*values[:cut]), twin(*values[:cut])
        assert dataclasses.astuple(ours) == dataclasses.astuple(theirs)
        assert ours == Transaction(
            **{f.name: getattr(ours, f.name) for f in dataclasses.fields(ours)}
        )
        assert pickle.loads(pickle.dumps(ours)) == ours
        assert hash(ours) == hash(Transaction(*values[:cut]))


def test_provenance_still_orders_and_refuses_changes() -> None:
    first, second = Provenance("a.csv", 1), Provenance("a.csv", 2, detail="x")
    assert first < second and second.detail == "x" and second.end_line is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.line = 3  # type: ignore[misc]


def test_a_class_it_cannot_build_is_refused() -> None:
    @dataclass(frozen=True)
    class Unslotted:
        n: int

    @dataclass(frozen=True, slots=True)
    class Factory:
        items: list[int] = dataclasses.field(default_factory=list)

    @dataclass(frozen=True, slots=True)
    class Checked:
        n: int

        def __post_init__(self) -> None:
            pass

    for cls in (Unslotted, Factory, Checked):
        with pytest.raises(TypeError):
            set_by_slot(cls)


@pytest.mark.parametrize("cls", BUILT_BY_SLOT)
def test_its_slot_setters_store_the_fields_in_order(cls: type) -> None:
    setters = slot_setters(cls)
    names = [f.name for f in dataclasses.fields(cls)]
    assert setters is not None and len(setters) == len(names)
    values = [object() for _ in names]
    made = object.__new__(cls)
    for setter, value in zip(setters, values, strict=True):
        setter(made, value)
    assert made == cls(*values)


def test_a_subclass_it_did_not_make_has_no_setters() -> None:
    @dataclass(frozen=True, slots=True)
    class Later(Provenance):
        extra: str = ""

    assert slot_setters(Provenance) is not None
    assert slot_setters(Later) is None


def test_a_ledger_kept_as_columns_loads_as_the_records_it_was() -> None:
    rng = random.Random(7)
    records = tuple(Transaction(*_values(rng)) for _ in range(columns.MIN_RECORDS + 99))
    result = SourceResult("e1", "ledger", ("a.csv",), records=records)
    buffer = io.BytesIO()
    columns.dump(result, buffer, SourceResult)
    loaded = columns.load(io.BytesIO(buffer.getvalue()))
    assert loaded.records == records
    assert [dataclasses.astuple(r) for r in loaded.records] == [
        dataclasses.astuple(r) for r in records
    ]
    assert all(type(r) is Transaction and not hasattr(r, "__dict__") for r in loaded.records)
