"""GDELT DOC 2.0 API (ArtList, JSON): one query per source, spaced >= 5 s across the process.

seendate is stored as discovery metadata only: the publication date comes from the article
page.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time

from scrapy import Request

from tracker.crawling.base import SourceReader
from tracker.crawling.listed import Listing
from tracker.extract import gdelt
from tracker.extract.urls import url_key
from tracker.source_options import SourceOptions, option, short, up_to


@dataclass(frozen=True)
class GdeltOptions(SourceOptions):
    query: str | None = option(None, "required: the GDELT DOC 2.0 query, `sourcelang:` included")
    timespan: str = option("1d", "how far back (`12h`, `2weeks`, `3months`); `--since` sets "
                                 "start and end instead")
    maxrecords: up_to(gdelt.MAX_RECORDS) = option(gdelt.MAX_RECORDS, "articles asked for")
    sort: str = option("DateDesc", "GDELT's sort order")
    max_splits: int = option(1, f"times an answer capped at {gdelt.MAX_RECORDS} records is "
                                "queried again as two halves of its time window")

    def problem(self, url: str) -> str | None:
        if not self.query or not self.query.strip():
            return "a gdelt source needs a 'query' (GDELT DOC 2.0 syntax)"
        if not gdelt.timespan_delta(self.timespan):
            return f"timespan {short(self.timespan)} is not like 1d, 12h, 2weeks or 3months"
        if self.max_splits < 0:
            return "max_splits must be 0 or more"
        return None


class GdeltReader(SourceReader):
    kind = "gdelt"
    options_class = GdeltOptions
    unreadable = (gdelt.GdeltError, gdelt.GdeltRefused)

    def query_url(self, start=None, end=None) -> str:
        return gdelt.build_query_url(
            self.source.url, self.options.query, timespan=self.options.timespan,
            start=start, end=end, maxrecords=self.options.maxrecords, sort=self.options.sort)

    def api_request(self, start=None, end=None, depth=0, refusals=0):
        meta = {"min_interval": self.settings.getfloat("TRACKER_GDELT_INTERVAL", 5.0)}
        return self.listing_request(self.query_url(start, end), meta=meta,
                                    cb_kwargs={"window": (start, end), "depth": depth,
                                               "refusals": refusals})

    async def start(self):
        since = self.since
        start = datetime.combine(since, time.min, UTC) if since else None
        yield self.api_request(start, datetime.now(UTC) if since else None)

    def read_listing(self, response, window=(None, None), depth=0, refusals=0) -> Listing:
        """The articles; a refusal is asked again once, a full interval later; a result capped
        at maxrecords is asked again as two halves of its window (max_splits times)."""
        try:
            result = gdelt.parse_artlist(response.body, maxrecords=self.options.maxrecords)
        except gdelt.GdeltRefused:
            if refusals >= 1:
                raise
            return Listing(items=[self.api_request(*window, depth=depth, refusals=refusals + 1)],
                           entries=0)
        notes = ["GDELT sent invalid JSON escapes; repaired"] if result.repaired else []
        halves = []
        if result.truncated and depth < self.options.max_splits:
            halves = [self.api_request(start, end, depth + 1)
                      for start, end in gdelt.halves(*window, self.options.timespan)]
        elif result.truncated:
            notes.append("GDELT result capped at maxrecords: some articles were not listed")
        return Listing(items=[*halves, *result.articles], entries=len(result.articles),
                       broken=result.broken, skipped={"gdelt_record_without_url": result.skipped},
                       notes=notes)

    def follow(self, items: list):
        for item in items:
            yield item if isinstance(item, Request) else self.article(item)

    def article(self, art: gdelt.GdeltArticle):
        discovery = {"key": f"gdelt:{url_key(art.url)}", "link": art.url, "url": art.url,
                     "title": art.title, "outlet": art.domain, "listed_date": art.seendate,
                     "date_kind": "seen", "language": gdelt.language_code(art.language),
                     "status": "resolved"}
        return self.article_request(art.url, title=art.title, discovery=discovery)

    def listing_unreadable(self, url: str, error: Exception | str) -> None:
        if isinstance(error, gdelt.GdeltRefused):
            self.fail("refused", f"GDELT rate limit (asked twice): {error} ({url})"[:500])
        elif isinstance(error, gdelt.GdeltQueryError):
            self.fail("error", f"{error} ({url})"[:500])
        else:
            super().listing_unreadable(url, error)
