"""SourceScheduler: scrapy-redis' scheduler with one queue per source and one shared dupefilter.

scrapy-redis keys queues by spider name; here every source of a kind shares the spider name
(`feed`), so the queue is keyed by the source instead (`tracker:<source>:requests`) and a
request always comes back to the crawler of the source that listed it. The dupefilter is one
key for everything (SCHEDULER_DUPEFILTER_KEY), shared by all sources and machines.
"""

from __future__ import annotations

from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler


class SourceScheduler(Scheduler):
    def open(self, spider):
        source = getattr(getattr(spider, "source", None), "name", None) or spider.name
        self.queue_key = f"tracker:{source}:requests"
        if not self.df:
            key = spider.settings.get("SCHEDULER_DUPEFILTER_KEY", "tracker:dupefilter")
            self.df = RFPDupeFilter(self.server, key=key,
                                    debug=spider.settings.getbool("DUPEFILTER_DEBUG"))
        return super().open(spider)
