"""``[shared]``: one ``repos.env`` and one ``repos/`` tree for the whole portfolio, read once and
attributed to the entities whose code reads each key or whose folder holds each file."""

from __future__ import annotations

import json
import secrets
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from execbrief import pipeline
from execbrief.analysis.security import analyze
from execbrief.config import ConfigError, load_config
from execbrief.plugins import get_registry
from execbrief.records.code import CodeCoverage, Endpoint, EnvUse
from execbrief.records.secrets import EnvKey, SecretFinding
from execbrief.snapshot import Provenance, Snapshot
from execbrief.sources.codeaudit.envrefs import env_names

CONFIG = """[portfolio]
name = "Shared Holdings"
as_of = 2026-11-20

[shared]
env = "repos.env"
code = "repos/"

[[entities]]
id = "harbor-charters"
name = "Harbor Charters"
kind = "charter"

[[entities]]
id = "clean-sweep"
name = "Clean Sweep Hauling"
kind = "hauling"
code = "clean-sweep-app/"
"""

LAMBDA = """import json
import os

import stripe

stripe.api_key = os.environ["STRIPE_SECRET_KEY"]


def lambda_handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"ok": True})}
"""

NODE = """const stripe = require("stripe")(process.env.STRIPE_SECRET_KEY);
const { SES_SMTP_PASSWORD } = process.env;
exports.handler = async (event) => ({ statusCode: 200 });
"""


def _plant() -> dict[str, str]:
    return {
        "stripe": "sk_" + "live_" + secrets.token_hex(12),
        "smtp": secrets.token_urlsafe(30),
        "unused": secrets.token_urlsafe(30),
    }


def _portfolio(base: Path, planted: dict[str, str]) -> Path:
    (base / "repos.env").write_text(
        f"STRIPE_SECRET_KEY={planted['stripe']}\n"
        f"SES_SMTP_PASSWORD={planted['smtp']}\n"
        f"UNUSED_TOKEN={planted['unused']}\n"
        "AWS_REGION=us-east-1\n"
        "not an assignment\n"
    )
    tool = base / "repos" / "sites" / "harborcharters.com" / "tools" / "quote"
    tool.mkdir(parents=True)
    (tool / "lambda_function.py").write_text(LAMBDA)
    (base / "repos" / "misc").mkdir()
    (base / "repos" / "misc" / "notes.py").write_text("print('no settings here')\n")
    (base / "clean-sweep-app").mkdir()
    (base / "clean-sweep-app" / "index.js").write_text(NODE)
    (base / "portfolio.toml").write_text(CONFIG)
    return base / "portfolio.toml"


@pytest.fixture(scope="module")
def planted() -> dict[str, str]:
    return _plant()


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory, planted: dict[str, str]) -> Snapshot:
    path = _portfolio(tmp_path_factory.mktemp("shared"), planted)
    registry = get_registry(fresh=True)
    config = load_config(path, registry.option_models(), environ={})
    return pipeline.collect(config, registry, date(2026, 11, 20), key=b"k")


def test_each_key_goes_to_the_entities_whose_code_reads_it(collected: Snapshot) -> None:
    def keys(entity: str) -> list[str]:
        return [k.key for k in collected.records(EnvKey, entity)]

    assert keys("harbor-charters") == ["STRIPE_SECRET_KEY"]
    assert keys("clean-sweep") == ["STRIPE_SECRET_KEY", "SES_SMTP_PASSWORD"]
    assert keys("shared") == ["UNUSED_TOKEN", "AWS_REGION"]
    assert [(r.file, r.line) for r in collected.records(SecretFinding, "clean-sweep")] == [
        ("repos.env", 1),
        ("repos.env", 2),
    ]


