"""Sentences end at a full stop before white space, never inside a file name, a domain, a decimal,
a version or an abbreviation (outside testers saw "Evidence: No page of sites/tidewaterkayak.")."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from execbrief.renderers.text import Said
from execbrief.sentences import ABBREVIATIONS, first_sentence, sentence_spans


def test_a_repeated_sentence_with_a_domain_goes_whole_not_cut_at_the_dot() -> None:
    said = Said()
    first = "None of the 3 pages of sites/tidewaterkayak.com loads an analytics tag, so visits go unmeasured."
    assert said.new(first) == first
    assert said.new(first) == "as above"
    evidence = (
        "No page of sites/tidewaterkayak.com loads an analytics tag, so visits go unmeasured."
    )
    assert said.new(evidence) == evidence


def test_file_names_decimals_versions_and_abbreviations_stay_inside_their_sentence() -> None:
    said = Said()
    said.new(
        "portfolio.toml gives no handoff note for this entity, so none of its figures are stated."
    )
    text = (
        "Every request in lambda_function.lambda_handler (tools/booking-bot/lambda_function.py:8-13) "
        "returns data, e.g. bookings at $4.33 each from boto3 1.34.2 and about.html, book.html. "
        "portfolio.toml gives no handoff note for this entity, so none of its figures are stated."
    )
    assert said.new(text) == (
        "Every request in lambda_function.lambda_handler (tools/booking-bot/lambda_function.py:8-13) "
        "returns data, e.g. bookings at $4.33 each from boto3 1.34.2 and about.html, book.html."
    )


def test_first_sentence_skips_abbreviations_and_paths() -> None:
    assert first_sentence(
        "Rotate the key in repos.env, e.g. with the Stripe dashboard. Then redeploy."
    ) == ("Rotate the key in repos.env, e.g. with the Stripe dashboard.")
    assert first_sentence("Add a form to index.html") == "Add a form to index.html"


#: The end of a sentence as first written (each abbreviation looked behind before the mark): the
#: faster expression must find the same ends.
_END_AS_FIRST_WRITTEN = re.compile(
    r"(?<!\be\.g)(?<!\bi\.e)(?<!\betc)(?<!\bvs)(?<!\bapprox)(?<!\bcf)(?<!\bMr)(?<!\bMs)(?<!\bDr)"
    r"(?<!\bSt)(?<!\bno)(?<!\bNo)[.!?][\"'”’)\]]*(?=\s|$)"
)
_SENTENCE_PIECES = st.sampled_from(
    [*ABBREVIATIONS, ".", "!", "?", " ", "\n", "'", ")", "]", "”", "a", "x", "1", "_", "é", "ok"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_SENTENCE_PIECES, max_size=30).map("".join) | st.text(max_size=80))
def test_sentences_end_where_the_first_written_expression_ends_them(text: str) -> None:
    ends = [end for _start, end, ended in sentence_spans(text) if ended]
    assert ends == [match.end() for match in _END_AS_FIRST_WRITTEN.finditer(text)]
