"""Big ledgers (issues 17 item 9, 18): the fast paths give what the plain ones give, and a ledger of
several MB is collected in a real process whose memory stays proportional to the file.

The ledger is ``bench/scale.py``'s big-ledger layout (the demo's own rows spread over its months,
statement balances that match) with ``PLANTED`` rows: secrets in the memo, payee and reference
columns, a quoted memo with accents, a long memo. Timings are the bench's (a time bound in a test is
flaky on a shared machine); here only results and memory are held.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import threading
import zlib
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

from execbrief.collecting import Job, collect_entities
from execbrief.config import load_config
from execbrief.history import runs
from execbrief.pipeline import Reading, collect, collecting, fingerprint_key, redact_config_names
from execbrief.plugins import get_registry
from execbrief.records.ledger import AccountType, Transaction
from execbrief.records.secrets import SecretFinding
from execbrief.secrets import redaction
from execbrief.secrets.redaction import Redactor, known_fingerprints, redact_result
from execbrief.secrets.scanner import Scanner
from execbrief.serialization import to_jsonable, write_json
from execbrief.snapshot import EntityInfo, Provenance, Record, Snapshot, SourceResult
from execbrief.sources.base import SourceRequest
from execbrief.store import columns
from execbrief.store.sourcecache import pack, unpack
from execbrief.values import Money

AS_OF = date(2026, 11, 20)
SECRETS = (
    "j8cdxhZzPsA28NJG6N1nApDfEkowwguT3MP6vhbl6BV6ylvH",
    "Tr0ub4dor-Zq8xKw2",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "Ol5hcWABqUGDSBTyIA",
)


def _bench(name: str) -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


scale = _bench("scale")
bigfiles = _bench("bigfiles")


def portfolio(root: Path, megabytes: float) -> Path:
    """The demo with Harbor Charters' ledger grown to ``megabytes``, planted rows included."""
    shutil.copytree(scale.DEMO, root, dirs_exist_ok=True)
    scale.write_big_ledger(root / "ledgers" / "harbor-charters.csv", megabytes, planted=True)
    return root / "portfolio.toml"


def field_by_field(result: SourceResult, redactor: Redactor) -> SourceResult:
    """``redact_result`` as it was before its fast path: every record redacted field by field."""
    records: list[Record] = []
    findings: list[SecretFinding] = []
    for record in result.records:
        found: list[redaction.Detection] = []
        records.append(redaction._redact(record, redactor, record.provenance, found))
        findings.extend(redaction._findings(records[-1], found))
    errors = [redaction._redact(e, redactor, e.provenance, []) for e in result.errors]
    unique = {(f.fingerprint, f.file, f.line): f for f in findings}
    return dataclasses.replace(
        result,
        paths=tuple(redactor.clean_path(path) for path in result.paths),
        records=(*records, *unique.values()),
        errors=tuple(errors),
    )