def test_shared_code_goes_to_the_entity_its_folder_names(collected: Snapshot) -> None:
    harbor = collected.records(Endpoint, "harbor-charters")
    assert [e.provenance.source for e in harbor] == [
        "repos/sites/harborcharters.com/tools/quote/lambda_function.py"
    ]
    assert [u.key for u in collected.records(EnvUse, "harbor-charters")] == ["STRIPE_SECRET_KEY"]
    assert collected.records(Endpoint, "shared") == []
    coverage = {c.entity: (c.files, c.root) for c in collected.records(CodeCoverage)}
    assert coverage["harbor-charters"] == (1, "repos/sites/harborcharters.com")
    assert coverage["shared"][0] == 1  # repos/misc/notes.py


def test_the_env_is_read_once_and_its_problem_said_once(collected: Snapshot) -> None:
    errors = [e for e in collected.errors() if e.source_kind == "env"]
    assert [(e.entity, e.provenance) for e in errors] == [("shared", Provenance("repos.env", 5))]


def test_one_finding_per_secret_names_who_reads_it(collected: Snapshot) -> None:
    found = {f.title: f for f in analyze(collected).findings if f.rule == "security.plaintext"}
    stripe = found["Live Stripe secret key in repos.env"]
    assert "It is the same secret for Clean Sweep Hauling, Harbor Charters." in stripe.evidence
    unused = [f for f in found.values() if f.provenance == (Provenance("repos.env", 3),)]
    assert [f.entity for f in unused] == ["shared"]  # nobody reads it: still a finding


def test_no_planted_value_in_any_output(tmp_path: Path) -> None:
    planted = _plant()
    path = _portfolio(tmp_path, planted)
    outputs = []
    for args in (["collect", "--json"], ["build", "--report", "cto", "--format", "json"]):
        run = subprocess.run(
            [sys.executable, "-m", "execbrief", *args, "--config", str(path)],
            capture_output=True,
            text=True,
            cwd=tmp_path,
        )
        assert run.returncode in (0, 1), run.stderr
        outputs.append(run.stdout + run.stderr)
    collect = json.loads(outputs[0])
    assert "shared" in json.dumps(collect)
    for value in planted.values():
        assert all(value not in text for text in outputs)


def test_env_names_reads_each_language_once_per_file() -> None:
    text = (
        "const { A_KEY, B_KEY: b } = process.env;\n"
        "x = process.env.C_KEY; y = process.env['D_KEY']\n"
        'os.environ["E_KEY"]; os.getenv("F_KEY"); os.environ.get("G_KEY")\n'
        'ENV.fetch("H_KEY"); ENV["I_KEY"]; ${env:J_KEY} os.Getenv("K_KEY")\n'
        'config("L_KEY") process.env.C_KEY\n'
    )
    assert list(env_names(text)) == [
        ("A_KEY", 1),
        ("B_KEY", 1),
        ("C_KEY", 2),
        ("D_KEY", 2),
        ("E_KEY", 3),
        ("F_KEY", 3),
        ("G_KEY", 3),
        ("H_KEY", 4),
        ("I_KEY", 4),
        ("J_KEY", 4),
        ("K_KEY", 4),
        ("L_KEY", 5),
    ]


def test_shared_takes_only_env_and_code(tmp_path: Path) -> None:
    (tmp_path / "portfolio.toml").write_text(
        CONFIG.replace('code = "repos/"\n', 'code = "repos/"\nledger = "x.csv"\n', 1)
    )
    registry = get_registry(fresh=True)
    with pytest.raises(ConfigError, match=r"shared\.ledger.*expected a shared source kind"):
        load_config(tmp_path / "portfolio.toml", registry.option_models(), environ={})


def test_an_entity_may_not_be_called_shared(tmp_path: Path) -> None:
    (tmp_path / "portfolio.toml").write_text(CONFIG.replace('"clean-sweep"', '"shared"'))
    registry = get_registry(fresh=True)
    with pytest.raises(ConfigError, match="rename the entity"):
        load_config(tmp_path / "portfolio.toml", registry.option_models(), environ={})
