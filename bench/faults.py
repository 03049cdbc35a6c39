"""Fault run: real sender processes against SES (moto behind a fault proxy) and SMTP (a faulty
aiosmtpd), with throttling and lost answers injected and SIGKILLs at random points; counts
duplicates and silent losses.

    .venv/bin/python bench/faults.py              # 12 rounds per transport, 12 recipients each
    .venv/bin/python bench/faults.py --rounds 20 --kills-per-round 3 --seed 7

Each round is a new period. In a round, ``--kills-per-round`` sender processes
(tests/delivery/sender_process.py: the real dispatch path, store, guard and transport) are each
SIGKILLed at a random point: after a random number (1 to the sends still pending) of the run's
calls have reached the server, plus a random delay of up to 40 ms, or (one time in five) at a
random moment of the first two seconds. A round whose deliveries are all settled stops killing. Then one more process
runs to the end. The server side injects, for every report delivery call, throttling with a
share of ``--throttle`` (SES: 400 TooManyRequestsException/Throttling, not forwarded; SMTP: 421
or 451 to RCPT) and lost answers with a share of ``--lost`` (SES: forwarded, then the
connection dropped, or a 500, 3:1; SMTP: the message queued, then the connection closed before
the reply).

At the end, for every delivery key (period x recipient): how many copies the server received and
the row's status. A *duplicate* is a key received twice or more. A *silent loss* is a key neither
received nor recorded as a problem (failed, deferred, pending, unknown), or recorded ``sent``
without being received. A *latent duplicate* is a key received but recorded as to be sent again
(failed, deferred, pending). A problem the final run of its round did not alert is *unalerted*.
A lost answer (received, row ``unknown``, alerted) is none of these. Exit code 1 unless all four
are 0.
"""

from __future__ import annotations

import argparse
import contextlib
import email
import logging
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SENDER = HERE.parent / "tests" / "delivery" / "sender_process.py"
sys.path.insert(0, str(HERE.parent / "tests"))

from kits.fault_proxy import Fault, FaultProxy, is_send_email  # noqa: E402
from kits.fault_smtp import FaultySmtp, SmtpFault, faulty_smtp  # noqa: E402
from kits.fault_smtp import random_faults as smtp_faults  # noqa: E402

PROBLEMS = {"failed", "deferred", "pending", "unknown", "blocked"}
RESENT_NEXT_RUN = {"failed", "deferred", "pending"}
MESSAGE_ID = re.compile(r"\.ceo\.([^@>]+)@")


@dataclass
class Endpoint:
    """One transport under test: the sender's option, and what the server saw."""

    name: str
    option: list[str]
    calls: Callable[[], int]  # report-delivery calls that reached the server so far
    received: Callable[[], list[tuple[str, str]]]  # (period, recipient) of each copy received
    faults: Callable[[], Counter[str]]


@dataclass
class Tally:
    runs: int = 0
    kills: int = 0
    kills_mid_send: int = 0
    final_exit_codes: Counter[int] = field(default_factory=Counter)
    unalerted: list[str] = field(default_factory=list)


def period_of(round_index: int) -> str:
    return f"{2020 + round_index // 12}-{round_index % 12 + 1:02d}"


def start(store: Path, endpoint: Endpoint, recipients: int, period: str) -> subprocess.Popen[str]:
    command = [sys.executable, str(SENDER), str(store), str(store.parent / "unused")]
    command += [str(recipients), *endpoint.option, "--period", period]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def kill_at_random(
    process: subprocess.Popen[str], endpoint: Endpoint, pending: int, chooser: random.Random
) -> bool:
    """SIGKILL ``process`` at a random point of its ``pending`` sends; False if it finished
    first."""
    before = endpoint.calls()
    if chooser.random() < 0.2:
        time.sleep(chooser.uniform(0.0, 2.0))  # somewhere in start-up or the first sends
    else:
        wanted = before + chooser.randint(1, max(1, pending))
        deadline = time.monotonic() + 120
        while endpoint.calls() < wanted and process.poll() is None:
            if time.monotonic() > deadline:
                break
            time.sleep(0.002)
        time.sleep(chooser.uniform(0.0, 0.04))
    if process.poll() is not None:
        return False
    process.send_signal(signal.SIGKILL)
    process.communicate()
    return True


