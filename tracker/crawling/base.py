"""Base spider: one crawler per configured source, articles fetched once, failures recorded.

A kind's spider (spiders/<kind>.py) sets `name = "<kind>"`, says where its listing starts
(`start_urls_for_source`, default: the source's url) and parses listings in `parse`, calling
`article_request` for every item. Everything else is shared here or in the middlewares of
tracker/crawling/ (robots fail-closed, Retry-After, conditional GET, budget, --since, spacing).
"""

from __future__ import annotations

from datetime import date

import scrapy
from scrapy.http import TextResponse

from tracker.crawling.health import (
    BudgetExhausted,
    NotModified,
    RobotsUnreachable,
    SourceHealth,
    describe_failure,
    dropped_reason,
)
from tracker.crawling.since import since_date
from tracker.extract.dates import parse_date
from tracker.extract.urls import is_web_url, url_key
from tracker.items import ArticleItem, DiscoveryItem
from tracker.source_options import SourceOptions
from tracker.sources import Source


def _never(*args) -> None:
    return None


class SourceSpider(scrapy.Spider):
    """Subclasses set `name` (the source kind) and implement `parse` for the listing."""

    def __init__(self, source: Source, known_keys: frozenset[str] = frozenset(),
                 claimed: set[str] | None = None, discovered: dict | None = None, **kwargs):
        super().__init__(name=self.name, **kwargs)
        self.source = source
        self.known_keys = known_keys
        # Shared by all sources of one run: an article listed by two feeds is fetched once.
        self.requested: set[str] = claimed if claimed is not None else set()
        # Listing items stored in earlier runs (discovered_items), by item key.
        self.discovered: dict = discovered if discovered is not None else {}
        self.health = SourceHealth(source=source.name, kind=source.kind)

    # ------------------------------------------------------------------ settings & options
    @property
    def options(self) -> SourceOptions:
        """The source's options, typed by the kind's options_class (spiders/<kind>.py)."""
        return self.source.options

    @property
    def since(self) -> date | None:
        return since_date(self.settings)

    # ------------------------------------------------------------------ listings
    def start_urls_for_source(self) -> list[str]:
        return [self.source.url]

    async def start(self):
        for url in self.start_urls_for_source():
            yield self.listing_request(url)

    def listing_request(self, url: str, callback=None, meta: dict | None = None,
                        **kwargs) -> scrapy.Request:
        return scrapy.Request(url, callback=callback or self.parse, errback=self.listing_failed,
                              dont_filter=True, meta={"tracker_listing": True, **(meta or {})},
                              **kwargs)

    def listing_failed(self, failure) -> None:
        if failure.check(NotModified):
            self.health.not_modified = True
            return
        if failure.check(BudgetExhausted):
            self.health.budget_skipped += 1
            return
        status, reason = describe_failure(failure)
        self.health.fail(status, reason)
        self.logger.warning("source %s failed: %s", self.source.name, reason)

    def listing_unreadable(self, url: str, error: Exception | str) -> None:
        self.crawler.stats.inc_value(f"tracker/{self.name}/parse_error")
        self.health.fail("parse", f"parse error in {url}: {error}")
        self.logger.warning("source %s: cannot parse %s: %s", self.source.name, url, error)

    def listed(self, items: int) -> None:
        """Count one listing page read and the items it held (stats tracker/<kind>/...)."""
        self.crawler.stats.inc_value(f"tracker/{self.name}/pages")
        self.crawler.stats.inc_value(f"tracker/{self.name}/items", items)

    def skip(self, reason: str, count: int = 1) -> None:
        """Bad input from the source: counted (crawl_runs.skipped, stats) and logged."""
        if count <= 0:
            return
        self.health.skipped += count
        self.crawler.stats.inc_value("tracker/skipped", count)
        self.crawler.stats.inc_value(f"tracker/skipped/{reason}", count)
        self.logger.info("source %s: skipped %d (%s)", self.source.name, count, reason)

    def listing_date(self, raw: str | None) -> str | None:
        """A listing's date for the item as YYYY-MM-DD; implausible dates (1970, the future)
        are counted and dropped."""
        if not raw:
            return None
        parsed = parse_date(raw, languages=[self.source.language] if self.source.language
                            else None)
        if parsed is None:
            self.crawler.stats.inc_value("tracker/listing_date_unusable")
        return parsed.isoformat() if parsed else None

    # ------------------------------------------------------------------ articles
    def article_request(self, url: str | None, *, fetch_url: str | None = None, callback=None,
                        listing_date: str | None = None, discovery: dict | None = None,
                        meta: dict | None = None, **feed_meta):
        """Request an article unless it is stored already or was requested in this run.

        `url` is the article's identity (what is stored); `fetch_url` what to download when it
        differs (an API document). `listing_date` (YYYY-MM-DD) feeds the --since filter.
        """
        if not is_web_url(url):
            return None
        self.health.items_found += 1
        key = url_key(url)
        if key in self.known_keys:
            self.health.articles_known += 1
            return None
        if key in self.requested:
            return None
        self.requested.add(key)
        feed_meta.setdefault("published", None)
        if discovery is not None:
            discovery = {"source": self.source.name, "kind": self.source.kind, **discovery}
        return scrapy.Request(
            fetch_url or url, callback=callback or self.parse_article,
            errback=self.article_failed,
            cb_kwargs={"feed_meta": {**feed_meta, "url": url, "discovery": discovery}},
            meta={"listing_date": listing_date, **(meta or {})})

    def article_item(self, response, feed_meta: dict, *, url: str | None = None,
                     body: bytes | None = None, **extra) -> ArticleItem:
        text = isinstance(response, TextResponse)
        return ArticleItem(
            url=url or response.url,
            source=self.source.name,
            body=response.body if body is None else body,
            encoding=response.encoding if text and body is None else "utf-8",
            feed_title=feed_meta.get("title"),
            feed_published=feed_meta.get("published"),
            language_hint=self.source.language,
            discovery=({"source": self.source.name, "kind": self.source.kind,
                        **feed_meta["discovery"]} if feed_meta.get("discovery") else None),
            **extra,
        )

    def parse_article(self, response, feed_meta: dict):
        if not isinstance(response, TextResponse):
            self.crawler.stats.inc_value("tracker/article_not_text")
            self.health.article_errors += 1
            return
        self.health.articles_fetched += 1
        yield self.article_item(response, feed_meta)

    def discovery_item(self, **fields) -> DiscoveryItem:
        return DiscoveryItem(source=self.source.name, kind=self.source.kind, **fields)

    # ------------------------------------------------------------------ wrapped links
    # Listings whose links are redirect wrappers (Google News) resolve them here: follow the
    # link (robots.txt permitting); a redirect away from the wrapper host is the article
    # itself, else the page may name it (`page_target`); otherwise the item is kept unresolved
    # (a DiscoveryItem: title, outlet, date), never dropped.
    wrapper_host = staticmethod(_never)   # url -> True when still on the wrapper's host
    page_target = staticmethod(_never)    # (body, url) -> article URL named by the page

    def unresolved(self, found: dict, attempted: bool = False, count: bool = True):
        self.health.items_found += count
        self.health.unresolved += 1
        return self.discovery_item(**found, status="unresolved", attempted=attempted)

    def follow_wrapper(self, found: dict, meta: dict) -> scrapy.Request:
        self.requested.add(found["key"])
        self.health.items_found += 1
        return scrapy.Request(found["link"], callback=self.wrapper_followed,
                              errback=self.wrapper_failed, cb_kwargs={"found": found, "meta": meta},
                              meta={"listing_date": meta.get("listing_date")})

    def wrapper_followed(self, response, found: dict, meta: dict):
        if response.url != found["link"] and not self.wrapper_host(response.url):
            found, key = {**found, "url": response.url, "status": "resolved"}, url_key(response.url)
            if key in self.known_keys or key in self.requested:
                yield self.discovery_item(**found)
                return
            self.requested.add(key)
            self.health.articles_fetched += 1
            yield self.article_item(response, {**meta, "discovery": found})
            return
        target = self.page_target(response.body, response.url)
        if target:
            self.health.items_found -= 1  # article_request counts it again
            yield self.article_request(target, discovery={**found, "url": target,
                                                          "status": "resolved"}, **meta)
        else:
            yield self.unresolved(found, attempted=True, count=False)

    def wrapper_failed(self, failure):
        if failure.check(BudgetExhausted):  # not attempted: the next run tries again
            self.health.budget_skipped += 1
            return
        self.logger.info("%s: link not followed (%s)", self.source.name, failure.getErrorMessage())
        yield self.unresolved(failure.request.cb_kwargs["found"], attempted=True, count=False)

    def article_failed(self, failure) -> None:
        self.crawler.stats.inc_value(f"tracker/dropped/{dropped_reason(failure)}")
        if failure.check(BudgetExhausted):
            self.health.budget_skipped += 1
            return
        status, reason = describe_failure(failure)
        if status == "robots" and not failure.check(RobotsUnreachable):
            self.skip("robots")
            return
        self.health.article_errors += 1
        self.crawler.stats.inc_value("tracker/article_failed")
        self.logger.info("article failed (%s): %s", self.source.name, reason)
