"""``may_fork``: this process may fork a helper; a pool's worker (not daemonic, so told by its
parent) may not, so a collect or ``--portfolios`` worker never forks redaction halves."""

from __future__ import annotations

import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from execbrief.forking import may_fork


def test_this_process_may_fork_and_a_pool_worker_may_not() -> None:
    assert may_fork()
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        assert pool.submit(may_fork).result() is False
