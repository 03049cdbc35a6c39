"""Rendering on forked workers (``renderpool``) gives the text this process renders, byte for byte,
in every format; what no worker has begun is rendered here, and a worker that dies leaves its
documents to this process."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from execbrief.config import load_config
from execbrief.document import Document
from execbrief.pipeline import Reading, build_reports
from execbrief.plugins import get_registry
from execbrief.renderers.text import TextRenderer
from execbrief.renderpool import RenderPool, render_pool

PARENT = os.getpid()
AS_OF = datetime(2026, 11, 20, tzinfo=UTC)


class SlowOnWorkers(TextRenderer):
    """The text renderer, a quarter second slower on a worker: this process outpaces it."""

    def render(self, document: Document) -> str:
        if os.getpid() != PARENT:
            time.sleep(0.25)
        return super().render(document)


class DiesOnWorkers(TextRenderer):
    """The text renderer, whose worker dies at its first document."""

    def render(self, document: Document) -> str:
        if os.getpid() != PARENT:
            os._exit(3)
        return super().render(document)


def documents(count: int, make: Document) -> list[Document]:
    from dataclasses import replace

    return [replace(make, title=f"{make.title} {n}") for n in range(count)]


def rendered_on_workers(pool: RenderPool) -> int:
    return sum(1 for _, future in pool._handed.values() if future.done() and not future.cancelled())


def test_workers_and_this_process_share_the_documents(document: Document) -> None:
    docs = documents(8, document)
    local = [TextRenderer().render(d) for d in docs]
    with render_pool(SlowOnWorkers(), jobs=2, reports=len(docs)) as pool:
        for doc in docs[:2]:
            pool.hand(doc)  # as build hands each report when it is built
        begun = time.monotonic() + 30
        while not any(f.running() or f.done() for _, f in pool._handed.values()):
            assert time.monotonic() < begun, "the worker never took a document"
            time.sleep(0.01)
        texts = pool.texts(docs)
        assert texts == local
        on_workers = rendered_on_workers(pool)
    assert 1 <= on_workers < len(docs)  # the worker did some, this process took the rest


def test_a_dying_worker_leaves_its_documents_here(document: Document) -> None:
    docs = documents(4, document)
    with render_pool(DiesOnWorkers(), jobs=2, reports=len(docs)) as pool:
        for doc in docs:
            pool.hand(doc)
        time.sleep(0.5)  # the worker has died on its first
        assert pool.texts(docs) == [TextRenderer().render(d) for d in docs]


def test_one_job_renders_here_only(document: Document) -> None:
    with render_pool(TextRenderer(), jobs=1, reports=8) as pool:
        pool.hand(document)
        assert pool.texts([document]) == [TextRenderer().render(document)]
        assert not pool._handed


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "html"])
def test_a_build_on_two_jobs_renders_what_one_job_renders(
    example_portfolio: Path, fmt: str
) -> None:
    registry = get_registry()
    config = load_config(example_portfolio, registry.option_models())
    runs = [
        build_reports(
            config,
            registry,
            as_of=AS_OF.date(),
            clock=lambda: AS_OF,
            reading=Reading(jobs=jobs),
            renderer=registry.renderers[fmt],
        )
        for jobs in (1, 2)
    ]
    assert len(runs[0].texts) == len(runs[0].documents) >= 8
    assert runs[1].texts == runs[0].texts
