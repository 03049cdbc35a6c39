"""The command line's exit: what a command made is frozen before the interpreter's last cycle
collections, which would scan all of it only to free memory the process hands back whole."""

from __future__ import annotations

import subprocess
import sys

# A handler registered before ``main`` runs after ``main``'s own (exit handlers run last
# registered first): it sees the collector as the interpreter's last collections will.
PROBE = """
import atexit, gc, sys
atexit.register(lambda: print("frozen at exit:", gc.get_freeze_count() > 0, flush=True))
from execbrief.cli import main
sys.argv = ["execbrief", "reports", "--json"]
main()
"""


def test_a_command_freezes_what_it_made_before_the_interpreter_exits() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("frozen at exit: True")


def test_an_import_alone_freezes_nothing() -> None:
    # only the console script's run registers it: a library caller's process is left as it was
    probe = PROBE.replace("main()", "").replace('sys.argv = ["execbrief", "reports", "--json"]', "")
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.rstrip().endswith("frozen at exit: False")
