"""Scale-out profile: several crawl machines share one Redis, one machine writes the database.

Set TRACKER_REDIS_URL (e.g. redis://queue.internal:6379/0) on the crawl machines and
`tracker crawl` becomes a worker:

* scrapy-redis' scheduler keeps the run's request queue in Redis (`tracker:requests`, each
  request naming its source), so every worker running the same sources file pulls from the
  same queue, and a worker that dies leaves its pending requests for the others;
* one Redis dupefilter (`tracker:dupefilter`) is shared by every source and worker, keyed by
  the article's identity (url_key), not its URL: an article listed by several feeds, under
  whatever tracking URLs, or seen by several machines, is fetched once;
* the store stage is replaced by QueueWriterPipeline: each extracted article, with its events,
  is pushed as JSON onto `tracker:items`. Workers never write the timeline;
* on the database machine, `tracker load-queue --redis URL --db db/tracker.db` (cron, every few
  minutes) is the single writer: it holds the crawl lock, pops items and stores them with the
  same idempotent upserts as a local crawl.
"""

from __future__ import annotations

ITEMS_KEY = "tracker:items"
DUPEFILTER_KEY = "tracker:dupefilter"


def apply(settings: dict, redis_url: str) -> None:
    """Turn the project's settings module namespace into a scale-out worker's."""
    settings["REDIS_URL"] = redis_url
    settings["SCHEDULER"] = "scrapy_redis.scheduler.Scheduler"
    settings["DUPEFILTER_CLASS"] = "tracker.ops.redisqueue.ArticleDupeFilter"
    settings["SCHEDULER_DUPEFILTER_KEY"] = DUPEFILTER_KEY
    settings["SCHEDULER_PERSIST"] = True  # pending requests survive a worker's death
    settings["SCHEDULER_QUEUE_CLASS"] = "scrapy_redis.queue.PriorityQueue"
    pipelines = dict(settings["ITEM_PIPELINES"])
    pipelines.pop("tracker.pipelines.store.StorePipeline", None)
    pipelines["tracker.pipelines.queue.QueueWriterPipeline"] = 900
    settings["ITEM_PIPELINES"] = pipelines
    settings["TRACKER_ITEMS_KEY"] = ITEMS_KEY
