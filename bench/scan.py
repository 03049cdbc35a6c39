"""Benchmark: execbrief's secret scanner against ``detect-secrets scan`` on the same tree.

The tree is a copy of the Python standard library (``sysconfig.get_paths()["stdlib"]``, without
``site-packages`` and caches) in a temp folder, with N planted secrets of each kind and N decoys of
each kind at known file:line: lines appended to existing ``.py`` files (so every original line
keeps its number) and a few new ``.env``, YAML and PEM files. Both tools scan the whole tree in one
run; we report files/s and MB/s, recall and precision on the planted set (a plant counts as found
when the tool reports its file and line; a decoy reported is a false positive), and each tool's
hits on the untouched standard-library lines (noise, not judged: some are real test keys).

    .venv/bin/python bench/scan.py                 # whole stdlib, 5 plants per kind
    .venv/bin/python bench/scan.py -n 3 --max-mb 20

detect-secrets runs with its own multiprocessing pool (all cores); ours runs in one process.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import random
import shutil
import string
import subprocess
import sys
import sysconfig
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from execbrief.secrets.scanner import Scanner

ALNUM = string.ascii_letters + string.digits


@dataclass(frozen=True)
class Plant:
    """A planted line: where, what kind, and whether it is a real secret or a decoy."""

    file: str
    line: int
    kind: str
    secret: bool


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Maker:
    """Random-looking fake values from a seeded RNG (the same tree every run)."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def s(self, n: int, alphabet: str = ALNUM) -> str:
        return "".join(self.rng.choice(alphabet) for _ in range(n))

    def jwt(self) -> str:
        header = _b64url(b'{"alg":"HS256","typ":"JWT"}')
        payload = _b64url(
            json.dumps({"sub": self.s(10), "role": "admin", "exp": 1893456000}).encode()
        )
        return f"{header}.{payload}.{_b64url(self.rng.randbytes(32))}"

    def password(self) -> str:
        return self.s(6) + self.rng.choice("!#%&*-_") + self.s(7)


# Lines appended to existing .py files: (kind, secret?, template)
CODE_PLANTS: list[tuple[str, bool, Callable[[Maker], str]]] = [
    ("stripe", True, lambda m: f'STRIPE_API_KEY = "sk_live_{m.s(24)}"'),
    (
        "aws-id",
        True,
        lambda m: f'AWS_ACCESS_KEY_ID = "AKIA{m.s(16, string.ascii_uppercase + "234567")}"',
    ),
    ("aws-secret", True, lambda m: f'aws_secret_access_key = "{m.s(40, ALNUM + "/+")}"'),
    ("google", True, lambda m: f'MAPS_KEY = "AIza{m.s(35, ALNUM + "_-")}"'),
    ("github", True, lambda m: f'GITHUB_TOKEN = "ghp_{m.s(36)}"'),
    (
        "slack",
        True,
        lambda m: f'SLACK_BOT = "xoxb-{m.s(10, string.digits)}-{m.s(12, string.digits)}-{m.s(24)}"',
    ),
    (
        "slack-webhook",
        True,
        lambda m: (
            f'HOOK = "https://hooks.slack.com/services/T{m.s(8, string.ascii_uppercase + string.digits)}'
            f'/B{m.s(8, string.ascii_uppercase + string.digits)}/{m.s(24)}"'
        ),
    ),
    ("twilio", True, lambda m: f'TWILIO_KEY_SID = "SK{m.s(32, "0123456789abcdef")}"'),
    (
        "sendgrid",
        True,
        lambda m: f'SENDGRID = "SG.{m.s(22, ALNUM + "_-")}.{m.s(43, ALNUM + "_-")}"',
    ),
    ("jwt", True, lambda m: f'AUTH_HEADER = "Bearer {m.jwt()}"'),
    ("url", True, lambda m: f'DB_URL = "postgresql://app:{m.s(16)}@db.internal:5432/app"'),
    ("password", True, lambda m: f'db_password = "{m.password()}"'),
    (
        "password-kwarg",
        True,
        lambda m: f'conn = connect(host="db.internal", password="{m.password()}")',
    ),
    ("password-annotated", True, lambda m: f'SMTP_PASSWORD: str = "{m.password()}"'),
    ("api-key-header", True, lambda m: f'HEADERS = {{"X-Api-Key": "{m.s(40)}"}}'),
    ("decoy-stripe-test", False, lambda m: f'STRIPE_TEST_KEY = "sk_test_{m.s(24)}"'),
    ("decoy-stripe-x", False, lambda m: 'STRIPE_API_KEY = "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx"'),
    ("decoy-aws-example", False, lambda m: 'AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"'),
    ("decoy-your-key", False, lambda m: 'api_key = "your-api-key-here"'),
    ("decoy-changeme", False, lambda m: 'password = "changeme"'),
    ("decoy-env-ref", False, lambda m: 'secret = os.environ["APP_SECRET"]'),
    ("decoy-template", False, lambda m: 'token = "${GITHUB_TOKEN}"'),
    ("decoy-angle", False, lambda m: 'password = "<password>"'),
]


