"""Items passed from spiders through the pipelines (dataclasses, read via ItemAdapter)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class ArticleItem:
    """A fetched article page; spiders fill the raw part, pipelines the rest."""

    url: str
    source: str
    body: bytes
    encoding: str | None = None
    feed_title: str | None = None
    feed_published: str | None = None
    language_hint: str | None = None
    # Listing metadata stored in discovered_items (Google News, GDELT), as a DiscoveryItem dict.
    discovery: dict | None = None
    # Awards parsed from a contract announcement page (contract_notices).
    contracts: list[dict] = field(default_factory=list)
    # Filled by ExtractPipeline.
    article: dict | None = None
    # Filled by EventsPipeline.
    events: list[dict] = field(default_factory=list)
    unmatched: list[dict] = field(default_factory=list)

    def __repr__(self) -> str:
        """Short: Scrapy logs an item it drops or fails on, and the body may be megabytes."""
        return (f"ArticleItem(url={self.url!r}, source={self.source!r}, "
                f"body=<{len(self.body or b'')} bytes>, events={len(self.events)})")


@dataclass
class DiscoveryItem:
    """A listed item kept for the record (discovered_items): a Google News item whose article
    URL could not be resolved, or listing metadata (GDELT seendate) of a fetched article."""

    source: str
    kind: str
    key: str                       # stable identity across runs (e.g. gnews:<id>, gdelt:<url>)
    link: str                      # the URL as listed
    url: str | None = None         # resolved article URL (None while unresolved)
    title: str | None = None
    outlet: str | None = None
    outlet_url: str | None = None
    listed_date: str | None = None
    date_kind: str | None = None   # published | seen (GDELT: when GDELT saw it, not published)
    language: str | None = None
    status: str = "unresolved"     # unresolved | resolved
    attempted: bool = False        # a resolution request was made in this run


@dataclass
class RecordItem:
    """One official record (an award, an authorization, a notice) read from an official source:
    stored in official_records as it is, never run through article extraction or events."""

    source: str
    kind: str
    record: dict                   # tracker.extract.records.OfficialRecord.as_dict()
