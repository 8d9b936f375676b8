"""QueueWriterPipeline (scale-out workers only): extracted articles and their events go to
Redis for the single writer (`tracker load-queue`) instead of into SQLite."""

from __future__ import annotations

import json

from itemadapter import ItemAdapter

from tracker.crawling.counts import HEALTH_STATS, Counts
from tracker.items import DiscoveryItem


class QueueWriterPipeline:
    def __init__(self, crawler, url: str, key: str):
        self.crawler = crawler
        self.counts = Counts(crawler.stats)
        self.url = url
        self.key = key
        self.server = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.get("REDIS_URL"),
                   crawler.settings.get("TRACKER_ITEMS_KEY", "tracker:items"))

    def open_spider(self, spider=None):
        import redis

        self.server = redis.Redis.from_url(self.url)

    def process_item(self, item):
        adapter = ItemAdapter(item)
        if isinstance(item, DiscoveryItem):
            payload = {"discovered": adapter.asdict()}
        else:
            payload = {key: adapter.get(key) for key in (
                "source", "article", "events", "unmatched", "discovery", "contracts")}
            self.counts.inc(adapter.get("source"), HEALTH_STATS["events"],
                            len(adapter.get("events") or []))
        self.server.rpush(self.key, json.dumps(payload, ensure_ascii=False, default=str))
        self.counts.inc(adapter.get("source"), "tracker/queued")
        return item
