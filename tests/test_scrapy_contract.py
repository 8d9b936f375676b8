"""What the crawler relies on in Scrapy beyond its documented API, pinned: an upgrade that
changes any of it fails here, by name, instead of somewhere in a crawl."""

from __future__ import annotations

import asyncio
import inspect

from scrapy.core.engine import ExecutionEngine, _Slot
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred

from tracker.crawling.engine import closing


def test_the_stock_robots_middleware_asks_robot_parser_then_process_request_2():
    """tracker/crawling/robots.py overrides these two methods (fail-closed robots.txt)."""
    calls = []

    class Recording(RobotsTxtMiddleware):
        async def robot_parser(self, request):
            calls.append(("robot_parser", request.url))
            return "parser"

        def process_request_2(self, rp, request):
            calls.append(("process_request_2", rp, request.url))

    middleware = Recording(get_crawler(settings_dict={"ROBOTSTXT_OBEY": True}))
    asyncio.run(middleware.process_request(Request("https://a.example/page")))
    assert calls == [("robot_parser", "https://a.example/page"),
                     ("process_request_2", "parser", "https://a.example/page")]
    assert isinstance(RobotsTxtMiddleware.DOWNLOAD_PRIORITY, int)


def test_the_engine_slot_says_when_the_spider_is_closing():
    """A Retry-After wait stops once the engine's slot is closing (`engine._slot.closing`), so
    a closing run is not held up for minutes, and a source answered while the run closes was
    cut short (tracker/crawling/engine.py)."""
    assert "self._slot" in inspect.getsource(ExecutionEngine.__init__)
    assert "self.closing" in inspect.getsource(_Slot.__init__)
    assert "self.closing = Deferred()" in inspect.getsource(_Slot.close)
    crawler = get_crawler()
    crawler.engine = type("Engine", (), {"_slot": None})()
    assert not closing(crawler)
    crawler.engine._slot = type("Slot", (), {"closing": None})()
    assert not closing(crawler)
    crawler.engine._slot.closing = Deferred()
    assert closing(crawler)
