"""Big inputs stay bounded (issue 17, item 9): a huge ``.env`` or note table is collected in a
real ``execbrief collect --json`` process whose peak memory stays bounded, with a correct result:
the records kept up to the documented caps, one sentence saying what was cut, and a secret past
the cap still found. The timings are bench/bigfiles.py's (a time ratio in a test is flaky on a
shared machine); here only memory and the result are held.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from execbrief.sources.envfile import MAX_KEYS, MAX_SECRETS
from execbrief.sources.handoff import MAX_TABLE_ROWS

#: The interpreter and libraries take about 60 MB and the full-size shapes stay near 110 MB when
#: run alone (bench/bigfiles.py); inside the whole suite the same child peaks near 290 MB. The
#: bound held here is the issue's, 500 MB, less a margin.
PEAK_MB = 400
STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"


def _bench() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / "bigfiles.py"
    spec = importlib.util.spec_from_file_location("bigfiles", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bigfiles"] = module
    spec.loader.exec_module(module)
    return module


bigfiles = _bench()


def collect(root: Path, shape: str, size: int, extra: str = "") -> tuple[dict, float]:
    """Collect a portfolio of one big file; the snapshot and the child's peak RSS in MB."""
    config = bigfiles.portfolio(root, bigfiles.SHAPES[shape], size)
    if extra:
        with (root / bigfiles.SHAPES[shape].file).open("a") as out:
            out.write(extra)
    run = bigfiles.measure(config)
    assert run.returncode in (0, 1), run.stderr
    return json.loads(run.output.read_text()), run.peak_mb


def records(snapshot: dict, kind: str) -> list[dict]:
    return [r for result in snapshot["results"] for r in result["records"] if r["type"] == kind]


def errors(snapshot: dict) -> list[str]:
    return [e["message"] for result in snapshot["results"] for e in result["errors"]]


def test_a_100k_line_env_keeps_its_first_keys_and_still_finds_a_late_secret(
    tmp_path: Path,
) -> None:
    snapshot, peak = collect(tmp_path, "env", 100_000, f"STRIPE_SECRET_KEY={STRIPE}\n")
    assert peak < PEAK_MB
    assert len(records(snapshot, "env_key")) == MAX_KEYS
    (secret,) = records(snapshot, "secret_finding")
    assert (secret["line"], secret["kind"], secret["live"]) == (100_001, "stripe-secret-key", True)
    (cut,) = [m for m in errors(snapshot) if "assignments" in m]
    assert f"the first {MAX_KEYS:,} are kept as keys and the rest only searched" in cut
    assert STRIPE not in json.dumps(snapshot)


def test_20k_secret_lines_list_the_first_secrets_and_count_the_rest(tmp_path: Path) -> None:
    snapshot, peak = collect(tmp_path, "env-secrets", 20_000)
    assert peak < PEAK_MB
    assert len(records(snapshot, "secret_finding")) == MAX_SECRETS
    assert len(records(snapshot, "env_key")) == MAX_KEYS
    (message,) = [m for m in errors(snapshot) if "plaintext secrets" in m]
    assert f"{MAX_KEYS - MAX_SECRETS:,} more are only counted" in message
    assert f"{20_000 - MAX_KEYS:,} more lines whose names or values look secret" in message


def test_a_20k_row_note_table_reads_its_first_rows_and_the_rest_of_the_note(
    tmp_path: Path,
) -> None:
    snapshot, peak = collect(tmp_path, "note-table", 20_000)
    assert peak < PEAK_MB
    facts = records(snapshot, "fact")
    table = [f for f in facts if f["label"].startswith("Metric ")]
    assert len(table) == MAX_TABLE_ROWS
    assert table[-1]["label"] == f"Metric {MAX_TABLE_ROWS - 1}"
    assert table[-1]["provenance"]["line"] == 9 + MAX_TABLE_ROWS  # rows start at line 10
    # the note after the table is read, at its true line
    (cash,) = [f for f in facts if f["key"] == "cash"]
    assert cash["provenance"]["line"] == 9 + 20_000 + 4
    (cut,) = [m for m in errors(snapshot) if "rows" in m]
    assert cut.startswith(f"the table has 20,000 rows; the first {MAX_TABLE_ROWS:,} are read")


def test_past_the_key_cap_a_key_shaped_name_is_skipped_and_late_secrets_are_found(
    tmp_path: Path,
) -> None:
    # an outside audit's 1M lines of KEY_<n>=value<n>: every line passed the scanner's keyword
    # filter on "KEY" and was judged in full (62 CPU s); a name that is a key shape but no secret
    # name is now skipped past the cap, and what can hold a secret is still searched
    import secrets as random_source

    password = "".join(random_source.choice("abcdefghjkmnpqrstuvwxyz23456789") for _ in range(20))
    late = f"KEY_LATE={STRIPE}\nDB_PASSWORD={password}\n"
    snapshot, peak = collect(tmp_path, "env-keys", 20_000, late)
    assert peak < PEAK_MB
    assert len(records(snapshot, "env_key")) == MAX_KEYS
    found = sorted((s["line"], s["kind"]) for s in records(snapshot, "secret_finding"))
    assert found == [(20_001, "stripe-secret-key"), (20_002, "password")]
    text = json.dumps(snapshot)
    assert STRIPE not in text and password not in text
