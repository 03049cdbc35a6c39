"""Whether this process may fork a helper process of its own."""

from __future__ import annotations

import multiprocessing


def may_fork() -> bool:
    """Whether a helper may be forked here: the system forks, and this is no pool's worker (a
    daemonic process, which may have no children, and whose pool keeps the cores busy already)."""
    return (
        "fork" in multiprocessing.get_all_start_methods()
        and not multiprocessing.current_process().daemon
    )
