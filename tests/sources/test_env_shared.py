"""A ``.env`` that several entities list (a portfolio's shared ``repos.env``) is read once per run
and its one finding per secret names every entity that lists it (issue 12 item 2, issue 14)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from execbrief import pipeline
from execbrief.analysis.security import analyze
from execbrief.config import Entity, NoOptions, SourceSpec, load_config
from execbrief.plugins import get_registry
from execbrief.records.secrets import EnvKey, SecretFinding
from execbrief.snapshot import Provenance, Snapshot
from execbrief.sources.base import SharedReads, SourceRequest
from execbrief.sources.envfile import EnvSource

STRIPE_LIVE = "sk_" + "live_" + "Qm3v8TzL1pXc7RwN2bYk5Hs9"
JWT_SECRET = "p4Lk9wQz2Vx8Ns1Bc6Hd3Fj7Gt5Ry0UmEa"
SHARED_ENV = f"STRIPE_SECRET_KEY={STRIPE_LIVE}\nJWT_SECRET={JWT_SECRET}\nAWS_REGION=us-east-1\nnot an assignment\n"
ENTITIES = (("shop", "Shop Co."), ("boats", "Boats Ltd"), ("labs", "Labs Inc"))

CONFIG = '[portfolio]\nname = "Shared Env Holdings"\n' + "".join(
    f'\n[[entities]]\nid = "{eid}"\nname = "{name}"\nkind = "charter"\nenv = ["repos.env"]\n'
    for eid, name in ENTITIES
)


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Snapshot:
    base = tmp_path_factory.mktemp("shared-env")
    (base / "repos.env").write_text(SHARED_ENV)
    (base / "portfolio.toml").write_text(CONFIG)
    registry = get_registry(fresh=True)
    config = load_config(base / "portfolio.toml", registry.option_models(), environ={})
    return pipeline.collect(config, registry, date(2026, 11, 20), key=b"k")


def test_one_finding_per_secret_naming_all_three_entities(collected: Snapshot) -> None:
    secrets = [f for f in analyze(collected).findings if f.rule == "security.plaintext"]
    assert len(secrets) == 2  # the Stripe key and the JWT secret, each once
    for finding in secrets:
        assert "It is the same secret for Boats Ltd, Labs Inc, Shop Co." in finding.evidence
        assert finding.provenance in (
            (Provenance("repos.env", 1),),
            (Provenance("repos.env", 2),),
        )
    stripe = next(f for f in secrets if "Stripe" in f.title)
    assert stripe.title == "Live Stripe secret key in repos.env"


def test_each_listing_keeps_its_entity_and_the_file_error_is_said_once(
    collected: Snapshot,
) -> None:
    for eid, _name in ENTITIES:
        keys = collected.records(EnvKey, eid)
        assert [k.key for k in keys] == ["STRIPE_SECRET_KEY", "JWT_SECRET", "AWS_REGION"]
        assert {r.entity for r in collected.records(SecretFinding, eid)} == {eid}
    errors = [e for e in collected.errors() if e.source_kind == "env"]
    assert len(errors) == 1  # line 4 is not KEY=value: one warning, not one per listing
    assert errors[0].provenance == Provenance("repos.env", 4) and errors[0].entity == "shop"


def _request(root: Path, eid: str, shared: SharedReads) -> SourceRequest:
    return SourceRequest(
        entity=Entity(id=eid, name=eid, kind="charter"),
        spec=SourceSpec("env", ("repos.env",), NoOptions(), "entities[0].env"),
        root=root,
        as_of=date(2026, 11, 20),
        fingerprint_key=b"k",
        shared=shared,
    )


def test_the_file_is_read_once_and_remembers_who_lists_it(tmp_path: Path) -> None:
    (tmp_path / "repos.env").write_text(SHARED_ENV)
    shared = SharedReads()
    results = [
        EnvSource().collect(_request(tmp_path, eid, shared)) for eid in ("shop", "boats", "labs")
    ]
    key = ("env", str((tmp_path / "repos.env").resolve()))
    assert shared.reads == {key: 1}
    assert shared.listed_by == {key: ["shop", "boats", "labs"]}
    fingerprints = [
        sorted(r.fingerprint for r in result.records if isinstance(r, SecretFinding))
        for result in results
    ]
    assert fingerprints[0] == fingerprints[1] == fingerprints[2] and len(fingerprints[0]) == 2
    # without a run's memo every listing reads the file (a source called on its own)
    alone = EnvSource().collect(
        SourceRequest(
            entity=Entity(id="solo", name="solo", kind="charter"),
            spec=SourceSpec("env", ("repos.env",), NoOptions(), "entities[0].env"),
            root=tmp_path,
            as_of=date(2026, 11, 20),
            fingerprint_key=b"k",
        )
    )
    assert len(alone.errors) == 1 and {r.entity for r in alone.records} == {"solo"}
