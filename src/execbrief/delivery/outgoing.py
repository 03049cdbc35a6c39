"""What goes out: each built report rendered for mailing (Outgoing), its subject line, and the
configured transport opened with its options."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pydantic import ValidationError

from execbrief.config import Config, ReportSettings, read_attachment
from execbrief.delivery.message import Attachment, Rendered
from execbrief.document import Chart, Document, brief_document
from execbrief.errors import ConfigError
from execbrief.plugins import Registry
from execbrief.transports.base import Transport

#: How many of the full report's charts a mail's HTML part shows.
MAIL_CHARTS = 2

#: Renders a mail's HTML body with charts: (body, charts) -> (HTML, inline images it refers to).
HtmlWithCharts = Callable[[Document, tuple[Chart, ...]], tuple[str, tuple[Attachment, ...]]]


@dataclass(frozen=True)
class Outgoing:
    """One built report ready to mail: its document (for the reconciliation gate), its rendered
    message content and its recipients."""

    report: str
    document: Document | None
    rendered: Rendered
    recipients: tuple[str, ...]


def open_transport(
    config: Config, registry: Registry, environ: dict[str, str], name: str | None = None
) -> Transport:
    """Open the configured transport (``delivery.transport``, or ``name``) with its options."""
    chosen = name or config.delivery.transport
    factory = registry.transports.get(chosen)
    if factory is None:
        raise ConfigError(
            f"no transport named {chosen!r}; expected one of {', '.join(sorted(registry.transports))}",
            path=str(config.path),
            key="delivery.transport",
        )
    options = config.delivery.transport_options(chosen)
    if options is None:
        try:
            options = factory.Options.model_validate({})
        except ValidationError as exc:
            raise ConfigError(
                f"[delivery.{chosen}] is needed: {exc.errors()[0]['msg']}",
                path=str(config.path),
                key=f"delivery.{chosen}",
            ) from None
    transport: Transport = factory.open(options, config.delivery, config.root, environ)
    return transport


def subject_for(document: Document, settings: ReportSettings | None, prefix: str = "") -> str:
    """The subject line: the report's ``subject`` setting, else "<title> — <period>"."""
    covers = document.covers()
    if settings is not None and settings.subject:
        return prefix + str(settings.subject).format(
            period=document.period, title=document.title, report=document.report, covers=covers
        )
    return f"{prefix}{document.title} — {covers}"


def _layers(
    document: Document, settings: ReportSettings | None, registry: Registry
) -> tuple[Document, list[tuple[str, str, str | None]]]:
    """The mail body (the brief, or the full report when ``brief = false``) and the full report's
    attachments as (format, file name, media type): HTML always, markdown when ``attach`` asks."""
    if (settings is not None and not settings.brief) or "html" not in registry.renderers:
        return document, []
    formats = ["html", *(f for f in ("markdown",) if settings and f in settings.attach)]
    attached = []
    for fmt in formats:
        renderer = registry.renderers[fmt]
        name = f"{document.report}-{document.period}.{renderer.extension}"
        attached.append((fmt, name, getattr(renderer, "media_type", None)))
    pointer = (
        f"The full report (every table, finding and source note) is attached: {attached[0][1]}."
    )
    return brief_document(document, pointer), attached


def outgoing_for(
    config: Config,
    registry: Registry,
    documents: Iterable[Document],
    render: Callable[[Document, str], str],
    html_with_charts: HtmlWithCharts | None = None,
) -> list[Outgoing]:
    """Render each document for mailing: text body, HTML when enabled, attachments, recipients.

    ``attach`` entries in ``[reports.<name>]`` name a renderer (the document in that format is
    attached as ``<report>-<period>.<ext>``) or a file relative to the portfolio root. With
    ``html_with_charts``, a brief's HTML part shows the full report's first charts as inline
    images (it returns no images when it cannot draw them).
    """
    out: list[Outgoing] = []
    for document in documents:
        settings = config.reports.get(document.report)
        html_wanted = (
            settings.html
            if settings is not None and settings.html is not None
            else config.delivery.html
        )
        body, full_report = _layers(document, settings, registry)
        html: str | None = None
        inline: tuple[Attachment, ...] = ()
        if html_wanted and "html" in registry.renderers:
            charts = _charts(document) if body is not document else ()
            if charts and html_with_charts is not None:
                html, inline = html_with_charts(body, charts)
            else:
                html = render(body, "html")
        attachments: list[Attachment] = [
            Attachment(name, render(document, fmt).encode("utf-8"), media)
            for fmt, name, media in full_report
        ]
        for entry in settings.attach if settings is not None else ():
            if any(entry == fmt for fmt, _name, _media in full_report):
                continue  # already attached as the full report
            if entry in registry.renderers:
                renderer = registry.renderers[entry]
                filename = f"{document.report}-{document.period}.{renderer.extension}"
                media = getattr(renderer, "media_type", None)
                attachments.append(
                    Attachment(filename, render(document, entry).encode("utf-8"), media)
                )
                continue
            data = read_attachment(config, document.report, entry)
            attachments.append(Attachment(config.resolve(entry).name, data))
        rendered = Rendered(
            subject=subject_for(document, settings, config.delivery.subject_prefix),
            text=render(body, "text"),
            html=html,
            attachments=tuple(attachments),
            inline=inline,
        )
        recipients = tuple(settings.recipients) if settings is not None else ()
        out.append(Outgoing(document.report, document, rendered, recipients))
    return out


def _charts(document: Document) -> tuple[Chart, ...]:
    """The first ``MAIL_CHARTS`` charts of the full report, in reading order."""
    charts = [b for s in document.sections for b in s.blocks if isinstance(b, Chart)]
    return tuple(charts[:MAIL_CHARTS])
