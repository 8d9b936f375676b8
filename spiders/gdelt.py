"""GDELT DOC 2.0 API (ArtList, JSON): one query per source, spaced >= 5 s across the process.

Options: `query` (required, GDELT syntax), `timespan` (default 1d; --since switches to
start/end), `maxrecords` (<= 250), `sort` (DateDesc), `max_splits` (times a capped, 250-record
window is halved and queried again, default 1). seendate is stored as discovery metadata
only: the publication date comes from the article page.
"""

from datetime import UTC, datetime, time

from tracker.crawling.base import SourceSpider
from tracker.extract import gdelt
from tracker.extract.urls import url_key


class GdeltSpider(SourceSpider):
    name = "gdelt"

    def query_url(self, start=None, end=None) -> str:
        return gdelt.build_query_url(
            self.source.url, self.option("query"), timespan=self.option("timespan", "1d"),
            start=start, end=end, maxrecords=int(self.option("maxrecords", gdelt.MAX_RECORDS)),
            sort=self.option("sort", "DateDesc"))

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
            result = gdelt.parse_artlist(response.body, maxrecords=int(
                self.option("maxrecords", gdelt.MAX_RECORDS)))
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
        if depth >= int(self.option("max_splits", 1)):
            self.health.note("GDELT result capped at maxrecords: some articles were not listed")
            return
        for start, end in gdelt.halves(*window, self.option("timespan", "1d")):
            yield self.api_request(start, end, depth + 1)
