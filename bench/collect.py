"""How the cost of ``collect`` grows: a synthetic portfolio at several sizes, timed in a subprocess.

Run from the repository root::

    .venv/bin/python bench/collect.py                 # 1x, 10x, 100x the demo's ledger and bookings
    .venv/bin/python bench/collect.py --scales 1 10 --entities 7

For each scale it writes a portfolio into a temp folder — N entities, each with a ledger CSV of
L rows (the house layout of docs/formats.md "Ledgers", with an opening balance and monthly balance
assertions) and a bookings CSV of M rows (docs/formats.md "Bookings": id, created, service_date,
status, amount, deposit, channel, customer) — then runs ``execbrief.pipeline.collect`` on it in a
fresh Python process (``--repeat`` times, the fastest run shown: the machine may be shared) and
reports the wall and CPU time of the collect call (CPU time is the steadier figure on a busy
machine), records per CPU second, and the
process's peak resident memory (``ru_maxrss``; it includes the interpreter and libraries, about
the "empty" row). The demo has 7 entities, about 560 bookings and 1,900 ledger rows in all, so
1x is 7 entities x 80 bookings x 270 ledger rows.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

DEMO_BOOKINGS = 80
DEMO_LEDGER_ROWS = 270
START = date(2025, 10, 1)
AS_OF = date(2026, 11, 20)
SPAN = (AS_OF - START).days
CHANNELS = ["website", "phone", "GetMyBoat", "Sailo", "referral"]
STATUSES = ["inquiry", "quoted", "booked", "completed", "completed", "completed", "cancelled"]
INCOME = ["Income:Charters", "Income:Rent", "4000 Services"]
EXPENSES = [
    "Expenses:Fuel",
    "Expenses:Insurance",
    "6100 Slip Fees",
    "Expenses:Software",
    "Expenses:Misc",
]


def write_ledger(path: Path, rows: int, rng: random.Random) -> None:
    """A house-layout ledger of ``rows`` lines spread over START..AS_OF, with monthly assertions."""
    lines = [
        "date,account,amount,memo,counterparty,reference,type",
        f"{START},Assets:Checking,50000.00,Opening balance,,,opening",
    ]
    cash = 50000 * 100
    days = sorted(START + timedelta(days=rng.randrange(SPAN)) for _ in range(rows))
    month = START.month
    for index, day in enumerate(days):
        if day.month != month:
            lines.append(
                f"{day.replace(day=1) - timedelta(days=1)},Assets:Checking,{cash / 100:.2f},Statement,,,balance"
            )
            month = day.month
        if index % 3 == 0:
            cents = rng.randrange(20_000, 200_000)
            cash += cents
            lines.append(
                f"{day},{rng.choice(INCOME)},{cents / 100:.2f},Sale {index},Stripe,BK-{index},"
            )
        else:
            cents = rng.randrange(1_000, 60_000)
            cash -= cents
            lines.append(
                f"{day},{rng.choice(EXPENSES)},{cents / 100:.2f},Purchase {index},Vendor {index % 40},,"
            )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_bookings(path: Path, rows: int, rng: random.Random) -> None:
    """A bookings CSV of ``rows`` lines in the documented columns."""
    lines = ["id,created,service_date,status,amount,deposit,channel,customer"]
    for index in range(rows):
        created = START + timedelta(days=rng.randrange(SPAN))
        service = created + timedelta(days=rng.randrange(1, 90))
        status = rng.choice(STATUSES)
        amount = "" if status == "inquiry" else f"{rng.randrange(300, 2000)}.00"
        deposit = f"{rng.randrange(50, 300)}.00" if status in ("booked", "completed") else ""
        lines.append(
            f"B-{index:07d},{created},{service},{status},{amount},{deposit},{rng.choice(CHANNELS)},Guest {index % 500}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def make_portfolio(
    root: Path, entities: int, bookings: int, ledger_rows: int, seed: int = 7
) -> Path:
    """Write a synthetic portfolio under ``root``; returns its portfolio.toml."""
    rng = random.Random(seed)
    (root / "ledgers").mkdir(parents=True, exist_ok=True)
    (root / "bookings").mkdir(parents=True, exist_ok=True)
    toml = ['[portfolio]\nname = "Bench Holdings"\ncurrency = "USD"\n']
    for index in range(entities):
        entity = f"entity-{index:03d}"
        write_ledger(root / "ledgers" / f"{entity}.csv", ledger_rows, rng)
        write_bookings(root / "bookings" / f"{entity}.csv", bookings, rng)
        toml.append(
            f'[[entities]]\nid = "{entity}"\nname = "Entity {index}"\nkind = "charter"\n'
            f'ledger = "ledgers/{entity}.csv"\nbookings = "bookings/{entity}.csv"\n'
        )
    config = root / "portfolio.toml"
    config.write_text("\n".join(toml), encoding="utf-8")
    return config


CHILD = """
import json, resource, sys, time
from datetime import date
from execbrief.config import load_config
from execbrief.plugins import get_registry
from execbrief.pipeline import collect
registry = get_registry()
config = load_config(sys.argv[1], registry.option_models())
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started, cpu = time.perf_counter(), time.process_time()
snapshot = collect(config, registry, date(2026, 11, 20), key=b"bench")
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
records = sum(len(r.records) for r in snapshot.results)
errors = sum(len(r.errors) for r in snapshot.results)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "cpu": cpu, "records": records, "errors": errors, "rss_before_kb": before, "rss_peak_kb": peak}))
"""


def measure(config: Path) -> dict[str, float]:
    """Run collect on ``config`` in a fresh interpreter; its JSON line of figures."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(config)], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--entities", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the fastest is shown")
    args = parser.parse_args()
    print(
        f"{'size':>5} {'entities':>8} {'bookings':>9} {'ledger rows':>11} {'file MB':>8} {'records':>8} {'wall s':>7} {'cpu s':>6} {'records/cpu s':>13} {'peak RSS MB':>11} {'RSS growth MB':>13}"
    )
    for scale in args.scales:
        with tempfile.TemporaryDirectory(prefix="execbrief-bench-") as tmp:
            root = Path(tmp)
            started = time.perf_counter()
            config = make_portfolio(
                root, args.entities, DEMO_BOOKINGS * scale, DEMO_LEDGER_ROWS * scale
            )
            size = sum(p.stat().st_size for p in root.rglob("*.csv")) / 1e6
            _generated = time.perf_counter() - started
            runs = [measure(config) for _ in range(args.repeat)]
            figures = min(runs, key=lambda run: run["seconds"])
        rate = figures["records"] / figures["cpu"] if figures["cpu"] else 0
        print(
            f"{scale:>4}x {args.entities:>8} {DEMO_BOOKINGS * scale * args.entities:>9} "
            f"{DEMO_LEDGER_ROWS * scale * args.entities:>11} {size:>8.1f} {figures['records']:>8} "
            f"{figures['seconds']:>7.2f} {figures['cpu']:>6.2f} {rate:>13.0f} {figures['rss_peak_kb'] / 1024:>11.0f} "
            f"{(figures['rss_peak_kb'] - figures['rss_before_kb']) / 1024:>13.0f}"
        )
        if figures["errors"]:
            print(f"      ({figures['errors']} source errors: the generator and a source disagree)")


if __name__ == "__main__":
    main()
