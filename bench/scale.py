"""How the cost of building every report grows with the portfolio, and with one big ledger.

Run from the repository root::

    .venv/bin/python bench/scale.py                      # N = 10, 100, 1000 entities
    .venv/bin/python bench/scale.py --sizes 10 100       # a quicker look
    .venv/bin/python bench/scale.py --big-ledger         # a 50 MB ledger in the demo
    .venv/bin/python bench/scale.py --sizes 100 --twice  # and a second run on the same files
    .venv/bin/python bench/scale.py --sizes 100 --profile prof.out   # cProfile the build

Portfolio mode writes a portfolio of N entities into a temp folder by replicating the bundled demo
(``execbrief/examples/harbor``): entity i is the demo's entity ``i % 7`` (so the mix of kinds is
the demo's: charters, hauling, consultancy, rental, delivery, platform), renamed ``<id>-<copy>``
with every file and folder it lists (note, ledger, bookings, timesheets, invoices, trips,
subscribers, code folders, site, CUR export, .env files) copied to a renamed path, so the sources
are the demo's own sizes and shapes. It then runs ``execbrief build --out DIR`` (every configured
report) in a fresh process and prints the wall time, the CPU time (the process and its workers),
the process's peak resident memory and the peak of the whole process tree (sampled every 20 ms:
with ``--jobs`` the workers' memory counts too). When both 100 and 1000 were measured it prints
the ratio of the 1000 cost to ten times the 100 cost (1.00 is linear).

Big-ledger mode replaces the demo's Harbor Charters ledger with one of about 50 MB (``--ledger-mb``)
in the same house layout, written from the demo's own rows: the same accounts, memos and
counterparties spread over the same months, with a statement balance at each month end that
matches the rows (so the ledger reconciles as the demo's does). It times ``execbrief collect`` and
``execbrief build`` of every report, each in a fresh process (``--collect-only``: only the collect,
e.g. for a 300 MB ledger, ``--ledger-mb 300 --collect-only``; the tree MB column is its peak
resident memory, sampled every 20 ms).

Commands run with bytecode cached under the temp folder (``child_env``), as an installed package
runs. Extra arguments after ``--`` go to every execbrief command (``-- --jobs 1``, ``-- --no-cache``).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "src" / "execbrief" / "examples" / "harbor"
EXECBRIEF = [sys.executable, "-m", "execbrief"]
AS_OF = "2026-11-20"


# --- writing a portfolio ----------------------------------------------------------------------


def toml_value(value: Any) -> str:
    """One TOML value (the kinds a portfolio.toml holds: strings, numbers, dates, lists, tables)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML for {value!r}")


def toml_key(key: str) -> str:
    """A bare key when it may be one, else a quoted key."""
    bare = key.replace("_", "").replace("-", "").isalnum()
    return key if bare else json.dumps(key)


def renamed(relative: str, copy: int) -> str:
    """``ledgers/a.csv`` -> ``ledgers/a-0003.csv``; ``code/a`` -> ``code/a-0003``."""
    path = Path(relative)
    suffix = "".join(path.suffixes)
    stem = path.name[: len(path.name) - len(suffix)] if suffix else path.name
    return str(path.with_name(f"{stem}-{copy:04d}{suffix}"))


class Replicator:
    """Copies the files one demo entity lists under renamed paths, once per copy number."""

    def __init__(self, target: Path) -> None:
        self.target = target
        self.copied: set[str] = set()

    def value(self, value: Any, copy: int) -> Any:
        """``value`` with every string naming a demo file or folder renamed (and the file copied)."""
        if isinstance(value, str) and "://" not in value and (DEMO / value).exists():
            return self.copy(value, copy)
        if isinstance(value, list):
            return [self.value(v, copy) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v, copy) for k, v in value.items()}
        return value

    def copy(self, relative: str, copy: int) -> str:
        new = renamed(relative, copy)
        if new not in self.copied:  # a file two entities list (repos.env) stays shared
            self.copied.add(new)
            source, destination = DEMO / relative, self.target / new
            destination.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, destination, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copyfile(source, destination)
        return new


def demo_header_and_entities() -> tuple[str, list[dict[str, Any]]]:
    """The demo's portfolio.toml up to its first entity (verbatim), and its entities."""
    text = (DEMO / "portfolio.toml").read_text(encoding="utf-8")
    header = text[: text.index("[[entities]]")]
    return header, tomllib.loads(text)["entities"]


def entity_toml(entity: dict[str, Any]) -> str:
    lines = ["[[entities]]"]
    lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in entity.items()]
    return "\n".join(lines) + "\n"


