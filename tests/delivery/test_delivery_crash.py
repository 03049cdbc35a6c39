"""Crash safety and concurrency with real processes: SIGKILL mid-run, two senders at once."""

from __future__ import annotations

import email
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from email import policy
from pathlib import Path

from execbrief.store.db import Store

SCRIPT = Path(__file__).with_name("sender_process.py")


def start(tmp_path: Path, count: int, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            str(SCRIPT),
            str(tmp_path / "s.db"),
            str(tmp_path / "outbox"),
            str(count),
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> tuple[int, dict]:
    out, err = process.communicate(timeout=60)
    assert out, err
    return process.returncode, json.loads(out)


def files_per_recipient(tmp_path: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in (tmp_path / "outbox").glob("*.eml"):
        counts[str(email.message_from_bytes(path.read_bytes(), policy=policy.default)["To"])] += 1
    return counts


def statuses(tmp_path: Path) -> dict[str, str]:
    with Store(tmp_path / "s.db", clock=lambda: None) as store:  # type: ignore[arg-type,return-value]
        return {row.recipient: row.status for row in store.deliveries()}


def wait_for(path: Path, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 30
    while not path.exists():
        assert process.poll() is None, process.stderr.read() if process.stderr else ""
        assert time.monotonic() < deadline, "the sender never reached the kill point"
        time.sleep(0.01)


def test_sigkill_between_send_and_record_then_rerun(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    victim = start(tmp_path, 5, "--hang-after", "3", str(marker))
    wait_for(marker, victim)
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait(timeout=10)
    interrupted = marker.read_text()
    assert interrupted == "r002@harbor.example"
    assert statuses(tmp_path) == {
        "r000@harbor.example": "sent",
        "r001@harbor.example": "sent",
        interrupted: "sending",
    }

    code, rerun = finish(start(tmp_path, 5))
    by_recipient = {d["recipient"]: d for d in rerun["deliveries"]}
    assert by_recipient[interrupted]["status"] == "unknown"
    assert "stopped before recording the outcome" in by_recipient[interrupted]["error"]
    assert [by_recipient[f"r00{i}@harbor.example"]["action"] for i in (0, 1, 3, 4)] == [
        "skipped",
        "skipped",
        "sent",
        "sent",
    ]
    assert code == 1  # the unknown delivery needs the operator
    assert set(files_per_recipient(tmp_path).values()) == {1}  # no duplicate, nothing lost
    assert len(files_per_recipient(tmp_path)) == 5

    # a third run changes nothing; the operator's --resend-unknown sends it again on purpose
    code, third = finish(start(tmp_path, 5))
    assert [d["action"] for d in third["deliveries"]].count("sent") == 0
    code, forced = finish(start(tmp_path, 5, "--resend-unknown"))
    assert code == 0 and [d["action"] for d in forced["deliveries"]].count("sent") == 1
    assert files_per_recipient(tmp_path)[interrupted] == 2


def test_random_kills_never_duplicate_or_lose(tmp_path: Path) -> None:
    rng = random.Random(7)
    for _ in range(4):
        process = start(tmp_path, 12, "--delay", "0.01")
        time.sleep(rng.uniform(0.05, 0.5))
        process.kill()
        process.wait(timeout=10)
    code, final = finish(start(tmp_path, 12))
    files = files_per_recipient(tmp_path)
    rows = statuses(tmp_path)
    assert max(files.values(), default=0) <= 1  # never a duplicate
    for recipient, status in rows.items():
        assert status in ("sent", "unknown"), (recipient, status)
        if status == "sent":
            assert files[recipient] == 1  # every sent one was written exactly once
    assert len(rows) == 12  # every delivery is accounted for
    assert code == (1 if "unknown" in rows.values() else 0)
    assert {d["recipient"] for d in final["deliveries"]} == set(rows)


def test_two_concurrent_senders_never_send_twice(tmp_path: Path) -> None:
    first = start(tmp_path, 30, "--delay", "0.005")
    second = start(tmp_path, 30, "--delay", "0.005")
    (code1, one), (code2, two) = finish(first), finish(second)
    assert (code1, code2) == (0, 0)
    sent_by = Counter(
        d["recipient"] for run in (one, two) for d in run["deliveries"] if d["action"] == "sent"
    )
    assert len(sent_by) == 30 and set(sent_by.values()) == {1}
    files = files_per_recipient(tmp_path)
    assert len(files) == 30 and set(files.values()) == {1}
    assert set(statuses(tmp_path).values()) == {"sent"}


def test_kills_throttling_and_a_rejected_recipient_leave_everything_accounted_for(
    tmp_path: Path,
) -> None:
    """The acceptance scenario: random kills, 20% throttling, one rejected address."""
    rng = random.Random(11)
    faults = ("--delay", "0.01", "--throttle", "0.2", "--reject", "r005@harbor.example")
    for _ in range(3):
        process = start(tmp_path, 15, *faults)
        time.sleep(rng.uniform(0.1, 0.6))
        process.kill()
        process.wait(timeout=10)
    code, final = finish(start(tmp_path, 15, *faults))
    files, rows = files_per_recipient(tmp_path), statuses(tmp_path)
    assert len(rows) == 15 and max(files.values(), default=0) <= 1
    assert rows["r005@harbor.example"] == "failed" and files["r005@harbor.example"] == 0
    for recipient, status in rows.items():
        assert status in ("sent", "unknown", "failed"), (recipient, status)
        if status == "sent":
            assert files[recipient] == 1
    assert code == 1  # the rejected address (and any unknown) needs the operator
    reported = {d["recipient"]: d["status"] for d in final["deliveries"]}
    assert reported == rows


def test_killed_while_recording_a_sent_message_then_rerun(tmp_path: Path) -> None:
    # The provider took message 2 and the process died inside the transaction recording it:
    # the rollback leaves the claim, so the next run shows it unknown and does not send it again.
    process = start(tmp_path, 4, "--die-recording", "2")
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert statuses(tmp_path) == {
        "r000@harbor.example": "sent",
        "r001@harbor.example": "sending",
    }
    code, rerun = finish(start(tmp_path, 4))
    assert code == 1
    assert [(d["recipient"], d["action"]) for d in rerun["deliveries"]] == [
        ("r000@harbor.example", "skipped"),
        ("r001@harbor.example", "unknown"),
        ("r002@harbor.example", "sent"),
        ("r003@harbor.example", "sent"),
    ]
    files = files_per_recipient(tmp_path)
    assert len(files) == 4 and set(files.values()) == {1}


def test_killed_while_waiting_to_retry_then_rerun_sends_it_once(tmp_path: Path) -> None:
    # Throttled on its only call, then killed in the backoff wait: certainly not sent, so the
    # next run sends it without the operator, and it arrives once.
    process = start(tmp_path, 3, "--die-backing-off")
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    assert statuses(tmp_path) == {"r000@harbor.example": "sending"}
    assert files_per_recipient(tmp_path) == Counter()
    code, rerun = finish(start(tmp_path, 3))
    assert code == 0
    assert [d["action"] for d in rerun["deliveries"]] == ["sent", "sent", "sent"]
    files = files_per_recipient(tmp_path)
    assert len(files) == 3 and set(files.values()) == {1}
    assert set(statuses(tmp_path).values()) == {"sent"}
