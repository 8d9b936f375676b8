"""TED Search API v3 (EU procurement notices): anonymous POST with an expert query, one
request a second at most (TRACKER_TED_INTERVAL), paged by page number.

Options: `query` (required, TED expert syntax, e.g. `FT ~ "artificial intelligence" AND
buyer-country IN (DEU FRA)`), `days` (notices published in the last N days, default 30; --since
sets the date instead: `publication-date >= YYYYMMDD` is added), `limit` (per page, <= 250,
default 100), `max_pages` (default 3). 429 and 5xx: backoff (crawling/records.py).
"""

import json
from datetime import date, timedelta

from tracker.crawling.records import RecordSpider
from tracker.extract import ted


class TedSpider(RecordSpider):
    name = "ted"

    def query(self) -> str:
        since = self.since or date.today() - timedelta(days=int(self.option("days", 30)))
        return f"({self.option('query')}) AND publication-date >= {since:%Y%m%d}"

    def page_request(self, page: int):
        body = ted.search_body(self.query(), page, self.limit())
        return self.listing_request(
            self.source.url, method="POST", body=json.dumps(body),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            meta={"min_interval": self.settings.getfloat("TRACKER_TED_INTERVAL", 1.0)},
            cb_kwargs={"page": page})

    def limit(self) -> int:
        return int(self.option("limit", 100))

    async def start(self):
        yield self.page_request(1)

    def parse(self, response, page: int = 1):
        found = self.read_listing(response, ted.parse_notices)
        if found is None:
            return
        yield from self.records(found.records)
        more = found.count >= self.limit() and (found.total is None
                                                or page * self.limit() < found.total)
        if more and page < int(self.option("max_pages", 3)):
            yield self.page_request(page + 1)
