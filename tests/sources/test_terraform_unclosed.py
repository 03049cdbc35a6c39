"""A ``.tf`` file the block scanner cannot read as written says so at its line (audit 17, case 5:
2,000 unclosed ``resource`` blocks gave no message), and what follows is still read."""

from __future__ import annotations

from pathlib import Path

from execbrief.records.code import IacIssue
from execbrief.snapshot import SourceResult
from execbrief.sources.code import CodeOptions, CodeSource
from kits.files import request, write

OPEN_URL = 'resource "aws_lambda_function_url" "open" {\n  authorization_type = "NONE"\n}\n'


def read(root: Path, text: str) -> SourceResult:
    write(root, "code/main.tf", text)
    return CodeSource().collect(request(root, "code", CodeOptions(), kind="code"))


def said(result: SourceResult) -> list[tuple[str, int | None, str]]:
    return [(e.provenance.source, e.provenance.line, e.message) for e in result.errors]


def gaps(result: SourceResult) -> list[tuple[str, int | None]]:
    return [(r.rule, r.provenance.line) for r in result.records if isinstance(r, IacIssue)]


def test_unclosed_blocks_are_one_warning_at_the_first_and_the_next_blocks_are_read(
    tmp_path: Path,
) -> None:
    unclosed = "".join(f'resource "aws_s3_bucket" "b{i}" {{\n  bucket = "b{i}"\n' for i in range(3))
    result = read(tmp_path, "# buckets\n" + unclosed + OPEN_URL)
    assert said(result) == [
        (
            "code/main.tf",
            2,
            'resource "aws_s3_bucket" "b0" is never closed (no matching \'}\'), nor are 2 more'
            " after it; each was read up to the next block's header or the file's end; expected"
            " a '}' closing each block",
        )
    ]
    assert not result.errors[0].fatal
    assert gaps(result) == [("lambda-url-auth-none", 8)]  # the block after them, at its line


def test_an_unterminated_heredoc_names_the_lines_it_swallows(tmp_path: Path) -> None:
    policy = 'resource "aws_s3_bucket_policy" "p" {\n  policy = <<EOF\n{"Version": "2012"}\n}\n'
    result = read(tmp_path, OPEN_URL + policy + OPEN_URL.replace("open", "later"))
    assert said(result) == [
        (
            "code/main.tf",
            4,
            'resource "aws_s3_bucket_policy" "p" is never closed (no matching \'}\'); it was'
            " read up to the next block's header or the file's end; expected a '}' closing it",
        ),
        (
            "code/main.tf",
            5,
            "a heredoc (<<EOF) is never closed, so lines 5 to 10 are its text and were not read"
            " for resources; expected a line EOF closing it",
        ),
    ]
    assert gaps(result) == [("lambda-url-auth-none", 1)]  # the later block is heredoc text


def test_a_well_formed_file_says_nothing(tmp_path: Path) -> None:
    result = read(tmp_path, OPEN_URL + "/* a comment { */\n" + OPEN_URL.replace("open", "two"))
    assert said(result) == []
    assert [line for _, line in gaps(result)] == [1, 5]
