"""TED Search API v3 (EU procurement notices): anonymous POST with an expert query, one
request a second at most (TRACKER_TED_INTERVAL), paged by page number.

429 and 5xx: backoff (crawling/records.py).
"""

import json
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.crawling.listed import Listing
from tracker.crawling.records import RecordReader
from tracker.extract import ted
from tracker.source_options import PositiveInt, SourceOptions, option, up_to


@dataclass(frozen=True)
class TedOptions(SourceOptions):
    query: str | None = option(None, "required: TED expert syntax, e.g. `FT ~ \"artificial "
                                     "intelligence\" AND buyer-country IN (DEU FRA)`")
    days: PositiveInt = option(30, "notices published in the last N days; `--since` sets the "
                                   "date (`publication-date >= YYYYMMDD` is added)")
    limit: up_to(ted.MAX_LIMIT) = option(100, "notices per page")
    max_pages: PositiveInt = option(3, "pages read per run")

    def problem(self, url: str) -> str | None:
        if not self.query or not self.query.strip():
            return "a ted source needs a 'query' (TED expert search syntax)"
        return None


class TedReader(RecordReader):
    kind = "ted"
    options_class = TedOptions

    def query(self) -> str:
        since = self.since or date.today() - timedelta(days=self.options.days)
        return f"({self.options.query}) AND publication-date >= {since:%Y%m%d}"

    def page_request(self, page: int):
        body = ted.search_body(self.query(), page, self.options.limit)
        return self.listing_request(
            self.source.url, method="POST", body=json.dumps(body),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
            meta={"min_interval": self.settings.getfloat("TRACKER_TED_INTERVAL", 1.0)},
            cb_kwargs={"page": page})

    async def start(self):
        yield self.page_request(1)

    def read_listing(self, response) -> Listing:
        found = ted.parse_notices(response.body)
        limit, page = self.options.limit, self.page_of(response)
        more = found.count >= limit and (found.total is None or page * limit < found.total)
        return Listing(records=found.records, broken=found.broken, more=more)

    def next_page(self, listing: Listing, page: int):
        return self.page_request(page)
