"""The run's one spider without a reactor: routing back to the reader, what each source still
waits for, when a closing run cut a source short, and a reader that cannot start."""

import asyncio
from types import SimpleNamespace

from scrapy.http import Request, TextResponse
from scrapy.utils.test import get_crawler
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure

from tracker.crawling.run import REQUEST_ID, RunSpider
from tracker.sources import load_sources

FEED = b"""<rss version="2.0"><channel><title>t</title>
<item><title>A</title><link>https://a.example/a.html</link></item>
<item><title>B</title><link>https://a.example/b.html</link></item></channel></rss>"""


def spider_for(tmp_path, entries: str) -> RunSpider:
    path = tmp_path / "s.yml"
    path.write_text("sources:\n" + entries)
    crawler = get_crawler(RunSpider)
    crawler.stats.open_spider()
    crawler.engine = SimpleNamespace(_slot=SimpleNamespace(closing=None))
    return RunSpider.from_crawler(crawler, sources=load_sources(path),
                                  known_keys=frozenset({"a.example/b.html"}))


def started(spider) -> list[Request]:
    async def collect():
        return [request async for request in spider.start()]
    return asyncio.run(collect())


def answer(request: Request, body: bytes = FEED) -> TextResponse:
    return TextResponse(request.url, body=body, request=request,
                        headers={"Content-Type": "application/rss+xml"})


TWO = ("  - {name: one, kind: feed, url: 'https://a.example/feed.xml'}\n"
       "  - {name: two, kind: feed, url: 'https://b.example/feed.xml'}\n")


def test_each_request_names_its_source_and_comes_back_to_its_reader(tmp_path):
    spider = spider_for(tmp_path, TWO)
    first, second = started(spider)
    assert [r.meta["source"] for r in (first, second)] == ["one", "two"]
    assert first.meta[REQUEST_ID] != second.meta[REQUEST_ID]
    for request in (first, second):
        spider.scheduled(request)
    assert not spider.done("one")
    articles = list(spider.route(answer(first)))
    assert [r.url for r in articles] == ["https://a.example/a.html"]  # b.html is stored already
    assert articles[0].meta["source"] == "one" and articles[0].meta["reader_callback"]
    assert spider.done("one") and not spider.done("two")
    health = spider.counts.health("one", "feed")
    assert (health.items_found, health.articles_known) == (2, 1)
    assert spider.counts.health("two", "feed").items_found == 0


def test_an_article_listed_by_two_sources_is_requested_once(tmp_path):
    spider = spider_for(tmp_path, TWO)
    first, second = started(spider)
    assert len(list(spider.route(answer(first)))) == 1
    assert list(spider.route(answer(second))) == []  # a.html: requested for `one` already


def test_a_source_still_waiting_or_answered_while_closing_ended_early(tmp_path):
    spider = spider_for(tmp_path, TWO)
    first, second = started(spider)
    for request in (first, second):
        spider.scheduled(request)
    list(spider.route(answer(first)))
    assert spider.ended_early("two", "closespider_timeout")  # still waiting
    assert not spider.ended_early("two", "finished")
    spider.crawler.engine._slot.closing = Deferred()
    list(spider.route_failure(_failure_of(second)))
    assert spider.done("two")  # nothing outstanding: cut short by the close all the same
    assert spider.ended_early("two", "closespider_timeout")
    assert not spider.ended_early("one", "closespider_timeout")  # answered before the close


def _failure_of(request: Request) -> Failure:
    failure = Failure(TimeoutError("timed out"))
    failure.request = request
    return failure


def test_a_reader_that_cannot_start_fails_its_source_only(tmp_path, monkeypatch):
    spider = spider_for(tmp_path, TWO)

    def broken():
        raise ValueError("no start url")

    monkeypatch.setattr(spider.readers["one"], "start_urls_for_source", broken)
    requests = started(spider)
    assert [r.meta["source"] for r in requests] == ["two"]
    health = spider.counts.health("one", "feed")
    assert health.status == "error" and "no start url" in health.reasons[0]
