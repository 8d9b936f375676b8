"""ExtractPipeline: article text, title, dates, language and canonical URL, off the reactor."""

from __future__ import annotations

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from tracker.crawling.counts import HEALTH_STATS, Counts
from tracker.extract.article import extract_article
from tracker.items import ArticleItem
from tracker.ops.workers import PipeWorkers, WorkerDied


class ExtractPipeline:
    """Runs trafilatura in worker processes so fetching and extraction use both cores."""

    def __init__(self, crawler, workers: int):
        self.crawler = crawler
        self.counts = Counts(crawler.stats)
        self.workers = workers
        self.pool: PipeWorkers | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler, crawler.settings.getint("TRACKER_EXTRACT_WORKERS", 1))

    def open_spider(self, spider=None):
        if self.workers > 0:
            self.pool = PipeWorkers(extract_article, self.workers)

    def close_spider(self, spider=None):
        if self.pool is not None:
            self.pool.close()
            self.pool = None

    async def process_item(self, item):
        if not isinstance(item, ArticleItem):  # DiscoveryItem: listing metadata only
            return item
        adapter = ItemAdapter(item)
        source = adapter["source"]
        args = (adapter["body"], adapter["url"], adapter["encoding"])
        kwargs = {"feed_title": adapter["feed_title"], "feed_published": adapter["feed_published"],
                  "language_hint": adapter["language_hint"]}
        try:
            article = await self._extract(source, args, kwargs)
        except Exception as exc:  # a hostile page must never stop the crawl
            self.counts.inc(source, "tracker/extract_error")
            self.counts.article_failed(source, f"{exc!r}"[:200])
            raise DropItem(f"extraction failed for {adapter['url']}: {exc!r}") from exc
        self.counts.inc(source, HEALTH_STATS["articles_extracted"])
        for flag in article.flags:
            self.counts.inc(source, f"tracker/article_flag/{flag}")
        adapter["article"] = article.as_dict()
        return item

    async def _extract(self, source: str, args: tuple, kwargs: dict):
        if self.pool is None:
            return extract_article(*args, **kwargs)
        try:
            return await self.pool.call(*args, **kwargs)
        except WorkerDied:
            # Retried once on a new worker: a page that kills the worker again is dropped.
            self.counts.inc(source, "tracker/extract_worker_died")
            return await self.pool.call(*args, **kwargs)