def pending_sends(store: Path, period: str, recipients: int) -> int:
    """How many deliveries of ``period`` a run would still call the transport for."""
    settled = sum(
        1
        for (row_period, _), status in statuses(store).items()
        if row_period == period and status in {"sent", "unknown"}
    )
    return recipients - settled


def delivery_rows(store: Path, sql: str, params: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """The rows ``sql`` selects from the store's ``deliveries``; none while no run has made the
    table yet (the file missing, empty, or made by a sender killed before its first migration).
    The store is opened read-only, so looking never creates the file a sender is about to make."""
    if not store.exists():
        return []
    try:
        with contextlib.closing(sqlite3.connect(f"{store.as_uri()}?mode=ro", uri=True)) as db:
            return [tuple(row) for row in db.execute(sql, params)]
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise


def claimed_rows(store: Path, period: str) -> int:
    rows = delivery_rows(
        store, "SELECT id FROM deliveries WHERE status = 'sending' AND period = ?", (period,)
    )
    return len(rows)


def statuses(store: Path) -> dict[tuple[str, str], str]:
    rows = delivery_rows(store, "SELECT period, recipient, status FROM deliveries")
    return {(period, recipient): status for period, recipient, status in rows}


def run_round(
    store: Path,
    endpoint: Endpoint,
    round_index: int,
    args: argparse.Namespace,
    chooser: random.Random,
    tally: Tally,
) -> None:
    period = period_of(round_index)
    for _ in range(args.kills_per_round):
        pending = pending_sends(store, period, args.recipients)
        if not pending:
            break
        process = start(store, endpoint, args.recipients, period)
        tally.runs += 1
        if kill_at_random(process, endpoint, pending, chooser):
            tally.kills += 1
            tally.kills_mid_send += claimed_rows(store, period) > 0
    final = start(store, endpoint, args.recipients, period)
    _, stderr = final.communicate(timeout=600)
    tally.runs += 1
    tally.final_exit_codes[final.returncode] += 1
    problems = sorted(
        recipient
        for (row_period, recipient), status in statuses(store).items()
        if row_period == period and status in PROBLEMS
    )
    # the alert wraps at 78 columns, so "to" and the address may stand on two lines
    said = " ".join(stderr.split())
    alerted = final.returncode == 1 and "needs attention" in said
    for recipient in problems:
        if not alerted or f"to {recipient}: " not in said:
            tally.unalerted.append(f"{period} {recipient}")
    if not problems and final.returncode != 0:
        tally.unalerted.append(f"{period}: exit {final.returncode} with no problem row")


def account(store: Path, endpoint: Endpoint, args: argparse.Namespace, tally: Tally) -> bool:
    rows = statuses(store)
    copies = Counter(endpoint.received())
    keys = {
        (period_of(r), f"r{i:03d}@harbor.example")
        for r in range(args.rounds)
        for i in range(args.recipients)
    }
    duplicates = sorted(key for key in keys if copies[key] > 1)
    silent = sorted(key for key in keys if copies[key] == 0 and rows.get(key) not in PROBLEMS)
    latent = sorted(key for key in keys if copies[key] and rows.get(key) in RESENT_NEXT_RUN)
    lost_answers = sum(1 for key in keys if copies[key] == 1 and rows.get(key) == "unknown")
    unknown_unsent = sum(1 for key in keys if copies[key] == 0 and rows.get(key) == "unknown")
    faults = endpoint.faults()
    calls = sum(faults.values())
    print(
        f"\n== {endpoint.name}: {len(keys)} deliveries, {tally.runs} sender processes, "
        f"{tally.kills} SIGKILLs ({tally.kills_mid_send} left a claimed row)"
    )
    shares = ", ".join(f"{name} {n} ({n / calls:.0%})" for name, n in sorted(faults.items()))
    print(f"server calls for deliveries: {calls}: {shares}")
    print(f"final statuses: {dict(sorted(Counter(rows.get(k, 'none') for k in keys).items()))}")
    print(
        f"received once: {sum(1 for k in keys if copies[k] == 1)}; "
        f"lost answers (received, unknown, alerted): {lost_answers}; "
        f"unknown and not received (killed before the call went out): {unknown_unsent}"
    )
    print(f"final runs' exit codes: {dict(sorted(tally.final_exit_codes.items()))}")
    print(
        f"duplicates: {len(duplicates)}  silent losses: {len(silent)}  "
        f"latent duplicates: {len(latent)}  unalerted problems: {len(tally.unalerted)}"
    )
    for label, items in (
        ("duplicate", duplicates),
        ("silent loss", silent),
        ("latent duplicate", latent),
        ("unalerted", tally.unalerted),
    ):
        for item in items[:10]:
            print(f"  {label}: {item}")
    return not (duplicates or silent or latent or tally.unalerted)


def period_and_recipient(raw: bytes | str) -> tuple[str, str]:
    message = (
        email.message_from_bytes(raw) if isinstance(raw, bytes) else email.message_from_string(raw)
    )
    match = MESSAGE_ID.search(str(message["Message-ID"]))
    return (match.group(1) if match else "?", str(message["To"]))


@contextmanager
def ses_endpoint(args: argparse.Namespace) -> Iterator[Endpoint]:
    import boto3
    from moto.backends import get_backend
    from moto.server import ThreadedMotoServer

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_CONFIG_FILE": "/nonexistent",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
    }.items():
        os.environ[name] = value
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    moto = f"http://{host}:{port}"
    urllib.request.urlopen(urllib.request.Request(f"{moto}/moto-api/reset", method="POST")).read()
    boto3.client("sesv2", region_name="us-east-1", endpoint_url=moto).create_email_identity(
        EmailIdentity="harbor.example"
    )
    chooser = random.Random(args.seed)
    lost_drop = args.lost * 0.75

    def plan(_: object) -> Fault:
        roll = chooser.random()
        if roll < args.throttle:
            return Fault.THROTTLE
        if roll < args.throttle + lost_drop:
            return Fault.DROP
        if roll < args.throttle + args.lost:
            return Fault.ERROR_500
        return Fault.FORWARD

    def received() -> list[tuple[str, str]]:
        backend = get_backend("ses")["123456789012"]["us-east-1"]
        return [period_and_recipient(m.raw_data) for m in backend.sent_messages]

    proxy = FaultProxy(moto, plan, select=is_send_email)
    with proxy:
        yield Endpoint(
            "SES (moto behind the fault proxy)",
            ["--ses", proxy.url],
            calls=lambda: len(proxy.faults()),
            received=received,
            faults=lambda: Counter(str(f) for f in proxy.faults()),
        )
    server.stop()


