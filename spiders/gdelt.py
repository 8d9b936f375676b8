"""GDELT DOC 2.0 API (ArtList, JSON): one query per source, spaced >= 5 s across the process.

seendate is stored as discovery metadata only: the publication date comes from the article
page.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time

from tracker.crawling.base import SourceSpider
from tracker.extract import gdelt
from tracker.extract.urls import url_key
from tracker.source_options import SourceOptions, option, short


@dataclass(frozen=True)
class GdeltOptions(SourceOptions):
    query: str | None = option(None, "required: the GDELT DOC 2.0 query, `sourcelang:` included")
    timespan: str = option("1d", "how far back (`12h`, `2weeks`, `3months`); `--since` sets "
                                 "start and end instead")
    maxrecords: int = option(gdelt.MAX_RECORDS, f"articles asked for (1 to {gdelt.MAX_RECORDS})")
    sort: str = option("DateDesc", "GDELT's sort order")
    max_splits: int = option(1, f"times an answer capped at {gdelt.MAX_RECORDS} records is "
                                "queried again as two halves of its time window")

    def problem(self, url: str) -> str | None:
        if not self.query or not self.query.strip():
            return "a gdelt source needs a 'query' (GDELT DOC 2.0 syntax)"
        if not 1 <= self.maxrecords <= gdelt.MAX_RECORDS:
            return f"maxrecords must be between 1 and {gdelt.MAX_RECORDS}"
        if not gdelt.timespan_delta(self.timespan):
            return f"timespan {short(self.timespan)} is not like 1d, 12h, 2weeks or 3months"
        if self.max_splits < 0:
            return "max_splits must be 0 or more"
        return None


class GdeltSpider(SourceSpider):
    name = "gdelt"
    options_class = GdeltOptions

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

    def parse(self, response, window=(None, None), depth=0, refusals=0):
        try:
            result = gdelt.parse_artlist(response.body, maxrecords=self.options.maxrecords)
        except gdelt.GdeltRefused as exc:
            if refusals < 1:  # one more try, a full interval later
                yield self.api_request(*window, depth=depth, refusals=refusals + 1)
            else:
                self.health.fail("refused", f"GDELT rate limit (HTTP {response.status}): {exc}")
            return
        except gdelt.GdeltError as exc:
            status = "error" if isinstance(exc, gdelt.GdeltQueryError) else "parse"
            self.health.fail(status, f"{exc} ({response.url})"[:500])
            return
        if result.repaired:
            self.health.note("GDELT sent invalid JSON escapes; repaired")
        self.listed(len(result.articles))
        self.skip("broken_entry", result.broken)
        self.skip("gdelt_record_without_url", result.skipped)
        if result.truncated:
            yield from self.split(window, depth)
        for art in result.articles:
            discovery = {"key": f"gdelt:{url_key(art.url)}", "link": art.url, "url": art.url,
                         "title": art.title, "outlet": art.domain, "listed_date": art.seendate,
                         "date_kind": "seen", "language": gdelt.language_code(art.language),
                         "status": "resolved"}
            request = self.article_request(art.url, title=art.title, discovery=discovery)
            if request is not None:
                yield request

    def split(self, window, depth):
        if depth >= self.options.max_splits:
            self.health.note("GDELT result capped at maxrecords: some articles were not listed")
            return
        for start, end in gdelt.halves(*window, self.options.timespan):
            yield self.api_request(start, end, depth + 1)
