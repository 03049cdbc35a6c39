"""``books.ledger``: an entity's lines up to as_of, filtered once a run and shared by finance and
accounting; another snapshot (another run, or the same books as of another day) is read afresh."""

from __future__ import annotations

from execbrief.analysis import books
from kits.ledger import snapshot, tx

ENTITIES = [("harbor", "charter"), ("loft", "rental")]
ROWS = [
    tx("harbor", "2026-03-01", "Income:Charters", 100),
    tx("loft", "2026-03-02", "Income:Rent", 50),
    tx("harbor", "2026-04-20", "Expenses:Fuel", 30),  # after as_of (2026-04-15)
    tx("harbor", "2026-04-01", "Expenses:Fuel", 20),
]


def test_an_entitys_lines_up_to_as_of_in_source_order() -> None:
    books_now = snapshot(ENTITIES, ROWS)
    harbor = books.ledger(books_now, "harbor")
    assert harbor == [ROWS[0], ROWS[3]]
    assert books.ledger(books_now, "loft") == [ROWS[1]]
    harbor.clear()  # a caller's list is its own: the kept rows stay whole
    assert books.ledger(books_now, "harbor") == [ROWS[0], ROWS[3]]


def test_another_snapshot_is_read_afresh() -> None:
    assert books.ledger(snapshot(ENTITIES, ROWS), "harbor") == [ROWS[0], ROWS[3]]
    later = snapshot(ENTITIES, ROWS, as_of="2026-04-30")
    assert books.ledger(later, "harbor") == [ROWS[0], ROWS[2], ROWS[3]]
