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
    can be forked) on that many processes: this one renders every ``jobs``-th document and
    ``jobs - 1`` workers the rest, one at a time each. (Each worker copies the memory pages whose
    objects it touches: at 1,000 entities two workers took 550 MB beside the 670 MB they were
    forked from, so this process does a share rather than wait.)"""
    count = min(jobs, len(documents))
    if count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [str(renderer.render(document)) for document in documents]
    global _shared
    _shared = (renderer, documents)
    theirs = [index for index in range(len(documents)) if index % count]
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(count - 1, mp_context=context) as pool:
            done = pool.map(_render, theirs)  # submitted now; this process renders meanwhile
            texts = {index: _render(index) for index in range(0, len(documents), count)}
            texts.update(zip(theirs, done, strict=True))
        return [texts[index] for index in range(len(documents))]
    except BrokenProcessPool:  # a worker died (out of memory, killed): render them here instead
        return [str(renderer.render(document)) for document in documents]
    finally:
        _shared = None


def _render(index: int) -> str:
    """The document at ``index`` (in a worker: inherited), rendered."""
    assert _shared is not None, "rendered() sets the documents before forking"
    renderer, documents = _shared
    return str(renderer.render(documents[index]))
