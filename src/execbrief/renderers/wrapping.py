"""Wrapping a paragraph into lines: what ``textwrap.wrap`` gives with ``break_long_words=True``
and ``break_on_hyphens=False``, line for line, at a fraction of its cost.

``textwrap`` splits the text into chunks (words and runs of spaces) and fills each line by
popping chunks one at a time in Python; the text renderer wraps some sixty thousand lines per
portfolio of 100 entities, and that loop was the largest part of its time. Here each line is cut
with a few string searches over the line's width instead. A text holding whitespace other than
the ASCII kinds textwrap splits at (a no-break space, say: textwrap keeps it inside a word but
drops such a word at a line's edge) goes to textwrap itself, as does an indent that leaves no
room for a character. ``tests/renderers/test_wrapping.py`` fuzzes the two against each other.
"""

from __future__ import annotations

import re
import textwrap

#: The whitespace textwrap breaks at (and turns into spaces, after expanding tabs).
_ASCII_SPACE = "\t\n\x0b\x0c\r "
_TO_SPACE = str.maketrans(dict.fromkeys(_ASCII_SPACE, " "))
#: Whitespace that is none of those: a text with it is wrapped by textwrap.
_OTHER_SPACE = re.compile(rf"[^\S{re.escape(_ASCII_SPACE)}]")


def wrap(text: str, width: int, initial_indent: str = "", subsequent_indent: str = "") -> list[str]:
    """``textwrap.wrap(text, width, initial_indent=..., subsequent_indent=...,
    break_long_words=True, break_on_hyphens=False)``."""
    if width - max(len(initial_indent), len(subsequent_indent)) < 1 or _OTHER_SPACE.search(text):
        return textwrap.wrap(
            text,
            width,
            initial_indent=initial_indent,
            subsequent_indent=subsequent_indent,
            break_long_words=True,
            break_on_hyphens=False,
        )
    spaced = text.expandtabs().translate(_TO_SPACE)
    lines: list[str] = []
    start = 0
    while start < len(spaced):
        indent = subsequent_indent if lines else initial_indent
        while lines and start < len(spaced) and spaced[start] == " ":
            start += 1  # a line after the first starts past its spaces
        if start == len(spaced):
            break
        line, start = _line(spaced, start, width - len(indent))
        if line:
            lines.append(indent + line)
    return lines


def _line(spaced: str, start: int, room: int) -> tuple[str, int]:
    """The line that starts at ``start`` with ``room`` characters, and where the next begins:
    the most whole runs (of spaces or of other characters) that fit, then, when the next run is
    longer than any line, as much of it as fits; a run of spaces at the line's end is dropped."""
    end = _fitting_end(spaced, start, room)
    following = spaced[end : end + room + 1]
    if len(following) > room and _one_run(following):  # too long for any line: cut it
        cut = start + room
        if following[0] == " " or cut == end:  # spaces, or no room left: the line ends before
            return spaced[start:end], cut
        return spaced[start:cut], cut
    line = spaced[start:end]
    return (line.rstrip(" ") if line.endswith(" ") else line), end


def _fitting_end(spaced: str, start: int, room: int) -> int:
    """Where the longest run of whole runs from ``start`` that fits in ``room`` ends."""
    end = start + room
    if end >= len(spaced):
        return len(spaced)
    if (spaced[end - 1] == " ") != (spaced[end] == " "):
        return end  # a run ends exactly at the edge
    if spaced[end] == " ":  # in a run of spaces: the line ends before it
        return max(start, start + len(spaced[start:end].rstrip(" ")))
    return max(start, spaced.rfind(" ", start, end) + 1)  # in a word: before it


def _one_run(piece: str) -> bool:
    """Whether ``piece`` is all spaces or holds none."""
    return " " not in piece if piece[0] != " " else not piece.strip(" ")
