"""The text renderer: the default email body.

Plain UTF-8, paragraphs wrapped at 78 columns, aligned tables, sparklines for charts, citation
markers ``[n]`` after every cited line and the numbered source notes at the end. No line exceeds
998 characters (RFC 5322). A grid cell over 60 characters, a key figure's label over 40 and a
chart's series name over 24 wrap onto further lines in their column, never cut, so that long names that differ only at their end
stay apart.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import chain, zip_longest
from operator import getitem
from typing import ClassVar

from execbrief.document import (
    ActionPlan,
    Block,
    BulletList,
    Chart,
    Document,
    Findings,
    Metrics,
    Paragraph,
    Table,
)
from execbrief.findings import MetricValue
from execbrief.hookspecs import hookimpl
from execbrief.renderers.base import Renderer
from execbrief.renderers.formatting import (
    EMPTY,
    Citations,
    format_brief_value,
    format_value,
    heading,
    is_brief,
    is_numeric,
    remembering,
    same_fix_groups,
    sparkline,
)
from execbrief.renderers.wrapping import wrap as wrapped
from execbrief.sentences import sentence_spans

WIDTH = 78
MAX_LINE = 998
MAX_CELL = 60
#: The widest key-figure label; a longer one wraps onto further lines.
MAX_LABEL = 40


#: Whitespace that textwrap turns into spaces or breaks at: a text without it (and without a
#: trailing whitespace) that fits on one line is that one line.
_SPECIAL_SPACE = frozenset("\t\n\x0b\x0c\r")


def wrap(text: str, indent: str = "", subsequent: str | None = None) -> list[str]:
    """Wrap one paragraph at ``WIDTH`` columns."""
    if (
        len(indent) + len(text) <= WIDTH
        and text  # and, as its last character is not a space, not all spaces (no strip's copy)
        and not text[-1].isspace()
        and _SPECIAL_SPACE.isdisjoint(text)
    ):
        return [indent + text]  # what textwrap gives, without its cost (most cells and lines)
    return wrapped(text, WIDTH, indent, indent if subsequent is None else subsequent) or [
        indent.rstrip()
    ]


def cut(text: str, limit: int) -> str:
    """``text`` shortened to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _wrapped(text: str, width: int, later: str = "") -> list[str]:
    """``text`` as lines of at most ``width`` characters, the later ones starting with
    ``later``: a long label or cell is wrapped whole, never cut, so two long names that differ
    only at their end stay apart ("Week 13, Harbor Charters & Yacht Delivery" / "  Services of
    Marin County")."""
    if len(text) <= width:
        return [text]
    return wrapped(text, width, subsequent_indent=later) or [text[:width]]


