"""The one wording of an unexpected failure a stage catches and goes on from."""

from __future__ import annotations

from execbrief.errors import describe_failure


def boom() -> None:
    raise KeyError("sk_live_not_to_be_repeated")


def test_a_caught_failure_names_type_and_place_not_the_message() -> None:
    try:
        boom()
    except KeyError as exc:
        text = describe_failure("the zz analysis", exc, "its findings are missing")
        quoted = describe_failure("report 'zz'", exc, quote=True)
    assert text.startswith("the zz analysis failed (KeyError at test_errors.py:")
    assert text.endswith("); its findings are missing")
    assert "sk_live" not in text  # the exception's message may repeat the input
    assert quoted.startswith("report 'zz' failed (KeyError at test_errors.py:")
    assert quoted.endswith(": 'sk_live_not_to_be_repeated')")
    # an exception that was never raised has no place to name
    assert describe_failure("x", ValueError("v")) == "x failed (ValueError)"
