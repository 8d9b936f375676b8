"""Extension: write the run's Scrapy stats as JSON when the crawl closes.

Enabled by the TRACKER_STATS_DIR setting (`tracker crawl --stats-dir DIR`): one file per source,
`DIR/<source>.json`, with the source's own counts (`tracker/*`) and finish reason, and the whole
run in `DIR/_run.json` (Scrapy's `retry/reason_count/*`, `downloader/exception_type_count/*`,
... and every source's counts under `source/<name>/`), so cron monitoring, tests and the
benchmark read the counted reasons without parsing logs.
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
RUN_FILE = "_run.json"  # the whole run's stats, every source's prefixed ones included
TIMING = ("tracker/process_time/", "tracker/wall/")


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
        run = {k: (v.isoformat() if isinstance(v, datetime) else v)
               for k, v in self.crawler.stats.get_stats().items()}
        self.directory.mkdir(parents=True, exist_ok=True)
        self._write(RUN_FILE, {**run, "finish_reason": reason})
        timing = {k: v for k, v in run.items() if k.startswith(TIMING)}
        for name in getattr(spider, "readers", {}):
            health = spider.outcome(name, reason)
            own = {**timing, **spider.counts.of(name), "tracker/health": dict(vars(health)),
                   "finish_reason": reason if spider.ended_early(name, reason) else "finished"}
            self._write(f"{SAFE.sub('_', name)}.json", own)

    def _write(self, name: str, stats: dict) -> None:
        path = self.directory / name
        path.write_text(json.dumps(stats, indent=1, sort_keys=True, default=str))
