"""Official newsrooms and contract-notice pages without a feed, read with CSS selectors.

`article_parser: dod_contracts` stores each award of a US DoD daily contracts page in
contract_notices.
"""

from dataclasses import dataclass

from scrapy.http import TextResponse

from tracker.crawling.base import SourceSpider
from tracker.extract.contracts import page_date, parse_contracts_page
from tracker.extract.listing import ListingError, parse_listing
from tracker.source_options import PositiveInt, Regex, Selector, SourceOptions, option, short

ARTICLE_PARSERS = ("dod_contracts",)


@dataclass(frozen=True)
class ListingOptions(SourceOptions):
    link_selector: Selector | None = option(
        None, "required: CSS for the article `<a>` elements, or `...::attr(href)`")
    item_selector: Selector | None = option(None, "CSS for one item (its link, title, date)")
    title_selector: Selector | None = option(None, "CSS for an item's title")
    date_selector: Selector | None = option(None, "CSS for an item's date")
    next_selector: Selector | None = option(None, "CSS for the next listing page's link")
    allow: Regex | None = option(None, "article URLs must match this regex")
    max_pages: PositiveInt = option(3, "listing pages read per run")
    article_parser: str | None = option(
        None, "`dod_contracts`: each award of a US DoD daily contracts page is stored in "
              "contract_notices")
    body_selector: Selector = option("div.body", "CSS for the awards of a contracts page")

    def problem(self, url: str) -> str | None:
        if not self.link_selector:
            return "a listing source needs a 'link_selector' (CSS for the article links)"
        if self.article_parser is not None and self.article_parser not in ARTICLE_PARSERS:
            return (f"unknown article_parser {short(self.article_parser)} "
                    f"(known: {', '.join(ARTICLE_PARSERS)})")
        return None


class ListingSpider(SourceSpider):
    name = "listing"
    options_class = ListingOptions

    def parse(self, response, page: int = 1):
        if not isinstance(response, TextResponse):
            self.listing_unreadable(response.url, "not a text page")
            return
        try:
            listing = parse_listing(
                response.body, response.url, response.encoding,
                link_selector=self.options.link_selector, item_selector=self.options.item_selector,
                title_selector=self.options.title_selector, allow=self.options.allow,
                date_selector=self.options.date_selector, next_selector=self.options.next_selector)
        except ListingError as exc:
            self.listing_unreadable(response.url, exc)
            return
        self.listed(len(listing.links))
        self.skip("broken_entry", listing.broken)
        self.crawler.stats.inc_value("tracker/listing/links_not_matching", listing.skipped)
        if not listing.links and page == 1:
            self.health.note(f"no links matched link_selector on {response.url}")
        parser = self.parse_contracts if self.options.article_parser == "dod_contracts" else None
        for link in listing.links:
            request = self.article_request(link.url, callback=parser, title=link.title,
                                           published=link.date,
                                           listing_date=self.listing_date(link.date))
            if request is not None:
                yield request
        if listing.next_url and page < self.options.max_pages:
            yield self.listing_request(listing.next_url, cb_kwargs={"page": page + 1})

    def parse_contracts(self, response, feed_meta: dict):
        if not isinstance(response, TextResponse):
            self.health.article_errors += 1
            return
        awards = parse_contracts_page(response.body, response.encoding,
                                      self.options.body_selector)
        self.crawler.stats.inc_value("tracker/contract_awards", len(awards))
        title = response.css("h1::text").get() or response.css("title::text").get()
        when = page_date(title)
        published = feed_meta.get("published") or (when.isoformat() if when else None)
        self.health.articles_fetched += 1
        yield self.article_item(response, {**feed_meta, "published": published},
                                contracts=[a.as_dict() for a in awards])
