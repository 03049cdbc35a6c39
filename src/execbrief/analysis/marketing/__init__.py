"""The marketing analysis: channel visibility, the booking funnel, an email-blast model, OTA
sequencing and a local-SEO roadmap, each figure with its evidence and every assumption from
``[analysis.marketing]`` (defaults cited in ``docs/metrics.md``).

One module per concern:

- ``options``: ``[analysis.marketing]`` and the marketplaces' default terms;
- ``channels``: which channel a name, link or booking means, the evidence of each listing and the
  entity x channel matrix (channels themselves are catalogued in ``execbrief.records.channels``);
- ``funnel``: inquiry -> quoted -> booked -> completed per entity and month, and broken steps;
- ``email``: the email-blast model (list x open x click x conversion x average booking value);
- ``otas``: marketplaces not yet used, scored by net revenue, fit and set-up effort;
- ``seo``: one function per local-SEO rule, run from a table;
- ``analysis``: :class:`MarketingAnalysis`, which puts them together per entity.
"""

from __future__ import annotations

from execbrief.analysis.base import Analysis
from execbrief.analysis.marketing.analysis import MarketingAnalysis, MarketingResult
from execbrief.analysis.marketing.channels import (
    CHANNEL_LABELS,
    ChannelCell,
    booking_channel,
    channel_key,
)
from execbrief.analysis.marketing.email import EmailCase, email_case
from execbrief.analysis.marketing.figures import compact_rows
from execbrief.analysis.marketing.funnel import (
    FunnelBreak,
    FunnelRow,
    funnel,
    funnel_breaks,
    stage_reached,
)
from execbrief.analysis.marketing.options import (
    NAME,
    EmailAssumptions,
    MarketingOptions,
    OtaTerms,
)
from execbrief.analysis.marketing.otas import OtaScore, score_otas
from execbrief.analysis.marketing.seo import seo_findings
from execbrief.hookspecs import hookimpl

__all__ = [
    "CHANNEL_LABELS",
    "NAME",
    "ChannelCell",
    "EmailAssumptions",
    "EmailCase",
    "FunnelBreak",
    "FunnelRow",
    "MarketingAnalysis",
    "MarketingOptions",
    "MarketingResult",
    "OtaScore",
    "OtaTerms",
    "booking_channel",
    "channel_key",
    "compact_rows",
    "email_case",
    "funnel",
    "funnel_breaks",
    "register_analyses",
    "score_otas",
    "seo_findings",
    "stage_reached",
]


@hookimpl
def register_analyses() -> list[Analysis]:
    """The marketing analysis."""
    return [MarketingAnalysis()]
