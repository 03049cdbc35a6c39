"""The text renderer's shortcuts for the common case give what the general code gives: a cell
that cites one file, a grid row whose cells all fit their columns."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from execbrief.renderers import text
from execbrief.renderers.formatting import Citations
from execbrief.snapshot import Provenance

_CITED = st.builds(Provenance, st.sampled_from(["a.csv", "b.md", "c.csv"]), st.integers(1, 5))


@given(before=st.lists(st.lists(_CITED, max_size=3), max_size=6), cited=_CITED)
def test_a_single_citation_is_marked_as_the_same_citation_given_twice(
    before: list[list[Provenance]], cited: Provenance
) -> None:
    """``[n]``, numbered in order of first citation, as the general path (which drops repeats)."""
    short, general = Citations(), Citations()
    for earlier in before:
        assert short.mark(earlier) == general.mark(earlier + earlier)
    assert short.mark((cited,)) == general.mark([cited, cited])
    assert short.numbers == general.numbers
    assert short.mark(()) == general.mark([]) == ""


_CELL = st.text(alphabet="ab -", max_size=text.MAX_CELL + 20)


@given(cells=st.lists(_CELL, min_size=1, max_size=5), extra=st.integers(0, 10))
def test_a_row_whose_cells_fit_is_the_row_the_wrapping_code_gives(
    cells: list[str], extra: int
) -> None:
    """Each column as wide as its widest cell (at most MAX_CELL) or more, as ``_table`` sets it."""
    widths = [min(len(cell), text.MAX_CELL) + extra for cell in cells]
    assert text._row_lines(cells, widths) == text._wrapped_row_lines(cells, widths)
