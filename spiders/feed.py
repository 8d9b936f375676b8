"""RSS 0.9x/1.0/2.0, Atom and JSON Feed sources: every item's article page is fetched."""

from dataclasses import dataclass

from tracker.crawling.base import SourceReader
from tracker.crawling.listed import Listed, Listing
from tracker.extract.feeds import FeedParseError, parse_feed
from tracker.source_options import PositiveInt, SourceOptions, option


@dataclass(frozen=True)
class FeedOptions(SourceOptions):
    max_pages: PositiveInt = option(
        5, 'feed pages read per run, following Atom `rel="next"` / JSON Feed `next_url`')


class FeedReader(SourceReader):
    kind = "feed"
    options_class = FeedOptions
    unreadable = (FeedParseError,)

    def read_listing(self, response) -> Listing:
        content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
        feed = parse_feed(response.body, response.url, content_type)
        without_link = sum(1 for e in feed.entries if not e.url)
        return Listing(items=[Listed(e.url, e.title, e.published) for e in feed.entries],
                       broken=feed.broken, skipped={"item_without_link": without_link},
                       counts={"tracker/feed_items_without_link": without_link},
                       notes=[f"{response.url}: {warning}" for warning in feed.warnings],
                       next_url=feed.next_url)
