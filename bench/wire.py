"""What moving collected results between processes costs: ``pack_result`` and ``unpack_result``.

Run from the repository root::

    .venv/bin/python bench/wire.py PORTFOLIO.toml            # collect it, then time the wire
    .venv/bin/python bench/wire.py PORTFOLIO.toml --rounds 5 --profile wire.prof

It collects the portfolio once in this process (serially, no cache; ``EXECBRIEF_FINGERPRINT_KEY``
or the portfolio's own key as ``execbrief collect`` would use), then packs every source result as
a collect worker does (``sourcecache.pack_result``) and unpacks each as the parent does
(``sourcecache.unpack_result``), ``--rounds`` times, and prints the CPU seconds of each side
(the fastest round: the machine may be shared), the packed bytes, and the records moved. It
checks that each unpacked result equals the one packed. ``--profile FILE`` writes a cProfile of
the rounds (pack and unpack) to FILE.

Then it reads the portfolio again on ``--jobs`` forked workers (``collecting.collect_parallel``,
as ``collect --jobs 2`` does) and prints the CPU seconds of this process meanwhile: the parent's
side of the transfer (receiving and unpacking every result), which the workers' reading does not
count in.
"""

from __future__ import annotations

import argparse
import cProfile
import resource
import sys
import time
from datetime import date
from pathlib import Path

from execbrief.collecting import Job, collect_parallel
from execbrief.config import load_config
from execbrief.pipeline import collect, fingerprint_key
from execbrief.plugins import get_registry
from execbrief.snapshot import SourceResult
from execbrief.store.sourcecache import pack_result, unpack_result


def _timed(work: object) -> float:
    start = time.process_time()
    work()  # type: ignore[operator]
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path, help="the portfolio.toml to collect")
    parser.add_argument("--as-of", default="2026-11-20", help="the collect's date")
    parser.add_argument("--rounds", type=int, default=3, help="pack and unpack this many times")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the rounds here")
    parser.add_argument("--jobs", type=int, default=2, help="workers of the parallel read")
    args = parser.parse_args(argv)

    started = time.process_time()
    registry = get_registry()
    config = load_config(args.config, registry.option_models())
    snapshot = collect(config, registry, date.fromisoformat(args.as_of))
    results: list[SourceResult] = list(snapshot.results)
    print(f"collected {len(results)} results in {time.process_time() - started:.2f} CPU s")

    packed: list[bytes] = []
    unpacked: list[SourceResult | None] = []

    def pack_all() -> None:
        packed[:] = [pack_result(result) for result in results]

    def unpack_all() -> None:
        unpacked[:] = [unpack_result(blob) for blob in packed]

    profile = cProfile.Profile() if args.profile else None
    packs, unpacks = [], []
    for _ in range(args.rounds):
        if profile:
            profile.enable()
        packs.append(_timed(pack_all))
        unpacks.append(_timed(unpack_all))
        if profile:
            profile.disable()
    if profile:
        profile.dump_stats(args.profile)
    if unpacked != results:
        print("unpacked results differ from the packed ones", file=sys.stderr)
        return 1
    records = sum(len(result.records) for result in results)
    size = sum(map(len, packed))
    print(f"{records} records, {size / 1e6:.2f} MB packed")
    print(f"pack   {min(packs):.3f} CPU s (rounds: {', '.join(f'{t:.3f}' for t in packs)})")
    print(f"unpack {min(unpacks):.3f} CPU s (rounds: {', '.join(f'{t:.3f}' for t in unpacks)})")

    job = Job(config, registry, date.fromisoformat(args.as_of), fingerprint_key(config))
    before = resource.getrusage(resource.RUSAGE_SELF)
    read = collect_parallel(job, args.jobs)
    after = resource.getrusage(resource.RUSAGE_SELF)
    parent = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    print(f"parent of {args.jobs} workers: {parent:.3f} CPU s receiving {len(read)} results")
    return 0


if __name__ == "__main__":
    sys.exit(main())
