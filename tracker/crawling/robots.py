"""robots.txt that fails closed: an unreachable robots.txt means 'do not crawl this host'.

Scrapy's RobotsTxtMiddleware fails open: a download error allows everything, and a 5xx error
page is parsed as if it held rules (usually: allow all). RFC 9309 §2.3.1.3-4 says an
unreachable robots.txt (5xx or network error) means complete disallow, while 4xx means no
rules. Official sites get the conservative reading. Replaces the stock middleware in settings.

Two more differences from the stock middleware:
* Requests that wait for a robots.txt still being fetched each get the parser. (The stock
  middleware awaits one shared Deferred from every waiting request; only the first waiter gets
  the parser, the others get None, which means "allow all".)
* Read up to ROBOTS_MAX_BYTES, the 500 KiB RFC 9309 §2.5 requires crawlers to parse: the
  download stops there and rules past it are ignored (two hosts with a 15 MB robots.txt took
  the crawl past 512 MB). The last, cut line is dropped.
"""

from __future__ import annotations

import logging

from scrapy import signals
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    StopDownload,
)
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.misc import build_from_crawler, load_object
from twisted.internet.defer import Deferred

from tracker.crawling.counts import Counts, source_of
from tracker.crawling.health import RobotsUnreachable

logger = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 500 * 1024
ROBOTS_META = "tracker_robots_bytes"  # bytes received so far, on the robots.txt request only

class Unreachable:
    """Stands in for a parser when robots.txt could not be read: nothing is allowed."""

    def __init__(self, reason: str, status: str):
        self.reason = reason
        self.status = status

    def allowed(self, url, user_agent) -> bool:
        return False


def _status_for(exc: Exception) -> str:
    if isinstance(exc, CannotResolveHostError):
        return "dns"
    if isinstance(exc, DownloadConnectionRefusedError):
        return "connection"
    if isinstance(exc, DownloadTimeoutError):
        return "timeout"
    return "robots"


def capped(body: bytes, limit: int = ROBOTS_MAX_BYTES) -> bytes:
    """The first `limit` bytes up to the last complete line (a cut rule could mean anything)."""
    if len(body) <= limit:
        return body
    return body[:body.rfind(b"\n", 0, limit) + 1]


class FailClosedRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler):
        super().__init__(crawler)
        # Our own state, not the stock middleware's private attributes: netloc -> parser |
        # Unreachable | None (no rules) | Deferred (being fetched).
        self.parsers: dict[str, object] = {}
        self.parser_class = load_object(crawler.settings["ROBOTSTXT_PARSER"])
        self.counts = Counts(crawler.stats)
        crawler.signals.connect(self._bytes_received, signal=signals.bytes_received)

    def _bytes_received(self, data: bytes, request: Request, spider=None) -> None:
        """Stop a robots.txt download at ROBOTS_MAX_BYTES; the part received is parsed."""
        if ROBOTS_META not in request.meta:
            return
        request.meta[ROBOTS_META] += len(data)
        if request.meta[ROBOTS_META] > ROBOTS_MAX_BYTES:
            raise StopDownload(fail=False)

    async def robot_parser(self, request: Request):
        url = urlparse_cached(request)
        netloc = url.netloc
        if netloc not in self.parsers:
            self.parsers[netloc] = Deferred()
            # The source that asked first owns the fetch: its budget, its counts, its
            # private-address guard.
            robots_request = Request(f"{url.scheme}://{netloc}/robots.txt",
                                     priority=self.DOWNLOAD_PRIORITY,
                                     meta={"dont_obey_robotstxt": True, ROBOTS_META: 0,
                                           "source": source_of(request)},
                                     callback=NO_CALLBACK)
            try:
                response = await self.crawler.engine.download_async(robots_request)
                await self._read(response, netloc, request)
            except Exception as exc:  # every failure to read robots.txt is a 'disallow'
                self._robots_error(exc, netloc, request)
            except BaseException as exc:  # cancelled: settle it, so no waiter hangs
                self._robots_error(exc, netloc, request)
                raise
            self.crawler.stats.inc_value("robotstxt/request_count")
        parser = self.parsers[netloc]
        if isinstance(parser, Deferred):
            waiter: Deferred = Deferred()

            def relay(result):
                waiter.callback(result)
                return result  # the next waiter gets the parser too

            parser.addBoth(relay)
            parser = await maybe_deferred_to_future(waiter)
            self.parsers[netloc] = parser
        return parser

    def _settle(self, netloc: str, parser) -> None:
        pending = self.parsers.get(netloc)
        self.parsers[netloc] = parser
        if isinstance(pending, Deferred) and not pending.called:
            pending.callback(parser)

    async def _read(self, response, netloc: str, request: Request) -> None:
        status = response.status
        self.crawler.stats.inc_value("robotstxt/response_count")
        self.crawler.stats.inc_value(f"robotstxt/response_status_count/{status}")
        self.counts.mirror(source_of(request), f"robotstxt/response_status_count/{status}")
        if status >= 500 or status == 429:
            self.counts.inc(source_of(request), "tracker/robots/unreachable")
            logger.warning("robots.txt for %s answered HTTP %s: not crawling this host", netloc,
                           status)
            self._settle(netloc, Unreachable(f"HTTP {status}", "robots"))
        elif 400 <= status < 500:  # no robots.txt: no rules (RFC 9309 §2.3.1.3)
            self._settle(netloc, None)
        else:
            body = capped(response.body)
            if len(body) < len(response.body) or "download_stopped" in response.flags:
                self.counts.inc(source_of(request), "tracker/robots/truncated")
                logger.info("robots.txt for %s is larger than %d bytes: rules past it ignored",
                            netloc, ROBOTS_MAX_BYTES)
            parser = build_from_crawler(self.parser_class, self.crawler, body)
            await self.crawler.signals.send_catch_log_async(
                signal=signals.robots_parsed, robotparser=parser, request=request)
            self._settle(netloc, parser)

    def _robots_error(self, exc: Exception, netloc: str, request: Request) -> None:
        self.crawler.stats.inc_value(f"robotstxt/exception_count/{type(exc)}")
        self.counts.inc(source_of(request), "tracker/robots/unreachable")
        logger.warning("robots.txt for %s could not be fetched (%s: %s): not crawling this host",
                       netloc, type(exc).__name__, exc)
        self._settle(netloc, Unreachable(f"{type(exc).__name__}", _status_for(exc)))

    def process_request_2(self, rp, request: Request) -> None:
        if isinstance(rp, Unreachable):
            self.crawler.stats.inc_value("robotstxt/forbidden_unreachable")
            raise RobotsUnreachable(f"robots.txt unreachable ({rp.reason}), treated as disallow",
                                    status=rp.status)
        try:
            super().process_request_2(rp, request)
        except IgnoreRequest:
            self.counts.mirror(source_of(request), "robotstxt/forbidden")
            raise
