"""Rendering a build's documents on more than one process.

Under ``--jobs`` above 1, ``build`` forks its renderers before it collects, while this process
holds no more than execbrief itself: a worker forked once the snapshot is read would start as
large as this process (at 1,000 entities a render worker forked after building took the process
tree from 762 to 1,440 MB). Each document is handed to them as soon as it is built, so they render
while this process builds the next report; once every report is built, this process renders,
last first, each document no worker has begun. A document is pickled to its worker and its text
pickled back, which keeps every byte: the text is the one this process would render.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager

from execbrief import cyclegc
from execbrief.document import Document
from execbrief.forking import may_fork
from execbrief.renderers.base import Renderer

#: At most this many render workers, however many jobs: there are only so many reports, and each
#: worker holds a copy of execbrief's modules.
MAX_WORKERS = 3

_renderer: Renderer | None = None  # a forked worker's copy of the build's renderer


def _render(document: Document) -> str:
    """In a worker: the document rendered."""
    assert _renderer is not None, "a render worker runs only inside render_pool"
    return render_here(_renderer, document)


def render_here(renderer: Renderer, document: Document) -> str:
    """The document rendered in this process (rendering makes no cycles: the collector waits)."""
    with cyclegc.paused():
        return str(renderer.render(document))


class RenderPool:
    """Documents handed to render workers as they are built, and their texts gathered."""

    def __init__(self, renderer: Renderer, pool: ProcessPoolExecutor | None) -> None:
        self.renderer = renderer
        self._pool = pool
        self._handed: dict[int, tuple[Document, Future[str]]] = {}

    def hand(self, document: Document) -> None:
        """Begin rendering ``document`` on a worker (none: it is rendered in ``texts``)."""
        if self._pool is None:
            return
        try:
            self._handed[id(document)] = (document, self._pool.submit(_render, document))
        except (BrokenProcessPool, RuntimeError):  # a worker died: render the rest here
            self._pool = None

    def texts(self, documents: list[Document]) -> list[str]:
        """Each document rendered, in order: what a worker rendered, and here, last first, each
        document no worker has begun."""
        for document in documents:
            if self._future(document) is None:
                self.hand(document)
        texts: list[str | None] = [None] * len(documents)
        for at in reversed(range(len(documents))):
            future = self._future(documents[at])
            if future is None or future.cancel():
                texts[at] = render_here(self.renderer, documents[at])
        return [
            text if text is not None else self._gathered(document)
            for text, document in zip(texts, documents, strict=True)
        ]

    def _future(self, document: Document) -> Future[str] | None:
        handed = self._handed.get(id(document))
        return handed[1] if handed is not None and handed[0] is document else None

    def _gathered(self, document: Document) -> str:
        future = self._future(document)
        assert future is not None
        try:
            return future.result()
        except BrokenProcessPool:  # its worker died (out of memory, killed): rendered here
            return render_here(self.renderer, document)


@contextmanager
def render_pool(renderer: Renderer, jobs: int, reports: int) -> Iterator[RenderPool]:
    """A RenderPool for a build of ``reports`` reports under ``--jobs jobs``, its workers forked
    now (none with one job or one report, or where this process may not fork)."""
    workers = min(jobs, reports, MAX_WORKERS + 1) - 1
    if workers < 1 or not may_fork():
        yield RenderPool(renderer, None)
        return
    global _renderer
    _renderer = renderer
    context = multiprocessing.get_context("fork")
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=gc.freeze)
    try:
        pool.submit(int)  # the workers are forked here, before the snapshot is read
        yield RenderPool(renderer, pool)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        _renderer = None
