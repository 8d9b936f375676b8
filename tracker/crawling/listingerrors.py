"""An exception escaping a listing callback fails its source (`parse`), naming the exception.

Listing parsers drop bad entries one by one (extract/isolation.py) and turn bodies they cannot
read into parse errors; what still escapes (a recursion limit, input nobody foresaw) was only
logged by Scrapy, and the source ended `ok` or `empty` with the rest of its listing silently
lost. Article callbacks are not concerned: their failures are article errors.
"""

from __future__ import annotations

from scrapy.spidermiddlewares.base import BaseSpiderMiddleware


class ListingErrorsMiddleware(BaseSpiderMiddleware):
    def process_spider_exception(self, response, exception):
        reader = getattr(self.crawler.spider, "readers", {}).get(response.meta.get("source"))
        if not response.meta.get("tracker_listing") or reader is None:
            return None
        reader.listing_unreadable(response.url, f"{type(exception).__name__}: {exception}"[:300])
        return ()
