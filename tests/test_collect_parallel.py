"""Reading sources on a process pool and through the store's cache gives the serial, uncached
run's snapshot and reports byte for byte (issue 18: ``--jobs``, the source cache)."""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import zlib
from collections import Counter
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from execbrief.cli import cli
from execbrief.collecting import sharing_groups
from execbrief.config import Config, load_config
from execbrief.document import Document
from execbrief.pipeline import (
    Reading,
    build,
    build_reports,
    collect,
    collecting,
    context,
    render,
    report_names,
)
from execbrief.plugins import Registry, get_registry
from execbrief.records.secrets import SecretFinding
from execbrief.snapshot import Snapshot, SourceResult
from execbrief.sources.base import SourceRequest
from execbrief.store import sourcecache
from execbrief.store.sourcecache import unpack

AS_OF = date(2026, 11, 20)
CACHED = Reading(jobs=2, cache=True)


def clock() -> datetime:
    return datetime(2026, 11, 21, 8, tzinfo=UTC)


def load(path: Path) -> tuple[Config, Registry]:
    registry = get_registry()
    return load_config(path, registry.option_models()), registry


def snapshot_bytes(snapshot: Snapshot) -> str:
    return json.dumps(snapshot.to_dict(), sort_keys=True)


def reports_text(snapshot: Snapshot, config: Config, registry: Registry) -> dict[str, str]:
    names = report_names(config, registry)
    built = build(context(snapshot, config, registry), registry, names)
    assert all(item.document for item in built), [item.error for item in built]
    return {item.name: render(item.document, registry) for item in built if item.document}


def read(config: Config, registry: Registry, reading: Reading) -> tuple[Snapshot, Any]:
    with collecting(config, reading, clock) as how:
        return collect(config, registry, AS_OF, **how), how.get("cache")


class Counting:
    """A source plugin that counts the reads it passes on to the real one."""

    def __init__(self, inner: Any, counts: Counter[tuple[str, str]]) -> None:
        self.inner, self.counts = inner, counts
        self.name, self.Options = inner.name, inner.Options

    def collect(self, request: SourceRequest) -> SourceResult:
        self.counts[(request.entity.id, request.spec.kind)] += 1
        return self.inner.collect(request)


def counting(registry: Registry) -> Counter[tuple[str, str]]:
    counts: Counter[tuple[str, str]] = Counter()
    for kind, source in list(registry.sources.items()):
        registry.sources[kind] = Counting(source, counts)
    return counts


def test_two_jobs_give_the_serial_snapshot_and_reports(example_portfolio: Path) -> None:
    config, registry = load(example_portfolio)
    serial, _ = read(config, registry, Reading(jobs=1))
    parallel, _ = read(config, registry, Reading(jobs=2))
    assert snapshot_bytes(parallel) == snapshot_bytes(serial)
    assert reports_text(parallel, config, registry) == reports_text(serial, config, registry)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_cli_build_with_two_jobs_writes_the_same_files(example_portfolio: Path, fmt: str) -> None:
    runner = CliRunner()
    outs, said = {}, {}
    for jobs in ("1", "2"):
        out = example_portfolio.parent / f"reports-{jobs}"
        done = runner.invoke(
            cli,
            [
                "build",
                "-c",
                str(example_portfolio),
                "--jobs",
                jobs,
                "--no-cache",
                "--format",
                fmt,
                "--out",
                str(out),
            ],
        )
        assert done.exit_code == 0, done.output
        outs[jobs] = {p.name: p.read_bytes() for p in sorted(out.iterdir())}
        said[jobs] = done.output.replace(str(out), "OUT")
    assert outs["1"] == outs["2"] and len(outs["1"]) == 8
    assert said["1"] == said["2"] and said["1"].count("wrote OUT/") == 8


class WhereRendered:
    """A renderer that says which process rendered each document."""

    name, extension, media_type = "where", "txt", "text/plain"

    def render(self, document: Document) -> str:
        return f"{document.report} by {os.getpid()}"


def test_two_jobs_render_every_document_in_this_process_in_order(
    example_portfolio: Path,
) -> None:
    """Reading goes to workers, rendering does not (a forked worker rendering copied the pages
    it touched: at 1,000 entities the process tree's memory nearly doubled)."""
    config, registry = load(example_portfolio)
    run = build_reports(
        config,
        registry,
        as_of=AS_OF,
        clock=lambda: datetime.now(UTC),
        reading=Reading(jobs=2),
        renderer=WhereRendered(),
    )
    assert run.texts == [f"{d.report} by {os.getpid()}" for d in run.documents]
    assert len(run.texts) == 8


