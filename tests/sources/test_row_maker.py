"""``CsvTable.rows`` makes a full row's dict with a function written out for its columns: the
same dict, in the same order, as stripping each indexed cell one by one."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from execbrief.sources.files import _row_maker


@settings(max_examples=200, deadline=None)
@given(
    names=st.lists(st.text(max_size=8), unique=True, max_size=8),
    cells=st.lists(st.text(alphabet=" \t\r\nab,'\"\\{}", max_size=6), min_size=8, max_size=10),
    data=st.data(),
)
def test_a_written_out_row_is_the_stripped_cells_of_its_columns(
    names: list[str], cells: list[str], data: st.DataObject
) -> None:
    positions = [data.draw(st.integers(0, len(cells) - 1)) for _ in names]
    index = tuple(zip(names, positions, strict=True))
    made = _row_maker(index)(cells)
    assert list(made.items()) == [(name, cells[i].strip()) for name, i in index]
