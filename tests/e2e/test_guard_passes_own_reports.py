"""The secret guard never blocks a clean report: every demo report, rendered in every format (as
it would be attached), passes the same detectors and fingerprint check the guard applies."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from pathlib import Path

from execbrief import pipeline
from execbrief.config import load_config
from execbrief.plugins import get_registry
from execbrief.secrets.guard import SecretGuard, known_fingerprints


def test_every_report_in_every_format_passes_the_guard(example_portfolio: Path) -> None:
    registry = get_registry()
    config = load_config(example_portfolio, registry.option_models(), {})
    key = pipeline.fingerprint_key(config)
    snapshot = pipeline.collect(config, registry, date(2026, 11, 20), key=key)
    guard = SecretGuard(key, known_fingerprints(snapshot))
    ctx = pipeline.context(snapshot, config, registry)
    built = pipeline.build(ctx, registry, sorted(registry.reports))
    assert all(item.document is not None for item in built), [i.error for i in built]
    blocked = {}
    for item in built:
        assert item.document is not None
        for fmt in sorted(registry.renderers):
            message = EmailMessage()
            message["Subject"] = item.document.title
            message.set_content(pipeline.render(item.document, registry, fmt))
            hits = guard.check(message)
            if hits:
                blocked[(item.name, fmt)] = hits[:2]
    assert blocked == {}
