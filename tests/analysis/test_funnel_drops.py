"""A conversion rate that falls by more than half against the entity's own earlier months is a
finding, not only a fall to zero (issue 14, 3 and 5); a note's own funnel ("Quotes → 19,
Deposits → 1") is weighed the same way; a funnel count of 13 or more digits is an error naming
the note's line (issue 17)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from execbrief.analysis.briefing import Briefing
from execbrief.analysis.marketing.funnel import (
    DROP_SHARE,
    conversion_drops,
    drop_finding,
    funnel,
    stage_of,
)
from execbrief.records.bookings import Booking
from execbrief.snapshot import EntityInfo, Provenance, SourceResult
from execbrief.sources.handoff import parse_note
from execbrief.values import Percent
from kits.ledger import booking, snapshot

AS_OF = "2026-07-15"


def charters() -> list[Booking]:
    """Jan..Mar: 5 quotes a month, 3 booked (9 of 15 = 60%); Apr..Jun: 5 quotes a month, 1 booked
    (3 of 15 = 20%); July (the as_of month, partial) has one quote and is left out."""
    out: list[Booking] = []
    for month, booked in ((1, 3), (2, 3), (3, 3), (4, 1), (5, 1), (6, 1)):
        for n in range(5):
            status = "booked" if n < booked else "quoted"
            out.append(
                booking(
                    "boats",
                    f"B{month}-{n}",
                    f"2026-{month:02d}-{n + 3:02d}",
                    f"2026-{month:02d}-{n + 20:02d}",
                    status,
                    "500",
                )
            )
    out.append(booking("boats", "B7-0", "2026-07-02", "2026-07-30", "quoted", "500"))
    return out


def test_a_fall_by_more_than_half_is_a_finding() -> None:

    rows = funnel(charters(), date(2026, 7, 15), 24)
    [drop] = conversion_drops(rows, date(2026, 7, 15), 3)
    assert drop.step == ("quoted", "booked")
    assert drop.months == ("2026-04", "2026-05", "2026-06")
    assert (drop.before, drop.recent, drop.upstream) == (
        Percent(Decimal("60.0")),
        Percent(Decimal("20.0")),
        15,
    )
    # 20% < 60% x (1 - 0.5) = 30%
    assert drop.recent.value < drop.before.value * (1 - DROP_SHARE)
    finding = drop_finding(EntityInfo("boats", "Boats", "charter"), drop)
    assert finding.id == "marketing.funnel_drop:boats:quoted-booked:2026-04"
    assert finding.title == "Boats: quoted → booked conversion fell from 60% to 20%"
    assert finding.shortfall
    # the recent months' booking rows (file lines of the 15 April..June bookings)
    assert finding.provenance and all(p.source == "bookings/boats.csv" for p in finding.provenance)


def test_a_fall_of_less_than_half_is_not() -> None:

    steady = [b for b in charters() if not b.id.startswith(("B4", "B5", "B6"))]
    for month in (4, 5, 6):  # 2 of 5 booked: 40%, two thirds of 60%
        for n in range(5):
            steady.append(
                booking("boats", f"C{month}-{n}", f"2026-{month:02d}-{n + 3:02d}", None,
                        "booked" if n < 2 else "quoted", "500")
            )  # fmt: skip
    assert conversion_drops(funnel(steady, date(2026, 7, 15), 24), date(2026, 7, 15), 3) == []


@pytest.mark.parametrize(
    ("name", "stage"),
    [("Quotes sent", "quoted"), ("Deposits", "booked"), ("Enquiries", "inquiry"), ("Trips", "completed"), ("Vibes", None)],
)  # fmt: skip
def test_a_note_step_names_its_stage(name: str, stage: str | None) -> None:
    assert stage_of(name) == stage


NOTE = "# Boats\n\n## Funnel\n\n- Quotes → 19\n- Deposits → 1\n"


def _brief(note: str, records: list[Booking]) -> dict[str, object]:
    parsed = parse_note(note, "boats", Provenance("notes/boats.md")).records
    snap = snapshot([("boats", "charter")], records, AS_OF)
    snap = type(snap)(
        snap.portfolio,
        snap.currency,
        snap.as_of,
        snap.entities,
        (*snap.results, SourceResult("boats", "handoff", ("notes/boats.md",), tuple(parsed))),
    )
    return {f.id: f for f in Briefing().analyze(snap).findings}


def test_a_notes_funnel_is_weighed_against_the_entitys_own_bookings() -> None:
    found = _brief(NOTE, charters())
    drop = found["briefing.funnel-drop:boats:deposits"]
    # 1 / 19 = 5.3%, against 12 of 30 quotes booked over Jan..Jun (40%): 5.3 < 20
    assert drop.title == "Boats: 19 quotes led to only 1 deposits (5.3%)"
    assert drop.evidence == (
        "The 'Funnel' funnel shows Quotes = 19 (notes/boats.md:5) and Deposits = 1 "
        "(notes/boats.md:6): 5.3%, against 40% from quoted to booked in its bookings before."
    )
    assert [p.cite() for p in drop.provenance][:2] == ["notes/boats.md:5", "notes/boats.md:6"]


def test_a_notes_funnel_is_weighed_against_its_stated_conversion_rate() -> None:
    found = _brief(NOTE + "\nConversion rate: 40%\n", [])
    drop = found["briefing.funnel-drop:boats:deposits"]
    assert drop.evidence.endswith("5.3%, against the conversion rate of 40% the note states.")
    assert [p.cite() for p in drop.provenance] == [
        "notes/boats.md:5",
        "notes/boats.md:6",
        "notes/boats.md:8",
    ]
    # with nothing to weigh it against, a low step is no finding (a zero step is a stall)
    assert not any("funnel-drop" in fid for fid in _brief(NOTE, []))


@pytest.mark.parametrize(
    ("note", "line", "left_out"),
    [
        ("# X\n\n- Quotes → 19\n- Deposits → 1234567890123\n", 4, "step"),
        ("# X\n\nFunnel: Enquiries 1234567890123 → Quotes 12\n", 3, "funnel on this line"),
        ("# X\n\n| Step | Count |\n| --- | --- |\n| Quotes | 12345678901234 |\n| Deposits | 1 |\n", 5, "step"),
        ("# X\n\n| Step | Count |\n| --- | --- |\n| Quotes | " + "9" * 40 + " |\n| Deposits | 1 |\n", 5, "step"),
    ],
)  # fmt: skip
def test_a_funnel_count_of_13_to_40_digits_is_an_error_at_its_line(
    note: str, line: int, left_out: str
) -> None:
    parsed = parse_note(note, "x", Provenance("notes/x.md"))
    [(at, message)] = parsed.problems
    assert at == line
    assert "is out of range; expected a whole number less than 1,000,000,000,000" in message
    assert message.endswith(f"the {left_out} is left out")
    assert all(getattr(r, "count", 0) < 10**12 for r in parsed.records)
