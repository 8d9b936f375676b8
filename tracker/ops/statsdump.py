"""Extension: write each crawler's Scrapy stats as JSON when its spider closes.

Enabled by the TRACKER_STATS_DIR setting (`tracker crawl --stats-dir DIR`): one file per source,
`DIR/<source>.json`, so cron monitoring, tests and the benchmark read the counted reasons
(`tracker/*`, `retry/reason_count/*`, `downloader/exception_type_count/*`, ...) without
parsing logs.
"""

from __future__ import annotations

import json
import re
import time
from datetime import datetime
from pathlib import Path

from scrapy import signals
from scrapy.exceptions import NotConfigured

SAFE = re.compile(r"[^A-Za-z0-9_.-]")


class StatsDump:
    def __init__(self, crawler, directory: str):
        self.crawler = crawler
        self.directory = Path(directory)

    @classmethod
    def from_crawler(cls, crawler):
        directory = crawler.settings.get("TRACKER_STATS_DIR")
        if not directory:
            raise NotConfigured
        ext = cls(crawler, directory)
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_opened(self, spider):
        # Process CPU and wall clock at open/close: the benchmark's per-article CPU window.
        self.crawler.stats.set_value("tracker/process_time/open", time.process_time())
        self.crawler.stats.set_value("tracker/wall/open", time.time())

    def spider_closed(self, spider, reason):
        self.crawler.stats.set_value("tracker/process_time/close", time.process_time())
        self.crawler.stats.set_value("tracker/wall/close", time.time())
        source = getattr(getattr(spider, "source", None), "name", None) or spider.name
        stats = {k: (v.isoformat() if isinstance(v, datetime) else v)
                 for k, v in self.crawler.stats.get_stats().items()}
        stats["finish_reason"] = reason
        health = getattr(spider, "health", None)
        if health is not None:
            stats["tracker/health"] = dict(vars(health))
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{SAFE.sub('_', source)}.json"
        path.write_text(json.dumps(stats, indent=1, sort_keys=True, default=str))
