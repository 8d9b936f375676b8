"""GOV.UK news (e.g. Ministry of Defence, Cabinet Office): Search API listing, Content API body."""

from dataclasses import dataclass

from tracker.crawling.base import SourceSpider
from tracker.extract import govuk
from tracker.source_options import PositiveInt, Slugs, SourceOptions, option


@dataclass(frozen=True)
class GovukOptions(SourceOptions):
    organisations: Slugs = option((), "organisation slugs (`filter_organisations`)")
    formats: Slugs = option((), "`filter_format` values; none: the news-and-communications "
                                "supergroup")
    count: PositiveInt = option(50, "results per page")
    max_pages: PositiveInt = option(3, "pages read per run; paging also stops at a page with "
                                       "nothing new, or older than `--since`")


class GovukSpider(SourceSpider):
    name = "govuk"
    options_class = GovukOptions

    def page_url(self, start: int) -> str:
        return govuk.build_search_url(
            self.source.url, organisations=list(self.options.organisations),
            formats=list(self.options.formats), count=self.options.count,
            start=start, since=self.since)

    def start_urls_for_source(self):
        return [self.page_url(0)]

    def parse(self, response, page: int = 1):
        site = govuk.origin(self.source.url)
        try:
            results = govuk.parse_search(response.body, site)
        except govuk.GovukParseError as exc:
            self.listing_unreadable(response.url, exc)
            return
        self.listed(len(results.results))
        self.skip("broken_entry", results.broken)
        self.skip("result_without_link", results.skipped)
        new = 0
        for result in results.results:
            request = self.article_request(
                result.url, fetch_url=result.api_url, callback=self.parse_content,
                title=result.title, published=result.public_timestamp,
                listing_date=self.listing_date(result.public_timestamp))
            new += request is not None
            if request is not None:
                yield request
        following = govuk.next_start(results, self.options.count)
        if following is not None and new and page < self.options.max_pages:
            yield self.listing_request(self.page_url(following), cb_kwargs={"page": page + 1})

    def parse_content(self, response, feed_meta: dict):
        try:
            doc = govuk.parse_content(response.body, govuk.origin(self.source.url))
        except govuk.GovukParseError as exc:
            self.health.article_errors += 1
            self.logger.info("GOV.UK content unreadable (%s): %s", response.url, exc)
            return
        self.health.articles_fetched += 1
        yield self.article_item(response, {**feed_meta, "published": doc.first_published_at},
                                url=doc.url, body=govuk.content_to_html(doc))
