"""Listings whose links are redirect wrappers (Google News): each link is followed, robots.txt
permitting; a redirect away from the wrapper's host is the article itself, else the page may
name it (`page_target`); otherwise the item is kept unresolved (a DiscoveryItem: title, outlet,
date), never dropped."""

from __future__ import annotations

import scrapy

from tracker.crawling.base import SourceReader
from tracker.crawling.health import BudgetExhausted
from tracker.extract.urls import url_key


class WrappedLinksReader(SourceReader):
    """Subclasses say which URLs are still the wrapper's (`wrapper_host`) and where a wrapper
    page names its article (`page_target`)."""

    @staticmethod
    def wrapper_host(url: str) -> bool:
        raise NotImplementedError

    @staticmethod
    def page_target(body: bytes, url: str) -> str | None:
        raise NotImplementedError

    def unresolved(self, found: dict, attempted: bool = False, count: bool = True):
        self.count("items_found", int(count))
        self.count("unresolved")
        return self.discovery_item(**found, status="unresolved", attempted=attempted)

    def follow_wrapper(self, found: dict, meta: dict) -> scrapy.Request:
        self.requested.add(found["key"])
        self.count("items_found")
        return self.request(found["link"], callback=self.wrapper_followed,
                            errback=self.wrapper_failed, cb_kwargs={"found": found, "meta": meta},
                            meta={"listing_date": meta.get("listing_date")})

    def wrapper_followed(self, response, found: dict, meta: dict):
        if response.url != found["link"] and not self.wrapper_host(response.url):
            found, key = {**found, "url": response.url, "status": "resolved"}, url_key(response.url)
            if key in self.known_keys or key in self.requested:
                yield self.discovery_item(**found)
                return
            self.requested.add(key)
            self.count("articles_fetched")
            yield self.article_item(response, {**meta, "discovery": found})
            return
        target = self.page_target(response.body, response.url)
        if target:
            yield self.article_request(target, discovery={**found, "url": target,
                                                          "status": "resolved"},
                                       counted=True, **meta)
        else:
            yield self.unresolved(found, attempted=True, count=False)

    def wrapper_failed(self, failure):
        if failure.check(BudgetExhausted):  # not attempted: the next run tries again
            self.count("budget_skipped")
            return
        self.logger.info("%s: link not followed (%s)", self.source.name, failure.getErrorMessage())
        yield self.unresolved(failure.request.cb_kwargs["found"], attempted=True, count=False)
