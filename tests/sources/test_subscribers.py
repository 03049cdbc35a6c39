"""The subscribers source: hand-checked counts, aliases, opt-in words, and no address ever kept."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from execbrief.records.subscribers import SubscriberCounts
from execbrief.sources.subscribers import SubscribersOptions, SubscribersSource, is_valid_email
from kits.ops import EXAMPLES, as_json, make_request, messages, one_error, write

SMALL = (
    "Email Address,Status,Source\n"
    "ann@example.com,subscribed,Website\n"
    " ANN@example.com ,unsubscribed,Boat Show\n"
    "bob@example.org,pending,website\n"
    "carol@mail.test,subscribed,\n"
    "not-an-address,subscribed,website\n"
    ",subscribed,website\n"
    "dave@example.net,Subscribed,Boat show\n"
    "dave@example.net,subscribed,website\n"
)


def counts(
    root: Path, path: str | list[str], **options: object
) -> tuple[list[SubscriberCounts], object]:
    result = SubscribersSource().collect(
        make_request(root, "subscribers", path, SubscribersOptions(**options))
    )
    return [r for r in result.records if isinstance(r, SubscriberCounts)], result


def test_counts_hand_checked(tmp_path: Path) -> None:
    write(tmp_path, "list.csv", SMALL)
    (record,), result = counts(tmp_path, "list.csv")
    assert record.rows == 7  # eight data lines, one without an address
    assert record.unique == 5  # ann (twice), bob, carol, not-an-address, dave (twice)
    assert record.valid == 4  # all but not-an-address
    assert record.opted_in == 3  # ann (one of her rows says subscribed), carol, dave
    assert record.by_source == {
        "boat show": 1,
        "unknown": 1,
        "website": 3,
    }  # first row of each address
    assert (record.provenance.source, record.provenance.line, record.provenance.end_line) == (
        "list.csv",
        1,
        9,
    )
    error = one_error(result)
    assert error.rows_skipped == 1 and error.message == "1 row skipped: line 7: empty email address"


def test_without_a_status_column_every_valid_address_counts_as_opted_in(tmp_path: Path) -> None:
    write(tmp_path, "list.csv", "E-mail\na@example.com\nb@example.com\nA@EXAMPLE.COM\nbad@\n")
    (record,), _ = counts(tmp_path, "list.csv")
    assert (record.rows, record.unique, record.valid, record.opted_in) == (4, 3, 2, 2)
    assert record.by_source == {"unknown": 3}


def test_extra_opt_in_words_and_column_mapping(tmp_path: Path) -> None:
    write(tmp_path, "list.csv", "Contact;Consent Given\na@example.com;Granted\nb@example.com;no\n")
    (record,), _ = counts(
        tmp_path,
        "list.csv",
        columns={"email": "Contact", "status": "Consent Given"},
        opted_in=["granted"],
    )
    assert (record.unique, record.opted_in) == (2, 1)


@pytest.mark.parametrize(
    ("address", "valid"),
    [
        ("ann@example.com", True),
        ("first.last+tag@sub.example.org", True),
        ("o'brien@mail.test", True),
        ("no-at-sign.example.com", False),
        ("two@@example.com", False),
        ("trailing-dot@example.", False),
        ("@example.org", False),
        ("spaces in@example.net", False),
        ("missing-domain@", False),
        ("dot..dot@example.com", False),
        (".lead@example.com", False),
        ("x@-bad.example.com", False),
        ("x@example.c0m", False),
        ("a" * 65 + "@example.com", False),
    ],
)
def test_email_syntax(address: str, valid: bool) -> None:
    assert is_valid_email(address) is valid


#: The check as one regex (what ``is_valid_email`` did before it told the local part in C and
#: kept each domain's answer): the reference it must agree with.
_ONE_REGEX = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
_EMAILISH = st.text(alphabet=st.sampled_from(list("ab9.-_@+!~ \nXé\u212a")), max_size=20)


@settings(max_examples=3000, deadline=None)
@given(_EMAILISH, _EMAILISH)
def test_email_syntax_is_the_one_regexs(local: str, rest: str) -> None:
    for address in (local, local + rest, f"{local}@{rest}", f"{local}@{rest}.com", local * 40):
        reference = (
            len(address) <= 254
            and "@" in address
            and len(address.rsplit("@", 1)[0]) <= 64
            and _ONE_REGEX.match(address) is not None
        )
        assert is_valid_email(address) is reference


PLANTED = [
    "zebediah.quackenbush@example.com",
    "ottoline@farnsworth.test",
    "prudence@vexley.example.org",
]


def test_addresses_never_leave_the_source(tmp_path: Path) -> None:
    write(
        tmp_path,
        "list.csv",
        "Email,Status,Source\n"
        f"{PLANTED[0]},subscribed,referred by {PLANTED[2]}\n"
        f"{PLANTED[1]},subscribed,extra,{PLANTED[2]}\n"  # too many fields: a row error
        '"unterminated\n',
    )
    write(tmp_path, "headerless.csv", f"{PLANTED[2]},subscribed\n{PLANTED[0]},subscribed\n")
    write(tmp_path, "misspelt.csv", f"Emial,Status\n{PLANTED[1]},subscribed\n")
    records, result = counts(tmp_path, ["list.csv", "headerless.csv", "misspelt.csv"])
    assert len(records) == 1 and records[0].by_source == {"other": 1, "unknown": 1}
    text = as_json(result) + "\n".join(messages(result))  # type: ignore[arg-type]
    for address in PLANTED:
        assert address not in text
        assert address.split("@")[0] not in text
    assert "@" not in text
    problems = messages(result)  # type: ignore[arg-type]
    assert (
        "headerless.csv:1: has no header line (line 1 looks like data); expected a header naming the columns, at least email"
        in problems
    )
    assert any(
        p.startswith("misspelt.csv:1: has no 'email' column; did you mean 'Emial'?")
        for p in problems
    )


def test_demo_list_has_3676_unique_addresses() -> None:
    (record,), result = counts(EXAMPLES, "subscribers/harbor-list.csv")
    assert messages(result) == []  # type: ignore[arg-type]
    assert record.unique == 3676
    assert record.rows == 3676 + 40  # 40 repeats in another letter case
    assert record.valid == 3676 - 7  # seven malformed addresses
    assert 3000 < record.opted_in < record.valid
    assert sum(record.by_source.values()) == record.unique


def test_demo_snapshot_json_holds_no_address() -> None:
    _, result = counts(EXAMPLES, "subscribers/harbor-list.csv")
    text = as_json(result).lower()  # type: ignore[arg-type]
    assert "@" not in text
    with (EXAMPLES / "subscribers/harbor-list.csv").open() as handle:
        addresses = {row["Email Address"].strip().lower() for row in csv.DictReader(handle)}
    assert len(addresses) == 3676
    assert [a for a in addresses if len(a.split("@")[0]) > 3 and a.split("@")[0] in text] == []


@pytest.mark.parametrize("spill_after", [0, 1, 2, 3, 1000])
def test_counts_are_the_same_when_the_tally_spills_to_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spill_after: int
) -> None:
    # A list of millions of addresses held 900 MB as digests in memory (3M addresses, 197 MB
    # file); past SPILL_AFTER they go to partition files. Repeats on both sides of the switch
    # still merge: the first row's source, opted in when any row is.
    monkeypatch.setattr("execbrief.sources.subscribers.SPILL_AFTER", spill_after)
    write(tmp_path, "list.csv", SMALL)
    (record,), _ = counts(tmp_path, "list.csv")
    assert (record.rows, record.unique, record.valid, record.opted_in) == (7, 5, 4, 3)
    assert record.by_source == {"boat show": 1, "unknown": 1, "website": 3}


def test_a_big_list_is_counted_in_bounded_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tracemalloc

    monkeypatch.setattr("execbrief.sources.subscribers.SPILL_AFTER", 1000)
    lines = "".join(f"user{i}@mail{i % 7}.example.com,subscribed,web\n" for i in range(20_000))
    write(tmp_path, "big.csv", "email,status,source\n" + lines + "user5@mail5.example.com,no,x\n")
    tracemalloc.start()
    try:
        (record,), _ = counts(tmp_path, "big.csv")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (record.rows, record.unique, record.opted_in) == (20_001, 20_000, 20_000)
    assert record.by_source == {"web": 20_000}
    assert peak < 1_500_000  # held in memory, the 20,000 digests took 4.5 MB at peak
