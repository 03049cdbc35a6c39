"""portfolio.toml validation: errors name the file and the key path; env overrides; plugin keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from execbrief.config import NoOptions, OptionModels, load_config
from execbrief.errors import ConfigError

MINIMAL = """
[portfolio]
name = "Harbor Holdings"

[[entities]]
id = "harbor"
name = "Harbor Charters"
kind = "charter"
"""


class LedgerOptions(BaseModel):
    model_config = ConfigDict(extra="forbid")
    date_format: str = "%Y-%m-%d"


OPTIONS = OptionModels(
    sources={"ledger": LedgerOptions, "handoff": NoOptions},
    reports={"ceo": NoOptions},
    transports={"outbox": NoOptions},
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "portfolio.toml"
    path.write_text(text)
    return path


def error_of(path: Path, environ: dict[str, str] | None = None) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(path, OPTIONS, environ or {})
    assert caught.value.exit_code == 2
    return caught.value


def test_minimal_config_and_relative_paths(tmp_path: Path) -> None:
    path = write(
        tmp_path, MINIMAL + 'ledger = { path = "books/ledger.csv", date_format = "%d/%m/%Y" }\n'
    )
    config = load_config(path, OPTIONS, {})
    entity = config.entity("harbor")
    spec = entity.sources["ledger"]
    assert spec.paths == ("books/ledger.csv",)
    assert spec.options == LedgerOptions(date_format="%d/%m/%Y")
    assert config.resolve(spec.paths[0]) == tmp_path.resolve() / "books/ledger.csv"
    assert config.delivery.transport == "outbox"
    assert config.store_path == tmp_path.resolve() / ".execbrief/execbrief.db"


def test_wrong_kind_names_key_and_expected_values(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + '\n[[entities]]\nid = "b"\nname = "B"\nkind = "charter"\n\n[[entities]]\nid = "c"\nname = "C"\nkind = "boat"\n'
    )
    error = error_of(write(tmp_path, text))
    assert error.key == "entities[2].kind"
    assert str(tmp_path / "portfolio.toml") in str(error)
    assert "'charter'" in str(error) and "'boat'" in str(error)


@pytest.mark.parametrize(
    ("snippet", "key", "hint"),
    [
        ('ledgr = "x.csv"\n', "entities[0].ledgr", "did you mean 'ledger'"),
        (
            'ledger = { path = "x.csv", date_fromat = "x" }\n',
            "entities[0].ledger.date_fromat",
            "did you mean 'date_format'",
        ),
        ("ledger = 3\n", "entities[0].ledger", "expected a path"),
        ('ledger = { path = "a", paths = ["b"] }\n', "entities[0].ledger", "either path or paths"),
    ],
)
def test_entity_source_errors(tmp_path: Path, snippet: str, key: str, hint: str) -> None:
    error = error_of(write(tmp_path, MINIMAL + snippet))
    assert error.key == key
    assert hint in str(error)


def test_unknown_top_level_and_missing_keys(tmp_path: Path) -> None:
    assert "did you mean 'name'" in str(error_of(write(tmp_path, '[portfolio]\nnmae = "x"\n')))
    error = error_of(write(tmp_path, "[delivery]\n"))
    assert error.key == "portfolio" and "required" in str(error)


def test_bad_email_and_unknown_report(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, MINIMAL + '\n[reports.ceo]\nto = ["not an address"]\n'))
    assert error.key == "reports.ceo.to"
    error = error_of(write(tmp_path, MINIMAL + '\n[reports.cfoo]\nto = ["a@b.example"]\n'))
    assert error.key == "reports.cfoo"


def test_duplicate_entity_id(tmp_path: Path) -> None:
    error = error_of(
        write(tmp_path, MINIMAL + MINIMAL.split("\n", 3)[3].replace("[portfolio]", ""))
    )
    assert "duplicate entity id 'harbor'" in str(error)


def test_broken_toml_names_line(tmp_path: Path) -> None:
    error = error_of(write(tmp_path, '[portfolio]\nname = "x\n'))
    assert "not valid TOML" in str(error) and "line 2" in str(error)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert "no such file" in str(error_of(tmp_path / "nope.toml"))
    assert "is a folder" in str(error_of(tmp_path))


def test_environment_overrides_delivery(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, MINIMAL), OPTIONS, {"EXECBRIEF_SENDER": "env@harbor.example"}
    )
    assert config.delivery.sender == "env@harbor.example"
    error = error_of(write(tmp_path, MINIMAL), {"EXECBRIEF_TRANSPORT": "pigeon"})
    assert error.key == "delivery.transport"
