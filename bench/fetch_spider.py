"""Baseline: the bare Scrapy fetch of the same feeds and pages (no extraction, no pipelines).

Same concurrency and politeness overrides as the benchmark's tracker crawl; the callback
forces the lxml parse (title xpath) and yields one small item per page, like the tracker.
Usage: python bench/fetch_spider.py OUT.json FEED_URL...
"""

from __future__ import annotations

import json
import sys
import time

import scrapy
from scrapy.crawler import CrawlerProcess


class FetchSpider(scrapy.Spider):
    name = "fetch"

    def __init__(self, feeds, out, **kwargs):
        super().__init__(**kwargs)
        self.feeds = feeds
        self.out = out
        self.pages = 0

    async def start(self):
        self.cpu0, self.t0 = time.process_time(), time.time()
        for url in self.feeds:
            yield scrapy.Request(url, callback=self.parse_feed, dont_filter=True)

    def parse_feed(self, response):
        for link in response.xpath("//item/link/text()").getall():
            yield scrapy.Request(link.strip(), callback=self.parse_page)

    def parse_page(self, response):
        self.pages += 1
        yield {"title": response.xpath("//title/text()").get()}

    def closed(self, reason):
        with open(self.out, "w") as handle:
            json.dump({"pages": self.pages, "cpu": time.process_time() - self.cpu0,
                       "wall": time.time() - self.t0, "reason": reason}, handle)


def main() -> None:
    out, feeds = sys.argv[1], sys.argv[2:]
    process = CrawlerProcess({
        "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "CONCURRENT_ITEMS": 1,
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "COOKIES_ENABLED": False,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    })
    process.crawl(FetchSpider, feeds=feeds, out=out)
    process.start()

if __name__ == "__main__":
    main()
