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
from scrapy import signals
from scrapy.crawler import CrawlerProcess


class FetchSpider(scrapy.Spider):
    name = "fetch"

    def __init__(self, feeds, **kwargs):
        super().__init__(**kwargs)
        self.feeds = feeds
        self.pages = 0

    async def start(self):
        for url in self.feeds:
            yield scrapy.Request(url, callback=self.parse_feed, dont_filter=True)

    def parse_feed(self, response):
        for link in response.xpath("//item/link/text()").getall():
            yield scrapy.Request(link.strip(), callback=self.parse_page)

    def parse_page(self, response):
        self.pages += 1
        yield {"title": response.xpath("//title/text()").get()}


def main() -> None:
    out, feeds = sys.argv[1], sys.argv[2:]
    marks = {}
    process = CrawlerProcess({
        "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False, "ROBOTSTXT_OBEY": True,
        "CONCURRENT_REQUESTS": 32, "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "CONCURRENT_ITEMS": 1,
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "COOKIES_ENABLED": False,
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    })
    crawler = process.create_crawler(FetchSpider)
    crawler.signals.connect(lambda spider: marks.update(cpu0=time.process_time(), t0=time.time()),
                            signal=signals.spider_opened)
    crawler.signals.connect(lambda spider: marks.update(cpu1=time.process_time(), t1=time.time()),
                            signal=signals.spider_closed)
    process.crawl(crawler, feeds=feeds)
    process.start()
    json.dump({"pages": crawler.spider.pages, "cpu": marks["cpu1"] - marks["cpu0"],
               "wall": marks["t1"] - marks["t0"]}, open(out, "w"))


if __name__ == "__main__":
    main()
