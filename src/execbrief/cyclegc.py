"""Pausing Python's cycle collector while a parser builds a large acyclic structure.

Parsing a 1 MB Python file makes a quarter of a million ``ast`` nodes; the analysis of it makes
as many lists and dicts. None of them form reference cycles, so reference counting frees them all,
but every allocation counts towards the next cycle collection, and each full collection rescans
every node made so far: at 1 MB that rescanning was two fifths of the code source's CPU time and
grew faster than the file (``tests/sources/test_linear_parsers.py``). ``paused()`` holds the
collector off for the duration of one file's step and lets it run again after (a cycle made in
the meantime is collected then). Building the reports is paused the same way (``pipeline.build``,
and the CLI's rendering): the snapshot, the analyses' results and the documents hold no cycles, and
at 1,000 entities the rescans were a third of the build. Nested and concurrent uses are counted: the collector runs again
only when the last one ends, and only if it was running before the first began.

``paused(keep=True)`` is for a block whose objects live on (a ledger's records, kept to the end of
the run): when the collector runs again, its first collection would still scan every one of them,
and the next two again as they age (1.4 s after a 700,000-row ledger). They are frozen instead
(``gc.freeze``), as ``collecting.collect_entities`` freezes each source's result, which unfreezes
them when the run's reading ends, and as ``pipeline.built_for_the_run`` freezes what the build
made (let go, frozen objects land in the oldest generation, which every full collection rescans)
until its run ends (``until_done``): a long-lived process (a test runner, a ``--portfolios``
worker) lets go of what it froze, so that the cycles among a finished run's objects are freed.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator

_lock = threading.Lock()
_holders = 0
_was_enabled = False


@contextlib.contextmanager
def paused(*, keep: bool = False) -> Iterator[None]:
    """No cycle collection inside the block (reference counting still frees everything); with
    ``keep``, what the process holds at the end is frozen before the collector runs again."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _holders += 1
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                if keep:
                    gc.freeze()
                gc.enable()


@contextlib.contextmanager
def until_done() -> Iterator[None]:
    """A run's scope: what blocks inside it froze (``paused(keep=True)``) is let go when it ends,
    by then about to be freed (a run's objects are freed as its caller drops them, without being
    rescanned first). Objects frozen before it began are a caller's own: all are left alone."""
    frozen_before = gc.get_freeze_count()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()
