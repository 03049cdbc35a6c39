"""Whether this process may fork a helper process of its own."""

from __future__ import annotations

import multiprocessing


def may_fork() -> bool:
    """Whether a helper may be forked here: the system forks, and this process is no worker of
    execbrief's own (a collect or ``--portfolios`` pool's, whose pool keeps the cores busy
    already; their workers are not daemonic, so it is told by their having a parent)."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and multiprocessing.parent_process() is None
    )
