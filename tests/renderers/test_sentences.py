"""Sentences end at a full stop before white space, never inside a file name, a domain, a decimal,
a version or an abbreviation (outside testers saw "Evidence: No page of sites/tidewaterkayak.")."""

import re

from hypothesis import given
from hypothesis import strategies as st

from execbrief.renderers.text import Said
from execbrief.sentences import _END, first_sentence


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


_PROSE = st.text(alphabet="ab egiotcvsxMrDSN.!?\"')]”’\n", max_size=60)


@given(_PROSE)
def test_the_end_mark_lookahead_only_skips_places_no_end_can_start(text: str) -> None:
    """``_END`` is tried only at an end mark: it finds what the pattern without that finds."""
    assert _END.pattern.startswith("(?=[.!?])")
    plain = re.compile(_END.pattern.removeprefix("(?=[.!?])"))
    assert [m.span() for m in _END.finditer(text)] == [m.span() for m in plain.finditer(text)]
