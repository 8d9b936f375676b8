"""Honour Retry-After on 429 and 503: wait as asked (up to a cap), retry, then give up.

Scrapy's RetryMiddleware retries 429/503 at once, which hammers a server that just asked us
to slow down; AutoThrottle ignores Retry-After too. When a 429 or 503 carries Retry-After, this
middleware (ahead of RetryMiddleware in the response chain) waits that long, at most
TRACKER_RETRY_AFTER_TIMES times. A wait longer than TRACKER_RETRY_AFTER_MAX is not attempted:
the response goes on to the spider's errback and the source is recorded as `refused`.
Without the header, RetryMiddleware retries as usual (RETRY_TIMES).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from tracker.crawling.counts import Counts, source_of
from tracker.crawling.engine import closing

logger = logging.getLogger(__name__)

CODES = (429, 503)


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or an HTTP date); None if absent
    or unreadable."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0.0, (when - now).total_seconds())


def _challenge_page(body: bytes) -> bool:
    head = body[:4000].lower()
    return b"cloudflare" in head or b"cf-chl" in head


class RetryAfterMiddleware:
    def __init__(self, crawler):
        settings = crawler.settings
        self.crawler = crawler
        self.counts = Counts(crawler.stats)
        self.max_wait = settings.getfloat("TRACKER_RETRY_AFTER_MAX", 120.0)
        self.times = settings.getint("TRACKER_RETRY_AFTER_TIMES", 2)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def _sleep(self, seconds: float) -> bool:
        """Wait in short steps; False as soon as the spider starts closing."""
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        while (left := end - loop.time()) > 0:
            if closing(self.crawler):
                return False
            await asyncio.sleep(min(left, 0.5))
        return True

    async def process_response(self, request, response):
        if (response.status not in CODES or request.meta.get("dont_retry")
                or request.meta.get("dont_obey_robotstxt") or _challenge_page(response.body)):
            return response
        wait = retry_after_seconds(response.headers.get("Retry-After"))
        if wait is None:  # no header: Scrapy's RetryMiddleware retries as usual
            return response
        source = source_of(request)
        attempts = request.meta.get("retry_after_times", 0)
        if wait > self.max_wait or attempts >= self.times:
            # Give up now, and keep RetryMiddleware from retrying at once behind our back.
            request.meta["dont_retry"] = True
            if wait > self.max_wait:
                self.counts.inc(source, "tracker/retry_after/deferred")
                request.meta["retry_after_gave_up"] = wait
                logger.warning("%s answered %s asking to retry after %.0f s (cap %.0f s): "
                               "giving up for this run", request.url, response.status, wait,
                               self.max_wait)
            else:
                self.counts.inc(source, "tracker/retry_after/gave_up")
                logger.warning("%s still answers %s after %d waits: giving up", request.url,
                               response.status, attempts)
            return response
        self.counts.inc(source, "tracker/retry_after/waited")
        self.counts.inc(source, "tracker/retry_after/seconds", wait)
        logger.info("%s answered %s: waiting %.1f s before retry %d", request.url,
                    response.status, wait, attempts + 1)
        if not await self._sleep(wait):  # the run is closing: do not hold it up
            request.meta["dont_retry"] = True
            return response
        retry = request.replace(dont_filter=True)
        retry.meta["retry_after_times"] = attempts + 1
        return retry
