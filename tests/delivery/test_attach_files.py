"""``attach`` files: only a regular file inside the portfolio folder, of at most 10 MB, is mailed;
anything else is refused when the config is read (so ``check`` fails where ``send`` would), naming
``reports.<name>.attach``, and a FIFO or /dev/zero is never opened (audit of issue 17, item 1)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from execbrief.config import MAX_ATTACHMENT_BYTES, load_config, read_attachment
from execbrief.errors import ConfigError
from execbrief.localfiles import NotRegular, read_at_most
from execbrief.plugins import get_registry

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs POSIX FIFOs")

CONFIG = """\
[portfolio]
name = "Audit Holdings"
as_of = 2026-11-20

[delivery]
transport = "outbox"
sender = "reports@audit.example"
outbox = "outbox"

[reports.ceo]
attach = [{entry!r}]
to = ["ceo@audit.example"]

[[entities]]
id = "kite"
name = "Kite Shack"
kind = "other"
handoff = "kite.md"
"""


def portfolio(root: Path, entry: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "kite.md").write_text("# Kite Shack\n\nRevenue: $1,000\n")
    config = root / "portfolio.toml"
    config.write_text(CONFIG.format(entry=entry).replace("'", '"'))
    return config


def refusal(config: Path) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(config, get_registry().option_models())
    return str(caught.value)


def test_an_absolute_path_outside_is_refused_naming_the_key(tmp_path: Path) -> None:
    message = refusal(portfolio(tmp_path / "p", "/etc/passwd"))
    assert "reports.ceo.attach: '/etc/passwd' is outside the portfolio folder" in message


def test_a_dotdot_path_climbing_out_is_refused(tmp_path: Path) -> None:
    (tmp_path / "outside.txt").write_text("not for mail\n")
    message = refusal(portfolio(tmp_path / "p", "../outside.txt"))
    assert "'../outside.txt' is outside the portfolio folder" in message


def test_a_link_to_etc_passwd_is_refused(tmp_path: Path) -> None:
    config = portfolio(tmp_path / "p", "notes.txt")
    (tmp_path / "p" / "notes.txt").symlink_to("/etc/passwd")
    assert "outside the portfolio folder (the folder holding portfolio.toml) through a " in (
        refusal(config)
    )


def test_a_link_to_dev_zero_is_refused(tmp_path: Path) -> None:
    config = portfolio(tmp_path / "p", "zero.pdf")
    (tmp_path / "p" / "zero.pdf").symlink_to("/dev/zero")
    assert "'zero.pdf' is outside the portfolio folder" in refusal(config)


def test_a_fifo_is_refused_unopened(tmp_path: Path) -> None:
    config = portfolio(tmp_path / "p", "f.pdf")
    os.mkfifo(tmp_path / "p" / "f.pdf")
    assert "'f.pdf' is a named pipe (FIFO), not a regular file, and was not opened" in (
        refusal(config)
    )


def test_a_file_over_the_limit_is_refused(tmp_path: Path) -> None:
    config = portfolio(tmp_path / "p", "big.pdf")
    with open(tmp_path / "p" / "big.pdf", "wb") as handle:
        handle.truncate(MAX_ATTACHMENT_BYTES + 1)  # sparse: no 10 MB written
    assert "more than the 10 MB an attachment may be" in refusal(config)


def test_a_file_inside_is_read_and_one_that_grew_past_the_limit_is_refused(tmp_path: Path) -> None:
    config_path = portfolio(tmp_path / "p", "files/notes.pdf")
    (tmp_path / "p" / "files").mkdir()
    (tmp_path / "p" / "files" / "notes.pdf").write_bytes(b"%PDF-1.4 notes")
    config = load_config(config_path, get_registry().option_models())
    assert read_attachment(config, "ceo", "files/notes.pdf") == b"%PDF-1.4 notes"
    with open(tmp_path / "p" / "files" / "notes.pdf", "r+b") as handle:
        handle.truncate(MAX_ATTACHMENT_BYTES + 5)
    with pytest.raises(
        ConfigError, match=r"reports\.ceo\.attach: 'files/notes\.pdf' is 10,485,765"
    ):
        read_attachment(config, "ceo", "files/notes.pdf")


def test_read_at_most_reads_one_byte_past_the_limit_not_the_file(tmp_path: Path) -> None:
    big = tmp_path / "big.bin"
    with open(big, "wb") as handle:
        handle.truncate(1 << 30)  # a sparse gigabyte
    assert len(read_at_most(big, 1000)) == 1001
    with pytest.raises(NotRegular, match="a character device"):
        read_at_most(Path("/dev/zero"), 1000)


@pytest.mark.parametrize("link", ["/dev/zero", "fifo"])
def test_check_and_send_fail_at_once_and_send_nothing(tmp_path: Path, link: str) -> None:
    root = tmp_path / "p"
    config = portfolio(root, "report.pdf")
    if link == "fifo":
        os.mkfifo(root / "report.pdf")
    else:
        (root / "report.pdf").symlink_to(link)
    for command in (["check"], ["send", "--report", "ceo"]):
        done = subprocess.run(
            [sys.executable, "-m", "execbrief", *command, "-c", str(config)],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,  # a FIFO used to hang send, /dev/zero to grow it to gigabytes
        )
        assert done.returncode == 2, done.stderr
        assert "reports.ceo.attach: 'report.pdf' is" in done.stderr
    assert not (root / "outbox").exists() or not list((root / "outbox").iterdir())
