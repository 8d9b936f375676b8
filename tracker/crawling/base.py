"""Base of a source kind's reader: what one source of a run lists and fetches.

Every source of a run is read by one Scrapy crawler (tracker/crawling/run.py). A kind's reader
(spiders/<kind>.py) sets `kind` and `options_class`, says where its listing starts
(`start_urls_for_source`, default: the source's url) and translates a listing page with
`read_listing(response) -> Listing`; this class does the rest: parse errors, counting, articles
already stored or requested, records, and paging within `max_pages`. Requests carry the source
in `meta["source"]` and come back to the reader through the run's spider. The shared behaviour
of tracker/crawling/ (robots fail-closed, Retry-After, conditional GET, budget, --since,
spacing) is not the reader's concern.
"""

from __future__ import annotations

import importlib
import logging
from datetime import date

import scrapy
from scrapy.http import TextResponse

from tracker.crawling.counts import HEALTH_STATS, Counts
from tracker.crawling.health import (
    BudgetExhausted,
    NotModified,
    RobotsUnreachable,
    describe_failure,
    dropped_reason,
)
from tracker.crawling.listed import Listing
from tracker.crawling.since import since_date
from tracker.extract.dates import parse_date
from tracker.extract.records import OfficialRecord
from tracker.extract.urls import is_web_url, url_key
from tracker.items import ArticleItem, DiscoveryItem, RecordItem
from tracker.source_options import SourceOptions
from tracker.sources import Source


def reader_class(kind: str) -> type[SourceReader]:
    """The reader of a kind: the SourceReader subclass of spiders/<kind>.py."""
    module = importlib.import_module(f"spiders.{kind}")
    for value in vars(module).values():
        if isinstance(value, type) and issubclass(value, SourceReader) and value.kind == kind:
            return value
    raise LookupError(f"spiders/{kind}.py defines no reader of kind {kind!r}")


