"""Google News RSS search: items resolve to publisher URLs, or are kept flagged unresolved.

Old-format links decode offline; an item that cannot be resolved is stored in
discovered_items (title, outlet, date), never dropped.
"""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from tracker.crawling.listed import Listing
from tracker.crawling.wrapped import WrappedLinksReader
from tracker.extract import googlenews as gn
from tracker.source_options import PositiveInt, SourceOptions, option


@dataclass(frozen=True)
class GoogleNewsOptions(SourceOptions):
    query: str | None = option(None, "the search (required unless the url has `q=`); "
                                     "`--since` adds `after:`")
    hl: str = option("en-US", "interface language of the search")
    gl: str = option("US", "country of the search")
    ceid: str | None = option(None, "edition; by default gl and the language of hl (`US:en`)")
    resolve: bool = option(True, "follow news.google.com links where robots.txt allows")
    max_resolve_attempts: PositiveInt = option(1, "runs that try to resolve an item")

    def problem(self, url: str) -> str | None:
        if not self.query and "q" not in parse_qs(urlsplit(url).query):
            return "a googlenews source needs a 'query' (or a search url with q=)"
        return None


class GoogleNewsReader(WrappedLinksReader):
    kind = "googlenews"
    options_class = GoogleNewsOptions
    unreadable = (gn.GoogleNewsParseError,)
    wrapper_host = staticmethod(gn.is_google_url)
    page_target = staticmethod(gn.resolved_url_from_page)

    def start_urls_for_source(self):
        if not self.options.query:
            return [self.source.url]
        return [gn.build_search_url(self.source.url, self.options.query, since=self.since,
                                    hl=self.options.hl, gl=self.options.gl,
                                    ceid=self.options.ceid)]

    def read_listing(self, response) -> Listing:
        feed = gn.parse_search_feed(response.body, response.url)
        return Listing(items=feed.items, broken=feed.broken,
                       skipped={"item_without_link": feed.skipped})

    def follow(self, items: list):
        """An item's publisher URL when the link decodes (or an earlier run resolved it); else
        the link followed (robots.txt permitting, WrappedLinksReader.follow_wrapper), or the item
        kept unresolved."""
        for item in items:
            found = {"key": f"gnews:{item.key}", "link": item.link, "title": item.title,
                     "outlet": item.outlet, "outlet_url": item.outlet_url,
                     "date_kind": "published", "listed_date": self.listing_date(item.published)}
            known = self.discovered.get(found["key"]) or {}
            url = known.get("url") or gn.decode_article_url(item.link)
            meta = {"title": item.title, "published": item.published,
                    "listing_date": found["listed_date"]}
            if url:
                yield self.article_request(url, discovery={**found, "url": url,
                                                           "status": "resolved"}, **meta)
            elif found["key"] in self.requested:
                continue
            elif (not self.options.resolve or known.get("attempts", 0)
                    >= self.options.max_resolve_attempts):
                yield self.unresolved(found)
            else:
                yield self.follow_wrapper(found, meta)
