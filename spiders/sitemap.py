"""Sitemaps and Google News sitemaps (index -> child sitemaps -> article URLs), date-windowed."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from tracker.crawling.base import SourceReader
from tracker.crawling.listed import Listed, Listing
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


class SitemapReader(SourceReader):
    kind = "sitemap"
    options_class = SitemapOptions
    unreadable = (SitemapParseError,)

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

    def read_listing(self, response) -> Listing:
        sitemap = parse_sitemap(response.body, response.url,
                                self.settings.getint("DOWNLOAD_MAXSIZE"))
        if sitemap.kind == "sitemapindex":
            kept = self.children(sitemap.entries)
        else:
            kept = self.fresh(sitemap.entries)
        return Listing(items=kept, entries=len(sitemap.entries), broken=sitemap.broken,
                       skipped={"entry_without_loc": sitemap.skipped})

    def follow(self, items: list):
        for item in items:
            if isinstance(item, Listed):
                yield from super().follow([item])
            else:
                self.sitemaps_seen.add(url_key(item.loc))
                yield self.listing_request(item.loc)

    def fresh(self, entries: list) -> list[Listed]:
        """The entries in the date window (and `allow`); --since narrows only this run."""
        oldest, start = self.window()
        allow = re.compile(self.options.allow) if self.options.allow else None
        kept, narrowed = [], 0
        for entry in entries:
            if allow and not allow.search(entry.loc):
                continue
            fresh = in_window(entry, start)
            if fresh is False or (fresh is None and not self.options.include_undated):
                narrowed += fresh is False and in_window(entry, oldest) is True
                continue
            kept.append(Listed(entry.loc, entry.title, entry.raw_date))
        self.count("since_skipped", narrowed)
        return kept

    def children(self, entries: list) -> list:
        """The child sitemaps to read: in the window, matching `follow`, not read yet, newest
        first, at most `max_sitemaps`."""
        _oldest, start = self.window()
        follow = re.compile(self.options.follow) if self.options.follow else None
        fresh = [e for e in entries if in_window(e, start) is not False
                 and (follow is None or follow.search(e.loc))]
        unseen = {url_key(e.loc): e for e in reversed(fresh)
                  if url_key(e.loc) not in self.sitemaps_seen}
        self.skip("sitemap_already_read", len(fresh) - len(unseen))
        children = sorted(unseen.values(), key=lambda e: e.date.isoformat() if e.date else "",
                          reverse=True)
        return children[: self.options.max_sitemaps]