class TextRenderer:
    """Renders a Document as a plain-text email body."""

    _said: Said
    _value: Callable[[MetricValue], str]

    name: ClassVar[str] = "text"
    extension: ClassVar[str] = "txt"
    media_type: ClassVar[str] = "text/plain"

    def render(self, document: Document) -> str:
        """The document as wrapped plain text with numbered source notes."""
        cites = Citations()
        self._said = Said()
        self._value = remembering(format_brief_value if is_brief(document) else format_value)
        lines: list[str] = []
        title, subtitle = heading(document)
        lines += [*wrap(title), subtitle, "=" * min(WIDTH, max(len(title), len(subtitle))), ""]
        if not document.reconciled or document.warnings:
            header = (
                "NOT RECONCILED — figures below may be wrong"
                if not document.reconciled
                else "WARNINGS"
            )
            lines.append(header)
            for bullet in document.warnings:
                lines += wrap(
                    self._cited(bullet.text, cites.mark(bullet.provenance)), "  ! ", "    "
                )
            lines.append("")
        if document.summary:
            lines.append("SUMMARY")
            for bullet in document.summary:
                lines += wrap(
                    self._cited(bullet.text, cites.mark(bullet.provenance)), "  • ", "    "
                )
            lines.append("")
        for number, section in enumerate(document.sections, 1):
            heading_line = f"{number}. {section.title.upper()}"
            lines += [heading_line, "-" * min(WIDTH, len(heading_line))]
            for block in section.blocks:
                lines += self._block(block, cites)
                lines.append("")
        notes = cites.notes()
        if notes:
            lines.append("SOURCES")
            for number, note in notes:
                lines += wrap(note, f"  [{number}] ", " " * (len(str(number)) + 5))
            lines.append("")
        lines = list(map(str.rstrip, lines))
        if max(map(len, lines)) > MAX_LINE:
            lines = [cut(line, MAX_LINE) for line in lines]
        return "\n".join(lines).rstrip("\n") + "\n"

    def _block(self, block: Block, cites: Citations) -> list[str]:
        if isinstance(block, Paragraph):
            return wrap(self._cited(block.text, cites.mark(block.provenance)))
        if isinstance(block, BulletList):
            out = wrap(block.title) if block.title else []
            for bullet in block.items:
                out += wrap(self._cited(bullet.text, cites.mark(bullet.provenance)), "  • ", "    ")
            return out
        if isinstance(block, Metrics):
            out = wrap(block.title) if block.title else []
            rows = []
            for index, metric in enumerate(block.metrics):
                value = self._value(metric.value)
                if metric.unit and not isinstance(metric.value, str):
                    value += f" {metric.unit}"
                if block.change(index):
                    value += f" ({block.change(index)})"
                rows.append((metric.label, value, cites.mark(metric.provenance)))
            label_width = min(max((len(r[0]) for r in rows), default=0), MAX_LABEL)
            for label, value, mark in rows:
                *above, tail = _wrapped(label, label_width, "  ")
                out += [f"  {piece}" for piece in above]
                out += wrap(
                    _cited(f"{tail.ljust(label_width)}  {value}", mark),
                    "  ",
                    " " * (label_width + 4),
                )
            return out
        if isinstance(block, Table):
            return self._table(block, cites)
        if isinstance(block, Findings):
            out = wrap(block.title) if block.title else []
            if not block.findings:
                return [*out, f"  {block.empty_text}"]
            index = 0
            for group in same_fix_groups(block.findings):
                start = index + 1
                for finding in group:
                    index += 1
                    who = f" ({finding.entity})" if finding.entity else ""
                    out += wrap(
                        _cited(
                            f"{index}. [{finding.severity.value.upper()}] {finding.title}{who}",
                            cites.mark(finding.provenance),
                        ),
                        "  ",
                        "     ",
                    )
                    out += wrap(f"Evidence: {self._said.new(finding.evidence)}", "     ")
                lead = f"Fix for {start}–{index}, one action" if len(group) > 1 else "Fix"
                out += wrap(
                    f"{lead}: {self._said.new(group[0].recommendation)} "
                    f"(effort: {group[0].effort.value})",
                    "     ",
                )
            return out
        if isinstance(block, ActionPlan):
            out = wrap(block.title) if block.title else []
            for index, action in enumerate(block.actions, 1):
                who = f" — {action.entity}" if action.entity else ""
                effect = (
                    f"; expected effect {self._value(action.monthly_effect)}"
                    if action.monthly_effect
                    else ""
                )
                out += wrap(
                    _cited(
                        f"{index}. {self._title(action.title)}{who} "
                        f"(within {action.due_in_days} days{effect})",
                        cites.mark(action.provenance),
                    ),
                    "  ",
                    "     ",
                )
                if action.rationale:
                    out += wrap(self._said.new(action.rationale), "     ")
            return out
        if isinstance(block, Chart):
            out = wrap(_cited(block.title, cites.mark(block.provenance)))  # a long entity name
            name_width = min(max((len(s.name) for s in block.series), default=0), 24)
            for series in block.series:
                if not series.points:
                    continue
                first, last = series.points[0], series.points[-1]
                *above, name = _wrapped(series.name, name_width, "  ")
                out += [f"  {piece}" for piece in above]
                head = f"  {name.ljust(name_width)}  {sparkline(series)}"
                span = (
                    f"{first.label} {self._value(first.value)} → "
                    f"{last.label} {self._value(last.value)}"
                )
                if len(head) + 2 + len(span) <= WIDTH:
                    out.append(f"{head}  {span}")
                else:  # too wide for one line: the span goes under the sparkline
                    out += [cut(head, WIDTH), *wrap(span, "    ")]
            return out
        raise TypeError(f"unknown block {type(block).__name__}")

    def _table(self, table: Table, cites: Citations) -> list[str]:
        out = wrap(table.title) if table.title else []
        header = list(table.columns)
        body = [(self._cells(row.cells), cites.mark(row.provenance)) for row in table.rows]
        longest = _longest_cells(body)
        widths = _widths(header, longest)
        align = list(table.align) or _alignment(table, len(header))
        template = _line_template(widths, align)
        blanks = ("",) * len(widths)

        def line(cells: list[str]) -> str:
            return template.format(*cells, *blanks)

        marks_width = max((len(mark) + 2 for _cells, mark in body), default=0)
        if len(line(header)) + marks_width > WIDTH:
            out += _blocks(header, body)
        else:
            out.append(line(header))
            out.append("  " + "  ".join("-" * width for width in widths))
            each_fits = max(longest, default=0) <= MAX_CELL  # no cell wraps: a row is one line
            for cells, mark in body:
                first, *more = [cells] if each_fits else _row_lines(cells, widths)
                out.append(line(first) + (f"  {mark}" if mark else ""))
                out += [line(cells) for cells in more]
        if table.caption:
            out += wrap(self._said.new(table.caption), "  ")
        return out

    def _cells(self, values: tuple[MetricValue, ...]) -> list[str]:
        """A row's cells as text; a text cell as it is without a call (at 1,000 entities the
        tables hold 585,000 cells, 400,000 of them text)."""
        value = self._value
        return [cell if type(cell) is str else value(cell) for cell in values]

    def _title(self, title: str) -> str:
        """An action's title; when the body has already said it, its opening words and "(as
        above)", so that the fix is named but not said twice."""
        if self._said.new(title) == title:
            return title
        return f"{cut(title, 50)} (as above)"

    def _cited(self, text: str, mark: str) -> str:
        return _cited(self._said.new(text), mark)


