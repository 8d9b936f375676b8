"""RSS 0.9x/1.0/2.0, Atom and JSON Feed sources: every item's article page is fetched."""

from tracker.crawling.base import SourceSpider
from tracker.extract.feeds import FeedParseError, parse_feed

MAX_FEED_PAGES = 5


class FeedSpider(SourceSpider):
    name = "feed"

    def parse(self, response, page: int = 1):
        content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
        try:
            feed = parse_feed(response.body, response.url, content_type)
        except FeedParseError as exc:
            self.health.fail("parse", f"parse error in {response.url}: {exc}")
            return
        for warning in feed.warnings:
            self.logger.info("%s: %s", self.source.name, warning)
        self.crawler.stats.inc_value("tracker/feed_items_without_link",
                                     sum(1 for e in feed.entries if not e.url))
        for entry in feed.entries:
            request = self.article_request(entry.url, title=entry.title,
                                           published=entry.published, summary=entry.summary)
            if request is not None:
                yield request
        max_pages = int(self.source.options.get("max_pages", MAX_FEED_PAGES))
        if feed.next_url and page < max_pages:
            yield self.listing_request(feed.next_url, cb_kwargs={"page": page + 1})
