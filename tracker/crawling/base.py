"""Base spider: one crawler per configured source, articles fetched once, failures recorded."""

from __future__ import annotations

import scrapy
from scrapy.http import TextResponse

from tracker.crawling.health import SourceHealth, describe_failure
from tracker.extract.urls import is_web_url, url_key
from tracker.items import ArticleItem
from tracker.sources import Source


class SourceSpider(scrapy.Spider):
    """Subclasses set `name` (the source kind) and implement `parse` for the listing."""

    def __init__(self, source: Source, known_keys: frozenset[str] = frozenset(),
                 claimed: set[str] | None = None, **kwargs):
        super().__init__(name=self.name, **kwargs)
        self.source = source
        self.known_keys = known_keys
        # Shared by all sources of one run: an article listed by two feeds is fetched once.
        self.requested: set[str] = claimed if claimed is not None else set()
        self.health = SourceHealth(source=source.name, kind=source.kind)

    async def start(self):
        yield self.listing_request(self.source.url)

    def listing_request(self, url: str, **kwargs) -> scrapy.Request:
        self.health.requests += 1
        return scrapy.Request(url, callback=self.parse, errback=self.listing_failed,
                              dont_filter=True, **kwargs)

    def listing_failed(self, failure) -> None:
        status, reason = describe_failure(failure)
        self.health.fail(status, reason)
        self.logger.warning("source %s failed: %s", self.source.name, reason)

    def article_request(self, url: str | None, **feed_meta):
        """Request an article unless it is stored already or was requested in this run."""
        if not is_web_url(url):
            return None
        self.health.items_found += 1
        key = url_key(url)
        if key in self.known_keys:
            self.health.articles_known += 1
            return None
        if key in self.requested:
            return None
        if self.source.max_requests and self.health.requests >= self.source.max_requests:
            self.crawler.stats.inc_value("tracker/budget_exhausted")
            return None
        self.requested.add(key)
        self.health.requests += 1
        return scrapy.Request(url, callback=self.parse_article, errback=self.article_failed,
                              cb_kwargs={"feed_meta": feed_meta})

    def parse_article(self, response, feed_meta: dict):
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("tracker/article_not_text")
            self.health.article_errors += 1
            return
        self.health.articles_fetched += 1
        yield ArticleItem(
            url=response.url,
            source=self.source.name,
            body=response.body,
            encoding=response.encoding,
            feed_title=feed_meta.get("title"),
            feed_published=feed_meta.get("published"),
            feed_summary=feed_meta.get("summary"),
            language_hint=self.source.language,
        )

    def article_failed(self, failure) -> None:
        _status, reason = describe_failure(failure)
        self.health.article_errors += 1
        self.crawler.stats.inc_value("tracker/article_failed")
        self.logger.info("article failed (%s): %s", self.source.name, reason)
