"""USAspending.gov awards by keyword (POST api/v2/search/spending_by_award/, no key).

Options: `keywords` (required, a list), `award_type_codes` (default contracts A, B, C, D; one
group per query, as the API requires: IDV_A... for IDVs), `days` (window ending today, default
365; --since sets its start), `limit` (per page, <= 100, default 100), `max_pages` (default 5).
429 and 5xx answers are retried with backoff (tracker/crawling/records.py).
"""

import json
from datetime import date, timedelta

from tracker.crawling.records import RecordSpider
from tracker.extract import usaspending


class UsaspendingSpider(RecordSpider):
    name = "usaspending"

    def codes(self) -> list[str]:
        return list(self.option("award_type_codes", usaspending.CONTRACT_CODES))

    def page_request(self, page: int):
        end = date.today()
        start = self.since or end - timedelta(days=int(self.option("days", 365)))
        body = usaspending.search_body(self.option("keywords"), start, end, self.codes(), page,
                                       int(self.option("limit", usaspending.MAX_LIMIT)))
        return self.listing_request(self.source.url, method="POST", body=json.dumps(body),
                                    headers={"Content-Type": "application/json"},
                                    cb_kwargs={"page": page})

    async def start(self):
        yield self.page_request(1)

    def parse(self, response, page: int = 1):
        found = self.read_listing(
            response, lambda body: usaspending.parse_awards(body, self.codes()))
        if found is None:
            return
        yield from self.records(found.records)
        if found.has_next and page < int(self.option("max_pages", 5)):
            yield self.page_request(page + 1)
