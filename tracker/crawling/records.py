"""Base reader of the official-record kinds (usaspending, fedramp, ...): listings only.

An official source's listing holds the records themselves, so nothing is fetched per item:
each record becomes a RecordItem, stored in official_records (an unchanged record is left as
it is, so a second crawl of the same answer adds nothing). Rate limits: a 429 or 5xx without
Retry-After (which crawling/retryafter.py honours) is retried after an exponential backoff,
TRACKER_BACKOFF_BASE seconds doubled each time, at most TRACKER_BACKOFF_TIMES times; Scrapy's
immediate retries are off for these requests.
"""

from __future__ import annotations

from scrapy.spidermiddlewares.httperror import HttpError

from tracker.crawling.base import SourceReader
from tracker.extract.records import RecordFormatError

BACKOFF_CODES = {429, 500, 502, 503, 504}


def backoff_seconds(base: float, attempt: int) -> float:
    """The wait before retry `attempt` (0-based): base, 2 base, 4 base..."""
    return base * (2 ** attempt)


class RecordReader(SourceReader):
    """Subclasses translate a listing page's records in `read_listing` (Listing.records)."""

    unreadable = (RecordFormatError,)

    def listing_request(self, url: str, callback=None, meta: dict | None = None, **kwargs):
        return super().listing_request(url, callback=callback,
                                       meta={"max_retry_times": 0, **(meta or {})}, **kwargs)

    def listing_failed(self, failure):
        retry = self._backoff_retry(failure)
        if retry is not None:
            return retry
        return super().listing_failed(failure)

    def _backoff_retry(self, failure):
        if not failure.check(HttpError):
            return None
        response = failure.value.response
        request = response.request
        if (response.status not in BACKOFF_CODES or request is None
                or request.meta.get("retry_after_gave_up")):
            return None
        attempt = request.meta.get("backoff_attempt", 0)
        if attempt >= self.settings.getint("TRACKER_BACKOFF_TIMES", 3):
            return None
        wait = backoff_seconds(self.settings.getfloat("TRACKER_BACKOFF_BASE", 2.0), attempt)
        self.count(f"tracker/backoff/http_{response.status}")
        self.logger.info("%s answered %s: retrying in %.1f s", request.url, response.status, wait)
        retry = request.replace(dont_filter=True)
        retry.meta.update(backoff_attempt=attempt + 1, backoff_wait=wait)
        return retry
