"""Linear-time helpers the code readers share: line numbers and bracket matching, each computed
in one pass over a file and kept for the file's other questions.

A reader that asked ``text.count("\\n", 0, offset)`` per finding, or walked forward to the
matching brace from every opening one, took quadratic time on hostile files (60,000 unclosed
``function f() {``); these answer each question in O(log n) or O(1) after one O(n) pass.
The caches hold a few recent texts only (a code folder is read one file at a time).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any, TypeVar

_T = TypeVar("_T")


def _by_identity(size: int) -> Callable[[Callable[..., _T]], Callable[..., _T]]:
    """Like ``functools.lru_cache(size)``, but a text is the same key only when it is the same
    object. ``lru_cache`` compares equal keys: a reader's masked copy of a file with no comments
    equals the file, so every lookup compared the whole file (2 MB) to find its line table, and
    55,000 lookups took 6 of 14 s."""

    def decorate(function: Callable[..., _T]) -> Callable[..., _T]:
        recent: list[tuple[tuple[Any, ...], _T]] = []

        @functools.wraps(function)
        def cached(*args: Any) -> _T:
            for held, value in recent:
                if len(held) == len(args) and all(a is b for a, b in zip(held, args, strict=True)):
                    return value
            value = function(*args)
            recent.insert(0, (args, value))
            del recent[size:]
            return value

        return cached

    return decorate


@_by_identity(4)
def _newlines(text: str) -> tuple[int, ...]:
    offsets: list[int] = []
    at = text.find("\n")
    while at != -1:
        offsets.append(at)
        at = text.find("\n", at + 1)
    return tuple(offsets)


def line_of(text: str, offset: int) -> int:
    """The 1-based line of ``offset`` in ``text``."""
    return bisect_right(_newlines(text), offset - 1) + 1


@_by_identity(8)
def closers(structure: str, opener: str, closer: str) -> dict[int, int]:
    """Offset of every ``opener`` -> offset just after its matching ``closer`` (the text's end
    when it is never closed)."""
    out: dict[int, int] = {}
    stack: list[int] = []
    for found in re.finditer(f"[{re.escape(opener)}{re.escape(closer)}]", structure):
        index = found.start()
        if structure[index] == opener:
            stack.append(index)
        elif stack:
            out[stack.pop()] = index + 1
    for index in stack:
        out[index] = len(structure)
    return out


def matching(structure: str, start: int, opener: str = "{", closer: str = "}") -> int:
    """The offset just after the bracket matching the first ``opener`` at or after ``start``
    (the text's end when there is none or it is never closed)."""
    at = structure.find(opener, start)
    if at == -1:
        return len(structure)
    return closers(structure, opener, closer)[at]


@_by_identity(8)
def positions(text: str, chars: str) -> tuple[int, ...]:
    """Sorted offsets of every character of ``chars`` in ``text``."""
    return tuple(found.start() for found in re.finditer(f"[{re.escape(chars)}]", text))


def last_before(offsets: tuple[int, ...], at: int, floor: int) -> int | None:
    """The last offset < ``at`` and >= ``floor``, or None."""
    index = bisect_right(offsets, at - 1) - 1
    return offsets[index] if index >= 0 and offsets[index] >= floor else None


def first_from(offsets: tuple[int, ...], at: int, ceiling: int) -> int | None:
    """The first offset >= ``at`` and < ``ceiling``, or None."""
    index = bisect_right(offsets, at - 1)
    return offsets[index] if index < len(offsets) and offsets[index] < ceiling else None
