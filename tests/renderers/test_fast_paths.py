"""The text renderer's shortcuts for the common case give what the general code gives: a cell
that cites one file, a grid row whose cells all fit their columns, a grid measured and padded a
column at a time, a block's cells wrapped once per column."""

from __future__ import annotations

import copy

from hypothesis import given
from hypothesis import strategies as st

from execbrief.renderers import formatting, text
from execbrief.renderers.formatting import Citations
from execbrief.renderers.wrapping import wrap
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


def _marked_by_equality(citations: list[list[Provenance]]) -> list[str]:
    """What ``Citations.mark`` gives for each list in turn, numbering by equality alone."""
    numbers: dict[Provenance, int] = {}
    out = []
    for provenance in citations:
        marks = list(dict.fromkeys(numbers.setdefault(p, len(numbers) + 1) for p in provenance))
        if len(marks) > 4:
            consecutive = marks == list(range(marks[0], marks[-1] + 1))
            out.append(
                f"[{marks[0]}–{marks[-1]}]"
                if consecutive
                else "[" + ",".join(map(str, marks[:4])) + ",…]"
            )
        else:
            out.append("".join(f"[{number}]" for number in marks))
    return out


@given(citations=st.lists(st.lists(_CITED, max_size=8), max_size=8), data=st.data())
def test_citations_looked_up_at_once_are_marked_as_numbered_one_at_a_time(
    citations: list[list[Provenance]], data: st.DataObject
) -> None:
    """``Citations.mark`` looks a list's numbers up in one pass and numbers the new ones after:
    the marks and numbering of a loop over the items, an equal copy (a distinct object) of a
    provenance cited before getting its number."""
    again = [
        [copy.copy(p) if data.draw(st.booleans()) else p for p in provenance]
        for provenance in citations
    ]
    marker = Citations()
    assert [marker.mark(p) for p in citations + again] == _marked_by_equality(citations + again)
    assert list(marker.numbers) == list(dict.fromkeys(p for ps in citations for p in ps))


_CELL = st.text(alphabet="ab -", max_size=text.MAX_CELL + 20)


@given(cells=st.lists(_CELL, min_size=1, max_size=5), extra=st.integers(0, 10))
def test_a_row_whose_cells_fit_is_the_row_the_wrapping_code_gives(
    cells: list[str], extra: int
) -> None:
    """Each column as wide as its widest cell (at most MAX_CELL) or more, as ``_table`` sets it."""
    widths = [min(len(cell), text.MAX_CELL) + extra for cell in cells]
    assert text._row_lines(cells, widths) == text._wrapped_row_lines(cells, widths)


_ROWS = st.lists(st.lists(_CELL, max_size=6), max_size=6)


@given(header=st.lists(_CELL, max_size=5), rows=_ROWS)
def test_a_grid_measured_a_column_at_a_time_is_as_wide_as_measured_a_cell_at_a_time(
    header: list[str], rows: list[list[str]]
) -> None:
    """``_table``'s widths from ``_longest_cells``: each header column as wide as its name or its
    widest cell (at most MAX_CELL), rows short of a column or past the header included."""
    widths = [len(column) for column in header]
    for cells in rows:
        for index, cell in enumerate(cells[: len(widths)]):
            widths[index] = max(widths[index], min(len(cell), text.MAX_CELL))
    longest = text._longest_cells([(cells, "") for cells in rows])
    assert text._widths(header, longest) == widths
    if max(longest, default=0) <= text.MAX_CELL:  # ``_table`` then takes each row as one line
        assert all(text._row_lines(cells, widths) == [cells] for cells in rows)


@given(
    columns=st.lists(st.tuples(st.integers(0, 12), st.sampled_from("lr")), max_size=5),
    cells=st.lists(st.text(alphabet="ab {}:<>", max_size=15), max_size=7),
)
def test_a_grid_line_from_its_template_is_the_line_padded_a_cell_at_a_time(
    columns: list[tuple[int, str]], cells: list[str]
) -> None:
    """Short rows padded with empty cells, cells past the widths dropped, braces kept."""
    widths = [width for width, _align in columns]
    align = [side for _width, side in columns]
    parts = []
    for index, width in enumerate(widths):
        cell = cells[index] if index < len(cells) else ""
        parts.append(cell.rjust(width) if align[index] == "r" else cell.ljust(width))
    template = text._line_template(widths, align)
    assert template.format(*cells, *[""] * len(widths)) == "  " + "  ".join(parts)


_BLOCK_CELL = st.one_of(st.sampled_from(["", text.EMPTY]), _CELL, st.text(max_size=90))


@given(
    header=st.lists(st.text(alphabet="ab -", max_size=40), min_size=1, max_size=4),
    rows=st.lists(st.tuples(st.lists(_BLOCK_CELL, max_size=5), st.sampled_from(["", "[1]"]))),
)
def test_a_block_whose_cells_are_wrapped_once_per_column_is_the_block_wrapped_cell_by_cell(
    header: list[str], rows: list[tuple[list[str], str]]
) -> None:
    """``_blocks`` keeps each cell's lines per column (cells repeat): what wrapping each gives."""
    label_width = min(max((len(c) for c in header[1:]), default=0), 30)
    out: list[str] = []
    for cells, mark in rows:
        out += text.wrap(text._cited((cells[0] if cells else "") or header[0], mark), "  ", "    ")
        for column, cell in zip(header[1:], cells[1:], strict=False):
            if cell in ("", text.EMPTY):
                continue
            *above, name = text._wrapped(column, label_width, "  ")
            out += [f"    {piece}" for piece in above]
            out += text.wrap(f"{name.ljust(label_width)}  {cell}", "    ", " " * 6)
    assert text._blocks(header, rows + rows) == out + out


_RUN = st.tuples(st.integers(1, 30), st.integers(4, 12)).map(lambda r: range(r[0], sum(r) + 1))
_NUMBERS = st.one_of(_RUN.map(list), st.sets(st.integers(1, 40), min_size=5).map(sorted))


@given(_NUMBERS.flatmap(st.permutations))
def test_marks_count_up_by_one_when_they_are_their_span_in_order(marks: list[int]) -> None:
    """``_consecutive`` builds no list as long as the marks' span unless they are as many."""
    assert formatting._consecutive(marks) == (marks == list(range(marks[0], marks[-1] + 1)))


_LINE = st.lists(st.sampled_from(["a", "bb", " ", "  ", "\t", "\n", "\xa0", "x" * 30]), max_size=8)


@given(line=_LINE.map("".join), indent=st.sampled_from(["", "  ", "  • ", "  [12] "]))
def test_a_line_that_fits_is_the_line_the_wrapping_code_gives(line: str, indent: str) -> None:
    """``text.wrap`` gives a text that fits, ends in no space and has no other whitespace
    than spaces as it is: what wrapping gives."""
    wrapped = wrap(line, text.WIDTH, indent, "    ") or [indent.rstrip()]
    assert text.wrap(line, indent, "    ") == wrapped
