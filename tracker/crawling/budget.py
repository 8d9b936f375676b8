"""Per-source request budget: every request that reaches the network is counted, and requests
past the source's `max_requests` are dropped (BudgetExhausted) before they are sent.

Counting happens here, not in the spider, so retries, redirects and Retry-After waits are
counted too; robots.txt fetches are counted but never refused. The count is the `requests`
column of crawl_runs.
"""

from __future__ import annotations

from tracker.crawling.health import BudgetExhausted


class RequestBudgetMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler
        self.default_budget = crawler.settings.getint("TRACKER_DEFAULT_MAX_REQUESTS", 0)
        self.spent = 0

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        spider = self.crawler.spider
        health = getattr(spider, "health", None)
        if health is None:
            return
        source = getattr(spider, "source", None)
        budget = getattr(source, "max_requests", None) or self.default_budget
        robots = request.meta.get("dont_obey_robotstxt") and request.url.endswith("/robots.txt")
        if not robots:
            if budget and self.spent >= budget:
                self.crawler.stats.inc_value("tracker/budget_exhausted")
                raise BudgetExhausted(f"request budget of {budget} spent")
            self.spent += 1
        health.requests += 1
        self.crawler.stats.inc_value("tracker/requests")
        return
