"""``snapshot.set_in_dict``: a frozen dataclass whose fields are written straight into its
``__dict__`` is the object the dataclass's own ``__init__`` builds: same parameters and defaults,
values, equality, hash, freezing, ``replace`` and pickle."""

from __future__ import annotations

import dataclasses
import inspect
import pickle
from dataclasses import dataclass
from datetime import date
from functools import cached_property

import pytest

from execbrief.analysis.accounting import CategoryAudit, DeferredItem
from execbrief.analysis.finance.cash import BurnMonth
from execbrief.analysis.finance.pnl import MonthLine
from execbrief.analysis.forecast.rules import ForecastLine
from execbrief.analysis.forecast.weeks import ForecastWeek
from execbrief.analysis.kpis import KpiStatus
from execbrief.analysis.marketing.channels import ChannelCell
from execbrief.analysis.marketing.funnel import FunnelRow
from execbrief.document import Bullet, Point, Row, Series
from execbrief.findings import Finding, Metric
from execbrief.snapshot import Provenance, set_in_dict

#: Every class built in its dict: the results the analyses and reports make by the thousand.
BUILT_IN_DICT = [
    Metric,
    Finding,
    Row,
    Point,
    Bullet,
    Series,
    ForecastLine,
    ForecastWeek,
    MonthLine,
    BurnMonth,
    ChannelCell,
    DeferredItem,
    CategoryAudit,
    KpiStatus,
    FunnelRow,
]


def _twin(cls: type) -> type:
    """``cls``'s fields in a class the dataclass decorator alone makes (its own ``__init__``)."""
    return dataclasses.make_dataclass(
        f"Twin{cls.__name__}",
        [(f.name, f.type, dataclasses.field(default=f.default)) for f in dataclasses.fields(cls)],
        frozen=True,
    )


@pytest.mark.parametrize("cls", BUILT_IN_DICT)
def test_parameters_and_defaults_are_the_dataclass_ones(cls: type) -> None:
    ours = inspect.signature(cls.__init__)
    theirs = inspect.signature(_twin(cls).__init__)
    assert [(p.name, p.default, p.kind) for p in ours.parameters.values()] == [
        (p.name, p.default, p.kind) for p in theirs.parameters.values()
    ]


@pytest.mark.parametrize("cls", BUILT_IN_DICT)
def test_every_field_is_stored_as_the_dataclass_stores_it(cls: type) -> None:
    names = [f.name for f in dataclasses.fields(cls)]
    values = [(n, name) for n, name in enumerate(names)]  # hashable, each its own
    twin = _twin(cls)
    for built in (cls(*values), cls(**dict(zip(names, values, strict=True)))):
        assert [getattr(built, name) for name in names] == values
        assert built.__dict__ == twin(*values).__dict__
        assert list(built.__dict__) == names  # in field order: pickles as the dataclass's did
        assert built == cls(*values)
        assert hash(built) == hash(cls(*values))
        assert pickle.loads(pickle.dumps(built)) == built
        assert dataclasses.replace(built, **{names[0]: "other"}) == cls("other", *values[1:])
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(built, names[-1], None)


def test_defaults_are_filled_in() -> None:
    metric = Metric("finance.net", "Net income", 3)
    assert (metric.entity, metric.period, metric.unit, metric.formula) == (None,) * 4
    assert metric.provenance == ()
    assert Row((1, "a")).provenance == ()
    line = ForecastLine("e", date(2026, 11, 21), "bill", "Rent", 0)  # type: ignore[arg-type]
    assert line.at_risk is None and line.provenance == ()
    assert Bullet("x", (Provenance("a.md", 2),)).provenance == (Provenance("a.md", 2),)


def test_a_class_it_cannot_build_is_refused() -> None:
    @dataclass(frozen=True, slots=True)
    class Slotted:
        n: int

    @dataclass(frozen=True)
    class Factory:
        items: list[int] = dataclasses.field(default_factory=list)

    @dataclass(frozen=True)
    class Checked:
        n: int

        def __post_init__(self) -> None:
            pass

    @dataclass(frozen=True)
    class Shadowed:
        n: int

    Shadowed.n = property(lambda self: 1)  # type: ignore[assignment,method-assign]

    for cls in (Slotted, Factory, Checked, Shadowed):
        with pytest.raises(TypeError):
            set_in_dict(cls)


@set_in_dict
@dataclass(frozen=True)
class Weeks:
    """A set_in_dict class with a cached property (its value lands in the same dict)."""

    n: int

    @cached_property
    def double(self) -> int:
        return self.n * 2


def test_a_cached_property_still_caches() -> None:
    weeks = Weeks(4)
    assert weeks.double == 8 and weeks.__dict__ == {"n": 4, "double": 8}


@pytest.mark.parametrize("cls", BUILT_IN_DICT)
def test_it_pickles_as_its_class_and_field_values(cls: type) -> None:
    names = [f.name for f in dataclasses.fields(cls)]
    values = [(n, name) for n, name in enumerate(names)]
    built = cls(*values)
    assert built.__reduce__() == (cls, tuple(values))
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(built, protocol=protocol))
        assert type(back) is cls and back == built
        assert list(back.__dict__.items()) == list(built.__dict__.items())


@dataclass(frozen=True)
class Ranked(Bullet):
    """A subclass with a field of its own (pickled by name: at module level)."""

    rank: int = 0


def test_a_subclass_pickles_its_own_fields_too() -> None:
    ranked = Ranked("x", (Provenance("a.md", 2),), 3)
    back = pickle.loads(pickle.dumps(ranked))
    assert type(back) is Ranked and back.__dict__ == ranked.__dict__


def test_a_cached_value_is_not_pickled() -> None:
    weeks = Weeks(4)
    assert weeks.double == 8
    assert weeks.__reduce__() == (Weeks, (4,))
