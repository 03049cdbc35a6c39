"""The env source: keys by service, secret/placeholder/empty/config, live vs test, SecretFindings
for real secrets only, allowlist, folders of .env files, bad input — and never a value."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from execbrief.config import AllowlistEntry, Entity, NoOptions, SourceSpec
from execbrief.records.secrets import EnvKey, SecretFinding
from execbrief.secrets.scanner import Scanner
from execbrief.serialization import to_jsonable
from execbrief.snapshot import SourceResult
from execbrief.sources.base import SourceRequest
from execbrief.sources.envfile import EnvSource, is_env_name, service_for

KEY = b"env-test-key"
EXAMPLES = Path(__file__).resolve().parents[2] / "src" / "execbrief" / "examples" / "harbor"
STRIPE_LIVE = "sk_" + "live_" + "u0l3zZo6N4CrCWaLFRUKbT0k"
STRIPE_TEST = "sk_" + "test_" + "72zrSM6GgeNEyg23I42s8U2G"
AWS_ID = "AKIA" + "HYVTN53C7X5FLJFQ"
AWS_SECRET = "+tMs6L79mJv+O1ujd9avbUcjSmLXPLRE2NPRkTjK"
SES_PASSWORD = "BLrDGwtJhk1/4x2hD/QpBq1nbl0neDdti5CXPnd+9ZC8"
JWT_SECRET = "j8cdxhZzPsA28NJG6N1nApDfEkowwguT3MP6vhbl6BV6ylvH"
DB_PASSWORD = "harbor-Dock-42"
VALUES = [
    STRIPE_LIVE,
    STRIPE_TEST,
    AWS_ID,
    AWS_SECRET,
    SES_PASSWORD,
    JWT_SECRET,
    DB_PASSWORD,
    "seagull",
]

ENV = f"""# deployment settings
STRIPE_SECRET_KEY={STRIPE_LIVE}
STRIPE_TEST_KEY="{STRIPE_TEST}"
export AWS_ACCESS_KEY_ID={AWS_ID}
AWS_SECRET_ACCESS_KEY = {AWS_SECRET}   # rotated 2026-10
AWS_REGION=us-east-1

