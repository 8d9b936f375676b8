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
    feed_summary: str | None = None
    language_hint: str | None = None
    # Filled by ExtractPipeline.
    article: dict | None = None
    # Filled by EventsPipeline.
    events: list[dict] = field(default_factory=list)
    unmatched: list[dict] = field(default_factory=list)
