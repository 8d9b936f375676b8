"""ArticleDupeFilter: scrapy-redis' dupefilter keyed by the article, shared by every worker.

The run's one spider keeps one queue (`tracker:requests`); each request carries its source in
its meta, so whichever worker pops it reads it for that source. The dupefilter is one key for
everything (SCHEDULER_DUPEFILTER_KEY), shared by all sources and machines.
"""

from __future__ import annotations

import hashlib

from scrapy_redis.dupefilter import RFPDupeFilter

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
        # Other requests are duplicates within their source (tracker/crawling/dupefilter.py).
        return f"{request.meta.get('source')}:{super().request_fingerprint(request)}"