def test_a_planted_big_ledger_gives_the_same_snapshot_by_the_fast_and_the_plain_paths(
    tmp_path: Path,
) -> None:
    registry = get_registry()
    config = redact_config_names(
        load_config(str(portfolio(tmp_path, 0.3)), registry.option_models())
    )
    job = Job(config, registry, AS_OF, fingerprint_key(config))
    raw = [result for _, _, result in collect_entities(job, range(len(config.entities)))]
    known = known_fingerprints(raw)
    scanner = Scanner(job.key, config.secrets.allowlist)
    fast = [redact_result(result, Redactor(scanner, known)) for result in raw]
    plain_redactor = Redactor(scanner, known)
    plain = [field_by_field(result, plain_redactor) for result in raw]
    assert to_jsonable(fast) == to_jsonable(plain)

    entities = tuple(EntityInfo(e.id, e.name, e.kind, e.stream) for e in config.entities)
    snapshot = Snapshot(config.portfolio.name, "USD", AS_OF, entities, tuple(fast))
    pieces: list[str] = []
    write_json(snapshot, pieces.append)
    streamed = "".join(pieces)
    assert streamed == json.dumps(snapshot.to_dict(), indent=2, ensure_ascii=False)
    assert len(pieces) > 1  # written in pieces, not as one string
    compact: list[str] = []  # the store's layout: one line, ASCII
    write_json(snapshot, compact.append, indent=None, ensure_ascii=True)
    assert "".join(compact) == json.dumps(snapshot.to_dict())
    assert (
        zlib.decompress(runs._compressed_json(snapshot)) == json.dumps(snapshot.to_dict()).encode()
    )

    ledger = [r for r in snapshot.records(Transaction, "harbor-charters")]
    assert len(ledger) > 3000
    memos = {t.memo for t in ledger}
    assert "Café, quai 3 — remboursé" in memos
    assert sum("[redacted:" in t.memo for t in ledger) == 2  # the token and the labelled password
    payees = [t.counterparty for t in ledger if t.counterparty and "[redacted:" in t.counterparty]
    assert len(payees) == 2  # the database password as a payee, on both of its rows
    assert any(t.reference and "[redacted: Stripe" in t.reference for t in ledger)
    for secret in SECRETS:
        assert secret not in streamed


