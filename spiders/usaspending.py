"""USAspending.gov awards by keyword (POST api/v2/search/spending_by_award/, no key).

429 and 5xx answers are retried with backoff (tracker/crawling/records.py).
"""

import json
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.crawling.listed import Listing
from tracker.crawling.records import RecordReader
from tracker.extract import usaspending
from tracker.source_options import PositiveInt, Slugs, SourceOptions, Texts, option, up_to


@dataclass(frozen=True)
class UsaspendingOptions(SourceOptions):
    keywords: Texts = option((), "required: the search words")
    award_type_codes: Slugs = option(
        usaspending.CONTRACT_CODES, "contract codes, or IDV codes (`IDV_A`...): the API takes "
                                    "one group a query")
    days: PositiveInt = option(365, "the window ending today; `--since` sets its start")
    limit: up_to(usaspending.MAX_LIMIT) = option(usaspending.MAX_LIMIT, "awards per page")
    max_pages: PositiveInt = option(5, "pages read per run")

    def problem(self, url: str) -> str | None:
        if not self.keywords or not all(k.strip() for k in self.keywords):
            return "a usaspending source needs 'keywords' (a list of search words)"
        codes = set(self.award_type_codes)
        if not codes or not (codes <= set(usaspending.CONTRACT_CODES)
                             or codes <= set(usaspending.IDV_CODES)):
            return ("award_type_codes must be contract codes (A, B, C, D) or IDV codes "
                    "(IDV_A ... IDV_E), not both: the API takes one group per query")
        return None


class UsaspendingReader(RecordReader):
    kind = "usaspending"
    options_class = UsaspendingOptions

    def page_request(self, page: int):
        end = date.today()
        start = self.since or end - timedelta(days=self.options.days)
        body = usaspending.search_body(self.options.keywords, start, end,
                                       list(self.options.award_type_codes), page,
                                       self.options.limit)
        return self.listing_request(self.source.url, method="POST", body=json.dumps(body),
                                    headers={"Content-Type": "application/json"},
                                    cb_kwargs={"page": page})

    async def start(self):
        yield self.page_request(1)

    def read_listing(self, response) -> Listing:
        found = usaspending.parse_awards(response.body, list(self.options.award_type_codes))
        return Listing(records=found.records, broken=found.broken, more=found.has_next)

    def next_page(self, listing: Listing, page: int):
        return self.page_request(page)