def test_entities_listing_one_file_are_read_together(example_portfolio: Path) -> None:
    text = example_portfolio.read_text()
    # Sunset Sails lists Harbor Charters' shared repos.env too: one group, read in config order.
    text = text.replace(
        'code = ["code/sunset-sails"]', 'code = ["code/sunset-sails"]\nenv = ["repos.env"]'
    )
    example_portfolio.write_text(text)
    config, registry = load(example_portfolio)
    groups = sharing_groups(config)
    ids = [[config.entities[i].id for i in group] for group in groups]
    assert ["harbor-charters", "sunset-sails"] in ids
    assert sum(len(group) for group in groups) == len(config.entities)
    serial, _ = read(config, registry, Reading(jobs=1))
    parallel, _ = read(config, registry, Reading(jobs=2))
    assert snapshot_bytes(parallel) == snapshot_bytes(serial)


def test_a_second_run_reuses_every_file_source(example_portfolio: Path) -> None:
    config, registry = load(example_portfolio)
    uncached, _ = read(config, registry, Reading())
    counts = counting(registry)
    first, cache = read(config, registry, Reading(cache=True))
    assert cache.hits == 0 and cache.misses > 0
    read_first = sum(counts.values())
    counts.clear()
    second, cache = read(config, registry, Reading(cache=True))
    # read again: the AWS sources (API calls, not files alone) and any beancount ledger (its
    # includes may pull in any file of the portfolio; the demo's books are CSV now)
    uncacheable = {(e.id, "aws") for e in config.entities if "aws" in e.sources}
    uncacheable |= {
        (e.id, "ledger")
        for e in config.entities
        if "ledger" in e.sources
        and any(str(p).endswith(".beancount") for p in e.sources["ledger"].paths)
    }
    assert set(counts) == uncacheable
    assert cache.misses == 0 and cache.hits == read_first - len(uncacheable)
    assert snapshot_bytes(first) == snapshot_bytes(second) == snapshot_bytes(uncached)
    assert reports_text(second, config, registry) == reports_text(uncached, config, registry)


def test_a_changed_file_is_read_again(example_portfolio: Path) -> None:
    config, registry = load(example_portfolio)
    read(config, registry, Reading(cache=True))
    ledger = example_portfolio.parent / "ledgers" / "crewboard.csv"
    ledger.write_text(
        ledger.read_text() + "2026-11-18,Expenses:Software,12.00,Extra seat,Figma,,\n"
    )
    counts = counting(registry)
    changed, cache = read(config, registry, Reading(cache=True))
    assert counts["crewboard", "ledger"] == 1 and cache.misses == 1
    assert set(counts) - {("blue-passage", "ledger")} == {
        ("crewboard", "ledger"),
        *((e.id, "aws") for e in config.entities if "aws" in e.sources),
    }
    fresh, _ = read(config, registry, Reading(cache=False))
    assert snapshot_bytes(changed) == snapshot_bytes(fresh)
    assert any("Extra seat" in json.dumps(r.to_dict()) for r in [changed])


