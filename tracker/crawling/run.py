"""The run's one spider: every source's requests in one Scrapy crawler.

Each source is read by its kind's reader (spiders/<kind>.py); a request carries its source in
`meta["source"]` and the name of the reader's method to call back, so one downloader, one
scheduler and one set of middlewares and pipelines serve every source, and what belongs to a
source is counted under its prefix (tracker/crawling/counts.py).
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from functools import cached_property

import scrapy
from scrapy import signals

from tracker.crawling.base import SourceReader, reader_class
from tracker.crawling.counts import Counts, source_of
from tracker.crawling.engine import closing
from tracker.crawling.health import SourceHealth
from tracker.sources import Source

REQUEST_ID = "tracker_request"  # meta: one id per request a reader made, kept by its retries


class RunSpider(scrapy.Spider):
    name = "tracker"

    def __init__(self, sources: list[Source], known_keys: frozenset[str] = frozenset(),
                 discovered: dict | None = None, **kwargs):
        super().__init__(**kwargs)
        self.known_keys = known_keys
        self.discovered = discovered if discovered is not None else {}
        self.requested: set[str] = set()
        self.readers = {s.name: reader_class(s.kind)(s, self) for s in sources}
        self.outstanding: dict[str, set[int]] = defaultdict(set)  # source -> request ids
        self.started: set[str] = set()
        self.cut: set[str] = set()  # sources with an answer that came while the run closed
        self.ids = itertools.count()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(spider.dropped, signal=signals.request_dropped)
        return spider

    @cached_property
    def counts(self) -> Counts:
        """The crawler's stats per source (they exist once the crawl starts)."""
        return Counts(self.crawler.stats)

    async def start(self):
        for name, reader in self.readers.items():
            try:
                async for request in reader.start():
                    yield self._tagged(request)
            except Exception as exc:  # noqa: BLE001 - one source's bug fails that source only
                self.counts.fail(name, "error", f"cannot start: {type(exc).__name__}: {exc}")

    # ------------------------------------------------------------------ routing
    def route(self, response, **kwargs):
        """A response, back to the reader method that asked for it."""
        reader = self._settled(response.request)
        method = getattr(reader, response.meta["reader_callback"])
        return self._tag_all(method(response, **kwargs))

    def route_failure(self, failure):
        """A failed request, back to the reader's errback."""
        reader = self._settled(failure.request)
        method = getattr(reader, failure.request.meta["reader_errback"])
        return self._tag_all(method(failure))

    def _settled(self, request) -> SourceReader:
        source = source_of(request)
        self.outstanding[source].discard(request.meta.get(REQUEST_ID))
        if closing(self.crawler):  # answered while the run closes: what it would lead to is lost
            self.cut.add(source)
        return self.readers[source]

    def _tag_all(self, output):
        if output is None:
            return ()
        if isinstance(output, scrapy.Request):
            return [self._tagged(output)]
        return (self._tagged(r) if isinstance(r, scrapy.Request) else r for r in output if r)

    def _tagged(self, request: scrapy.Request) -> scrapy.Request:
        request.meta.setdefault(REQUEST_ID, next(self.ids))
        return request

    # ------------------------------------------------------------------ what is left
    def scheduled(self, request, spider=None) -> None:
        source = source_of(request)
        if source in self.readers and REQUEST_ID in request.meta:
            self.started.add(source)
            self.outstanding[source].add(request.meta[REQUEST_ID])

    def dropped(self, request, spider=None) -> None:
        source = source_of(request)
        if source in self.readers:
            self.outstanding[source].discard(request.meta.get(REQUEST_ID))

    def done(self, source: str) -> bool:
        """Every request the source made has been answered (or dropped)."""
        return source in self.started and not self.outstanding[source]

    def ended_early(self, source: str, reason: str | None) -> bool:
        return reason not in (None, "finished") and (bool(self.outstanding[source])
                                                     or source in self.cut)

    def outcome(self, source: str, reason: str | None) -> SourceHealth:
        """The source's final health (crawl_runs, the stats file, validators to keep): what its
        stats say, its end (`reason`: the run's finish reason) and the errors logged for it."""
        health = self.counts.health(source, self.readers[source].source.kind)
        if self.ended_early(source, reason):
            health.fail("error", f"crawl ended early: {reason}")
        logged = self.counts.of(source).get("tracker/errors_logged", 0)
        if logged and not health.failed:
            health.note(f"{logged} error{'s' if logged > 1 else ''} logged")
        health.finish()
        return health
