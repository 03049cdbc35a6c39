"""The text renderer's wrap gives what textwrap gives, line for line, for any text and width."""

import textwrap

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from execbrief.renderers.wrapping import wrap

#: Words, runs of spaces, the other whitespace textwrap breaks at, a tab, and a no-break space
#: (which textwrap keeps inside a word): the pieces where wrapping goes wrong.
_PIECES = st.sampled_from(
    [
        *["a", "bb", "word", "Charters", "x" * 12, "$7,500", "é", "—"],
        *[" ", "  ", "     ", "\t", "\n", "\r\n", "\x0b", "\x0c", "\xa0"],
    ]
)
_TEXTS = st.lists(_PIECES, max_size=40).map("".join) | st.text(max_size=120)
_INDENTS = st.sampled_from(["", " ", "  ", "  • ", "     ", "  [12] ", "x" * 9])


def textwrapped(text: str, width: int, initial: str, subsequent: str) -> list[str]:
    return textwrap.wrap(
        text,
        width,
        initial_indent=initial,
        subsequent_indent=subsequent,
        break_long_words=True,
        break_on_hyphens=False,
    )


@settings(max_examples=500, deadline=None)
@given(_TEXTS, st.integers(1, 30), _INDENTS, _INDENTS)
@example("abcdefghi xxxxxxxxxxxxxxxxxxxx", 10, "", "")  # a full line before a long word
@example("  " + "x" * 20 + "      y", 6, "", "  ")  # spaces longer than any line, first and later
@example("a\xa0 b\xa0", 3, "", "")  # a no-break space at a line's edge is dropped
def test_wrap_equals_textwrap(text: str, width: int, initial: str, subsequent: str) -> None:
    # (with no room beside an indent, wrap is textwrap, which loops forever on leading spaces)
    assume(width > max(len(initial), len(subsequent)))
    assert wrap(text, width, initial, subsequent) == textwrapped(text, width, initial, subsequent)


def test_wrap_keeps_whole_words_and_breaks_a_word_longer_than_the_line() -> None:
    assert wrap("Harbor Charters and Yacht Delivery", 16, "  • ", "    ") == [
        "  • Harbor",
        "    Charters and",
        "    Yacht",
        "    Delivery",
    ]
    assert wrap("abc " + "x" * 12, 8) == ["abc xxxx", "xxxxxxxx"]