def copy_stdlib(dest: Path, max_mb: float | None) -> None:
    """Copy the standard library (no site-packages, caches or compiled files)."""
    source = Path(sysconfig.get_paths()["stdlib"])
    budget = None if max_mb is None else int(max_mb * 1e6)
    copied = 0
    for directory, subdirs, files in os.walk(source):
        subdirs[:] = sorted(
            d for d in subdirs if d not in {"site-packages", "__pycache__", "dist-packages"}
        )
        rel = Path(directory).relative_to(source)
        for name in sorted(files):
            src = Path(directory) / name
            if name.endswith((".pyc", ".pyo")) or src.is_symlink() or not src.is_file():
                continue
            size = src.stat().st_size
            if budget is not None and copied + size > budget:
                continue
            (dest / rel).mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest / rel / name)
            copied += size


def plant(tree: Path, per_kind: int, seed: int) -> list[Plant]:
    """Plant ``per_kind`` secrets and decoys of each kind; return where they are."""
    maker = Maker(seed)
    rng = random.Random(seed + 1)
    py_files = sorted(p for p in tree.rglob("*.py") if p.stat().st_size > 200)
    plants: list[Plant] = []
    for kind, secret, template in CODE_PLANTS:
        for _ in range(per_kind):
            path = rng.choice(py_files)
            text = path.read_text(encoding="utf-8", errors="surrogateescape")
            if not text.endswith("\n"):
                text += "\n"
            line = text.count("\n") + 1
            path.write_text(
                text + template(maker) + "\n", encoding="utf-8", errors="surrogateescape"
            )
            plants.append(Plant(path.relative_to(tree).as_posix(), line, kind, secret))
    for index in range(per_kind):
        folder = tree / "deploy" / f"service{index}"
        folder.mkdir(parents=True, exist_ok=True)
        env = [
            "# service settings",
            f"JWT_SECRET={maker.s(40)}",
            f"SMTP_PASSWORD={maker.s(44, ALNUM + '/+')}",
            f"GOOGLE_MAPS_API_KEY=AIza{maker.s(35, ALNUM + '_-')}",
            f"STRIPE_WEBHOOK_SECRET=whsec_{maker.s(32)}",
            f"export SES_SMTP_PASSWORD={maker.s(44, ALNUM + '/+')}",
            "TWILIO_AUTH_TOKEN=changeme",
            "SENDGRID_API_KEY=your-api-key-here",
            "SLACK_WEBHOOK_URL=",
            "AWS_REGION=us-east-1",
        ]
        (folder / ".env").write_text("\n".join(env) + "\n")
        rel = (folder / ".env").relative_to(tree).as_posix()
        plants += [Plant(rel, n, "env-secret", True) for n in (2, 3, 4, 5, 6)]
        plants += [Plant(rel, n, "decoy-env", False) for n in (7, 8)]
        yaml = [
            "database:",
            "  host: db.internal",
            f"  password: {maker.password()}",
            "  user: app",
            "  token: ${TOKEN}",
        ]
        (folder / "config.yaml").write_text("\n".join(yaml) + "\n")
        rel = (folder / "config.yaml").relative_to(tree).as_posix()
        plants += [Plant(rel, 3, "yaml-password", True), Plant(rel, 5, "decoy-yaml", False)]
        body = base64.b64encode(maker.rng.randbytes(600)).decode()
        pem = [
            "-----BEGIN RSA PRIVATE KEY-----",
            *(body[i : i + 64] for i in range(0, len(body), 64)),
        ]
        (folder / "deploy_key.pem").write_text(
            "\n".join([*pem, "-----END RSA PRIVATE KEY-----"]) + "\n"
        )
        plants.append(
            Plant((folder / "deploy_key.pem").relative_to(tree).as_posix(), 1, "private-key", True)
        )
    return plants


def tree_stats(tree: Path) -> tuple[int, int]:
    files = size = 0
    for directory, _subdirs, names in os.walk(tree):
        for name in names:
            files += 1
            size += (Path(directory) / name).stat().st_size
    return files, size