def _alignment(table: Table, columns: int) -> list[str]:
    """Each column's alignment when the table gives none: right ("r") when any of its cells
    is a number or an amount, else left ("l")."""
    numeric = [False] * columns
    for row in table.rows:
        for index, value in enumerate(row.cells[:columns]):
            numeric[index] = numeric[index] or is_numeric(value)
    return ["r" if number else "l" for number in numeric]


def _row_lines(cells: list[str], widths: list[int]) -> list[list[str]]:
    """A grid row as the cells of each of its lines: a cell wider than its column (over
    ``MAX_CELL`` characters) wraps onto further lines in its own column, never cut, so two long
    names that differ only at their end stay apart; the other cells stand on the first line."""
    if max(map(len, cells), default=0) <= MAX_CELL:  # each fits its column (most rows): one line
        return [cells]
    return _wrapped_row_lines(cells, widths)


def _wrapped_row_lines(cells: list[str], widths: list[int]) -> list[list[str]]:
    """``_row_lines`` of any row: each cell wrapped in its column."""
    pieces = [
        _wrapped(cell, widths[index], "  ") if index < len(widths) else [cell]
        for index, cell in enumerate(cells)
    ]
    height = max((len(p) for p in pieces), default=1)
    return [[p[line] if line < len(p) else "" for p in pieces] for line in range(height)]