def make_portfolio(target: Path, count: int) -> Path:
    """A portfolio of ``count`` entities replicated from the demo; returns its portfolio.toml."""
    header, entities = demo_header_and_entities()
    replicator = Replicator(target)
    blocks = [header]
    for index in range(count):
        copy, base = divmod(index, len(entities))
        demo = entities[base]
        entity = {
            key: replicator.value(value, copy) if key not in ("id", "name", "kind") else value
            for key, value in demo.items()
        }
        entity["id"] = f"{demo['id']}-{copy:04d}"
        entity["name"] = f"{demo['name']} {copy}"
        blocks.append(entity_toml(entity))
    config = target / "portfolio.toml"
    config.write_text("\n".join(blocks), encoding="utf-8")
    return config


#: Rows ``write_big_ledger(..., planted=True)`` adds to its last month: secrets in each text column
#: (a value ``repos.env`` holds, which only its fingerprint tells; a labelled password; a live
#: Stripe key as a reference; the database password as a payee, twice), a quoted memo with a
#: comma and accents, and a long unique memo, so that redaction and the CSV reader are exercised
#: where a fast path might cut a corner. Made-up values, like the demo's.
PLANTED = (
    (
        "Expenses:Software",
        "12.00",
        "Token j8cdxhZzPsA28NJG6N1nApDfEkowwguT3MP6vhbl6BV6ylvH rotated",
        "Dev Tools",
        "",
    ),
    ("Expenses:Software", "15.00", "Admin password: Tr0ub4dor-Zq8xKw2", "IT Help", ""),
    ("Income:Charters", "100.00", "Deposit", "Stripe", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
    ("Expenses:Fuel", "20.00", "Diesel", "Ol5hcWABqUGDSBTyIA", ""),
    ("Expenses:Fuel", "21.00", "Diesel", "Ol5hcWABqUGDSBTyIA", ""),
    ("Expenses:Fuel", "-3.10", "Café, quai 3 — remboursé", "Marée Haute", "RF-9"),
    ("Expenses:Repairs", "480.00", "Hull repair " + "x" * 300, "Harbor Yard", "WO-77"),
)


def write_big_ledger(path: Path, megabytes: float, seed: int = 7, *, planted: bool = False) -> int:
    """Rewrite a house-layout demo ledger to about ``megabytes`` MB; returns its row count.

    The demo's rows are the templates: each month gets a share of rows drawn from the demo's
    rows (same accounts, memos, counterparties; references made unique), and every month ends with
    a statement balance computed from the rows, so the ledger still reconciles. ``planted`` adds
    the ``PLANTED`` rows to the last month (before its balance, which counts them).
    """
    rng = random.Random(seed)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    opening = next(r for r in rows if r["type"] == "opening")
    templates = [r for r in rows if not r["type"]]
    months = sorted({r["date"][:7] for r in templates})
    target_rows = int(megabytes * 1e6 / (path.stat().st_size / len(rows)))
    per_month = max(1, target_rows // len(months))
    out = io.StringIO()
    writer = csv.DictWriter(out, fields, lineterminator="\n")
    writer.writeheader()
    writer.writerow(opening)
    cash = Decimal(opening["amount"])
    written = 2
    for month in months:
        year, number = (int(part) for part in month.split("-"))
        first = date(year, number, 1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        days = sorted(first + timedelta(days=rng.randrange(last.day)) for _ in range(per_month))
        rows_of_month = []
        for index, day in enumerate(days):
            row = dict(rng.choice(templates), date=day.isoformat())
            if row["reference"]:
                row["reference"] = f"{row['reference']}-{month}-{index}"
            rows_of_month.append(row)
        if planted and month == months[-1]:
            for account, amount, memo, counterparty, reference in PLANTED:
                rows_of_month.append(
                    dict.fromkeys(fields, "")
                    | dict(date=last.isoformat(), account=account, amount=amount, memo=memo)
                    | dict(counterparty=counterparty, reference=reference)
                )
            written += len(PLANTED)
        for row in rows_of_month:
            amount = Decimal(row["amount"])
            cash += amount if row["account"].startswith("Income") else -amount
            writer.writerow(row)
        balance = dict.fromkeys(fields, "")
        balance.update(
            date=last.isoformat(),
            account=opening["account"],
            amount=f"{cash:.2f}",
            memo="Statement balance",
            type="balance",
        )
        writer.writerow(balance)
        written += per_month + 1
    path.write_text(out.getvalue(), encoding="utf-8")
    return written


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Figures:
    """What one command cost."""

    wall: float
    cpu: float
    peak_mb: float
    tree_peak_mb: float
    code: int


def tree_rss_kb(pid: int) -> int:
    """The resident memory of ``pid`` and all its descendants (Linux /proc), in kB."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            with open(f"/proc/{current}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            with open(f"/proc/{current}/task/{current}/children", encoding="ascii") as children:
                stack.extend(int(child) for child in children.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return total


def child_env() -> dict[str, str]:
    """The environment of a measured command: bytecode cached (outside the source tree) as an
    installed package has it, even where the shell sets PYTHONDONTWRITEBYTECODE; without it
    every run would spend a second and a half compiling execbrief before reading a file."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "execbrief-bench-pycache")
    return env


def run(command: list[str], cwd: Path) -> Figures:
    """Run ``command`` in a fresh process; its wall, CPU (with its workers) and peak memory."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=child_env()
    )
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.02):
            peak[0] = max(peak[0], tree_rss_kb(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    assert process.stderr is not None
    errors = process.stderr.read()
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    stop.set()
    sampler.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    code = process.returncode
    if code not in (0, 1):
        sys.stderr.write(errors.decode(errors="replace")[-2000:])
    return Figures(
        wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, peak[0] / 1024, code
    )


def build_command(config: Path, out: Path, extra: list[str]) -> list[str]:
    return [*EXECBRIEF, "build", "-c", str(config), "--as-of", AS_OF, "--out", str(out), *extra]


def profile_build(config: Path, out: Path, extra: list[str], destination: str) -> None:
    """cProfile one build (in a fresh process) into ``destination`` and print the top 30."""
    command = [sys.executable, "-m", "cProfile", "-o", destination, "-m", "execbrief"]
    subprocess.run([*command, *build_command(config, out, extra)[3:]], check=False, env=child_env())
    import pstats

    pstats.Stats(destination).sort_stats("cumulative").print_stats(30)


def line(label: str, figures: Figures) -> str:
    warn = "" if figures.code in (0, 1) else f"  (exit {figures.code})"
    return (
        f"{label:>16} {figures.wall:>8.2f} {figures.cpu:>8.2f} {figures.peak_mb:>9.0f} "
        f"{figures.tree_peak_mb:>10.0f}{warn}"
    )


HEAD = f"{'':>16} {'wall s':>8} {'cpu s':>8} {'peak MB':>9} {'tree MB':>10}"


def portfolio_mode(args: argparse.Namespace, extra: list[str]) -> None:
    print(HEAD)
    costs: dict[int, Figures] = {}
    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="execbrief-scale-") as tmp:
            folder = Path(tmp)
            config = make_portfolio(folder, size)
            if args.profile:
                profile_build(config, folder / "reports", extra, args.profile)
                continue
            costs[size] = first = run(build_command(config, folder / "reports", extra), folder)
            print(line(f"N={size} build", first), flush=True)
            if args.twice:
                again = run(build_command(config, folder / "again", extra), folder)
                print(line(f"N={size} again", again), f"  {first.wall / again.wall:.1f}x faster")
    if 100 in costs and 1000 in costs:
        ratio = costs[1000].wall / (10 * costs[100].wall)
        cpu_ratio = costs[1000].cpu / (10 * costs[100].cpu)
        print(f"1000 cost / (10 x 100 cost): wall {ratio:.2f}, cpu {cpu_ratio:.2f}")


def big_ledger_mode(args: argparse.Namespace, extra: list[str]) -> None:
    with tempfile.TemporaryDirectory(prefix="execbrief-ledger-") as tmp:
        folder = Path(tmp)
        shutil.copytree(DEMO, folder, dirs_exist_ok=True)
        ledger = folder / "ledgers" / "harbor-charters.csv"
        rows = write_big_ledger(ledger, args.ledger_mb)
        print(f"ledger {ledger.stat().st_size / 1e6:.1f} MB, {rows} rows")
        config = folder / "portfolio.toml"
        print(HEAD)
        collect = [*EXECBRIEF, "collect", "-c", str(config), "--as-of", AS_OF, *extra]
        if args.profile:
            profile_build(config, folder / "reports", extra, args.profile)
            return
        collected = run(collect, folder)
        print(line("collect", collected), flush=True)
        if args.collect_only:
            return
        built = run(build_command(config, folder / "reports", extra), folder)
        print(line("build", built), f"  build/collect {built.wall / collected.wall:.2f}")
        if args.twice:
            again = run(build_command(config, folder / "again", extra), folder)
            print(line("build again", again), f"  {built.wall / again.wall:.1f}x faster")


def main() -> None:
    argv = sys.argv[1:]
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--big-ledger", action="store_true", help="time a 50 MB ledger instead")
    parser.add_argument("--ledger-mb", type=float, default=50.0)
    parser.add_argument("--twice", action="store_true", help="build a second time, unchanged")
    parser.add_argument(
        "--collect-only", action="store_true", help="with --big-ledger: time collect, not build"
    )
    parser.add_argument("--profile", metavar="FILE", help="cProfile the build into FILE")
    args = parser.parse_args(argv)
    if args.big_ledger:
        big_ledger_mode(args, extra)
    else:
        portfolio_mode(args, extra)


if __name__ == "__main__":
    main()
