"""ExtractPipeline: article text, title, dates, language and canonical URL, off the reactor."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from tracker.extract.article import extract_article
from tracker.items import ArticleItem
from tracker.ops.workers import PipeWorkers, WorkerDied

# One set of workers per process, shared by the crawlers of a run (one crawler per source):
# per crawler it would be TRACKER_EXTRACT_WORKERS processes per source (20 feeds: 20 x 150 MB).
_POOL: dict[str, object] = {"pool": None, "users": 0}


def _acquire_pool(workers: int) -> None:
    if _POOL["pool"] is None:
        _POOL["pool"] = PipeWorkers(extract_article, workers)
    _POOL["users"] += 1


def _release_pool() -> None:
    _POOL["users"] -= 1
    if _POOL["users"] <= 0 and _POOL["pool"] is not None:
        _POOL["pool"].close()
        _POOL["pool"], _POOL["users"] = None, 0


class ExtractPipeline:
    """Runs trafilatura in worker processes so fetching and extraction use both cores."""

    def __init__(self, crawler, workers: int):
        self.crawler = crawler
        self.workers = workers
        self.pooled = False

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getint("TRACKER_EXTRACT_WORKERS", 1))

    def open_spider(self, spider=None):
        if self.workers > 0:
            _acquire_pool(self.workers)
            self.pooled = True

    def close_spider(self, spider=None):
        if self.pooled:
            self.pooled = False
            _release_pool()

    async def process_item(self, item):
        if not isinstance(item, ArticleItem):  # DiscoveryItem: listing metadata only
            return item
        adapter = ItemAdapter(item)
        args = (adapter["body"], adapter["url"], adapter["encoding"])
        kwargs = {"feed_title": adapter["feed_title"], "feed_published": adapter["feed_published"],
                  "language_hint": adapter["language_hint"]}
        try:
            article = await self._extract(args, kwargs)
        except Exception as exc:  # a hostile page must never stop the crawl
            self.crawler.stats.inc_value("tracker/extract_error")
            health = getattr(self.crawler.spider, "health", None)
            if health is not None:
                health.article_failed(f"{exc!r}"[:200])
            raise DropItem(f"extraction failed for {adapter['url']}: {exc!r}") from exc
        self.crawler.stats.inc_value("tracker/extracted")
        health = getattr(self.crawler.spider, "health", None)
        if health is not None:
            health.articles_extracted += 1
        for flag in article.flags:
            self.crawler.stats.inc_value(f"tracker/article_flag/{flag}")
        adapter["article"] = article.as_dict()
        return item

    async def _extract(self, args: tuple, kwargs: dict):
        if not self.pooled:
            return extract_article(*args, **kwargs)
        try:
            return await _POOL["pool"].call(*args, **kwargs)
        except WorkerDied:
            # Retried once on a new worker: a page that kills the worker again is dropped.
            self.crawler.stats.inc_value("tracker/extract_worker_died")
            return await _POOL["pool"].call(*args, **kwargs)