class SourceReader:
    """Subclasses set `kind` and `options_class` and implement `read_listing`."""

    kind = ""

    def __init__(self, source: Source, spider):
        self.source = source
        self.spider = spider  # the run's one spider: crawler, settings, shared article keys
        self.logger = logging.getLogger(f"tracker.source.{source.name}")

    @property
    def crawler(self):
        return self.spider.crawler

    @property
    def settings(self):
        return self.spider.settings

    @property
    def counts(self) -> Counts:
        return self.spider.counts

    @property
    def requested(self) -> set[str]:
        """Article keys requested in this run, by any source: a story listed twice is fetched
        once."""
        return self.spider.requested

    @property
    def known_keys(self) -> frozenset[str]:
        return self.spider.known_keys

    @property
    def discovered(self) -> dict:
        """Listing items stored in earlier runs (discovered_items), by item key."""
        return self.spider.discovered

    # ------------------------------------------------------------------ counting
    def count(self, key: str, amount: int = 1) -> None:
        """Count for this source: a SourceHealth field name or a stat key (tracker/...)."""
        self.counts.inc(self.source.name, HEALTH_STATS.get(key, key), amount)

    def fail(self, status: str, reason: str) -> None:
        self.counts.fail(self.source.name, status, reason)

    def note(self, reason: str) -> None:
        self.counts.note(self.source.name, reason)

    # ------------------------------------------------------------------ settings & options
    @property
    def options(self) -> SourceOptions:
        """The source's options, typed by the kind's options_class (spiders/<kind>.py)."""
        return self.source.options

    @property
    def since(self) -> date | None:
        return since_date(self.settings)

    # ------------------------------------------------------------------ requests
    def request(self, url: str, *, callback, errback, meta: dict | None = None,
                **kwargs) -> scrapy.Request:
        """A request of this source: the run's spider routes its answer back to `callback`
        (or its failure to `errback`), methods of this reader named in the request's meta so
        a request survives serialization (the scale-out queue)."""
        return scrapy.Request(url, callback=self.spider.route, errback=self.spider.route_failure,
                              meta={**(meta or {}), "source": self.source.name,
                                    "reader_callback": callback.__name__,
                                    "reader_errback": errback.__name__},
                              **kwargs)
    # ------------------------------------------------------------------ listings
    def start_urls_for_source(self) -> list[str]:
        return [self.source.url]

    async def start(self):
        for url in self.start_urls_for_source():
            yield self.listing_request(url)

    def listing_request(self, url: str, callback=None, meta: dict | None = None,
                        **kwargs) -> scrapy.Request:
        return self.request(url, callback=callback or self.parse, errback=self.listing_failed,
                            dont_filter=True, meta={"tracker_listing": True, **(meta or {})},
                            **kwargs)

    # ------------------------------------------------------------------ a listing page
    unreadable: tuple[type[Exception], ...] = ()  # what read_listing raises for a foreign page
    stop_when_nothing_new = False  # paging stops at a page whose every item was seen before

    def read_listing(self, response, **context) -> Listing:
        raise NotImplementedError(f"{type(self).__name__} reads no listing")

    @staticmethod
    def page_of(response) -> int:
        """Which page of the listing `response` is (1: the first)."""
        return response.request.cb_kwargs.get("page", 1)

    def parse(self, response, page: int = 1, **context):
        """A listing page: read by the kind, acted on here."""
        try:
            listing = self.read_listing(response, **context)
        except self.unreadable as exc:
            self.listing_unreadable(response.url, exc)
            return
        self.account(listing)
        yield from self.records(listing.records)
        new = 0
        for output in self.follow(listing.items):
            if output is not None:
                new += 1
                yield output
        if (listing.continues and page < getattr(self.options, "max_pages", 1)
                and (new or not self.stop_when_nothing_new)):
            yield self.next_page(listing, page + 1)

    def account(self, listing: Listing) -> None:
        """Count what the page listed, left out and could not read; keep its remarks."""
        self.listed(listing.listed)
        self.skip("broken_entry", listing.broken)
        for reason, count in listing.skipped.items():
            self.skip(reason, count)
        for key, count in listing.counts.items():
            self.count(key, count)
        for note in listing.notes:
            self.logger.info("%s: %s", self.source.name, note)
            self.note(note[:300])

    def follow(self, items: list):
        """The article requests for the listed items (None for an item not to fetch)."""
        for item in items:
            yield self.article_request(item.url, fetch_url=item.fetch_url,
                                       callback=self.article_callback(), title=item.title,
                                       published=item.published,
                                       listing_date=self.listing_date(item.published))

    def article_callback(self):
        """The method that reads this kind's article pages."""
        return self.parse_article

    def next_page(self, listing: Listing, page: int) -> scrapy.Request:
        return self.listing_request(listing.next_url, cb_kwargs={"page": page})

    def records(self, found: list[OfficialRecord]):
        """RecordItems for an official source's records (counted as the source's items)."""
        self.count("items_found", len(found))
        for record in found:
            yield RecordItem(source=self.source.name, kind=self.source.kind,
                             record=record.as_dict())

    def listing_failed(self, failure) -> None:
        if failure.check(NotModified):
            return
        if failure.check(BudgetExhausted):
            self.count("budget_skipped")
            return
        status, reason = describe_failure(failure)
        self.fail(status, reason)
        self.logger.warning("source %s failed: %s", self.source.name, reason)

    def listing_unreadable(self, url: str, error: Exception | str) -> None:
        self.count(f"tracker/{self.kind}/parse_error")
        self.fail("parse", f"parse error in {url}: {error}")
        self.logger.warning("source %s: cannot parse %s: %s", self.source.name, url, error)

    def listed(self, items: int) -> None:
        """Count one listing page read and the items it held (stats tracker/<kind>/...)."""
        self.count(f"tracker/{self.kind}/pages")
        self.count(f"tracker/{self.kind}/items", items)

    def skip(self, reason: str, count: int = 1) -> None:
        """Bad input from the source: counted (crawl_runs.skipped, stats) and logged."""
        if count <= 0:
            return
        self.count("skipped", count)
        self.count(f"tracker/skipped/{reason}", count)
        self.logger.info("source %s: skipped %d (%s)", self.source.name, count, reason)

    def listing_date(self, raw: str | None) -> str | None:
        """A listing's date for the item as YYYY-MM-DD; implausible dates (1970, the future)
        are counted and dropped."""
        if not raw:
            return None
        parsed = parse_date(raw, languages=[self.source.language] if self.source.language
                            else None)
        if parsed is None:
            self.count("tracker/listing_date_unusable")
        return parsed.isoformat() if parsed else None

    # ------------------------------------------------------------------ articles
    def article_request(self, url: str | None, *, fetch_url: str | None = None, callback=None,
                        listing_date: str | None = None, discovery: dict | None = None,
                        meta: dict | None = None, counted: bool = False, **feed_meta):
        """Request an article unless it is stored already or was requested in this run.

        `url` is the article's identity (what is stored); `fetch_url` what to download when it
        differs (an API document). `listing_date` (YYYY-MM-DD) feeds the --since filter.
        `counted`: the item was counted as found already (a wrapper link followed).
        """
        if not is_web_url(url):
            return None
        if not counted:
            self.count("items_found")
        key = url_key(url)
        if key in self.known_keys:
            self.count("articles_known")
            return None
        if key in self.requested:
            return None
        self.requested.add(key)
        feed_meta.setdefault("published", None)
        if discovery is not None:
            discovery = {"source": self.source.name, "kind": self.source.kind, **discovery}
        return self.request(
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
            self.count("tracker/article_not_text")
            self.count("article_errors")
            return
        self.count("articles_fetched")
        yield self.article_item(response, feed_meta)

    def discovery_item(self, **fields) -> DiscoveryItem:
        return DiscoveryItem(source=self.source.name, kind=self.source.kind, **fields)

    def article_failed(self, failure) -> None:
        self.count(f"tracker/dropped/{dropped_reason(failure)}")
        if failure.check(BudgetExhausted):
            self.count("budget_skipped")
            return
        status, reason = describe_failure(failure)
        if status == "robots" and not failure.check(RobotsUnreachable):
            self.skip("robots")
            return
        self.count("article_errors")
        self.count("tracker/article_failed")
        self.logger.info("article failed (%s): %s", self.source.name, reason)
