"""``iter_lines`` decodes and splits a run of lines at a time: what it yields, and when it tells
of a bad line, are those of reading the file one line at a time (the simple reading below)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from execbrief.sources import files
from execbrief.sources.files import Location, ReadError

LIMIT = 6  # bytes of a line, its newline aside
#: Pieces of the files: plain text, line ends, a lone carriage return, UTF-8 letters, a byte that
#: is no UTF-8 (Windows-1252's e-acute) and a UTF-8 letter cut short.
PIECES = [b"a", b",", b'"', b"\n", b"\r\n", b"\r", "\u00e9".encode(), "\u2028".encode(), b"\xe9"]
PIECES += [b"\xc3", b"bbbbbbb"]


def _one_line_at_a_time(
    loc: Location, data: bytes, keepends: bool, tolerant: bool
) -> list[tuple[str, int, str]]:
    """What reading ``data`` line by line gives: each line, or the bad line told (then empty)."""
    out: list[tuple[str, int, str]] = []
    parts = data.split(b"\n")
    last = parts.pop()
    raws = [part + b"\n" for part in parts] + ([last] if last else [])
    for number, raw in enumerate(raws, start=1):
        try:
            if len(raw.removesuffix(b"\n")) > LIMIT:
                raise files._too_long(loc, LIMIT, number)
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise files._not_utf8(loc, raw, exc.start, number) from None
        except ReadError as error:
            if not tolerant:
                out.append(("raised", error.line or 0, error.message))
                return out
            out.append(("bad", number, error.message))
            out.append(("line", number, "\n" if keepends else ""))
            continue
        out.append(("line", number, text if keepends else text.rstrip("\r\n")))
    return out


def _by_runs(loc: Location, keepends: bool, tolerant: bool) -> list[tuple[str, int, str]]:
    out: list[tuple[str, int, str]] = []

    def bad(number: int, why: str) -> None:
        out.append(("bad", number, why))

    try:
        for number, text in files.iter_lines(
            loc, keepends=keepends, max_line_bytes=LIMIT, bad_line=bad if tolerant else None
        ):
            out.append(("line", number, text))
    except ReadError as error:
        out.append(("raised", error.line or 0, error.message))
    return out


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(st.sampled_from(PIECES), max_size=40),
    chunk=st.integers(1, 9),
    keepends=st.booleans(),
    tolerant=st.booleans(),
)
def test_lines_read_by_runs_are_those_read_one_at_a_time(
    pieces: list[bytes], chunk: int, keepends: bool, tolerant: bool
) -> None:
    data = b"".join(pieces)
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        path = Path(folder) / "f.csv"
        path.write_bytes(data)
        patch.setattr(files, "CHUNK", chunk)
        patch.setattr(files, "SNIFF", chunk)
        loc = Location("f.csv", path=path)
        assert _by_runs(loc, keepends, tolerant) == _one_line_at_a_time(
            loc, data, keepends, tolerant
        )
