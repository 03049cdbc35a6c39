"""Rendering a run's documents, on worker processes forked from this one when ``--jobs`` asks.

At 1,000 entities rendering every report's text took five seconds in the one process that had
built them, while the other cores idled. A forked worker inherits the documents (nothing is
pickled on the way out); only the rendered text comes back, in the documents' order, so what the
caller writes is what a serial run writes, byte for byte.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from execbrief.document import Document
from execbrief.renderers.base import Renderer

#: The portfolio size (entities) from which rendering goes to workers: below it a report renders
#: in well under the tenth of a second forking a pool costs (at 10 entities a pool made the whole
#: build half a second slower).
POOL_FROM_ENTITIES = 200

#: What the forked workers render: set just before they are forked, cleared after.
_shared: tuple[Renderer, Sequence[Document]] | None = None


def rendered(renderer: Renderer, documents: Sequence[Document], jobs: int = 1) -> list[str]:
    """Each document rendered by ``renderer``, in order; with ``jobs`` above 1 (where processes
    can be forked) on up to that many workers, one document at a time each."""
    workers = min(jobs, len(documents))
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [str(renderer.render(document)) for document in documents]
    global _shared
    _shared = (renderer, documents)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            return list(pool.map(_render, range(len(documents))))
    except BrokenProcessPool:  # a worker died (out of memory, killed): render them here instead
        return [str(renderer.render(document)) for document in documents]
    finally:
        _shared = None


def _render(index: int) -> str:
    """In a worker: the inherited document at ``index``, rendered."""
    assert _shared is not None, "rendered() sets the documents before forking"
    renderer, documents = _shared
    return str(renderer.render(documents[index]))
