"""Records read from markdown handoff notes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from execbrief.snapshot import Record, set_by_slot
from execbrief.values import Money, MoneyRange, Percent

#: A typed fact value. Order matters for JSON decoding (see execbrief.findings.MetricValue).
FactValue = Money | MoneyRange | Percent | bool | int | Decimal | date | str


@set_by_slot
@dataclass(frozen=True, slots=True)
class Fact(Record):
    """One labelled fact from a note: ``Cash on hand: $12,400`` under ``## Finances``.

    ``key`` is the canonical vocabulary key (``cash``, ``burn``, ``pipeline``, ...) or, for unknown
    labels, a slug of the label; ``known`` says which. ``value`` is typed (money, range, percent,
    count, date, yes/no) or the text as written; ``raw`` is the value text as written.
    """

    section: str
    label: str
    key: str
    value: FactValue
    raw: str
    known: bool = True


@dataclass(frozen=True)
class FunnelStep(Record):
    """One step of a funnel table in a note (``| Step | Count |``), in table order."""

    funnel: str
    step: str
    count: int
    order: int


@dataclass(frozen=True)
class NoteSection(Record):
    """A ``##`` section of a note with its prose, for mentions such as "unbilled work".

    ``text`` is the section's source lines as written, starting with the heading line, which is
    ``provenance.line`` (``end_line`` is the last non-blank line); so line ``i`` (0-based) of the
    text is line ``provenance.line + i`` of the file. The part before the first ``##`` heading is
    a section too, titled with the note's ``#`` title (or empty).
    """

    title: str
    text: str
