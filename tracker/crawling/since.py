"""The --since window: article requests whose listing date is older are never sent.

`tracker crawl --since "7 days ago"` sets TRACKER_SINCE (an ISO date). Spiders put the date a
listing gives for an item in `meta["listing_date"]` (YYYY-MM-DD); this spider middleware drops
requests dated before the window and counts them. Items without a listing date pass (the
article page decides). Spiders that query an API (GDELT, Google News, GOV.UK) also read
`since_date(settings)` to narrow the query itself.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from scrapy.spidermiddlewares.base import BaseSpiderMiddleware

from tracker.crawling.counts import HEALTH_STATS, Counts, source_of

logger = logging.getLogger(__name__)


class SinceError(ValueError):
    pass


def parse_since(text: str, now: datetime | None = None) -> date:
    """'7 days ago', '2025-01-31', 'last month' ... -> a date (UTC); SinceError if unreadable or
    in the future."""
    import dateparser

    now = now or datetime.now(UTC)
    value = (text or "").strip()
    parsed = None
    if value:
        try:
            parsed = date.fromisoformat(value)
        except ValueError:
            settings = {"RELATIVE_BASE": now.replace(tzinfo=None), "PREFER_DATES_FROM": "past",
                        "RETURN_AS_TIMEZONE_AWARE": False}
            found = dateparser.parse(value, settings=settings)
            parsed = found.date() if found else None
    if parsed is None:
        raise SinceError(f"cannot read --since {text!r} (try '7 days ago' or 2025-01-31)")
    if parsed > now.date():
        raise SinceError(f"--since {text!r} is in the future ({parsed.isoformat()})")
    return parsed


def since_date(settings) -> date | None:
    value = settings.get("TRACKER_SINCE")
    if not value:
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


class SinceFilterMiddleware(BaseSpiderMiddleware):
    def __init__(self, crawler):
        super().__init__(crawler)
        self.counts = Counts(crawler.stats)
        self.since = since_date(crawler.settings)

    def get_processed_request(self, request, response):
        listed = request.meta.get("listing_date")
        if self.since is None or not listed or str(listed)[:10] >= self.since.isoformat():
            return request
        self.counts.inc(source_of(request), HEALTH_STATS["since_skipped"])
        logger.debug("older than --since %s (%s): %s", self.since, listed, request.url)
        return None
