"""Scrapy's per-download counts (`downloader/response_status_count/403`,
`downloader/exception_type_count/...`) kept for the source of each request too: Scrapy's
DownloaderStats counts the run only, and a source's file (`--stats-dir`) should say what its
own downloads met."""

from __future__ import annotations

from scrapy.utils.python import global_object_name

from tracker.crawling.counts import Counts, source_of


class SourceDownloaderStatsMiddleware:
    def __init__(self, crawler):
        self.counts = Counts(crawler.stats)

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        self.counts.mirror(source_of(request),
                           f"downloader/response_status_count/{response.status}")
        return response

    def process_exception(self, request, exception):
        self.counts.mirror(source_of(request), "downloader/exception_type_count/"
                           f"{global_object_name(exception.__class__)}")
