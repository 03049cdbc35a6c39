"""OFX's tag reader (``sources/ofxtags.py``): SGML and XML read alike, and in linear time on the
hostile shapes (issue 17): 1 MB of unclosed tags, of nesting, one huge value, stray ``<``.

The source refuses most of these shapes before reading (``ofx._has_a_statement``); the reader is
timed on them here without that guard, so it stays linear should a shape pass it. CPU time of
the fastest of two reads, in this process: the bound is seconds (about 0.2 s a MB here), the growth from 256 KB
to 1 MB at most 6 times (linear is 4, quadratic 16).
"""

from __future__ import annotations

import time

import pytest

from execbrief.sources.ofxtags import Element, read_elements

MB = 1_000_000
SMALL = MB // 4
LIMIT_SECONDS = 2.0
GROWTH = 6.0
FLOOR = 0.1  # below this a 256 KB timing is noise (as in test_linear_parsers)

SHAPES = {
    "transactions": lambda n: (
        "<OFX><BANKTRANLIST>"
        + "<STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20251001<TRNAMT>-1.00<FITID>1<NAME>X</STMTTRN>\n"
        * (n // 80)
        + "</BANKTRANLIST></OFX>"
    ),
    "unclosed-tags": lambda n: "<A>" * (n // 3),
    "unclosed-then-one-close": lambda n: "<A>" * (n // 3) + "</A>",
    "deep-nesting": lambda n: "<A>" * (n // 7) + "</A>" * (n // 7),
    "deep-nesting-with-leaves": lambda n: "<A><B>x" * (n // 8) + "</A>" * (n // 8),
    "huge-value": lambda n: "<NAME>" + "x" * n,
    "huge-entity-value": lambda n: "<NAME>" + "&amp;" * (n // 5),
    "stray-angles": lambda n: "<NAME>" + "<" * n,
    "stray-tag-starts": lambda n: "<NAME>" + "<ab" * (n // 3),
    "closing-tags-only": lambda n: "</A>" * (n // 4),
}


def _seconds(text: str) -> float:
    """The least CPU time of two reads (a busy machine's jitter only adds)."""
    spent = []
    for _ in range(2):
        began = time.process_time()
        read_elements(text)
        spent.append(time.process_time() - began)
    return min(spent)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_hostile_shape_reads_in_linear_time(shape: str) -> None:
    big, small = SHAPES[shape](MB), SHAPES[shape](SMALL)
    at_1mb, at_256kb = _seconds(big), _seconds(small)
    assert at_1mb < LIMIT_SECONDS, f"{shape}: {at_1mb:.2f} s at 1 MB"
    assert at_1mb < GROWTH * max(at_256kb, FLOOR), (
        f"{shape}: {at_256kb:.3f} s at 256 KB, {at_1mb:.3f} s at 1 MB"
    )


def _tree(element: Element) -> list[object]:
    return [(c.name, c.value, _tree(c)) for c in element.children]


def test_sgml_and_xml_give_the_same_elements() -> None:
    sgml = (
        "OFXHEADER:100\nDATA:OFXSGML\n\n<OFX><STMTRS><CURDEF>USD\n<BANKTRANLIST>\n"
        "<STMTTRN>\n<TRNAMT>-1.00\n<MEMO>\n<NAME>A &amp; B\n</STMTTRN>\n</BANKTRANLIST>\n"
        "</STMTRS></OFX>"
    )
    xml = (
        '<?xml version="1.0"?><OFX><STMTRS><CURDEF>USD</CURDEF><BANKTRANLIST><STMTTRN>'
        "<TRNAMT>-1.00</TRNAMT><MEMO></MEMO><NAME>A &amp; B</NAME></STMTTRN></BANKTRANLIST>"
        "</STMTRS></OFX>"
    )
    expected_sgml = [
        ("OFX", None, [("STMTRS", None, [
            ("CURDEF", "USD", []),
            ("BANKTRANLIST", None, [("STMTTRN", None, [
                ("TRNAMT", "-1.00", []), ("MEMO", "", []), ("NAME", "A & B", []),
            ])]),
        ])]),
    ]  # fmt: skip
    assert _tree(read_elements(sgml).root) == expected_sgml
    # XML's empty <MEMO></MEMO> is an element holding nothing: no value, no children
    got = read_elements(xml)
    assert got.named("NAME")[0].value == "A & B"
    assert got.named("MEMO")[0].value is None and got.named("MEMO")[0].children == []
    assert [e.name for e in got.named("STMTTRN")[0].children] == ["TRNAMT", "MEMO", "NAME"]


def test_an_unclosed_aggregate_is_closed_by_its_parents_closing_tag() -> None:
    """``</BANKTRANLIST>`` closes a ``<STMTTRN>`` left open inside it, as an SGML reader does;
    a closing tag of nothing open is ignored."""
    text = (
        "<OFX><BANKTRANLIST><STMTTRN><TRNAMT>1</STMTTRN><STMTTRN><TRNAMT>2"
        "</BANKTRANLIST></NOPE><LEDGERBAL><BALAMT>3</LEDGERBAL></OFX>"
    )
    doc = read_elements(text)
    (ofx,) = doc.root.children
    assert [c.name for c in ofx.children] == ["BANKTRANLIST", "LEDGERBAL"]
    assert [t.text("TRNAMT") for t in doc.named("STMTTRN")] == ["1", "2"]
    assert ofx.children[1].text("BALAMT") == "3"
    assert [t.at for t in doc.named("STMTTRN")] == [19, text.index("<STMTTRN>", 20)]
