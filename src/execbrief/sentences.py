"""Where sentences end in report prose: at a full stop, ! or ? before white space or the end, so a
file name ("sites/tidewaterkayak.com", "portfolio.toml"), a decimal ("$4.33"), a version
("1.2.3") or an abbreviation ("e.g.", "i.e.", "vs.") stays inside its sentence."""

from __future__ import annotations

import re
from collections.abc import Iterator

#: The words whose closing full stop (or ! or ?) ends no sentence.
ABBREVIATIONS = ("e.g", "i.e", "etc", "vs", "approx", "cf", "Mr", "Ms", "Dr", "St", "no", "No")

#: A sentence's end: ., ! or ? (with any closing quote or bracket) before white space or the end,
#: unless the mark closes an abbreviation. The mark comes first, so the search skips to each mark
#: (with the abbreviations looked behind first, every position of the text tried each of them:
#: twenty times slower).
_END = re.compile(
    "[.!?]"
    + "".join(rf"(?<!\b{re.escape(word)}.)" for word in ABBREVIATIONS)
    + r"[\"'”’)\]]*(?=\s|$)"
)


def sentence_spans(text: str) -> Iterator[tuple[int, int, bool]]:
    """(start, end, ended) of each piece of ``text``: its sentences in order, then any trailing
    piece without an end mark (``ended`` False); together they cover the whole text."""
    position = 0
    for match in _END.finditer(text):
        yield position, match.end(), True
        position = match.end()
    if position < len(text):
        yield position, len(text), False


def first_sentence(text: str) -> str:
    """The first sentence of ``text`` (all of it when it has no end mark), without outer space."""
    for start, end, _ended in sentence_spans(text.strip()):
        return text.strip()[start:end].strip()
    return ""
