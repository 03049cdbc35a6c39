"""An unreadable code file or folder is counted and named in the CTO report's coverage instead
of silently dropping its endpoints (issue 17, breaks 7 and 8).

The files are really unreadable: ``chmod 000``, read by a child process that cannot override
file permissions. Run as root, the child is started by ``setpriv`` with the two capabilities
that let root read anything (``CAP_DAC_OVERRIDE``, ``CAP_DAC_READ_SEARCH``) dropped; the child
checks with ``os.access`` that the file is unreadable before it reads the folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CONFIG = """
[portfolio]
name = "Test Holdings"

[reports.cto]
to = ["cto@test.example"]

[[entities]]
id = "shop"
name = "Shop Co."
kind = "charter"
code = ["repo"]
"""

HANDLER = """import json


def handler(event, context):
    if event["httpMethod"] == "DELETE":
        return {"statusCode": 204}
    return {"statusCode": 200, "body": json.dumps({"ok": True})}
"""

CHILD = textwrap.dedent(
    """
    import json, os, sys
    from datetime import date
    from pathlib import Path
    from execbrief import pipeline
    from execbrief.config import load_config
    from execbrief.plugins import get_registry

    base = Path(sys.argv[1])
    if os.access(base / "repo" / "admin.py", os.R_OK):
        print(json.dumps({"readable": True}))
        sys.exit(0)
    registry = get_registry(fresh=True)
    config = load_config(base / "portfolio.toml", registry.option_models(), environ={})
    snapshot = pipeline.collect(config, registry, date(2026, 11, 20), key=b"k")
    ctx = pipeline.context(snapshot, config, registry)
    (result,) = pipeline.build(ctx, registry, ["cto"])
    print(json.dumps({
        "readable": False,
        "markdown": pipeline.render(result.document, registry, "markdown"),
        "snapshot": snapshot.to_dict(),
    }))
    """
)


def unprivileged() -> list[str]:
    """The command prefix that makes file permissions bind (root can read a chmod 000 file)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: cannot make a file unreadable")
    return [setpriv, "--bounding-set=-dac_override,-dac_read_search"]


@pytest.fixture
def portfolio(tmp_path: Path) -> Path:
    (tmp_path / "portfolio.toml").write_text(CONFIG, encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / "private").mkdir(parents=True)
    (repo / "app.py").write_text(HANDLER, encoding="utf-8")
    (repo / "admin.py").write_text(HANDLER, encoding="utf-8")
    (repo / "private" / "billing.py").write_text(HANDLER, encoding="utf-8")
    (repo / "admin.py").chmod(0)
    (repo / "private").chmod(0)
    yield tmp_path
    (repo / "private").chmod(0o755)
    (repo / "admin.py").chmod(0o644)


def test_unreadable_files_and_folders_are_named_in_the_cto_coverage(portfolio: Path) -> None:
    script = portfolio / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    done = subprocess.run(
        [*unprivileged(), sys.executable, str(script), str(portfolio)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout)
    if out["readable"]:
        pytest.skip("this process can read a chmod 000 file")
    markdown = out["markdown"]
    assert "Skipped: 1 unreadable file, 1 unreadable folder." in markdown
    assert (
        "Could not read 2 (endpoints and secrets there are not audited; check their "
        "permissions): repo/admin.py, repo/private/." in markdown
    )
    # the readable handler is still audited: its DELETE route is an open endpoint
    assert "2 files and" not in markdown and "1 file and" in markdown
    # and kept in the snapshot's coverage record
    assert '"unreadable": ["admin.py", "private/"]' in json.dumps(out["snapshot"])
