"""Minimum spacing between requests to one host, whatever the downloader's delay does.

GDELT's DOC API allows one request every 5 seconds per client, while AutoThrottle may bring the
host's download delay well under that; this middleware keeps its own schedule per host for the
run. A request opts in
with `meta["min_interval"]` (seconds); spiders set it from their settings. A request retried
after a rate limit or server error carries `meta["backoff_wait"]` (seconds) and waits that long
before it is sent (official-record sources: tracker/crawling/records.py).
"""

from __future__ import annotations

import asyncio
import logging

from scrapy.utils.httpobj import urlparse_cached

from tracker.crawling.counts import Counts, source_of

logger = logging.getLogger(__name__)


def reserve(next_slot: dict[str, float], host: str, interval: float, now: float) -> float:
    """Book the next free slot for `host` (next_slot: host -> loop time at which the next
    request may start); returns how long to wait for it."""
    start = max(now, next_slot.get(host, 0.0))
    next_slot[host] = start + interval
    return start - now


class HostSpacingMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.counts = Counts(crawler.stats)
        self.next_slot: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request):
        backoff = request.meta.get("backoff_wait")
        if backoff:
            self.counts.inc(source_of(request), "tracker/backoff_waits")
            await asyncio.sleep(float(backoff))
        interval = request.meta.get("min_interval")
        if not interval:
            return
        host = urlparse_cached(request).netloc.lower()
        wait = reserve(self.next_slot, host, float(interval), asyncio.get_running_loop().time())
        if wait > 0:
            self.counts.inc(source_of(request), "tracker/spacing_waits")
            logger.debug("waiting %.1f s before %s (min interval %.1f s)", wait, request.url,
                         interval)
            await asyncio.sleep(wait)
        return
