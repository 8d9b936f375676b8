"""Conditional GET for listings: ETag / Last-Modified kept in the database between runs.

Listing requests (meta `tracker_listing`) carry If-None-Match / If-Modified-Since from the last
clean run; a 304 becomes NotModified (the source is 'ok', nothing to read). New validators are
saved when the spider closes, and only if the run handled everything the listing held (no
failure, no article error, nothing dropped by the budget or --since): otherwise a 304 next
time could hide items that were never fetched.
"""

from __future__ import annotations

import logging

from scrapy import signals

from db.store import Store, now_iso
from tracker.crawling.counts import NOT_MODIFIED, Counts, source_of
from tracker.crawling.health import NotModified

logger = logging.getLogger(__name__)


class ConditionalGetMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.counts = Counts(crawler.stats)
        self.db_path = crawler.settings.get("TRACKER_DB_PATH")
        self.enabled = crawler.settings.getbool("TRACKER_CONDITIONAL_GET", True)
        self.store: Store | None = None
        self.fresh: dict[str, dict[str, dict]] = {}  # source -> listing url -> validators
        crawler.signals.connect(self.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def spider_opened(self, spider=None):
        if self.enabled and self.db_path:
            self.store = Store.open(self.db_path)

    def spider_closed(self, spider, reason=None):
        if self.store is None:
            return
        try:
            for source, fresh in self.fresh.items():
                if spider.outcome(source, reason).clean:
                    self.store.save_validators(
                        [{"url": url, "source": source, **v, "updated_at": now_iso()}
                         for url, v in fresh.items()])
                    self.crawler.stats.inc_value("tracker/validators_saved", len(fresh))
        finally:
            self.store.close()
            self.store = None

    def _conditional(self, request) -> bool:
        """Listings fetched with GET only: a POST search (USAspending, TED) has one URL for
        every query and page, so a validator saved for it would answer for another."""
        return (self.store is not None and request.meta.get("tracker_listing")
                and request.method == "GET")

    def process_request(self, request):
        if not self._conditional(request):
            return
        if b"If-None-Match" in request.headers or b"If-Modified-Since" in request.headers:
            return
        saved = self.store.get_validators(request.url)
        if saved:
            if saved.get("etag"):
                request.headers[b"If-None-Match"] = saved["etag"]
            if saved.get("last_modified"):
                request.headers[b"If-Modified-Since"] = saved["last_modified"]
        return

    def process_response(self, request, response):
        if not self._conditional(request):
            return response
        if response.status == 304:
            self.counts.inc(source_of(request), NOT_MODIFIED)
            raise NotModified(f"not modified since the last run: {request.url}")
        if response.status == 200:
            etag = response.headers.get(b"ETag")
            modified = response.headers.get(b"Last-Modified")
            if etag or modified:
                self.fresh.setdefault(source_of(request), {})[request.url] = {
                    "etag": etag.decode("latin-1") if etag else None,
                    "last_modified": modified.decode("latin-1") if modified else None}
        return response
