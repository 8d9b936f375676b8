"""Sitemaps and Google News sitemaps (index -> child sitemaps -> article URLs), date-windowed."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tracker.crawling.base import SourceSpider
from tracker.extract.sitemaps import SitemapParseError, in_window, parse_sitemap
from tracker.extract.urls import url_key
from tracker.source_options import PositiveInt, Regex, SourceOptions, option


@dataclass(frozen=True)
class SitemapOptions(SourceOptions):
    max_age_days: PositiveInt = option(
        7, "entries dated (`news:publication_date`, else `lastmod`) older than this, or than "
           "`--since`, are skipped")
    allow: Regex | None = option(None, "article URLs must match this regex")
    follow: Regex | None = option(None, "child sitemaps must match this regex")
    max_sitemaps: PositiveInt = option(5, "child sitemaps read per run, newest first")
    include_undated: bool = option(False, "fetch entries without any date too")


class SitemapSpider(SourceSpider):
    name = "sitemap"
    options_class = SitemapOptions

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Sitemaps requested by this source in this run: an index that lists itself or an
        # ancestor (a cycle) is read once, not until the request budget runs out.
        self.sitemaps_seen: set[str] = {url_key(self.source.url)}

    def window(self):
        """(oldest date this source ever wants, oldest date this run wants)."""
        today = datetime.now(UTC).date()
        oldest = today - timedelta(days=self.options.max_age_days)
        return oldest, max(oldest, self.since) if self.since else oldest

    def parse(self, response):
        maxsize = self.settings.getint("DOWNLOAD_MAXSIZE")
        try:
            sitemap = parse_sitemap(response.body, response.url, maxsize)
        except SitemapParseError as exc:
            self.listing_unreadable(response.url, exc)
            return
        self.listed(len(sitemap.entries))
        self.skip("broken_entry", sitemap.broken)
        self.skip("entry_without_loc", sitemap.skipped)
        oldest, start = self.window()
        if sitemap.kind == "sitemapindex":
            yield from self.children(sitemap.entries, start)
            return
        allow = re.compile(self.options.allow) if self.options.allow else None
        for entry in sitemap.entries:
            if allow and not allow.search(entry.loc):
                continue
            fresh = in_window(entry, start)
            if fresh is False or (fresh is None and not self.options.include_undated):
                # Only --since narrows a run; the max_age_days window is permanent policy.
                self.health.since_skipped += bool(fresh is False and in_window(entry, oldest))
                continue
            request = self.article_request(entry.loc, title=entry.title,
                                           published=entry.raw_date,
                                           listing_date=self.listing_date(entry.raw_date))
            if request is not None:
                yield request

    def children(self, entries, start):
        follow = re.compile(self.options.follow) if self.options.follow else None
        fresh = [e for e in entries if in_window(e, start) is not False
                 and (follow is None or follow.search(e.loc))]
        unseen = {url_key(e.loc): e for e in reversed(fresh)
                  if url_key(e.loc) not in self.sitemaps_seen}
        self.skip("sitemap_already_read", len(fresh) - len(unseen))
        fresh = list(unseen.values())
        fresh.sort(key=lambda e: e.date.isoformat() if e.date else "", reverse=True)
        for entry in fresh[: self.options.max_sitemaps]:
            self.sitemaps_seen.add(url_key(entry.loc))
            yield self.listing_request(entry.loc)
