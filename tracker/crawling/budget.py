"""Per-source request budget: every request that reaches the network is counted, and requests
past the source's `max_requests` are dropped (BudgetExhausted) before they are sent.

Counting happens here, not in the spider, so retries, redirects and Retry-After waits are
counted too; robots.txt fetches are counted but never refused. The count is the `requests`
column of crawl_runs.
"""

from __future__ import annotations

from collections import Counter

from tracker.crawling.counts import HEALTH_STATS, Counts, source_of
from tracker.crawling.health import BudgetExhausted


class RequestBudgetMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.default_budget = crawler.settings.getint("TRACKER_DEFAULT_MAX_REQUESTS", 0)
        self.spent: Counter[str] = Counter()  # source -> requests sent
        self.counts = Counts(crawler.stats)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        name = source_of(request)
        readers = getattr(self.crawler.spider, "readers", {})
        if name not in readers:
            return
        budget = readers[name].source.max_requests or self.default_budget
        robots = request.meta.get("dont_obey_robotstxt") and request.url.endswith("/robots.txt")
        if not robots:
            if budget and self.spent[name] >= budget:
                self.counts.inc(name, "tracker/budget_exhausted")
                raise BudgetExhausted(f"request budget of {budget} spent")
            self.spent[name] += 1
        self.counts.inc(name, HEALTH_STATS["requests"])
        return
