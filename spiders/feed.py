"""RSS 0.9x/1.0/2.0, Atom and JSON Feed sources: every item's article page is fetched."""

from dataclasses import dataclass

from tracker.crawling.base import SourceSpider
from tracker.extract.feeds import FeedParseError, parse_feed
from tracker.source_options import PositiveInt, SourceOptions, option


@dataclass(frozen=True)
class FeedOptions(SourceOptions):
    max_pages: PositiveInt = option(
        5, 'feed pages read per run, following Atom `rel="next"` / JSON Feed `next_url`')


class FeedSpider(SourceSpider):
    name = "feed"
    options_class = FeedOptions

    def parse(self, response, page: int = 1):
        content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
        try:
            feed = parse_feed(response.body, response.url, content_type)
        except FeedParseError as exc:
            self.listing_unreadable(response.url, exc)
            return
        self.listed(len(feed.entries))
        self.skip("broken_entry", feed.broken)
        for warning in feed.warnings:
            self.logger.info("%s: %s", self.source.name, warning)
            self.health.note(f"{response.url}: {warning}"[:300])
        without_link = sum(1 for e in feed.entries if not e.url)
        self.crawler.stats.inc_value("tracker/feed_items_without_link", without_link)
        self.skip("item_without_link", without_link)
        for entry in feed.entries:
            request = self.article_request(entry.url, title=entry.title,
                                           published=entry.published,
                                           listing_date=self.listing_date(entry.published))
            if request is not None:
                yield request
        if feed.next_url and page < self.options.max_pages:
            yield self.listing_request(feed.next_url, cb_kwargs={"page": page + 1})
