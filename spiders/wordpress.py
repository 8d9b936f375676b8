"""WordPress sites through their REST API (`https://SITE/wp-json/wp/v2/posts`)."""

from dataclasses import dataclass

from tracker.crawling.base import SourceReader
from tracker.crawling.listed import Listed, Listing
from tracker.extract import wordpress
from tracker.source_options import PositiveInt, SourceOptions, option, up_to


@dataclass(frozen=True)
class WordpressOptions(SourceOptions):
    per_page: up_to(wordpress.MAX_PER_PAGE) = option(20, "posts per page")
    max_pages: PositiveInt = option(3, "pages read per run, newest first")


class WordpressReader(SourceReader):
    kind = "wordpress"
    options_class = WordpressOptions
    unreadable = (wordpress.WordpressParseError,)

    def page_url(self, page: int) -> str:
        after = f"{self.since.isoformat()}T00:00:00" if self.since else None
        return wordpress.posts_url(self.source.url, page, self.options.per_page, after)

    def start_urls_for_source(self):
        return [self.page_url(1)]

    def read_listing(self, response) -> Listing:
        found = wordpress.parse_posts(response.body)
        page = self.page_of(response)
        last = wordpress.total_pages(response.headers.get("X-WP-TotalPages"))
        return Listing(items=[Listed(p.url, p.title, p.published) for p in found.posts],
                       broken=found.broken, skipped={"post_without_link": found.skipped},
                       next_url=self.page_url(page + 1) if page < last else None)