class CountedReads:
    """The ledger source, counting the results it reads."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.reads = inner, 0
        self.name, self.Options = inner.name, inner.Options

    def collect(self, request: SourceRequest) -> SourceResult:
        self.reads += request.entity.id == "harbor-charters"
        return self.inner.collect(request)


def collected_twice(root: Path) -> dict[str, Any]:
    """Collect the demo with an 8.5 MB planted ledger twice through the cache (run in a child
    process by the test below, so the test process stays small for the memory tests after it)."""
    registry = get_registry()
    config = redact_config_names(load_config(str(portfolio(root, 8.5)), registry.option_models()))
    ledger = CountedReads(registry.sources["ledger"])
    registry.sources["ledger"] = ledger
    clock = lambda: datetime(2026, 11, 21, 8, tzinfo=UTC)  # noqa: E731
    snapshots, reads = [], []
    for _ in range(2):
        with collecting(config, Reading(cache=True), clock) as how:
            snapshots.append(collect(config, registry, AS_OF, **how))
        reads.append(ledger.reads)
    first, second = snapshots
    (kept,) = [r for r in second.results if r.entity == "harbor-charters" and r.kind == "ledger"]
    with sqlite3.connect(config.store_path) as db:
        rows = db.execute("SELECT CAST(result AS BLOB) FROM source_cache").fetchall()
    from kits.outputs import opened as open_cell

    opened = b"".join(open_cell(bytes(sealed)) for (sealed,) in rows)
    return {
        "reads": reads,
        "records": len(kept.records),
        "same": to_jsonable(second) == to_jsonable(first),
        "rows_kept": b"Hull repair" in opened,
        "secrets_kept": [secret[:4] for secret in SECRETS if secret.encode() in opened],
    }


def test_a_ledger_of_over_100_000_lines_is_kept_and_the_next_run_reads_it_back(
    tmp_path: Path,
) -> None:
    script = (
        "import json, sys; from pathlib import Path; sys.path.insert(0, sys.argv[1]);"
        " sys.path.insert(0, str(Path(sys.argv[1]).parent));"
        " import test_big_ledger as t; print(json.dumps(t.collected_twice(Path(sys.argv[2]))))"
    )
    here = str(Path(__file__).resolve().parent)
    child = subprocess.run(
        [sys.executable, "-c", script, here, str(tmp_path)], capture_output=True, text=True
    )
    assert child.returncode == 0, child.stderr[-2000:]
    found = json.loads(child.stdout.splitlines()[-1])
    # read once (the late redaction against repos.env's secrets starts from the result as read),
    # and the second run read the kept result
    assert found["reads"] == [1, 1]
    assert found["records"] > 100_000 and found["same"]
    assert found["rows_kept"]  # the ledger's rows are in the store, open to read
    assert found["secrets_kept"] == []  # and the planted secrets are not


def test_a_packed_result_is_the_result_record_for_record(tmp_path: Path) -> None:
    registry = get_registry()
    config = load_config(str(portfolio(tmp_path, 1.0)), registry.option_models())
    job = Job(config, registry, AS_OF, fingerprint_key(config))
    results = [result for _, _, result in collect_entities(job, range(len(config.entities)))]
    (ledger,) = [r for r in results if r.entity == "harbor-charters" and r.kind == "ledger"]
    assert len(ledger.records) > columns.MIN_RECORDS
    for result in results:
        back = unpack(pack(result))
        assert back == result
        assert [type(r) for r in back.records] == [type(r) for r in result.records]


#: What the interpreter, the libraries and the demo's other sources take (virtual memory, with
#: ``--jobs 1``: no worker threads' arenas), and what each MB of ledger may add. Before the
#: compact records and the streamed JSON a ledger cost about 90 MB per MB (a 30 MB ledger peaked
#: near 2.8 GB in ``collect --json``); now it is about 7.
BASE_MB = 260
PER_LEDGER_MB = 20


def _cap(limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def test_a_6_mb_ledger_collects_under_a_memory_cap_proportional_to_its_size(
    tmp_path: Path,
) -> None:
    config = portfolio(tmp_path, 6.0)
    size_mb = (tmp_path / "ledgers" / "harbor-charters.csv").stat().st_size / 1e6
    limit = int((BASE_MB + PER_LEDGER_MB * size_mb) * 1024 * 1024)
    command = [sys.executable, "-m", "execbrief", "collect", "-c", str(config)]
    command += ["--as-of", AS_OF.isoformat(), "--json", "--no-cache", "--jobs", "1"]
    env = {**os.environ, "EXECBRIEF_NO_ENTRY_POINTS": "1"}
    with (tmp_path / "collected.json").open("wb") as out:
        child = subprocess.Popen(
            command, stdout=out, stderr=subprocess.PIPE, env=env, preexec_fn=lambda: _cap(limit)
        )
        # the child's own peak: ru_maxrss carries the forking test worker's across exec
        done, peak = threading.Event(), [0]
        threading.Thread(target=bigfiles.high_water, args=(child.pid, done, peak)).start()
        assert child.stderr is not None
        errors = child.stderr.read().decode(errors="replace")
        _, status, _ = os.wait4(child.pid, 0)
        done.set()
    assert os.waitstatus_to_exitcode(status) == 0, errors[-2000:]
    assert 0 < peak[0] * 1024 < limit
    snapshot = json.loads((tmp_path / "collected.json").read_text())
    (ledger,) = [
        r for r in snapshot["results"] if r["entity"] == "harbor-charters" and r["kind"] == "ledger"
    ]
    assert not [e["message"] for e in ledger["errors"] if "Memory" in e["message"]]
    assert len(ledger["records"]) > 80_000


def test_a_column_is_written_once_only_when_every_value_is_one_object() -> None:
    # the first and last values are one object, a middle one only equal to it (another
    # Decimal scale, another str object): the column is kept value by value, each as it was
    same = "Expenses:Fuel"
    other = "".join(["Expenses:", "Fuel"])
    assert other == same and other is not same
    base = SourceResult(entity="e", kind="ledger", paths=("l.csv",))
    made = [
        Transaction(
            "e",
            Provenance("l.csv", n),
            date(2026, 1, 1),
            same,
            AccountType.EXPENSE,
            "Fuel",
            Money(Decimal("1.0") if n != 7 else Decimal("1.00"), "USD"),
        )
        for n in range(columns.MIN_RECORDS + 10)
    ]
    made[5] = dataclasses.replace(made[5], account=other)
    back = unpack(pack(dataclasses.replace(base, records=tuple(made))))
    assert back.records == tuple(made)
    assert str(back.records[7].amount.amount) == "1.00"
    assert back.records[5].account is not back.records[4].account
    assert back.records[4].account is back.records[6].account
