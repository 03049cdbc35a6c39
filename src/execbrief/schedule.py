"""Recipes that run ``execbrief send`` every month, for ``execbrief schedule --print``: a crontab
line, a systemd service and timer, a GitHub Actions workflow. Each sends on the 2nd of the month
(the report covers the month before) and checks afterwards that nothing was missed
(``check --expect monthly``); docs/scheduling.md explains them."""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from pathlib import Path

#: When the send runs: 07:00 on the 2nd, so the month before is complete and its exports are in.
CRON_SEND = "0 7 2 * *"
CRON_CHECK = "0 7 3 * *"
#: GitHub: the monthly send, and a weekly check that also keeps the cached store from eviction
#: (GitHub evicts a cache not read for 7 days).
GITHUB_WEEKLY = "0 8 * * 1"
SYSTEMD_SEND = "*-*-02 07:00:00"
SYSTEMD_CHECK = "*-*-03 07:00:00"
RECIPES = ("cron", "systemd", "github")


@dataclass(frozen=True)
class Target:
    """What a recipe runs: the execbrief program, the portfolio's config and folder, and the
    config's path relative to a repository root (for CI)."""

    program: tuple[str, ...]
    config: Path
    relative_config: str
    env_file: Path | None = None

    @property
    def folder(self) -> Path:
        """The portfolio folder (where relative paths in the config start)."""
        return self.config.parent

    def command(self, *args: str) -> str:
        """A shell command line running execbrief with the config."""
        words = [*self.program, *args, "-c", str(self.config)]
        if self.env_file is not None:
            words += ["--env-file", str(self.env_file)]
        return shlex.join(words)


def cron(target: Target) -> str:
    """Two crontab lines: the monthly send and, the day after, the missed-run check."""
    log = ".execbrief/cron.log"
    where = f"cd {shlex.quote(str(target.folder))} && mkdir -p .execbrief &&"
    return (
        f"# execbrief for {target.config}: install with `crontab -e` and paste these lines.\n"
        "# The send runs at 07:00 on the 2nd (it reports the month before); the check the\n"
        "# day after exits 1, and cron mails its output, when a report did not go out.\n"
        f"{CRON_SEND} {where} {target.command('send')} >> {log} 2>&1\n"
        f"{CRON_CHECK} {where} {target.command('check', '--expect', 'monthly')} >> {log} 2>&1 "
        f"|| tail -n 40 {log}\n"
    )


def systemd(target: Target) -> dict[str, str]:
    """The user units, by file name: a oneshot service per job and a timer for each;
    ``Persistent=true`` runs a send the machine was off for as soon as it is back."""
    units: dict[str, str] = {}
    for job, args, calendar in (
        ("send", ("send",), SYSTEMD_SEND),
        ("check", ("check", "--expect", "monthly"), SYSTEMD_CHECK),
    ):
        units[f"execbrief-{job}.service"] = (
            "[Unit]\n"
            f"Description=execbrief {' '.join(args)} for {target.config}\n"
            "Wants=network-online.target\n"
            "After=network-online.target\n\n"
            "[Service]\n"
            "Type=oneshot\n"
            f"WorkingDirectory={target.folder}\n"
            f"ExecStart={target.command(*args)}\n"
        )
        units[f"execbrief-{job}.timer"] = (
            "[Unit]\n"
            f"Description=Run execbrief {job} monthly\n\n"
            "[Timer]\n"
            f"OnCalendar={calendar}\n"
            "Persistent=true\n"
            "RandomizedDelaySec=10min\n\n"
            "[Install]\n"
            "WantedBy=timers.target\n"
        )
    return units


def print_systemd(target: Target) -> str:
    """The units as one text, each under a comment naming its file."""
    lines = [
        "# execbrief as systemd user units: save each below under ~/.config/systemd/user/, then",
        "#   systemctl --user daemon-reload",
        "#   systemctl --user enable --now execbrief-send.timer execbrief-check.timer",
        "#   loginctl enable-linger $USER   # run while you are logged out",
        "# `journalctl --user -u execbrief-send` shows each run; `systemctl --user list-timers` the next.",
    ]
    for name, text in systemd(target).items():
        lines += ["", f"# ---- {name} ----", text.rstrip("\n")]
    return "\n".join(lines) + "\n"


def github(target: Target) -> str:
    """A workflow (``.github/workflows/execbrief.yml``): secrets from the repository's secrets,
    the store kept between runs in the Actions cache."""
    config = target.relative_config
    store = (Path(config).parent / ".execbrief").as_posix()
    return f"""# .github/workflows/execbrief.yml: execbrief's monthly send for {config}.
# Repository secrets: EXECBRIEF_FINGERPRINT_KEY, set to your LOCAL key (a new random one
# changes every fingerprint, so [[findings.accept]] and [secrets] allowlist entries made
# locally stop matching): print it with  cat {store}/fingerprint.key  and paste that line;
# and the transport's (AWS_ACCESS_KEY_ID,
# AWS_SECRET_ACCESS_KEY, AWS_REGION for SES; the variables [delivery.smtp] names for SMTP).
name: execbrief
on:
  schedule:
    - cron: "{CRON_SEND}"       # the send: 07:00 UTC on the 2nd
    - cron: "{GITHUB_WEEKLY}"       # a weekly check, which also keeps the cached store alive
  workflow_dispatch: {{}}
concurrency: execbrief
jobs:
  reports:
    runs-on: ubuntu-latest
    env:
      EXECBRIEF_FINGERPRINT_KEY: ${{{{ secrets.EXECBRIEF_FINGERPRINT_KEY }}}}
      AWS_ACCESS_KEY_ID: ${{{{ secrets.AWS_ACCESS_KEY_ID }}}}
      AWS_SECRET_ACCESS_KEY: ${{{{ secrets.AWS_SECRET_ACCESS_KEY }}}}
      AWS_REGION: ${{{{ secrets.AWS_REGION }}}}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: pip install execbrief
      - name: Restore the store (what was sent, and the history "Since last report" reads)
        uses: actions/cache/restore@v4
        with:
          path: {store}
          key: execbrief-store-${{{{ github.run_id }}}}
          restore-keys: execbrief-store-
      - name: Send
        if: github.event.schedule == '{CRON_SEND}' || github.event_name == 'workflow_dispatch'
        run: execbrief send -c {config}
      - name: Keep the store
        if: always() && (github.event.schedule == '{CRON_SEND}' || github.event_name == 'workflow_dispatch')
        uses: actions/cache/save@v4
        with:
          path: {store}
          key: execbrief-store-${{{{ github.run_id }}}}
      - name: Check that no month was missed
        run: execbrief check -c {config} --expect monthly
"""
