"""Duplicate requests within a source, not across sources.

Every source shares the run's one scheduler. Scrapy's dupefilter would take a request of one
source for a duplicate of another's: a redirect target refused for a public source (a private
address) would then never be fetched for the intranet source that may follow it. An article
listed by two sources is still fetched once: SourceReader.article_request skips article keys
another source requested.
"""

from __future__ import annotations

from scrapy.dupefilters import BaseDupeFilter

from tracker.crawling.counts import source_of


class SourceDupeFilter(BaseDupeFilter):
    def __init__(self, fingerprinter, stats=None):
        self.fingerprinter = fingerprinter
        self.stats = stats
        self.seen: set[tuple[str | None, bytes]] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler.request_fingerprinter, crawler.stats)

    def request_seen(self, request) -> bool:
        key = (source_of(request), self.fingerprinter.fingerprint(request))
        if key in self.seen:
            return True
        self.seen.add(key)
        return False

    def log(self, request, spider) -> None:
        if self.stats is not None:
            self.stats.inc_value("dupefilter/filtered")
