"""Google News RSS search: items resolve to publisher URLs, or are kept flagged unresolved.

Options: `query` (with `hl`, `gl`, `ceid`; --since adds `after:`), `resolve` (follow the
news.google.com link where robots.txt allows, default true), `max_resolve_attempts` (runs that
try to resolve an item, default 1). Old-format links decode offline; an item that
cannot be resolved is stored in discovered_items (title, outlet, date), never dropped.
"""

import scrapy

from tracker.crawling.base import SourceSpider
from tracker.extract import googlenews as gn
from tracker.extract.urls import url_key


class GoogleNewsSpider(SourceSpider):
    name = "googlenews"

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
        self.skip("item_without_link", feed.skipped)
        for item in feed.items:
            found = dict(key=f"gnews:{item.key}", link=item.link, title=item.title,
                         outlet=item.outlet, outlet_url=item.outlet_url, date_kind="published",
                         listed_date=self.listing_date(item.published))
            known = self.discovered.get(found["key"]) or {}
            url = known.get("url") or gn.decode_article_url(item.link)
            meta = dict(title=item.title, published=item.published,
                        listing_date=found["listed_date"])
            if url:
                yield self.article_request(url, discovery={**found, "url": url,
                                                           "status": "resolved"}, **meta)
            elif found["key"] in self.requested:
                continue
            elif (not self.option("resolve", True) or known.get("attempts", 0)
                    >= int(self.option("max_resolve_attempts", 1))):
                yield self.unresolved(found)
            else:
                self.requested.add(found["key"])
                self.health.items_found += 1
                yield scrapy.Request(item.link, callback=self.resolved, errback=self.not_resolved,
                                     cb_kwargs={"found": found, "meta": meta},
                                     meta={"listing_date": found["listed_date"]})

    def unresolved(self, found, attempted=False, count=True):
        self.health.items_found += count
        self.health.unresolved += 1
        return self.discovery_item(**found, status="unresolved", attempted=attempted)

    def resolved(self, response, found, meta):
        link = found["link"]
        if response.url != link and not gn.is_google_url(response.url):
            found, key = {**found, "url": response.url, "status": "resolved"}, url_key(response.url)
            if key in self.known_keys or key in self.requested:
                yield self.discovery_item(**found)
                return
            self.requested.add(key)
            self.health.articles_fetched += 1
            yield self.article_item(response, {**meta, "discovery": found})
            return
        target = gn.resolved_url_from_page(response.body, response.url)
        if target:
            self.health.items_found -= 1  # article_request counts it again
            yield self.article_request(target, discovery={**found, "url": target,
                                                          "status": "resolved"}, **meta)
        else:
            yield self.unresolved(found, attempted=True, count=False)

    def not_resolved(self, failure):
        found = failure.request.cb_kwargs["found"]
        self.logger.info("google news link not followed (%s): %s", self.source.name,
                         failure.getErrorMessage())
        yield self.unresolved(found, attempted=True, count=False)
