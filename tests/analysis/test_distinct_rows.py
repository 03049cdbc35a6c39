"""A merged source note counts each cited row once: two forecast lines citing one booking pace
gave ``data/bookings.csv:5-8 (8 rows)`` (audit18), more rows than the lines hold."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from execbrief.analysis import books
from execbrief.analysis.books import distinct_rows, merge_citations
from execbrief.snapshot import Provenance


def merged(*cited: Provenance) -> str:
    (one,) = merge_citations(cited)
    return one.cite()


def test_a_citation_given_twice_counts_its_rows_once() -> None:
    pace = Provenance("data/bookings.csv", 5, 8, detail="4 rows")
    assert merged(pace, pace) == "data/bookings.csv:5-8 (4 rows)"


def test_rows_named_by_line_are_counted_by_line() -> None:
    dense = Provenance("ledger.csv", 3, 5, detail="3 rows")
    assert merged(dense, Provenance("ledger.csv", 4), Provenance("ledger.csv", 9)) == (
        "ledger.csv:3-9 (4 rows)"
    )


def test_disjoint_ranges_add_up_and_a_range_end_is_one_of_its_rows() -> None:
    early = Provenance("ledger.csv", 2, 20, detail="5 rows")
    late = Provenance("ledger.csv", 30, 60, detail="7 rows")
    assert merged(early, late, Provenance("ledger.csv", 20)) == "ledger.csv:2-60 (12 rows)"


def test_overlapping_ranges_say_the_most_there_can_be() -> None:
    """Which of a sparse range's lines are rows is not known: never more than the lines hold,
    and said as a bound."""
    one = Provenance("ledger.csv", 3, 10, detail="6 rows")
    other = Provenance("ledger.csv", 6, 12, detail="5 rows")
    assert merged(one, other) == "ledger.csv:3-12 (at most 10 rows)"
    assert merged(Provenance("ledger.csv", 3, 12, detail="at most 10 rows")) == (
        "ledger.csv:3-12 (at most 10 rows)"
    )


_LINES = st.one_of(st.none(), st.integers(0, 30))


@st.composite
def citations(draw: st.DrawFn) -> list[Provenance]:
    """Citations of one file: lines (or none), ranges, and ``N rows`` or ``at most N`` details."""
    out = []
    for _ in range(draw(st.integers(1, 8))):
        line, end = draw(_LINES), draw(_LINES)
        rows = draw(st.integers(0, 12))
        detail = draw(st.sampled_from([None, f"{rows} rows", f"at most {rows} rows", "1 row"]))
        out.append(Provenance("ledger.csv", line, end, detail=detail))
    return out


@given(citations())
def test_citations_that_share_no_line_count_as_the_general_rule_does(
    cited: list[Provenance],
) -> None:
    """The shortcut for citations no two of which share a line gives what weighing every
    line gives."""
    unique = list(dict.fromkeys((p.line, p.end_line, books._rows_of(p)) for p in cited))
    bounded = any((p.detail or "").startswith("at most ") for p in cited)
    assert distinct_rows(cited) == books._overlapping_rows(unique, bounded)


@st.composite
def parts(draw: st.DrawFn) -> list[list[Provenance]]:
    """Groups of citations (an entity's week each) of a few files, some files in several."""
    out = []
    for _ in range(draw(st.integers(0, 5))):
        group = []
        for _ in range(draw(st.integers(0, 6))):
            line, end = draw(_LINES), draw(_LINES)
            detail = draw(st.sampled_from([None, "3 rows", "at most 4 rows", "1 row"]))
            source = draw(st.sampled_from(["a.csv", "b.csv", "c.csv", "d.csv"]))
            group.append(Provenance(source, line, end, detail=detail))
        out.append(group)
    return out


@given(parts())
def test_merging_merged_parts_gives_the_merge_of_all_their_citations(
    groups: list[list[Provenance]],
) -> None:
    """A portfolio week's citations from its entities' merged ones are those merging every
    line's citation gives."""
    merged_parts = [(group, merge_citations(group)) for group in groups]
    assert books.merge_merged(merged_parts) == merge_citations(p for g in groups for p in g)
