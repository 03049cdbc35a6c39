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


BAD_VALUES = [
    (
        '[portfolio]\nname = "X"\nas_of = 0001-01-01\n',
        "portfolio.as_of",
        "outside 1900-01-01..2999-12-31",
    ),
    (
        '[portfolio]\nname = "X"\n[reports.ceo]\nsubject = "{nope} report"\n',
        "reports.ceo.subject",
        "uses {nope}",
    ),
    (
        '[portfolio]\nname = "X"\n[reports.ceo]\nsubject = "{title"\n',
        "reports.ceo.subject",
        "not a valid template",
    ),
    (
        '[portfolio]\nname = "X"\n[reports.ceo]\nsubject = "Hi\\r\\nBcc: x@y.z"\n',
        "reports.ceo.subject",
        "must be one line",
    ),
    (
        '[portfolio]\nname = "X"\n[delivery]\nsubject_prefix = "[H]\\n"\n',
        "delivery.subject_prefix",
        "must be one line",
    ),
    (
        '[portfolio]\nname = "X"\n[reports.ceo]\nto = ["a@b.example\\nBcc: c@d.example"]\n',
        "reports.ceo.to",
        "is not an email address",
    ),
    (
        '[portfolio]\nname = "X"\n[secrets]\nallowlist = [{fingerprint = "not-hex", reason = "x"}]\n',
        "secrets.allowlist[0].fingerprint",
        "is not a fingerprint",
    ),
]


@pytest.mark.parametrize(("text", "key", "expected"), BAD_VALUES)
def test_values_send_would_trip_on_are_refused_at_load(
    tmp_path: Path, text: str, key: str, expected: str
) -> None:
    """`check` fails where `send` would: every value that goes into a header or a format call is
    validated when the config is read, with the key and what to write instead."""
    path = tmp_path / "portfolio.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    message = str(caught.value)
    assert f"{path}, {key}:" in message and expected in message
    assert "Value error" not in message


def test_a_subject_template_with_the_known_fields_and_literal_braces_is_accepted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "portfolio.toml"
    path.write_text(
        '[portfolio]\nname = "X"\n[reports.ceo]\nsubject = "{title} {{draft}} {period}"\n'
    )
    assert load_config(path).reports["ceo"].subject == "{title} {{draft}} {period}"


class NoScan(list[object]):
    """A list that refuses to be scanned: a lookup by id must not walk every entity."""

    def __iter__(self):  # type: ignore[no-untyped-def]
        raise AssertionError("the entities were scanned")


def test_entity_is_a_lookup_that_follows_changes_to_the_list(tmp_path: Path) -> None:
    extra = "".join(
        f'\n[[entities]]\nid = "unit-{n}"\nname = "Unit {n}"\nkind = "rental"\n' for n in range(3)
    )
    config = load_config(write(tmp_path, MINIMAL + extra), OPTIONS, {})
    ids = [entity.id for entity in config.entities]
    assert [config.entity(i).id for i in ids] == ids  # the places are made on first use
    entities = list(config.entities)
    config.entities = NoScan(entities)  # type: ignore[assignment]
    assert [config.entity(i).name for i in ids] == ["Harbor Charters", "Unit 0", "Unit 1", "Unit 2"]
    # a changed list is followed: an entity added, one moved to another place, one removed
    config.entities = [entities[3], entities[0], entities[2]]
    assert config.entity("harbor") is entities[0]
    assert config.entity("unit-2") is entities[3]
    with pytest.raises(KeyError):
        config.entity("unit-0")