def _blocks(header: list[str], body: list[tuple[list[str], str]]) -> list[str]:
    """A table too wide for 78 columns as one block per row: the first cell as the block's
    heading (with its citation), then one "column  value" line per other cell."""
    label_width = min(max((len(c) for c in header[1:]), default=0), 30)
    columns = [_BlockColumn(column, label_width) for column in header[1:]]
    out: list[str] = []
    for cells, mark in body:
        first = cells[0] if cells else ""
        out += wrap(_cited(first or header[0], mark), "  ", "    ")
        out += chain.from_iterable(map(getitem, columns, cells[1:]))  # each column's lines
    return out


class _BlockColumn(dict[str, list[str]]):
    """A column's lines in a block, by cell: the lines above its value's line (when the column's
    name is wider than ``width``), then its value's; none for an empty cell. Each cell's lines
    are wrapped once per table: at 1,000 entities the blocks hold 480,000 cells, 180,000 of
    them different in their column, and wrapping each took a fifth of the renderer's time."""

    def __init__(self, column: str, width: int) -> None:
        super().__init__({"": [], EMPTY: []})
        *above, name = _wrapped(column, width, "  ")
        self.above = [f"    {piece}" for piece in above]
        self.name = name.ljust(width)

    def __missing__(self, cell: str) -> list[str]:
        lines = self[cell] = self.above + wrap(f"{self.name}  {cell}", "    ", " " * 6)
        return lines


def _longest_cells(body: list[tuple[list[str], str]]) -> list[int]:
    """Each column's longest cell (0 in a column no row reaches), measured a column at a time
    in C: a loop over the cells (585,000 at 1,000 entities) was a tenth of the renderer."""
    columns = zip_longest(*(cells for cells, _mark in body), fillvalue="")
    return [max(map(len, column)) for column in columns]


def _widths(header: list[str], longest: list[int]) -> list[int]:
    """Each column as wide as its name or its longest cell, at most ``MAX_CELL`` (a longer cell
    wraps in its column); cells past the header take no column."""
    reached = longest + [0] * (len(header) - len(longest))  # 0: a column no row reaches
    return [
        max(len(column), min(length, MAX_CELL))
        for column, length in zip(header, reached, strict=False)
    ]


def _line_template(widths: list[int], align: list[str]) -> str:
    """A grid line as a format string: ``template.format(*cells)`` pads each cell to its
    column's width, right-aligned ("r") as ``str.rjust`` or left as ``str.ljust``, in one call
    per line rather than one per cell; cells past the widths are left out."""
    fields = [
        f"{{:{'>' if align[index] == 'r' else '<'}{width}}}" for index, width in enumerate(widths)
    ]
    return "  " + "  ".join(fields)


#: A sentence this long or longer is said once per body.
SAID_ONCE_LENGTH = 40


#: What may end a sentence, without the abbreviations ``sentence_spans`` leaves inside one: a
#: text it does not find in has no ended sentence (one search, where the spans cost a scan).
_MAYBE_ENDED = re.compile(r"[.!?][\"'”’)\]]*(?=\s|$)")


class Said:
    """The sentences of 40 or more characters a body has said, so that none is said twice."""

    def __init__(self) -> None:
        self.sentences: set[str] = set()

    def new(self, text: str) -> str:
        """``text`` without the sentences already said (and noted as said); "as above" when
        nothing new is left. Sentences end where execbrief.sentences says, so a file name or a
        decimal never cuts one."""
        if len(text) < SAID_ONCE_LENGTH or not _MAYBE_ENDED.search(text):
            return text  # no sentence long enough, or none ended: nothing to note or drop
        kept: list[str] = []
        for start, end, ended in sentence_spans(text):
            piece = text[start:end]
            sentence = " ".join(piece.split())
            if ended and len(sentence) >= SAID_ONCE_LENGTH:
                if sentence in self.sentences:
                    continue
                self.sentences.add(sentence)
            kept.append(piece)
        result = " ".join("".join(kept).split())
        if result == " ".join(text.split()):
            return text
        return result or "as above"


def _cited(text: str, mark: str) -> str:
    return f"{text.rstrip()} {mark}" if mark else text


@hookimpl
def register_renderers() -> list[Renderer]:
    """The text renderer."""
    return [TextRenderer()]