SES_SMTP_PASSWORD='{SES_PASSWORD}'
JWT_SECRET={JWT_SECRET}
DB_PASSWORD={DB_PASSWORD}
TWILIO_AUTH_TOKEN=changeme
SENDGRID_API_KEY=your-api-key-here
MAILCHIMP_API_KEY=xxxxxxxxxxxxxxxxxxxx-us21
SLACK_WEBHOOK_URL=
SESSION_TTL=3600
REDIS_PASSWORD=seagull
"""


def request(
    root: Path, paths: list[str], allowlist: tuple[AllowlistEntry, ...] = ()
) -> SourceRequest:
    return SourceRequest(
        entity=Entity(id="harbor-charters", name="Harbor Charters", kind="charter"),
        spec=SourceSpec("env", tuple(paths), NoOptions(), "entities[0].env"),
        root=root,
        as_of=date(2026, 11, 20),
        fingerprint_key=KEY,
        allowlist=allowlist,
    )


def collect(
    root: Path, paths: list[str], allowlist: tuple[AllowlistEntry, ...] = ()
) -> SourceResult:
    return EnvSource().collect(request(root, paths, allowlist))


def keys(result: SourceResult) -> dict[str, tuple[int, str, str, bool | None]]:
    return {
        r.key: (r.line, r.service, r.value_kind, r.live)
        for r in result.records
        if isinstance(r, EnvKey)
    }


def test_keys_grouped_by_service_with_value_kinds(tmp_path: Path) -> None:
    (tmp_path / "app.env").write_text(ENV)
    result = collect(tmp_path, ["app.env"])
    assert result.errors == ()
    assert keys(result) == {
        "STRIPE_SECRET_KEY": (2, "stripe", "secret", True),
        "STRIPE_TEST_KEY": (3, "stripe", "secret", False),
        "AWS_ACCESS_KEY_ID": (4, "aws", "secret", None),
        "AWS_SECRET_ACCESS_KEY": (5, "aws", "secret", None),
        "AWS_REGION": (6, "aws", "config", None),
        "SES_SMTP_PASSWORD": (8, "ses", "secret", None),
        "JWT_SECRET": (9, "jwt", "secret", None),
        "DB_PASSWORD": (10, "database", "secret", None),
        "TWILIO_AUTH_TOKEN": (11, "twilio", "placeholder", None),
        "SENDGRID_API_KEY": (12, "sendgrid", "placeholder", None),
        "MAILCHIMP_API_KEY": (13, "mailchimp", "placeholder", None),
        "SLACK_WEBHOOK_URL": (14, "slack", "empty", None),
        "SESSION_TTL": (15, "app", "config", None),
        "REDIS_PASSWORD": (16, "database", "secret", None),
    }


def test_secret_findings_only_for_real_secrets_with_fingerprints(tmp_path: Path) -> None:
    (tmp_path / "app.env").write_text(ENV)
    result = collect(tmp_path, ["app.env"])
    findings = [r for r in result.records if isinstance(r, SecretFinding)]
    assert [(f.line, f.kind, f.live, f.prefix_class, f.detector) for f in findings] == [
        (2, "stripe-secret-key", True, "sk_live", "stripe"),
        (4, "aws-access-key-id", None, "AKIA", "aws"),
        (5, "aws-secret-access-key", None, None, "aws"),
        (8, "password", None, None, "assignment"),
        (9, "secret", None, None, "assignment"),
        (10, "password", None, None, "assignment"),
        (16, "password", None, None, "env-key"),
    ]
    scanner = Scanner(KEY)
    assert findings[0].fingerprint == scanner.fingerprint(STRIPE_LIVE)
    assert findings[-2].fingerprint == scanner.fingerprint(DB_PASSWORD)
    assert findings[-1].length == len("seagull")
    assert all(f.provenance.source == "app.env" and f.provenance.line == f.line for f in findings)
    env_keys = {r.key: r for r in result.records if isinstance(r, EnvKey)}
    assert env_keys["STRIPE_TEST_KEY"].fingerprint == scanner.fingerprint(STRIPE_TEST)
    assert env_keys["AWS_REGION"].fingerprint is None


def test_no_value_in_records_json_or_repr(tmp_path: Path) -> None:
    (tmp_path / "app.env").write_text(ENV + "BROKEN LINE WITH harbor-Dock-42\n")
    result = collect(tmp_path, ["app.env"])
    dumped = json.dumps(to_jsonable(result)) + repr(result)
    for value in VALUES:
        assert value not in dumped


def test_multiline_quoted_value_and_bad_lines(tmp_path: Path) -> None:
    body = "MIIEowIBAAKCAQEA1c3Kq8Hn2Lm9Xv4Rt7Wz1Yc6NQ8Lm3Kp7Rt2Vx9Zb4Wc6Yf1Hj5Gd0Se3U\n" * 2
    text = (
        'PRIVATE_KEY="-----BEGIN PRIVATE KEY-----\n'
        + body
        + '-----END PRIVATE KEY-----"\nthis line is not an assignment\nAPP_NAME=harbor\n'
    )
    (tmp_path / ".env").write_text(text)
    result = collect(tmp_path, [".env"])
    assert keys(result)["PRIVATE_KEY"] == (1, "other", "secret", None)
    assert keys(result)["APP_NAME"][0] == 6
    findings = [r for r in result.records if isinstance(r, SecretFinding)]
    assert [(f.kind, f.line) for f in findings] == [("private-key", 1)]
    [error] = result.errors
    assert error.describe() == (
        ".env:5: 1 line(s) are not KEY=value assignments (lines 5); "
        "expected KEY=value, export KEY=value or # comments"
    )
    assert error.rows_skipped == 1 and not error.fatal


def test_folder_of_env_files_and_allowlist_by_path(tmp_path: Path) -> None:
    (tmp_path / "repo" / "api").mkdir(parents=True)
    (tmp_path / "repo" / "node_modules" / "pkg").mkdir(parents=True)
    (tmp_path / "repo" / ".env").write_text(f"STRIPE_SECRET_KEY={STRIPE_LIVE}\n")
    (tmp_path / "repo" / "api" / ".env.production").write_text(f"JWT_SECRET={JWT_SECRET}\n")
    (tmp_path / "repo" / "api" / "settings.py").write_text(f"KEY = '{STRIPE_LIVE}'\n")
    (tmp_path / "repo" / "node_modules" / "pkg" / ".env").write_text(f"JWT_SECRET={JWT_SECRET}\n")
    allow = (AllowlistEntry(path="repo/api/*", reason="staging only"),)
    result = collect(tmp_path, ["repo"], allow)
    findings = [
        (r.file, r.kind, r.allowlisted) for r in result.records if isinstance(r, SecretFinding)
    ]
    assert findings == [
        ("repo/.env", "stripe-secret-key", None),
        ("repo/api/.env.production", "secret", "staging only"),
    ]


def test_allowlist_by_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "a.env").write_text(f"DB_PASSWORD={DB_PASSWORD}\n")
    fp = Scanner(KEY).fingerprint(DB_PASSWORD)
    result = collect(
        tmp_path, ["a.env"], (AllowlistEntry(fingerprint=fp, reason="shared demo db"),)
    )
    [finding] = [r for r in result.records if isinstance(r, SecretFinding)]
    assert finding.allowlisted == "shared demo db"


def test_bad_input_is_reported_and_the_rest_read(tmp_path: Path) -> None:
    (tmp_path / "good.env").write_text(f"JWT_SECRET={JWT_SECRET}\n")
    (tmp_path / "binary.env").write_bytes(b"\x00\x01\x02KEY=1")
    (tmp_path / "latin.env").write_bytes(b"A=1\nNAME=caf\xe9\n")
    (tmp_path / "empty.env").write_bytes(b"")
    (tmp_path / "folder.env").mkdir()
    result = collect(
        tmp_path, ["good.env", "binary.env", "latin.env", "empty.env", "missing.env", "folder.env"]
    )
    messages = sorted(error.describe() for error in result.errors)
    assert messages == [
        "binary.env: is a binary file (it contains NUL bytes); expected UTF-8 text",
        "folder.env: is a folder with no .env files in it; expected .env, .env.* or *.env files",
        "latin.env:2: is not valid UTF-8 (byte 0xe9 at column 9); expected UTF-8 text, it reads as Windows-1252 (Excel's plain 'CSV'): save it as 'CSV UTF-8' instead",
        "missing.env: no such file or folder; check the path in portfolio.toml (relative to it)",
    ]
    assert set(keys(result)) == {"JWT_SECRET", "A"}


def test_demo_repos_env(tmp_path: Path) -> None:
    result = collect(EXAMPLES, ["repos.env", "fixtures/stripe-sample.env"])
    assert result.errors == ()
    found = keys(result)
    secrets = sorted(k for k, v in found.items() if v[2] == "secret" and v[3] is not False)
    assert secrets == [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "DATABASE_URL",
        "GOOGLE_MAPS_API_KEY",
        "JWT_SECRET",
        "SES_SMTP_PASSWORD",
        "SES_SMTP_USERNAME",
        "STRIPE_PUBLISHABLE_KEY",
        "STRIPE_SECRET_KEY",
        "STRIPE_WEBHOOK_SECRET",
    ]  # TWILIO_ACCOUNT_SID is an identifier: the credential is the auth token beside it
    assert found["STRIPE_TEST_SECRET_KEY"][2:] == ("secret", False)
    decoys = {
        "TWILIO_AUTH_TOKEN",
        "SENDGRID_API_KEY",
        "MAILCHIMP_API_KEY",
        "ADMIN_PASSWORD",
        "SESSION_SECRET",
    }
    assert {k for k, v in found.items() if v[2] == "placeholder"} == decoys
    assert found["SLACK_WEBHOOK_URL"][2] == "empty"


def test_names_and_services() -> None:
    assert is_env_name(".env") and is_env_name(".env.local") and is_env_name("repos.env")
    assert (
        not is_env_name(".envrc")
        and not is_env_name("env.py")
        and not is_env_name(".env-example.md")
    )
    assert service_for("SES_SMTP_PASSWORD") == "ses"
    assert service_for("STRIPE_WEBHOOK_SECRET") == "stripe"
    assert service_for("DATABASE_URL") == "database"
    assert service_for("GOOGLE_MAPS_API_KEY") == "google"
    assert service_for("FOO") is None


def test_an_unterminated_quote_loses_no_following_key(tmp_path: Path) -> None:
    (tmp_path / "a.env").write_text(
        f"NAME=harbor\nJWT_SECRET='{JWT_SECRET}\nDB_PASSWORD={DB_PASSWORD}\nREGION=us-east-1\n"
    )
    result = collect(tmp_path, ["a.env"])
    assert {k: v[:3] for k, v in keys(result).items()} == {
        "NAME": (1, "other", "config"),
        "JWT_SECRET": (2, "jwt", "secret"),
        "DB_PASSWORD": (3, "database", "secret"),
        "REGION": (4, "other", "config"),
    }
    [error] = result.errors
    assert error.describe() == (
        "a.env:2: 1 quoted value(s) never close (lines 2); expected a closing quote; "
        "only the opening line was read as the value"
    )
    assert JWT_SECRET not in repr(result)


def test_a_file_of_many_bad_lines_is_read_in_bounded_memory(tmp_path: Path) -> None:
    # Every bad line number used to be kept for the message (a 183 MB file: 210 MB resident);
    # only the count and the first five are needed.
    import tracemalloc

    lines = "".join(f"not an assignment {i}\n" for i in range(100_000))
    (tmp_path / "junk.env").write_text("A=1\n" + lines + "B=2\n", encoding="utf-8")
    tracemalloc.start()
    try:
        result = EnvSource().collect(request(tmp_path, ["junk.env"]))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [r.key for r in result.records if isinstance(r, EnvKey)] == ["A", "B"]
    [error] = result.errors
    assert error.rows_skipped == 100_000
    assert error.message.startswith(
        "100000 line(s) are not KEY=value assignments (lines 2, 3, 4, 5, 6 and 99995 more)"
    )
    assert peak < 1_500_000  # the 100,000 numbers alone took about 3.5 MB


def test_a_live_stripe_prefix_is_live_even_when_the_rest_is_too_regular_for_the_rule(
    tmp_path: Path,
) -> None:
    # an outside tester's .env: a real sk_live_ key whose body the entropy test passed over
    regular = "sk_" + "live_" + "abab12ab12cdcd12ab34cdab12cd34"
    (tmp_path / "app.env").write_text(f"STRIPE_SECRET_KEY={regular}\n")
    result = collect(tmp_path, ["app.env"])
    assert keys(result)["STRIPE_SECRET_KEY"] == (1, "stripe", "secret", True)
    findings = [r for r in result.records if isinstance(r, SecretFinding)]
    # the Stripe rule itself finds it since its body floor is 2.3 bits (it was the env-key
    # fallback's): either way it is one live finding
    assert [(f.line, f.live, f.detector) for f in findings if f.line == 1] == [(1, True, "stripe")]