def test_a_same_size_edit_with_its_time_put_back_is_read_again(example_portfolio: Path) -> None:
    """The outsider audit of issue 18: 6400.00 -> 6500.00 in place, then ``touch -r`` back."""
    config, registry = load(example_portfolio)
    read(config, registry, Reading(cache=True))
    ledger = example_portfolio.parent / "ledgers" / "crewboard.csv"
    before = ledger.stat()
    text = ledger.read_text()
    digit = next(i for i, c in enumerate(text) if c.isdigit() and i > text.index("\n"))
    edited = text[:digit] + str((int(text[digit]) + 1) % 10) + text[digit + 1 :]
    ledger.write_text(edited)
    os.utime(ledger, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert ledger.stat().st_size == before.st_size
    assert ledger.stat().st_mtime_ns == before.st_mtime_ns
    counts = counting(registry)
    changed, cache = read(config, registry, Reading(cache=True))
    assert counts["crewboard", "ledger"] == 1 and cache.misses == 1
    fresh, _ = read(config, registry, Reading(cache=False))
    assert snapshot_bytes(changed) == snapshot_bytes(fresh)


def test_no_cache_reads_everything(example_portfolio: Path) -> None:
    config, registry = load(example_portfolio)
    read(config, registry, Reading(cache=True))
    counts = counting(registry)
    read(config, registry, Reading(cache=False))
    assert sum(counts.values()) == sum(len(e.sources) for e in config.entities)


def test_a_tampered_cache_row_is_read_again_not_unpickled(example_portfolio: Path) -> None:
    config, registry = load(example_portfolio)
    first, _ = read(config, registry, Reading(cache=True))
    with sqlite3.connect(config.store_path) as db:
        rows = db.execute("SELECT key, result FROM source_cache").fetchall()
        for key, sealed in rows:  # one byte of each pickle changed, its seal left as it was
            tampered = bytes(sealed[:-1]) + bytes([sealed[-1] ^ 0x01])
            db.execute("UPDATE source_cache SET result = ? WHERE key = ?", (tampered, key))
    again, cache = read(config, registry, Reading(cache=True))
    assert cache.hits == 0
    assert snapshot_bytes(again) == snapshot_bytes(first)


def test_the_cache_never_holds_a_secret_value(example_portfolio: Path) -> None:
    config, registry = load(example_portfolio)
    read(config, registry, Reading(cache=True))
    read(config, registry, Reading(cache=True))
    values = []
    for env in (example_portfolio.parent / "repos.env",):
        for line in env.read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                value = line.split("=", 1)[1].strip().strip('"')
                if len(value) >= 16:
                    values.append(value)
    assert len(values) >= 5
    stored = b"".join(p.read_bytes() for p in config.store_path.parent.glob("execbrief.db*"))
    assert b"source_cache" in stored
    with sqlite3.connect(config.store_path) as db:  # kept results are compressed: read them open
        rows = db.execute("SELECT CAST(result AS BLOB) FROM source_cache").fetchall()
    assert rows
    opened = b"".join(opened_result(bytes(sealed)[32:]) for (sealed,) in rows)
    for value in values:
        assert value.encode() not in stored, value[:4]
        assert value.encode() not in opened, value[:4]


def opened_result(blob: bytes) -> bytes:
    """A kept result's bytes with its records' compressed pickle opened (``pack_result``)."""
    head, records = pickle.loads(blob)
    return pickle.dumps(head) + zlib.decompress(records)


def test_a_kept_result_unpacks_its_records_only_when_used(example_portfolio: Path) -> None:
    config, registry = load(example_portfolio)
    first, _ = read(config, registry, Reading(cache=True))
    second, cache = read(config, registry, Reading(cache=True))
    kept = [r for r in second.results if "_load_records" in r.__dict__]
    assert cache.hits and len(kept) == cache.hits  # nothing has asked for their records yet
    assert second.results == first.results
    assert not any("_load_records" in r.__dict__ for r in second.results)
    assert pickle.loads(pickle.dumps(second.results)) == first.results
    third, _ = read(config, registry, Reading(cache=True))
    assert pickle.loads(pickle.dumps(third.results)) == first.results  # pickled unloaded
    assert snapshot_bytes(second) == snapshot_bytes(first)


def test_a_rebuild_whose_reports_were_kept_unpacks_no_records(
    example_portfolio: Path, monkeypatch: Any
) -> None:
    """The first build reads on two workers, the second reads its AWS source (never kept) in
    this process: the snapshot is the same, so the kept reports are found."""
    config, registry = load(example_portfolio)
    names = report_names(config, registry)
    kept_reports = build_reports(config, registry, as_of=AS_OF, clock=clock, reading=CACHED)
    unpacked: list[type] = []

    def counted(blob: bytes) -> Any:
        value = unpack(blob)
        unpacked.append(type(value))
        return value

    monkeypatch.setattr(sourcecache, "unpack", counted)
    again = build_reports(config, registry, as_of=AS_OF, clock=clock, reading=CACHED)
    assert unpacked == [list]  # the kept reports; no source's records
    assert [d.title for d in again.documents] == [d.title for d in kept_reports.documents]
    assert len(again.documents) == len(names)


def test_a_store_that_only_caches_adds_no_since_last_report(example_portfolio: Path) -> None:
    runner = CliRunner()
    outs = []
    for flag in ("--no-cache", None, None):
        out = example_portfolio.parent / f"r{len(outs)}"
        args = ["build", "-c", str(example_portfolio), "--out", str(out)]
        done = runner.invoke(cli, [*args, flag] if flag else args)
        assert done.exit_code == 0, done.output
        outs.append({p.name: p.read_bytes() for p in sorted(out.iterdir())})
    assert outs[0] == outs[1] == outs[2]


def test_a_glob_gains_a_file_and_is_read_again(example_portfolio: Path) -> None:
    text = example_portfolio.read_text()
    text = text.replace('env = ["repos.env", "fixtures/stripe-sample.env"]', 'env = ["env/*.env"]')
    example_portfolio.write_text(text)
    folder = example_portfolio.parent / "env"
    folder.mkdir()
    (folder / "a.env").write_text((example_portfolio.parent / "repos.env").read_text())
    config, registry = load(example_portfolio)
    read(config, registry, Reading(cache=True))
    (folder / "b.env").write_text(
        "SENDGRID_API_KEY=SG.aaaaaaaaaaaaaaaaaaaaaa.bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\n"
    )
    counts = counting(registry)
    again, _ = read(config, registry, Reading(cache=True))
    assert counts["harbor-charters", "env"] == 1
    fresh, _ = read(config, registry, Reading(cache=False))
    assert snapshot_bytes(again) == snapshot_bytes(fresh)


PARTS = """
[portfolio]
name = "Parts"
as_of = 2026-11-20

[[entities]]
id = "boats"
name = "Boats"
kind = "charter"

[[entities.ledger]]
path = "stripe-balance-activity.csv"

[[entities.ledger]]
path = "chase-checking.csv"
default_accounts = { money_in = "Income:Charters", money_out = "Expenses:Operating" }
"""


def test_an_edited_option_of_a_later_ledger_part_is_read_again(tmp_path: Path) -> None:
    """The key holds every ``[[entities.ledger]]`` part's options, not only the first's: an
    edit to the second part's ``default_accounts`` is a new key (found by an outside audit)."""
    layouts = Path(__file__).resolve().parent / "data" / "layouts"
    for name in ("chase-checking.csv", "stripe-balance-activity.csv"):
        (tmp_path / name).write_bytes((layouts / name).read_bytes())
    toml = tmp_path / "portfolio.toml"

    def accounts(text: str) -> set[str]:
        toml.write_text(text)
        config, registry = load(toml)
        snapshot, _ = read(config, registry, Reading(cache=True))
        return {getattr(r, "account", "") for res in snapshot.results for r in res.records}

    assert "Expenses:Operating" in accounts(PARTS)
    edited = accounts(PARTS.replace("Expenses:Operating", "Expenses:Boat upkeep"))
    assert "Expenses:Boat upkeep" in edited and "Expenses:Operating" not in edited


#: A password of no shape a rule knows, in one entity's .env; another entity's note repeats it.
PLANTED = "Qv7mWz2xLp9rTk4n"


def test_a_secret_one_source_found_is_redacted_in_another_workers_note(
    example_portfolio: Path,
) -> None:
    """Harbor Charters' .env holds the password; Crewboard's note (another sharing group, so
    another worker under --jobs 2) repeats it in prose. Every way of reading redacts it there
    by its fingerprint, and gives the same snapshot."""
    root = example_portfolio.parent
    with (root / "repos.env").open("a") as env:
        env.write(f"CREWBOARD_ADMIN_PASSWORD={PLANTED}\n")
    with (root / "handoffs" / "crewboard.md").open("a") as note:
        note.write(f"\n## Access\n\nThe spare admin login still works with {PLANTED} for now.\n")
    config, registry = load(example_portfolio)
    groups = sharing_groups(config)
    ids = {config.entities[i].id: n for n, group in enumerate(groups) for i in group}
    assert ids["harbor-charters"] != ids["crewboard"]
    serial, _ = read(config, registry, Reading(jobs=1))
    parallel, _ = read(config, registry, Reading(jobs=2))
    cached, _ = read(config, registry, Reading(jobs=2, cache=True))
    again, cache = read(config, registry, Reading(jobs=2, cache=True))
    assert cache.hits > 0
    texts = {snapshot_bytes(s) for s in (serial, parallel, cached, again)}
    assert len(texts) == 1
    text = texts.pop()
    assert PLANTED not in text
    note = next(r for r in serial.results if (r.entity, r.kind) == ("crewboard", "handoff"))
    found = [r for r in note.records if isinstance(r, SecretFinding)]
    assert [f.detector for f in found] == ["known-fingerprint"]


@pytest.mark.parametrize("fmt", ["text", "markdown"])
def test_an_unchanged_build_writes_the_text_it_kept_without_rendering(
    example_portfolio: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A re-run that reuses the kept reports reuses their rendered text too, byte for byte; a
    changed source renders again (its reports are built again)."""
    from execbrief.renderers.markdown import MarkdownRenderer
    from execbrief.renderers.text import TextRenderer

    renderer = {"text": TextRenderer, "markdown": MarkdownRenderer}[fmt]
    calls: list[str] = []
    real = renderer.render

    def counted(self: Any, document: Document) -> str:
        calls.append(document.report)
        return real(self, document)

    monkeypatch.setattr(renderer, "render", counted)

    def built(name: str) -> dict[str, bytes]:
        calls.clear()
        out = example_portfolio.parent / name
        argv = ["build", "-c", str(example_portfolio), "--jobs", "1", "--format", fmt]
        done = CliRunner().invoke(cli, [*argv, "--out", str(out)])
        assert done.exit_code == 0, done.output
        return {p.name: p.read_bytes() for p in sorted(out.iterdir())}

    first = built("first")
    assert len(calls) == len(first) == 8
    again = built("again")
    assert again == first and calls == []
    ledger = example_portfolio.parent / "ledgers" / "crewboard.csv"
    ledger.write_text(
        ledger.read_text() + "2026-11-18,Expenses:Software,12.00,Extra seat,Figma,,\n"
    )
    changed = built("changed")
    assert len(calls) == 8 and changed != first


def test_a_real_path_resolved_by_its_folder_is_realpaths(tmp_path: Path) -> None:
    """``collecting._real`` resolves a file's folder once and joins its name: the same text as
    ``os.path.realpath`` through linked folders, linked files, a link loop, ``..`` and missing
    paths."""
    from execbrief.collecting import _real

    (tmp_path / "data" / "deep").mkdir(parents=True)
    (tmp_path / "data" / "deep" / "a.csv").write_text("x\n")
    (tmp_path / "linked").symlink_to(tmp_path / "data")
    (tmp_path / "data" / "b.csv").symlink_to(tmp_path / "data" / "deep" / "a.csv")
    (tmp_path / "data" / "up").symlink_to("..")
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    names = [
        "data/deep/a.csv",
        "linked/deep/a.csv",
        "linked/b.csv",
        "data/b.csv",
        "data/up/linked/deep/../b.csv",
        "linked/deep/..",
        "linked/.",
        "loop/a.csv",
        "loop",
        "missing/x/y.csv",
        "linked/missing.csv",
        "data/deep/",
    ]
    folders: dict[str, str] = {}
    for name in names * 2:  # the second time through the remembered folders
        path = str(tmp_path / name) if not name.endswith("/") else f"{tmp_path}/{name}"
        assert _real(path, folders) == os.path.realpath(path), name


def test_a_folder_inside_another_entitys_folder_joins_its_group(tmp_path: Path) -> None:
    """``_above`` names the folders inside the portfolio above a path, as the ``Path.parents``
    walk it replaced did: not the portfolio's own folder nor anything outside it."""
    from execbrief.collecting import _above

    top = str(tmp_path)
    assert list(_above(top, f"{top}/a/b/c.csv")) == [f"{top}/a/b/c.csv", f"{top}/a/b", f"{top}/a"]
    assert list(_above(top, f"{top}/c.csv")) == [f"{top}/c.csv"]
    assert list(_above(top, "/elsewhere/x/y.csv")) == ["/elsewhere/x/y.csv"]
    assert list(_above(top, f"{top}x/y.csv")) == [f"{top}x/y.csv"]  # a sibling sharing a prefix
    assert list(_above(top, "s3://bucket/key")) == ["s3://bucket/key"]
    assert list(_above("/", "/a/b.csv")) == ["/a/b.csv", "/a"]


@pytest.mark.parametrize("whole", [sourcecache.INFLATE_WHOLE, 0])
def test_a_packed_result_unpacks_whole_or_a_block_at_a_time_alike(
    example_portfolio: Path, monkeypatch: pytest.MonkeyPatch, whole: int
) -> None:
    """A small packed result is decompressed at once, a big one a block at a time: both give
    the result back (0: every result through the blockwise reads)."""
    config, registry = load(example_portfolio)
    snapshot, _ = read(config, registry, Reading(jobs=1))
    monkeypatch.setattr(sourcecache, "INFLATE_WHOLE", whole)
    for result in snapshot.results:
        back = sourcecache.unpack_result(sourcecache.pack_result(result))
        assert back == result
        assert [type(r) for r in back.records] == [type(r) for r in result.records]
