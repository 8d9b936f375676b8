"""Official newsrooms and contract-notice pages without a feed, read with CSS selectors.

Options: `link_selector` (required), `item_selector`, `title_selector`, `date_selector`,
`next_selector`, `max_pages` (default 3), `allow` (regex for article URLs), and
`article_parser: dod_contracts` (with `body_selector`, default `div.body`) to store each award
of a US DoD daily contracts page in contract_notices.
"""

from scrapy.http import TextResponse

from tracker.crawling.base import SourceSpider
from tracker.extract.contracts import page_date, parse_contracts_page
from tracker.extract.listing import ListingError, parse_listing


class ListingSpider(SourceSpider):
    name = "listing"

    def parse(self, response, page: int = 1):
        if not isinstance(response, TextResponse):
            self.listing_unreadable(response.url, "not a text page")
            return
        try:
            listing = parse_listing(
                response.body, response.url, response.encoding,
                **{k: self.option(k) for k in ("link_selector", "item_selector", "title_selector",
                                               "date_selector", "next_selector", "allow")})
        except ListingError as exc:
            self.listing_unreadable(response.url, exc)
            return
        self.listed(len(listing.links))
        self.skip("broken_entry", listing.broken)
        self.crawler.stats.inc_value("tracker/listing/links_not_matching", listing.skipped)
        if not listing.links and page == 1:
            self.health.note(f"no links matched link_selector on {response.url}")
        parser = self.parse_contracts if self.option("article_parser") == "dod_contracts" else None
        for link in listing.links:
            request = self.article_request(link.url, callback=parser, title=link.title,
                                           published=link.date,
                                           listing_date=self.listing_date(link.date))
            if request is not None:
                yield request
        if listing.next_url and page < int(self.option("max_pages", 3)):
            yield self.listing_request(listing.next_url, cb_kwargs={"page": page + 1})

    def parse_contracts(self, response, feed_meta: dict):
        if not isinstance(response, TextResponse):
            self.health.article_errors += 1
            return
        awards = parse_contracts_page(response.body, response.encoding,
                                      self.option("body_selector", "div.body"))
        self.crawler.stats.inc_value("tracker/contract_awards", len(awards))
        title = response.css("h1::text").get() or response.css("title::text").get()
        when = page_date(title)
        published = feed_meta.get("published") or (when.isoformat() if when else None)
        self.health.articles_fetched += 1
        yield self.article_item(response, {**feed_meta, "published": published},
                                contracts=[a.as_dict() for a in awards])
