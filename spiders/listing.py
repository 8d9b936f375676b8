"""Official newsrooms and contract-notice pages without a feed, read with CSS selectors.

`article_parser: dod_contracts` stores each award of a US DoD daily contracts page in
contract_notices.
"""

from dataclasses import dataclass

from scrapy.http import TextResponse

from tracker.crawling.base import SourceReader
from tracker.crawling.listed import Listed, Listing
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


class ListingReader(SourceReader):
    kind = "listing"
    options_class = ListingOptions
    unreadable = (ListingError,)

    def read_listing(self, response) -> Listing:
        if not isinstance(response, TextResponse):
            raise ListingError("not a text page")
        options = self.options
        page = parse_listing(
            response.body, response.url, response.encoding,
            link_selector=options.link_selector, item_selector=options.item_selector,
            title_selector=options.title_selector, date_selector=options.date_selector,
            next_selector=options.next_selector, allow=options.allow)
        first = self.page_of(response) == 1
        return Listing(items=[Listed(link.url, link.title, link.date) for link in page.links],
                       broken=page.broken, next_url=page.next_url,
                       counts={"tracker/listing/links_not_matching": page.skipped},
                       notes=[f"no links matched link_selector on {response.url}"]
                       if first and not page.links else [])

    def article_callback(self):
        """A contracts page's awards are read by parse_contracts (`article_parser`)."""
        if self.options.article_parser == "dod_contracts":
            return self.parse_contracts
        return self.parse_article

    def parse_contracts(self, response, feed_meta: dict):
        if not isinstance(response, TextResponse):
            self.count("article_errors")
            return
        awards = parse_contracts_page(response.body, response.encoding,
                                      self.options.body_selector)
        self.count("tracker/contract_awards", len(awards))
        title = response.css("h1::text").get() or response.css("title::text").get()
        when = page_date(title)
        published = feed_meta.get("published") or (when.isoformat() if when else None)
        self.count("articles_fetched")
        yield self.article_item(response, {**feed_meta, "published": published},
                                contracts=[a.as_dict() for a in awards])
