"""ExtractPipeline: article text, title, dates, language and canonical URL, off the reactor."""

from __future__ import annotations

import asyncio
from concurrent.futures import ProcessPoolExecutor

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from tracker.extract.article import extract_article
from tracker.items import ArticleItem
from tracker.ops.workers import worker_pool

# One pool per process, shared by the crawlers of a run (one crawler per source): a pool per
# crawler would start TRACKER_EXTRACT_WORKERS processes per source (20 feeds: 20 x ~150 MB).
_POOL: dict[str, object] = {"pool": None, "users": 0}


def _acquire_pool(workers: int) -> ProcessPoolExecutor:
    if _POOL["pool"] is None:
        _POOL["pool"] = worker_pool(workers)
    _POOL["users"] += 1
    return _POOL["pool"]


def _release_pool() -> None:
    _POOL["users"] -= 1
    if _POOL["users"] <= 0 and _POOL["pool"] is not None:
        _POOL["pool"].shutdown(wait=True, cancel_futures=True)
        _POOL["pool"], _POOL["users"] = None, 0


class ExtractPipeline:
    """Runs trafilatura in worker processes so fetching and extraction use both cores."""

    def __init__(self, crawler, workers: int):
        self.crawler = crawler
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getint("TRACKER_EXTRACT_WORKERS", 1))

    def open_spider(self, spider=None):
        if self.workers > 0:
            self.pool = _acquire_pool(self.workers)

    def close_spider(self, spider=None):
        if self.pool is not None:
            self.pool = None
            _release_pool()

    async def process_item(self, item):
        if not isinstance(item, ArticleItem):  # DiscoveryItem: listing metadata only
            return item
        adapter = ItemAdapter(item)
        args = (adapter["body"], adapter["url"], adapter["encoding"])
        kwargs = {"feed_title": adapter["feed_title"], "feed_published": adapter["feed_published"],
                  "language_hint": adapter["language_hint"]}
        try:
            if self.pool is None:
                article = extract_article(*args, **kwargs)
            else:
                loop = asyncio.get_running_loop()
                article = await loop.run_in_executor(
                    self.pool, _extract_worker, args, kwargs)
        except Exception as exc:  # a hostile page must never stop the crawl
            self.crawler.stats.inc_value("tracker/extract_error")
            raise DropItem(f"extraction failed for {adapter['url']}: {exc!r}") from exc
        for flag in article.flags:
            self.crawler.stats.inc_value(f"tracker/article_flag/{flag}")
        adapter["article"] = article.as_dict()
        return item


def _extract_worker(args, kwargs):
    return extract_article(*args, **kwargs)
