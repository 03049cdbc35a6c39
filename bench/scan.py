"""Benchmark: execbrief's secret scanner beside detect-secrets and CredSweeper on the same tree.

The tree is ``--repos`` generated repositories (dotfiles such as ``.bashrc``, ``.s3cfg``,
``.my.cnf``, ``.netrc``, ``.pgpass``, ``.git-credentials``; ``.vscode`` and ``.idea`` folders;
Django ``settings.py``, WordPress ``wp-config.php``, Rails ``config/master.key``; CI files; Docker
``config.json``; ``.npmrc``; ``.env`` trees including ``config/env/production.env``; YAML, JSON
and XML configs; lockfiles and i18n files) with secrets planted at known lines, fresh random values
each run (hex, base64 including a leading ``/``, mixed alphanumerics, symbols including
``<>()!{}``, letter-first and digit-first, lower and upper case) and decoys (placeholders,
``changeme``, ``sk_test_``, variable references, lockfile hashes, UUIDs, versions, paths, i18n
strings). Beside it lies a copy of part of the standard library (``--background-mb``), for
throughput and for noise.

Every tool scans the whole tree in one run. Recall: planted secrets with a hit on their line(s).
Precision: of the hits in generated files, those on a planted secret (every other line there is
known to hold none). MB/s over the whole tree. CredSweeper runs when ``$CREDSWEEPER`` or
``credsweeper`` on the PATH names it (it pins its own dependencies: install it in a separate
environment); otherwise it is skipped with a message.

    .venv/bin/python bench/scan.py                          # 40 repositories + 20 MB stdlib
    CREDSWEEPER=/tmp/cs/bin/credsweeper .venv/bin/python bench/scan.py --seed 1 --explain

detect-secrets runs with its own multiprocessing pool (all cores); ours runs in one process;
CredSweeper runs with ``--jobs 1``.
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
from execbrief.sources.codeaudit.walk import walk

ALNUM = string.ascii_letters + string.digits


@dataclass(frozen=True)
class Plant:
    """A planted line: where, what kind, and whether it is a real secret or a decoy."""

    file: str
    line: int
    kind: str
    secret: bool
    span: int = 1  # lines a multi-line secret covers (a private-key block): a hit on any counts


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


# ============================================================================================
# The realistic-repository corpus: dotfiles, IDE folders, framework settings, CI, Docker, npm,
# .env trees, YAML/JSON/XML configs, lockfiles and i18n files, with planted secrets and decoys.

HEX = "0123456789abcdef"
LOWER_ALNUM = string.ascii_lowercase + string.digits
UPPER_ALNUM = string.ascii_uppercase + string.digits
B64 = ALNUM + "+/"
#: symbols a password may hold where it is quoted, and where it is bare (no shell or comment meta)
SYMBOLS_QUOTED = "<>()!{}[]@#$%^&*-_=+:;,.?~|/"
SYMBOLS_BARE = "<>()!{}[]@%^*-_=+:,.?~/"
DJANGO = "abcdefghijklmnopqrstuvwxyz0123456789!@#$%^&*(-_=+)"
WORDPRESS = ALNUM + "!@#$%^&*()-_ []{}<>~`+=,.;:/?|"


@dataclass(frozen=True)
class Line:
    """One line of a generated file; ``kind`` set for a planted secret (``secret``) or decoy."""

    text: str
    kind: str | None = None
    secret: bool = False
    span: int = 1  # lines the secret covers (a private-key block)


def S(kind: str, text: str, span: int = 1) -> Line:
    return Line(text, kind, True, span)


def D(kind: str, text: str) -> Line:
    return Line(text, kind, False)


class Values(Maker):
    """Fresh random values of many shapes."""

    def hex(self, n: int = 32, upper: bool = False) -> str:
        v = self.s(n, HEX)
        return v.upper() if upper else v

    def letter_first(self, n: int, alphabet: str) -> str:
        letters = "".join(c for c in alphabet if c.isalpha())
        return self.rng.choice(letters) + self.s(n - 1, alphabet)

    def digit_first(self, n: int, alphabet: str) -> str:
        return self.rng.choice(string.digits) + self.s(n - 1, alphabet)

    def b64(self, nbytes: int = 32, slash_first: bool = False, url: bool = False) -> str:
        while True:
            raw = self.rng.randbytes(nbytes)
            v = base64.urlsafe_b64encode(raw).decode() if url else base64.b64encode(raw).decode()
            if not slash_first or v.startswith("/"):
                return v
            v = "/" + v[1:]
            return v

    def password(self, bare: bool = False) -> str:
        symbols = SYMBOLS_BARE if bare else SYMBOLS_QUOTED
        n = self.rng.randint(12, 24)
        chars = [self.rng.choice(ALNUM + symbols) for _ in range(n)]
        chars[self.rng.randrange(n)] = self.rng.choice("<>(){}!")  # the characters that hurt
        return "".join(chars)

    def wordish(self) -> str:
        """A human password: a pronounceable lower-case word and digits (``hunter22``)."""
        cons, vow = "bcdfghjklmnprstvz", "aeiou"
        word = "".join(self.rng.choice(cons) + self.rng.choice(vow) for _ in range(3))
        return word + self.s(self.rng.randint(2, 4), string.digits)

    def uuid(self) -> str:
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def generic(self, bare: bool = False) -> str:
        """A secret of a random shape."""
        shape = self.rng.randrange(11)
        n = self.rng.randint(20, 48)
        return [
            lambda: self.hex(self.rng.choice((32, 40, 64))),
            lambda: self.hex(32, upper=True),
            lambda: self.b64(self.rng.choice((24, 32, 48))),
            lambda: self.b64(32, slash_first=True),
            lambda: self.b64(32, url=True).rstrip("="),
            lambda: self.s(n),
            lambda: self.letter_first(n, LOWER_ALNUM),
            lambda: self.letter_first(n, UPPER_ALNUM),
            lambda: self.digit_first(n, LOWER_ALNUM),
            lambda: self.password(bare),
            lambda: self.letter_first(n, HEX),
        ][shape]()

    def pem_block(self, label: str) -> list[str]:
        body = base64.b64encode(self.rng.randbytes(self.rng.choice((600, 900, 1200)))).decode()
        return [
            f"-----BEGIN {label}-----",
            *(body[i : i + 64] for i in range(0, len(body), 64)),
            f"-----END {label}-----",
        ]

    def putty(self) -> list[str]:
        body = base64.b64encode(self.rng.randbytes(700)).decode()
        public = base64.b64encode(self.rng.randbytes(270)).decode()
        pub_lines = [public[i : i + 64] for i in range(0, len(public), 64)]
        priv_lines = [body[i : i + 64] for i in range(0, len(body), 64)]
        return [
            "PuTTY-User-Key-File-3: ssh-rsa",
            "Encryption: none",
            f"Comment: rsa-key-2024{self.s(4, string.digits)}",
            f"Public-Lines: {len(pub_lines)}",
            *pub_lines,
            f"Private-Lines: {len(priv_lines)}",
            *priv_lines,
            f"Private-MAC: {self.hex(64)}",
        ]


def _name(v: Values, names: tuple[str, ...]) -> str:
    return v.rng.choice(names)


SECRET_NAMES = (
    "JWT_SECRET", "SECRET_KEY", "APP_SECRET", "STRIPE_KEY", "HMAC_KEY", "SESSION_KEY",
    "FERNET_KEY", "ENCRYPTION_KEY", "SIGNING_KEY", "API_KEY", "API_TOKEN", "ACCESS_TOKEN",
    "CLIENT_SECRET", "WEBHOOK_SECRET", "COOKIE_SECRET", "SECRET_KEY_BASE", "PASSWORD_SALT",
    "NONCE_KEY", "AUTH_SALT", "MASTER_KEY", "SENTRY_AUTH_TOKEN", "AUTH", "PRIVATE_TOKEN",
    "REFRESH_TOKEN", "APP_KEY", "LICENSE_KEY", "CONSUMER_SECRET", "ENCRYPTION_PASSPHRASE",
)  # fmt: skip
PASSWORD_NAMES = (
    "DB_PASSWORD", "DB_PASS", "POSTGRES_PASSWORD", "MYSQL_ROOT_PASSWORD", "REDIS_PASSWORD",
    "SMTP_PASSWORD", "ADMIN_PASS", "DEPLOY_PASSWORD", "LDAP_BIND_PASSWORD", "MAIL_PASSWORD",
    "RABBITMQ_DEFAULT_PASS", "FTP_PASS", "PASS", "DATABASE_PASSWORD", "KEYSTORE_PASSWORD",
)  # fmt: skip


def env_decoys(v: Values) -> list[Line]:
    """Settings that look near secrets but are not."""
    pool = [
        D("placeholder", f"{_name(v, PASSWORD_NAMES)}=changeme"),
        D("placeholder", f"{_name(v, SECRET_NAMES)}=your-secret-here"),
        D("placeholder", f"{_name(v, SECRET_NAMES)}=<{_name(v, SECRET_NAMES).lower()}>"),
        D("placeholder", f"{_name(v, SECRET_NAMES)}=xxxxxxxxxxxxxxxxxxxx"),
        D("placeholder", f"{_name(v, SECRET_NAMES)}=REPLACE_ME"),
        D("var-reference", f"{_name(v, SECRET_NAMES)}=${{{_name(v, SECRET_NAMES)}}}"),
        D("var-reference", f"{_name(v, PASSWORD_NAMES)}=$DB_PASSWORD_FROM_VAULT"),
        D("stripe-test", f"STRIPE_SECRET_KEY=sk_test_{v.s(24)}"),
        D("stripe-test", f"STRIPE_PUBLISHABLE_KEY=pk_test_{v.s(24)}"),
        D("uuid", f"TENANT_ID={v.uuid()}"),
        D("uuid", f"REQUEST_ID={v.uuid()}"),
        D("version", f"APP_VERSION={v.rng.randint(1, 9)}.{v.rng.randint(0, 30)}.{v.rng.randint(0, 99)}"),
        D("path", "SECRET_KEY_FILE=/run/secrets/secret_key"),
        D("path", f"{_name(v, PASSWORD_NAMES)}_FILE=/etc/app/{v.wordish()}.pass"),
        D("setting", "TOKEN_TTL=3600"),
        D("setting", "PASSWORD_MIN_LENGTH=12"),
        D("setting", "JWT_ALGORITHM=HS256"),
        D("setting", "SESSION_COOKIE_NAME=sessionid"),
        D("setting", "AUTH_PROVIDER=google"),
        D("setting", "PASSWORD_HASHER=argon2"),
        D("hash", f"GIT_SHA={v.hex(40)}"),
        D("hash", f"ADMIN_PASSWORD_HASH=$2b$12${v.s(53, ALNUM + './')}"),
        D("identifier", f"TWILIO_ACCOUNT_SID=AC{v.hex(32)}"),
        D("identifier", f"GOOGLE_CLIENT_ID={v.s(12, string.digits)}-{v.s(32, LOWER_ALNUM)}.apps.googleusercontent.com"),
        D("identifier", f"AWS_REGION={v.rng.choice(('us-east-1', 'eu-west-1', 'ap-southeast-2'))}"),
        D("empty", f"{_name(v, SECRET_NAMES)}="),
    ]  # fmt: skip
    return v.rng.sample(pool, 6)


def env_file(v: Values) -> list[Line]:
    lines = [Line("# generated settings"), Line(f"APP_NAME={v.wordish()}"), Line("DEBUG=false")]
    for _ in range(v.rng.randint(3, 6)):
        name = _name(v, SECRET_NAMES + PASSWORD_NAMES)
        value = v.wordish() if name in PASSWORD_NAMES and v.rng.random() < 0.2 else v.generic(True)
        quote = v.rng.choice(("", "", '"', "'"))
        lines.append(S("env", f"{name}={quote}{value}{quote}"))
    lines.append(S("mailgun", f"MAILGUN_KEY=key-{v.hex(32)}"))
    lines += env_decoys(v)
    v.rng.shuffle(lines)
    return lines


def shell_rc(v: Values) -> list[Line]:
    return [
        Line("# ~/.bashrc"),
        Line('export PATH="$HOME/bin:$PATH"'),
        Line("alias ll='ls -la'"),
        S("shell", f"export GITHUB_TOKEN=ghp_{v.s(36)}"),
        S("shell", f"export {_name(v, SECRET_NAMES)}={v.generic(True).replace('(', '').replace(')', '').replace('<', '').replace('>', '')}"),
        S("shell", f"export {_name(v, PASSWORD_NAMES)}='{v.password().replace(chr(39), '')}'"),
        S("shell", f"export AWS_SECRET_ACCESS_KEY={v.s(40, B64)}"),
        D("var-reference", 'export API_TOKEN="$(pass show api/token)"'),
        D("var-reference", "export DB_PASSWORD=$VAULT_DB_PASSWORD"),
        Line("export EDITOR=vim"),
    ]  # fmt: skip


def s3cfg(v: Values) -> list[Line]:
    return [
        Line("[default]"),
        S("aws-id", f"access_key = AKIA{v.s(16, string.ascii_uppercase + '234567')}"),
        S("s3cfg", f"secret_key = {v.s(40, B64)}"),
        Line("host_base = s3.amazonaws.com"),
        Line("use_https = True"),
        D("empty", "access_token = "),
        D("setting", "gpg_passphrase = "),
    ]


def aws_credentials(v: Values) -> list[Line]:
    return [
        Line("[default]"),
        S("aws-id", f"aws_access_key_id = AKIA{v.s(16, string.ascii_uppercase + '234567')}"),
        S("aws-secret", f"aws_secret_access_key = {v.s(40, B64)}"),
        Line("region = eu-west-1"),
    ]


def my_cnf(v: Values) -> list[Line]:
    return [
        Line("[client]"),
        Line("user=root"),
        S("my.cnf", f"password={v.generic(True)}"),
        Line("host=127.0.0.1"),
        Line("[mysqldump]"),
        D("setting", "password-file=/etc/mysql/debian.cnf"),
    ]


def netrc(v: Values) -> list[Line]:
    return [
        S("netrc", f"machine api.heroku.com login ops@{v.wordish()}.io password {v.uuid()}"),
        S("netrc", f"machine git.{v.wordish()}.com login deploy password {v.generic(True)}"),
        D("placeholder", "machine example.com login user password changeme"),
    ]


def pgpass(v: Values) -> list[Line]:
    return [
        S("pgpass", f"db.internal:5432:app:app:{v.generic(True).replace(':', '')}"),
        S("pgpass", f"*:*:*:postgres:{v.wordish()}"),
    ]


def git_credentials(v: Values) -> list[Line]:
    return [
        S("git-credentials", f"https://{v.wordish()}:ghp_{v.s(36)}@github.com"),
        S("git-credentials", f"https://oauth2:glpat-{v.s(20, ALNUM + '-_')}@gitlab.com"),
    ]


def docker_config(v: Values) -> list[Line]:
    auth = base64.b64encode(f"{v.wordish()}:{v.generic(True)}".encode()).decode()
    return [
        Line("{"),
        Line('  "auths": {'),
        Line('    "https://index.docker.io/v1/": {'),
        S("docker-auth", f'      "auth": "{auth}"'),
        Line("    },"),
        Line('    "ghcr.io": {'),
        S("docker-hub", f'      "identitytoken": "dckr_pat_{v.s(27, ALNUM + "-_")}"'),
        Line("    }"),
        Line("  },"),
        D("setting", '  "credsStore": "desktop"'),
        Line("}"),
    ]


def npmrc(v: Values) -> list[Line]:
    auth = base64.b64encode(f"{v.wordish()}:{v.generic(True)}".encode()).decode()
    return [
        Line("registry=https://registry.npmjs.org/"),
        S("npm", f"//registry.npmjs.org/:_authToken=npm_{v.s(36)}"),
        S("npmrc-auth", f"_auth={auth}"),
        S("npmrc-auth", f"//npm.{v.wordish()}.io/:_authToken={v.uuid()}"),
        D("var-reference", "//npm.pkg.github.com/:_authToken=${NPM_TOKEN}"),
        Line("always-auth=true"),
    ]


def pypirc(v: Values) -> list[Line]:
    return [
        Line("[pypi]"),
        Line("username = __token__"),
        S("pypi", f"password = pypi-AgEIcHlwaS5vcmc{v.s(60, ALNUM + '-_')}"),
    ]


def vscode_settings(v: Values) -> list[Line]:
    return [
        Line("{"),
        Line('    "name": "production",'),
        Line('    "host": "deploy.internal",'),
        Line('    "protocol": "sftp",'),
        Line('    "username": "deploy",'),
        S("vscode", f'    "password": "{v.password().replace(chr(34), "")}",'),
        D("i18n-ish", '    "passwordPrompt": "Enter the deploy password",'),
        D("setting", '    "remotePath": "/var/www/app",'),
        Line('    "uploadOnSave": true'),
        Line("}"),
    ]


def idea_datasources(v: Values) -> list[Line]:
    pw = v.generic().replace('"', "").replace("&", "").replace("<", "").replace(">", "")
    return [
        Line('<?xml version="1.0" encoding="UTF-8"?>'),
        Line('<project version="4">'),
        Line('  <component name="DataSourceManagerImpl" format="xml">'),
        Line('    <data-source source="LOCAL" name="prod" uuid="' + v.uuid() + '">'),
        Line("      <jdbc-url>jdbc:postgresql://db.internal:5432/app</jdbc-url>"),
        S("xml-attr", f'      <property name="password" value="{pw}" />'),
        D("uuid", f'      <option name="id" value="{v.uuid()}" />'),
        Line("    </data-source>"),
        Line("  </component>"),
        Line("</project>"),
    ]


def filezilla(v: Values) -> list[Line]:
    pw = base64.b64encode(v.generic().encode()).decode()
    return [
        Line('<?xml version="1.0" encoding="UTF-8"?>'),
        Line("<FileZilla3>"),
        Line("  <Servers><Server>"),
        Line("    <Host>ftp.internal</Host>"),
        Line("    <User>deploy</User>"),
        S("xml-pass", f'    <Pass encoding="base64">{pw}</Pass>'),
        Line("  </Server></Servers>"),
        Line("</FileZilla3>"),
    ]


def web_config(v: Values) -> list[Line]:
    return [
        Line("<configuration>"),
        Line("  <appSettings>"),
        S("xml-attr", f'    <add key="ApiKey" value="{v.s(32)}" />'),
        S("xml-attr", f'    <add key="SmtpPassword" value="{v.wordish()}" />'),
        D("setting", '    <add key="ApiUrl" value="https://api.internal/v2" />'),
        D("placeholder", '    <add key="ClientSecret" value="[set in Azure]" />'),
        Line("  </appSettings>"),
        S("xml-conn", f'  <add name="db" connectionString="Server=db;User Id=sa;Password={v.s(18)};" />'),
        S("xml-elem", f"  <password>{v.generic().replace('<', '').replace('>', '').replace('&', '')}</password>"),
        Line("</configuration>"),
    ]  # fmt: skip


def django_settings(v: Values) -> list[Line]:
    key = v.s(50, DJANGO)
    return [
        Line("from pathlib import Path"),
        Line("BASE_DIR = Path(__file__).resolve().parent.parent"),
        S("django", f"SECRET_KEY = 'django-insecure-{key}'" if v.rng.random() < 0.3 else f"SECRET_KEY = '{key}'"),
        Line("DEBUG = False"),
        Line("DATABASES = {"),
        Line("    'default': {"),
        Line("        'ENGINE': 'django.db.backends.postgresql',"),
        Line("        'USER': 'app',"),
        S("django", f"        'PASSWORD': '{v.wordish() if v.rng.random() < 0.3 else v.generic().replace(chr(39), '')}',"),
        Line("    }"),
        Line("}"),
        S("code-kwarg", f'EMAIL_HOST_PASSWORD = "{v.generic().replace(chr(34), "")}"'),
        D("var-reference", "AWS_SECRET_ACCESS_KEY = os.environ['AWS_SECRET_ACCESS_KEY']"),
        D("var-reference", 'STRIPE_KEY = env("STRIPE_KEY")'),
        D("code", "PASSWORD_HASHERS = ['django.contrib.auth.hashers.Argon2PasswordHasher']"),
        D("code", "AUTH_PASSWORD_VALIDATORS = []"),
        D("code", 'CSRF_COOKIE_NAME = "csrftoken"'),
        D("code", 'SESSION_ENGINE = "django.contrib.sessions.backends.db"'),
    ]  # fmt: skip


def wp_config(v: Values) -> list[Line]:
    lines = [
        Line("<?php"),
        Line("define( 'DB_NAME', 'wordpress' );"),
        Line("define( 'DB_USER', 'wp' );"),
    ]
    lines.append(
        S(
            "wordpress",
            f"define( 'DB_PASSWORD', '{v.generic().replace(chr(39), '').replace(chr(92), '')}' );",
        )
    )
    for name in (
        "AUTH_KEY",
        "SECURE_AUTH_KEY",
        "LOGGED_IN_KEY",
        "NONCE_KEY",
        "AUTH_SALT",
        "SECURE_AUTH_SALT",
        "LOGGED_IN_SALT",
        "NONCE_SALT",
    ):
        lines.append(S("wordpress", f"define( '{name}', '{v.s(64, WORDPRESS)}' );"))
    lines.append(D("placeholder", "define( 'WP_CACHE_KEY_SALT', 'put your unique phrase here' );"))
    lines.append(Line("$table_prefix = 'wp_';"))
    return lines  # fmt: skip


def rails(v: Values) -> dict[str, list[Line]]:
    return {
        "config/master.key": [S("rails-master-key", v.hex(32))],
        "config/database.yml": [
            Line("production:"),
            Line("  adapter: postgresql"),
            Line("  username: app"),
            S("yaml", f"  password: {v.generic(True)}"),
            D("var-reference", "  host: <%= ENV['DB_HOST'] %>"),
            D("var-reference", "  password: <%= ENV['DATABASE_PASSWORD'] %>"),
        ],
        "config/secrets.yml": [
            Line("production:"),
            S("yaml", f"  secret_key_base: {v.hex(128)}"),
            D("var-reference", '  api_key: <%= ENV["API_KEY"] %>'),
        ],
    }


def ci_workflow(v: Values) -> list[Line]:
    return [
        Line("name: deploy"),
        Line("on: [push]"),
        Line("jobs:"),
        Line("  deploy:"),
        Line("    runs-on: ubuntu-latest"),
        Line("    env:"),
        S("ci", f"      DEPLOY_TOKEN: {v.generic(True)}"),
        D("var-reference", "      NPM_TOKEN: ${{ secrets.NPM_TOKEN }}"),
        D("var-reference", "      DOCKER_PASSWORD: ${{ secrets.DOCKER_PASSWORD }}"),
        S("ci", f'      HEROKU_API_KEY: "{v.uuid()}"'),
        Line("    steps:"),
        Line("      - uses: actions/checkout@v4"),
        D("version", "      - uses: actions/setup-node@v4"),
        S(
            "ci",
            f"      - run: curl -H 'Authorization: token ghp_{v.s(36)}' https://api.github.com/user",
        ),
    ]


def gitlab_ci(v: Values) -> list[Line]:
    return [
        Line("variables:"),
        S("ci", f"  SONAR_TOKEN: {v.hex(40)}"),
        D("var-reference", "  REGISTRY_PASSWORD: $CI_REGISTRY_PASSWORD"),
        S("ci", f'  PYPI_PASSWORD: "pypi-AgEIcHlwaS5vcmc{v.s(60, ALNUM + "-_")}"'),
        Line("deploy:"),
        Line("  script:"),
        S("ci", f"    - docker login -u deploy -p {v.s(24)} registry.internal"),
    ]


def yaml_config(v: Values) -> list[Line]:
    return [
        Line("app:"),
        Line("  name: billing"),
        Line("  smtp:"),
        Line("    host: smtp.internal"),
        S("yaml", f"    password: {v.generic(True)}"),
        S("yaml", f'    api_key: "{v.generic().replace(chr(34), "")}"'),
        D("placeholder", "    token: changeme"),
        D("var-reference", "    secret: ${APP_SECRET}"),
        D("var-reference", '    client_secret: "{{ vault_client_secret }}"'),
        D("setting", "    token_expiry: 3600"),
        D("path", "    private_key: /etc/ssl/private/app.key"),
        D("i18n", "    password_help: Use at least twelve characters"),
        S("provider", f"  slack_webhook: https://hooks.slack.com/services/T{v.s(8, UPPER_ALNUM)}/B{v.s(10, UPPER_ALNUM)}/{v.s(24)}"),
        S("provider", f"  mailchimp_api_key: {v.hex(32)}-us{v.rng.randint(1, 21)}"),
    ]  # fmt: skip


def json_config(v: Values) -> list[Line]:
    return [
        Line("{"),
        S("json", f'  "apiKey": "{v.generic().replace(chr(34), "").replace(chr(92), "")}",'),
        S("json", f'  "authToken": "{v.letter_first(40, LOWER_ALNUM)}",'),
        S("provider", f'  "sendgrid": "SG.{v.s(22, ALNUM + "-_")}.{v.s(43, ALNUM + "-_")}",'),
        S("provider", f'  "shopifyToken": "shpat_{v.hex(32)}",'),
        S("provider", f'  "squareAccessToken": "EAAA{v.s(60, ALNUM + "-_")}",'),
        S("provider", f'  "braintree": "access_token$production${v.s(16, LOWER_ALNUM)}${v.hex(32)}",'),
        S("provider", f'  "slackBot": "xoxb-{v.s(11, string.digits)}-{v.s(13, string.digits)}-{v.s(24)}",'),
        S("provider", f'  "mapsKey": "AIza{v.s(35, ALNUM + "_-")}",'),
        D("uuid", f'  "installationId": "{v.uuid()}",'),
        D("version", '  "version": "3.14.1",'),
        D("placeholder", '  "clientSecret": "YOUR_CLIENT_SECRET",'),
        D("placeholder", '  "webhookSecret": "",'),
        D("identifier", f'  "twilioSid": "AC{v.hex(32)}",'),
        Line('  "region": "eu-west-1"'),
        Line("}"),
    ]  # fmt: skip


def service_account(v: Values) -> list[Line]:
    body = base64.b64encode(v.rng.randbytes(1200)).decode()
    pem = "\\n".join(body[i : i + 64] for i in range(0, len(body), 64))
    return [
        Line("{"),
        Line('  "type": "service_account",'),
        Line(f'  "project_id": "{v.wordish()}-prod",'),
        D("identifier", f'  "private_key_id": "{v.hex(40)}",'),
        S("gcp-service-account", f'  "private_key": "-----BEGIN PRIVATE KEY-----\\n{pem}\\n-----END PRIVATE KEY-----\\n",'),
        Line(f'  "client_email": "deploy@{v.wordish()}-prod.iam.gserviceaccount.com",'),
        D("identifier", f'  "client_id": "{v.s(21, string.digits)}",'),
        Line('  "token_uri": "https://oauth2.googleapis.com/token"'),
        Line("}"),
    ]  # fmt: skip


def python_code(v: Values) -> list[Line]:
    return [
        Line("import os"),
        Line("from twilio.rest import Client"),
        Line(""),
        S("positional", f'twilio = Client("AC{v.hex(32)}", "{v.hex(32)}")'),
        S("positional", f'minio = Minio("s3.internal:9000", "{v.s(20, UPPER_ALNUM)}", "{v.s(40, B64)}")'),
        S("positional", f'server.login("alerts@{v.wordish()}.com", "{v.password().replace(chr(34), "")}")'),
        S("code-kwarg", f'conn = psycopg2.connect(host="db", user="app", password="{v.generic().replace(chr(34), "")}")'),
        S("code", f'HMAC_KEY = b"{v.letter_first(32, LOWER_ALNUM)}"'),
        S("provider", f'gitlab = Gitlab("https://gitlab.com", private_token="glpat-{v.s(20, ALNUM + "-_")}")'),
        S("provider", f'AZURE_STORAGE = "DefaultEndpointsProtocol=https;AccountName={v.wordish()};AccountKey={v.b64(64)};EndpointSuffix=core.windows.net"'),
        S("provider", f'PAYPAL_SECRET = "E{v.s(79, ALNUM + "-_")}"'),
        S("provider", f'github = Github("github_pat_{v.s(22)}_{v.s(59)}")'),
        D("code", 'password = input("Password: ")'),
        D("code", 'token = request.headers.get("Authorization")'),
        D("code", "api_key = settings.API_KEY"),
        D("code", "self.password = password"),
        D("code", "if password == confirm_password:"),
        D("code", 'PASSWORD_FIELD = "password"'),
        D("code", 'TOKEN_URL = "https://oauth2.googleapis.com/token"'),
        D("code", r'password_regex = r"^(?=.*[A-Z])(?=.*\d).{8,}$"'),
        D("code", 'SECRET_NAME = "prod/billing/db-password"'),
        D("code", 'secret = get_secret("billing/stripe")'),
        D("code", 'auth_header = "Authorization"'),
        D("code", 'token_type = "bearer"'),
        D("stripe-test", f'stripe.api_key = "sk_test_{v.s(24)}"'),
        D("placeholder", 'API_KEY = "<your api key>"'),
        D("placeholder", 'DB_PASSWORD = "changeme"'),
        D("code", 'os.environ.setdefault("DJANGO_SETTINGS_MODULE", "app.settings")'),
        D("identifier", f'ACCOUNT_SID = "AC{v.hex(32)}"'),
    ]  # fmt: skip


def js_code(v: Values) -> list[Line]:
    return [
        Line("const express = require('express');"),
        S("js", f"const jwtSecret = '{v.generic().replace(chr(39), '').replace(chr(92), '')}';"),
        S("js", f"const SESSION_KEY = \"{v.letter_first(32, HEX)}\";"),
        S("provider", f"const mailgun = new Mailgun({{ apiKey: 'key-{v.hex(32)}', domain: 'mg.x.io' }});"),
        S("provider", f"const sq = new Client({{ accessToken: 'EAAA{v.s(60, ALNUM + '-_')}' }});"),
        D("code", "const apiKey = process.env.API_KEY;"),
        D("code", "const token = req.headers.authorization;"),
        D("code", "const password = req.body.password;"),
        D("placeholder", "const secret = '<%= secret %>';"),
        D("i18n", "const label = t('auth.password_reset');"),
        Line("module.exports = { app };"),
    ]  # fmt: skip


def i18n_json(v: Values) -> list[Line]:
    return [
        Line("{"),
        D("i18n", '  "password": "Password",'),
        D("i18n", '  "password_hint": "At least 12 characters, one digit",'),
        D("i18n", '  "forgot_password": "Forgot your password?",'),
        D("i18n", '  "token_expired": "Your session expired, please sign in again",'),
        D("i18n", '  "secret_question": "What was the name of your first pet?",'),
        D("i18n", '  "api_key_label": "API key",'),
        D("i18n", '  "passwort": "Passwort",'),
        D("i18n", '  "auth": "Anmelden",'),
        Line('  "save": "Save"'),
        Line("}"),
    ]


def lockfile(v: Values) -> list[Line]:
    out = [
        Line("{"),
        Line('  "name": "web",'),
        Line('  "lockfileVersion": 3,'),
        Line('  "packages": {'),
    ]
    for _ in range(6):
        name = v.wordish()
        out += [
            Line(f'    "node_modules/{name}": {{'),
            D(
                "version",
                f'      "version": "{v.rng.randint(0, 9)}.{v.rng.randint(0, 20)}.{v.rng.randint(0, 9)}",',
            ),
            Line(f'      "resolved": "https://registry.npmjs.org/{name}/-/{name}-1.0.0.tgz",'),
            D("hash", f'      "integrity": "sha512-{v.b64(64)}"'),
            Line("    },"),
        ]
    return [*out, Line("  }"), Line("}")]  # fmt: skip


def poetry_lock(v: Values) -> list[Line]:
    out: list[Line] = []
    for _ in range(5):
        name = v.wordish()
        out += [
            Line("[[package]]"),
            Line(f'name = "{name}"'),
            D("version", f'version = "{v.rng.randint(0, 9)}.{v.rng.randint(0, 20)}"'),
            Line("files = ["),
            D("hash", f'    {{file = "{name}-1.0.tar.gz", hash = "sha256:{v.hex(64)}"}},'),
            Line("]"),
        ]
    return out


def key_files(v: Values) -> dict[str, list[Line]]:
    out: dict[str, list[Line]] = {}
    for path, label in (
        (".ssh/id_rsa", "OPENSSH PRIVATE KEY"),
        ("certs/server.key", v.rng.choice(("RSA PRIVATE KEY", "PRIVATE KEY", "EC PRIVATE KEY"))),
        ("certs/legacy.pem", v.rng.choice(("DSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY"))),
    ):
        block = v.pem_block(label)
        out[path] = [S("private-key", block[0], len(block)), *map(Line, block[1:])]
    putty = v.putty()
    out["keys/deploy.ppk"] = [S("putty-key", putty[0], len(putty)), *map(Line, putty[1:])]
    out["certs/server.crt"] = [
        D("certificate", "-----BEGIN CERTIFICATE-----"),
        *map(Line, v.pem_block("CERTIFICATE")[1:]),
    ]
    out[".ssh/id_rsa.pub"] = [D("public-key", f"ssh-rsa {v.b64(270)} deploy@{v.wordish()}")]
    return out


def repository(v: Values) -> dict[str, list[Line]]:
    """One repository: a random selection of the file kinds above, at realistic paths."""
    files: dict[str, list[Line]] = {
        ".env": env_file(v),
        "config/env/production.env": env_file(v),
        "README.md": [Line("# service"), Line("Set `DB_PASSWORD` in your `.env`."), D("i18n", "The API token is read from `API_TOKEN`.")],
        "package-lock.json": lockfile(v),
        "poetry.lock": poetry_lock(v),
        "locales/en.json": i18n_json(v),
        "app/settings.py": django_settings(v),
        "app/clients.py": python_code(v),
        "web/server.js": js_code(v),
        "config/app.yaml": yaml_config(v),
        "config/default.json": json_config(v),
    }  # fmt: skip
    optional: dict[str, Callable[[Values], list[Line]]] = {
        "home/.bashrc": shell_rc, "home/.zshrc": shell_rc, "home/.bash_profile": shell_rc,
        "home/.profile": shell_rc, "home/.s3cfg": s3cfg, "home/.aws/credentials": aws_credentials,
        "home/.my.cnf": my_cnf, "home/.netrc": netrc, "home/.pgpass": pgpass,
        "home/.git-credentials": git_credentials, "home/.docker/config.json": docker_config,
        ".npmrc": npmrc, "home/.pypirc": pypirc, ".vscode/sftp.json": vscode_settings,
        ".idea/dataSources.xml": idea_datasources, "home/.config/filezilla/sitemanager.xml": filezilla,
        "web.config": web_config, "wordpress/wp-config.php": wp_config,
        ".github/workflows/deploy.yml": ci_workflow, ".gitlab-ci.yml": gitlab_ci,
        "env/staging/.env": env_file, "gcp/service-account.json": service_account,
        "home/.credentials": aws_credentials,
    }  # fmt: skip
    for path in v.rng.sample(sorted(optional), k=len(optional) * 2 // 3):
        files[path] = optional[path](v)
    if v.rng.random() < 0.6:
        files.update(rails(v))
    if v.rng.random() < 0.6:
        files.update(key_files(v))
    return files


def generate(root: Path, repos: int, seed: int) -> list[Plant]:
    """Write ``repos`` repositories under ``root``; return every planted secret and decoy."""
    v = Values(seed)
    plants: list[Plant] = []
    for index in range(repos):
        for rel, lines in repository(v).items():
            path = root / f"repo{index:03d}" / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("".join(line.text + "\n" for line in lines), encoding="utf-8")
            name = path.relative_to(root).as_posix()
            for number, line in enumerate(lines, start=1):
                if line.kind is not None:
                    plants.append(Plant(name, number, line.kind, line.secret, line.span))
    return plants


def tree_stats(tree: Path) -> tuple[int, int]:
    files = size = 0
    for directory, _subdirs, names in os.walk(tree):
        for name in names:
            files += 1
            size += (Path(directory) / name).stat().st_size
    return files, size


def run_ours(tree: Path) -> tuple[float, set[tuple[str, int]]]:
    """Our scanner over the files the code source reads (its walk, its vendored-folder skips)."""
    scanner = Scanner(os.urandom(32))
    hits: set[tuple[str, int]] = set()
    start = time.perf_counter()
    for item in walk(tree, honour_gitignore=False):
        for detection in scanner.scan_file(item.path, item.relative):
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


def credsweeper_exe() -> str | None:
    """CredSweeper's command: ``$CREDSWEEPER``, or ``credsweeper`` on the PATH (it pins its own
    dependencies, so it lives in a separate environment)."""
    return os.environ.get("CREDSWEEPER") or shutil.which("credsweeper")


def run_credsweeper(tree: Path, exe: str) -> tuple[float, set[tuple[str, int]]]:
    out = tree.parent / "credsweeper.json"
    start = time.perf_counter()
    subprocess.run(
        [exe, "--path", str(tree), "--save-json", str(out), "--jobs", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - start
    hits: set[tuple[str, int]] = set()
    for item in json.loads(out.read_text()):
        for line in item.get("line_data_list", []):
            name = Path(line["path"]).resolve().relative_to(tree.resolve()).as_posix()
            hits.add((name, int(line["line_num"])))
    out.unlink()
    return elapsed, hits


def score(hits: set[tuple[str, int]], plants: list[Plant]) -> dict[str, float | int]:
    """Recall over planted secrets, precision over every hit in a generated file.

    A secret is found when a hit falls on any line it covers. In a generated file every other line
    is known to hold no secret, so a hit there (on a decoy or a plain line) is a false alarm. Hits
    in the background tree (the copied standard library) are counted as noise, not judged."""
    spans: dict[str, list[Plant]] = {}
    for p in plants:
        spans.setdefault(p.file, []).append(p)
    found: set[Plant] = set()
    false_alarms = noise = 0
    for file, line in hits:
        if file not in spans:
            noise += 1
            continue
        owner = next(
            (p for p in spans[file] if p.secret and p.line <= line < p.line + p.span), None
        )
        if owner is None:
            false_alarms += 1
        else:
            found.add(owner)
    secrets = [p for p in plants if p.secret]
    decoys = {(p.file, p.line) for p in plants if not p.secret}
    return {
        "found": len(found),
        "planted": len(secrets),
        "recall": len(found) / len(secrets),
        "false_alarms": false_alarms,
        "decoys_flagged": len(decoys & hits),
        "decoys": len(decoys),
        "precision": len(found) / (len(found) + false_alarms) if found or false_alarms else 0.0,
        "noise": noise,
    }


def wrong_by_kind(hits: set[tuple[str, int]], plants: list[Plant]) -> dict[str, int]:
    """Planted secrets missed and decoys flagged, counted by kind (``decoy:`` prefix)."""
    out: dict[str, int] = {}
    for p in plants:
        hit = any((p.file, n) in hits for n in range(p.line, p.line + p.span))
        if p.secret != hit:
            label = p.kind if p.secret else f"decoy:{p.kind}"
            out[label] = out.get(label, 0) + 1
    return dict(sorted(out.items()))


def false_alarm_lines(hits: set[tuple[str, int]], plants: list[Plant]) -> list[tuple[str, int]]:
    """Hits in generated files on no secret's lines (for --explain)."""
    files = {p.file for p in plants}
    covered = {(p.file, n) for p in plants if p.secret for n in range(p.line, p.line + p.span)}
    return sorted(h for h in hits if h[0] in files and h not in covered)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repos", type=int, default=40, help="repositories to generate (40)")
    parser.add_argument(
        "--background-mb", type=float, default=20.0,
        help="MB of the standard library copied beside them, for throughput and noise (20; 0: none)",
    )  # fmt: skip
    parser.add_argument("--seed", type=int, default=None, help="default: fresh each run")
    parser.add_argument("--no-detect-secrets", action="store_true")
    parser.add_argument("--explain", action="store_true", help="list our false-alarm lines")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    runs: dict[str, tuple[float, set[tuple[str, int]]]] = {}
    skipped: list[str] = []
    with tempfile.TemporaryDirectory(prefix="execbrief-bench-") as tmp:
        tree = Path(tmp) / "tree"
        tree.mkdir()
        if args.background_mb > 0:
            (tree / "stdlib").mkdir()
            copy_stdlib(tree / "stdlib", args.background_mb)
        plants = generate(tree, args.repos, seed)
        files, size = tree_stats(tree)
        runs["execbrief"] = run_ours(tree)
        if not args.no_detect_secrets:
            runs["detect-secrets"] = run_detect_secrets(tree)
        exe = credsweeper_exe()
        if exe is None:
            skipped.append("CredSweeper: not found (set CREDSWEEPER=/path/to/credsweeper)")
        else:
            runs["credsweeper"] = run_credsweeper(tree, exe)
    mb = size / 1e6
    figures: dict[str, object] = {
        "seed": seed,
        "tree": {"files": files, "mb": round(mb, 1), "planted_secrets": sum(p.secret for p in plants),
                 "planted_decoys": sum(not p.secret for p in plants)},
    }  # fmt: skip
    for name, (seconds, hits) in runs.items():
        figures[name] = {
            "seconds": round(seconds, 2), "mb_per_s": round(mb / seconds, 2),
            **score(hits, plants), "wrong_by_kind": wrong_by_kind(hits, plants),
        }  # fmt: skip
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    t = figures["tree"]
    assert isinstance(t, dict)
    print(f"seed {seed}; tree: {t['files']} files, {t['mb']} MB, {t['planted_secrets']} planted "
          f"secrets, {t['planted_decoys']} decoys")  # fmt: skip
    print(f"{'tool':15} {'seconds':>8} {'MB/s':>7} {'recall':>7} {'precision':>9} "
          f"{'false alarms':>12} {'decoys hit':>11} {'noise':>6}")  # fmt: skip
    for name in runs:
        f = figures[name]
        assert isinstance(f, dict)
        print(f"{name:15} {f['seconds']:>8} {f['mb_per_s']:>7} {f['recall']:>7.3f} "
              f"{f['precision']:>9.3f} {f['false_alarms']:>12} {f['decoys_flagged']:>5}/{f['decoys']:<5} "
              f"{f['noise']:>6}")  # fmt: skip
    ours = runs["execbrief"][0]
    for name, (seconds, _hits) in runs.items():
        if name != "execbrief":
            print(f"speed-up over {name}: {seconds / ours:.1f}x")
    for line in skipped:
        print("skipped", line)
    for name in runs:
        f = figures[name]
        assert isinstance(f, dict)
        print(f"{name} wrong by kind: {f['wrong_by_kind']}")
    if args.explain:
        for file, line in false_alarm_lines(runs["execbrief"][1], plants):
            print(f"  execbrief false alarm at {file}:{line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