def run_ours(tree: Path) -> tuple[float, set[tuple[str, int]]]:
    scanner = Scanner(os.urandom(32))
    hits: set[tuple[str, int]] = set()
    start = time.perf_counter()
    for directory, subdirs, names in os.walk(tree):
        subdirs.sort()
        for name in sorted(names):
            path = Path(directory) / name
            rel = path.relative_to(tree).as_posix()
            for detection in scanner.scan_file(path, rel):
                hits.add((detection.file, detection.line))
    return time.perf_counter() - start, hits


def run_detect_secrets(tree: Path) -> tuple[float, set[tuple[str, int]]]:
    exe = shutil.which("detect-secrets") or str(Path(sys.executable).with_name("detect-secrets"))
    start = time.perf_counter()
    done = subprocess.run(
        [exe, "scan", "--all-files", "."], cwd=tree, capture_output=True, text=True, check=True
    )
    elapsed = time.perf_counter() - start
    report = json.loads(done.stdout)
    hits: set[tuple[str, int]] = set()
    for filename, found in report.get("results", {}).items():
        name = filename[2:] if filename.startswith("./") else filename
        for item in found:
            hits.add((name, int(item["line_number"])))
    return elapsed, hits


def score(hits: set[tuple[str, int]], plants: list[Plant]) -> dict[str, float | int]:
    secrets = {(p.file, p.line) for p in plants if p.secret}
    decoys = {(p.file, p.line) for p in plants if not p.secret}
    planted = secrets | decoys
    tp = len(secrets & hits)
    fp = len(decoys & hits)
    return {
        "found": tp,
        "planted": len(secrets),
        "recall": tp / len(secrets),
        "decoys_flagged": fp,
        "decoys": len(decoys),
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "noise": len(hits - planted),
    }


def missed_kinds(hits: set[tuple[str, int]], plants: list[Plant]) -> dict[str, int]:
    out: dict[str, int] = {}
    for p in plants:
        if p.secret != ((p.file, p.line) in hits):
            out[p.kind] = out.get(p.kind, 0) + 1
    return dict(sorted(out.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "-n", "--per-kind", type=int, default=5, help="plants of each kind (default 5)"
    )
    parser.add_argument(
        "--max-mb", type=float, default=None, help="copy at most this much of the stdlib"
    )
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="execbrief-bench-") as tmp:
        tree = Path(tmp) / "stdlib"
        tree.mkdir()
        copy_stdlib(tree, args.max_mb)
        plants = plant(tree, args.per_kind, args.seed)
        files, size = tree_stats(tree)
        ours_time, ours_hits = run_ours(tree)
        ds_time, ds_hits = run_detect_secrets(tree)
    mb = size / 1e6
    figures = {
        "tree": {"files": files, "mb": round(mb, 1), "planted_secrets": sum(p.secret for p in plants),
                 "planted_decoys": sum(not p.secret for p in plants)},
        "execbrief": {"seconds": round(ours_time, 2), "files_per_s": round(files / ours_time),
                      "mb_per_s": round(mb / ours_time, 2), **score(ours_hits, plants),
                      "wrong_by_kind": missed_kinds(ours_hits, plants)},
        "detect_secrets": {"seconds": round(ds_time, 2), "files_per_s": round(files / ds_time),
                           "mb_per_s": round(mb / ds_time, 2), **score(ds_hits, plants),
                           "wrong_by_kind": missed_kinds(ds_hits, plants)},
    }  # fmt: skip
    figures["speedup"] = round(ds_time / ours_time, 1)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    t = figures["tree"]
    print(
        f"tree: {t['files']} files, {t['mb']} MB, {t['planted_secrets']} planted secrets, {t['planted_decoys']} decoys"
    )
    print(
        f"{'tool':16} {'seconds':>8} {'files/s':>8} {'MB/s':>7} {'recall':>7} {'precision':>9} {'decoys hit':>10} {'noise':>6}"
    )
    for name in ("execbrief", "detect_secrets"):
        f = figures[name]
        print(
            f"{name:16} {f['seconds']:>8} {f['files_per_s']:>8} {f['mb_per_s']:>7} {f['recall']:>7.2f} "
            f"{f['precision']:>9.2f} {f['decoys_flagged']:>4}/{f['decoys']:<5} {f['noise']:>6}"
        )
    print(f"speed-up: {figures['speedup']}x")
    for name in ("execbrief", "detect_secrets"):
        print(
            f"{name} wrong (missed secret or flagged decoy) by kind: {figures[name]['wrong_by_kind']}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
