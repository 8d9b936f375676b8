"""SourceScheduler: scrapy-redis' scheduler with one queue per source and one shared dupefilter.

scrapy-redis keys queues by spider name; here every source of a kind shares the spider name
(`feed`), so the queue is keyed by the source instead (`tracker:<source>:requests`) and a
request always comes back to the crawler of the source that listed it. The dupefilter is one
key for everything (SCHEDULER_DUPEFILTER_KEY), shared by all sources and machines.
"""

from __future__ import annotations

import hashlib

from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler

from tracker.extract.urls import url_key


class ArticleDupeFilter(RFPDupeFilter):
    """An article request is seen once per article, not once per URL: two feeds list one story
    under different tracking URLs (`?utm_source=rss`, `?wt_mc=rss.atom`). A local crawl dedups
    them by url_key across its sources in one process; workers on several machines can only
    agree through this shared fingerprint."""

    def request_fingerprint(self, request):
        article = (request.cb_kwargs.get("feed_meta") or {}).get("url")
        if article:
            return "article:" + hashlib.sha1(url_key(article).encode("utf-8")).hexdigest()
        return super().request_fingerprint(request)


class SourceScheduler(Scheduler):
    def open(self, spider):
        source = getattr(getattr(spider, "source", None), "name", None) or spider.name
        self.queue_key = f"tracker:{source}:requests"
        if not self.df:
            key = spider.settings.get("SCHEDULER_DUPEFILTER_KEY", "tracker:dupefilter")
            self.df = ArticleDupeFilter(self.server, key=key,
                                        debug=spider.settings.getbool("DUPEFILTER_DEBUG"))
        return super().open(spider)
