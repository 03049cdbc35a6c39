"""The CLI's counts read as English: "1 entity", "2 entities", "1 source has an error" (audit26
found "(1 entities)" and "1 sources have an error")."""

from __future__ import annotations

from execbrief.cli import counted


def test_one_is_singular_and_more_take_the_plural() -> None:
    assert counted(1, "entity", "entities") == "1 entity"
    assert counted(2, "entity", "entities") == "2 entities"
    assert counted(1, "source") == "1 source"
    assert counted(1200, "source") == "1,200 sources"
    assert counted(0, "problem") == "0 problems"
