"""What of a handoff note the markdown parser reads: the blocks that can give a record.

markdown-it-py costs about 10 s a MB of dense lines (every line tries every block rule, and every
line of a paragraph every rule that can end it), while a handoff note's records come only from
headings, ``label: value`` and dash lines, funnels, tables and HTML blocks. A note is cut into
*chunks* at the places where no block can run on: a blank line followed by a line at the left
margin. A chunk with none of the characters those records need (a colon, a dash or arrow, a pipe,
``#``, a setext underline, a fence, an entity or an HTML tag that could hide one) gives
nothing, so the parser gets only its first line (which keeps the block it opens, and so the
structure around it, as written) and blank lines for the rest: line numbers are kept. Sections
(``NoteSection``) still take their text from the note as written.

What is parsed is bounded too: past ``MAX_PARSED_CHARS`` of parsed chunks the note is read no
further (a named cut, one problem), so a megabyte of labelled lines or headings still reads in
about a second.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Characters and lines of a note's chunks parsed for records, at most (a long handoff note is
#: 20 KB and 500 lines; a 5,000-row table, the most ``handoff.MAX_TABLE_ROWS`` reads, fits).
MAX_PARSED_CHARS = 150_000
MAX_PARSED_LINES = 10_000
#: Anything that can make a record: a label's colon or dash, a funnel's arrow, a table's pipe, a
#: heading's ``#``, an entity (``&colon;``) or an HTML tag (its lines are read without tags).
_TRIGGER = re.compile(r"[:|#—–→⟶➝➜\r]|--|->|=>|&#?\w+;|<[A-Za-z/!?]")
#: A line that opens or closes a block running past blank lines (a fence), or a setext heading's
#: underline (``===`` or ``---`` alone on a line, up to 3 spaces in).
_BLOCK_LINE = re.compile(r"^ {0,3}(?:```|~~~|=+[ \t]*$|-+[ \t]*$)", re.MULTILINE)
#: A line that opens a list item or a block quote, not a paragraph.
_NOT_PARAGRAPH = re.compile(r"^ {0,3}(?:[-+*](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|>)")
#: What a heading's value on the line below it starts with (``handoff._VALUE_START``), found
#: anywhere in that line once inline markup is dropped.
_VALUE_TEXT = re.compile(
    r"[~≈$€£(\-\d]|about|around|approx|roughly|none|nil|zero|nothing|empty|no|usd|eur|gbp",
    re.IGNORECASE,
)
_MARKUP = re.compile(r"[*_`\\\[\]!<>]")


def _may_hold_heading_value(line: str) -> bool:
    """Whether a line right after a heading could give the heading's value (a paragraph whose
    first line starts with a value, as ``handoff._NoteParser.heading_fact`` reads it)."""
    if _NOT_PARAGRAPH.match(line) or line.startswith(("    ", "\t")):
        return False
    return _VALUE_TEXT.search(_MARKUP.sub("", line)) is not None


@dataclass(frozen=True)
class ParseText:
    """The text to hand the parser (same line numbers as the note, perhaps fewer lines at the
    end), and where reading stopped: ``read_to`` is the number of lines read (all of them unless
    ``cut``)."""

    text: str
    read_to: int
    cut: bool


def front_matter_end(lines: list[str]) -> int:
    """The index of the line after the front matter (0 for none), as the front matter plugin
    reads it: ``---`` (3 or more dashes) on the first line, closed by a line of as many dashes
    or by ``...``."""
    if not lines or not lines[0].startswith("---"):
        return 0
    opening = len(lines[0]) - len(lines[0].lstrip("-"))
    for index in range(1, len(lines)):
        line = lines[index]
        if line.startswith("...") and _blank(line[3:]):
            return index + 1
        bare = line.lstrip(" ")
        if len(line) - len(bare) >= 4 or bare.startswith("\t"):
            continue  # indented code, not a marker
        dashes = len(bare) - len(bare.lstrip("-"))
        if dashes >= opening and _blank(bare[dashes:]):
            return index + 1
    return 0


def _blank(line: str) -> bool:
    return not line.strip(" \t")


def chunk_starts(lines: list[str], first: int) -> list[int]:
    """Indexes of the lines (from ``first``) where a chunk starts: ``first``, then every line at
    the left margin after a blank line."""
    blank = [not line.strip(" \t") for line in lines]
    return [first] + [
        index
        for index in range(first + 1, len(lines))
        if blank[index - 1] and not blank[index] and lines[index][0] not in " \t"
    ]


def _gives_records(chunk: str) -> bool:
    """Whether a chunk can give a record. Backslashes are dropped first: an escape can make a
    label's ``--`` or a funnel's ``->`` of text that holds neither (``-\\-``)."""
    return _TRIGGER.search(chunk.replace("\\", "")) is not None or _heading_or_fence(chunk)


def _heading_or_fence(chunk: str) -> bool:
    return "#" in chunk or _BLOCK_LINE.search(chunk) is not None


def parse_text(
    text: str, limit: int = MAX_PARSED_CHARS, line_limit: int = MAX_PARSED_LINES
) -> ParseText:
    """The note's text as the parser should read it (see the module's doc). The front matter is
    always parsed as written."""
    if "\r" in text:
        text = re.sub(r"\r\n?", "\n", text)  # as markdown-it does: lines stay where they are
    lines = text.split("\n")
    body_start = front_matter_end(lines)
    starts = chunk_starts(lines, body_start)
    spent = sum(len(line) + 1 for line in lines[:body_start])
    spent_lines = body_start
    after_heading = False
    read_to = body_start  # the end of the last chunk kept, or of the first skipped after it
    closing = True  # whether a skipped chunk is the first after one kept
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(lines)
        while end > start + 1 and _blank(lines[end - 1]):
            end -= 1  # blank lines between chunks are not counted
        chunk = "\n".join(lines[start:end])
        keep = _gives_records(chunk) or (after_heading and _may_hold_heading_value(lines[start]))
        after_heading = keep and _heading_or_fence(chunk)
        if not keep:
            lines[start] = _opening(lines[start])
            for index in range(start + 1, end):
                lines[index] = ""
            if closing:
                read_to, closing = start + 1, False
            continue
        if spent + len(chunk) > limit or spent_lines + end - start > line_limit:
            return _cut(lines, start, end, limit - spent, line_limit - spent_lines)
        spent += len(chunk) + 1
        spent_lines += end - start
        read_to, closing = end, True
    # What follows the first skipped chunk after the last one kept gives nothing and changes
    # nothing before it (that first one still closes a list or a heading's value): not parsed.
    return ParseText("\n".join(lines[:read_to]), len(lines), False)


#: Characters of a skipped chunk's first line (after its indent) the parser still gets.
OPENING_CHARS = 80


def _opening(line: str) -> str:
    """The start of a skipped chunk's first line: enough to open the same block (a paragraph,
    a list item, a quote), and never blank."""
    indent = len(line) - len(line.lstrip(" \t"))
    return line[: indent + OPENING_CHARS]


def _cut(lines: list[str], start: int, end: int, room: int, room_lines: int) -> ParseText:
    """The lines before the chunk at ``start``, and as many of its lines as fit in ``room``
    characters and ``room_lines`` lines (at least part of its first line, so a single huge line
    is read in part)."""
    stop = start
    while stop < end and room > len(lines[stop]) and stop - start < room_lines:
        room -= len(lines[stop]) + 1
        stop += 1
    if stop == start:
        lines[start] = lines[start][: max(room, 0)]
        stop += 1
    return ParseText("\n".join(lines[:stop]), stop, True)
