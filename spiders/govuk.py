"""GOV.UK news (e.g. Ministry of Defence, Cabinet Office): Search API listing, Content API body."""

from dataclasses import dataclass

from tracker.crawling.base import SourceReader
from tracker.crawling.listed import Listed, Listing
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


class GovukReader(SourceReader):
    kind = "govuk"
    options_class = GovukOptions
    unreadable = (govuk.GovukParseError,)
    stop_when_nothing_new = True

    def page_url(self, start: int) -> str:
        return govuk.build_search_url(
            self.source.url, organisations=list(self.options.organisations),
            formats=list(self.options.formats), count=self.options.count,
            start=start, since=self.since)

    def start_urls_for_source(self):
        return [self.page_url(0)]

    def read_listing(self, response) -> Listing:
        results = govuk.parse_search(response.body, govuk.origin(self.source.url))
        following = govuk.next_start(results, self.options.count)
        return Listing(
            items=[Listed(r.url, r.title, r.public_timestamp, fetch_url=r.api_url)
                   for r in results.results],
            broken=results.broken, skipped={"result_without_link": results.skipped},
            next_url=self.page_url(following) if following is not None else None)

    def article_callback(self):
        return self.parse_content

    def parse_content(self, response, feed_meta: dict):
        try:
            doc = govuk.parse_content(response.body, govuk.origin(self.source.url))
        except govuk.GovukParseError as exc:
            self.count("article_errors")
            self.logger.info("GOV.UK content unreadable (%s): %s", response.url, exc)
            return
        self.count("articles_fetched")
        yield self.article_item(response, {**feed_meta, "published": doc.first_published_at},
                                url=doc.url, body=govuk.content_to_html(doc))
