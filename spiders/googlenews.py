"""Google News RSS search: items resolve to publisher URLs, or are kept flagged unresolved.

Options: `query` (with `hl`, `gl`, `ceid`; --since adds `after:`), `resolve` (follow the
news.google.com link where robots.txt allows, default true), `max_resolve_attempts` (runs that
try to resolve an item, default 1). Old-format links decode offline; an item that
cannot be resolved is stored in discovered_items (title, outlet, date), never dropped.
"""

from tracker.crawling.base import SourceSpider
from tracker.extract import googlenews as gn


class GoogleNewsSpider(SourceSpider):
    name = "googlenews"
    wrapper_host = staticmethod(gn.is_google_url)
    page_target = staticmethod(gn.resolved_url_from_page)

    def start_urls_for_source(self):
        if not self.option("query"):
            return [self.source.url]
        return [gn.build_search_url(self.source.url, self.option("query"), since=self.since,
                                    hl=self.option("hl", "en-US"), gl=self.option("gl", "US"),
                                    ceid=self.option("ceid"))]

    def parse(self, response):
        try:
            feed = gn.parse_search_feed(response.body, response.url)
        except gn.GoogleNewsParseError as exc:
            self.listing_unreadable(response.url, exc)
            return
        self.listed(len(feed.items))
        self.skip("broken_entry", feed.broken)
        self.skip("item_without_link", feed.skipped)
        for item in feed.items:
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
            elif (not self.option("resolve", True) or known.get("attempts", 0)
                    >= int(self.option("max_resolve_attempts", 1))):
                yield self.unresolved(found)
            else:  # follow the link (robots.txt permitting); see SourceSpider.follow_wrapper
                yield self.follow_wrapper(found, meta)