@contextmanager
def smtp_endpoint(args: argparse.Namespace) -> Iterator[Endpoint]:
    half = args.throttle / 2
    plan = smtp_faults(
        args.seed,
        {SmtpFault.DEFER_421: half, SmtpFault.DEFER_451: half, SmtpFault.DROP: args.lost},
    )
    handler = FaultySmtp(plan)
    with faulty_smtp(handler) as port:
        yield Endpoint(
            "SMTP (faulty aiosmtpd)",
            ["--smtp", str(port)],
            calls=lambda: len(handler.faults()),
            received=lambda: [period_and_recipient(data) for _, data in handler.received()],
            faults=lambda: Counter(str(f) for f in handler.faults()),
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=12, help="periods per transport")
    parser.add_argument("--kills-per-round", type=int, default=2)
    parser.add_argument("--recipients", type=int, default=12)
    parser.add_argument("--throttle", type=float, default=0.2)
    parser.add_argument("--lost", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--only", choices=["ses", "smtp"], default=None)
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # werkzeug, aiosmtpd: a killed client is not news
    chooser = random.Random(args.seed)
    ok = True
    started = time.monotonic()
    for name, endpoint_of in (("ses", ses_endpoint), ("smtp", smtp_endpoint)):
        if args.only and args.only != name:
            continue
        with tempfile.TemporaryDirectory() as folder, endpoint_of(args) as endpoint:
            store = Path(folder) / "store.db"
            tally = Tally()
            for round_index in range(args.rounds):
                run_round(store, endpoint, round_index, args, chooser, tally)
            ok = account(store, endpoint, args, tally) and ok
    print(f"\n{time.monotonic() - started:.0f} s; {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
