"""Shared crawling helpers (tracker/crawling/) and the sources registry, without a crawl."""

import asyncio
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from tracker.crawling import spacing
from tracker.crawling.counts import Counts
from tracker.crawling.health import (
    BudgetExhausted,
    RobotsUnreachable,
    SourceHealth,
    describe_failure,
    dropped_reason,
)
from tracker.crawling.retryafter import retry_after_seconds
from tracker.crawling.since import SinceError, parse_since
from tracker.sources import DEFAULT_SOURCES, KINDS, SourcesError, load_sources


def http_failure(status: int, body: bytes = b"", headers=None, meta=None) -> Failure:
    request = Request("https://news.example/feed", meta=meta or {})
    response = HtmlResponse(
        request.url, status=status, body=body, headers=headers or {}, request=request
    )
    failure = Failure(HttpError(response))
    failure.request = request
    return failure


def test_retry_after_header_forms():
    now = datetime(2025, 3, 4, 12, 0, tzinfo=UTC)
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds("Tue, 04 Mar 2025 12:01:30 GMT", now) == 90
    assert retry_after_seconds("Tue, 04 Mar 2025 11:00:00 GMT", now) == 0  # in the past
    assert retry_after_seconds(b"soon") is None and retry_after_seconds(None) is None


def test_since_accepts_relative_and_iso_dates():
    now = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
    assert parse_since("7 days ago", now) == date(2025, 3, 3)
    assert parse_since("2025-01-31", now) == date(2025, 1, 31)
    assert parse_since("2 weeks ago", now) == date(2025, 2, 24)
    for bad in ("whenever", "", "2030-01-01"):
        with pytest.raises(SinceError):
            parse_since(bad, now)


def test_host_spacing_books_one_slot_per_interval():
    slots: dict[str, float] = {}
    assert spacing.reserve(slots, "api.example", 5.0, now=100.0) == 0
    assert spacing.reserve(slots, "api.example", 5.0, now=101.0) == 4.0  # waits for 105
    assert spacing.reserve(slots, "api.example", 5.0, now=101.5) == 8.5  # then 110
    assert spacing.reserve(slots, "other.example", 5.0, now=101.5) == 0


def test_failures_map_to_statuses_and_reasons():
    assert describe_failure(http_failure(429))[0] == "refused"
    status, reason = describe_failure(http_failure(429, meta={"retry_after_gave_up": 3600}))
    assert status == "refused" and "retry after 3600 s" in reason
    assert describe_failure(http_failure(403)) == (
        "blocked",
        "HTTP 403 (blocked) for https://news.example/feed",
    )
    challenge = http_failure(503, b"<title>Just a moment...</title><div id='cf-chl-widget'>")
    assert describe_failure(challenge)[0] == "blocked"
    assert describe_failure(http_failure(404))[0] == "http"
    robots = Failure(RobotsUnreachable("robots.txt unreachable (HTTP 503), treated as disallow"))
    assert describe_failure(robots)[0] == "robots"
    dns = Failure(RobotsUnreachable("robots.txt unreachable (CannotResolveHostError)", "dns"))
    assert describe_failure(dns)[1].startswith("DNS lookup failed")
    assert dropped_reason(Failure(BudgetExhausted("spent"))) == "budget"
    redirect = http_failure(302, headers={"Location": "file:///etc/hostname"})
    assert dropped_reason(redirect) == "redirect_scheme"


def test_health_statuses():
    health = SourceHealth("s", "feed")
    health.finish()
    assert health.status == "empty"  # nothing listed: not the same as refused
    cached = SourceHealth("s", "feed", not_modified=True)
    cached.finish()
    assert cached.status == "ok" and "304" in cached.reasons[0]
    refused = SourceHealth("s", "gdelt")
    refused.fail("refused", "GDELT rate limit")
    refused.finish()
    assert refused.status == "refused" and refused.failed and not refused.clean
    partial = SourceHealth("s", "feed", items_found=3, budget_skipped=2)
    partial.finish()
    assert partial.status == "ok" and not partial.clean and "budget" in partial.reasons[0]


def test_a_source_whose_every_article_fails_extraction_fails():
    """One hostile page is that page's loss; every page failing (a broken install, a full temp
    disk) is the source's failure, not an 'ok' run that stored nothing."""
    broken = SourceHealth("s", "feed", items_found=3)
    for _ in range(3):
        broken.article_failed("OSError(28, 'No space left on device')")
    broken.finish()
    assert broken.failed and broken.status == "extract"
    assert "every fetched article failed extraction (3)" in broken.reasons[0]
    assert "No space left on device" in broken.reasons[0]
    one_bad = SourceHealth("s", "feed", items_found=3, articles_extracted=2)
    one_bad.article_failed("ValueError('hostile page')")
    one_bad.finish()
    assert one_bad.status == "ok" and one_bad.article_errors == 1


def test_default_registry_covers_every_kind_and_language():
    sources = load_sources(DEFAULT_SOURCES)
    kinds = {s.kind for s in sources}
    assert kinds == KINDS
    assert all(s.options.terms for s in sources), "every entry records its terms posture"
    for kind in ("gdelt", "googlenews"):
        languages = {s.language for s in sources if s.kind == kind}
        assert {"en", "fr", "de", "es", "ja", "ko"} <= languages, kind
    names = {s.name for s in sources}
    assert {
        "dod-contracts",
        "gsa-news-releases",
        "govuk-mod-cabinet-office",
        "nato-news",
        "eu-press-corner",
        "meta-newsroom",
        "openai-news",
        "mistral-news",
    } <= names
    dod = next(s for s in sources if s.name == "dod-contracts")
    assert dod.options.article_parser == "dod_contracts"


@pytest.mark.parametrize(
    "entry, message",
    [
        (
            "{name: g, kind: gdelt, url: 'https://api.gdeltproject.org/api/v2/doc/doc'}",
            "needs a 'query'",
        ),
        (
            "{name: g, kind: gdelt, url: 'https://a.example/', query: x, maxrecords: 500}",
            "maxrecords",
        ),
        (
            "{name: g, kind: gdelt, url: 'https://a.example/', query: x, timespan: fortnight}",
            "timespan",
        ),
        (
            "{name: n, kind: googlenews, url: 'https://news.google.com/rss/search'}",
            "needs a 'query'",
        ),
        ("{name: l, kind: listing, url: 'https://a.example/'}", "link_selector"),
        (
            "{name: l, kind: listing, url: 'https://a.example/', link_selector: 'div['}",
            "invalid CSS selector",
        ),
        (
            "{name: l, kind: listing, url: 'https://a.example/', link_selector: a, allow: '('}",
            "regular expression",
        ),
        (
            "{name: l, kind: listing, url: 'https://a.example/', link_selector: a, "
            "article_parser: x}",
            "unknown article_parser",
        ),
        (
            "{name: u, kind: govuk, url: 'https://a.example/', organisations: ministry-of-defence}",
            "list of slugs",
        ),
        (
            "{name: s, kind: sitemap, url: 'https://a.example/', max_age_days: 0}",
            "positive integer",
        ),
    ],
)
def test_kind_options_are_validated_with_the_entry_named(tmp_path, entry, message):
    path = tmp_path / "sources.yml"
    path.write_text(f"sources:\n  - {entry}\n")
    with pytest.raises(SourcesError, match=message) as info:
        load_sources(path)
    assert "source " in str(info.value)


def test_google_news_url_with_query_needs_no_query_option(tmp_path):
    path = tmp_path / "sources.yml"
    path.write_text(
        "sources:\n  - {name: n, kind: googlenews, "
        "url: 'https://news.google.com/rss/search?q=NATO+AI&hl=en-US'}\n"
    )
    assert load_sources(path)[0].kind == "googlenews"


def test_since_filter_middleware_drops_only_older_requests():
    from scrapy.utils.test import get_crawler

    from tracker.crawling.since import SinceFilterMiddleware

    crawler = get_crawler(settings_dict={"TRACKER_SINCE": "2025-03-01"})
    middleware = SinceFilterMiddleware(crawler)
    old = Request("https://a.example/1", meta={"listing_date": "2025-02-28"})
    new = Request("https://a.example/2", meta={"listing_date": "2025-03-01"})
    undated = Request("https://a.example/3")
    kept = list(middleware.process_spider_output(None, [old, new, undated, {"item": 1}]))
    assert kept == [new, undated, {"item": 1}]
    assert crawler.stats.get_value("tracker/since_skipped") == 1


def test_budget_middleware_counts_and_refuses():
    from scrapy.utils.test import get_crawler

    from tracker.crawling.budget import RequestBudgetMiddleware
    from tracker.sources import Source

    def reader(name: str, budget: int):
        source = Source(name=name, kind="feed", url="https://a.example/", max_requests=budget)
        return SimpleNamespace(source=source)

    class FakeSpider:
        readers = {"s": reader("s", 2), "t": reader("t", 1)}

    crawler = get_crawler()
    crawler.spider = FakeSpider()
    middleware = RequestBudgetMiddleware(crawler)
    robots = Request("https://a.example/robots.txt",
                     meta={"dont_obey_robotstxt": True, "source": "s"})
    for request in (robots, Request("https://a.example/1", meta={"source": "s"}),
                    Request("https://a.example/2", meta={"source": "s"}),
                    Request("https://a.example/4", meta={"source": "t"})):
        assert middleware.process_request(request) is None
    with pytest.raises(BudgetExhausted):
        middleware.process_request(Request("https://a.example/3", meta={"source": "s"}))
    with pytest.raises(BudgetExhausted):  # each source spends its own budget
        middleware.process_request(Request("https://a.example/5", meta={"source": "t"}))
    health = Counts(crawler.stats).health("s", "feed")
    assert health.requests == 3 and health.budget_skipped == 0  # robots.txt counted, not refused
    assert crawler.stats.get_value("tracker/requests") == 4


def test_spacing_middleware_waits(monkeypatch):
    from scrapy.utils.test import get_crawler

    from tracker.crawling.spacing import HostSpacingMiddleware

    middleware = HostSpacingMiddleware(get_crawler())
    request = Request("https://api.example/q", meta={"min_interval": 0.2})

    async def two():
        loop = asyncio.get_running_loop()
        start = loop.time()
        await middleware.process_request(request)
        await middleware.process_request(request)
        return loop.time() - start

    assert asyncio.run(two()) >= 0.19


def test_polite_defaults_are_on_in_project_settings():
    from scrapy.settings import Settings

    from tracker import settings as module

    settings = Settings()
    settings.setmodule(module)
    assert settings.getbool("ROBOTSTXT_OBEY") and settings.getbool("AUTOTHROTTLE_ENABLED")
    assert "+http" in settings["USER_AGENT"] or "mailto" in settings["USER_AGENT"]
    assert settings.getfloat("TRACKER_GDELT_INTERVAL") == 5.0  # GDELT: one request per 5 s
    assert settings.getfloat("TRACKER_RETRY_AFTER_MAX") > 0
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares["scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware"] is None
    for name in ("robots.FailClosedRobotsTxtMiddleware", "budget.RequestBudgetMiddleware",
                 "spacing.HostSpacingMiddleware", "retryafter.RetryAfterMiddleware",
                 "conditional.ConditionalGetMiddleware"):
        assert f"tracker.crawling.{name}" in middlewares, name
    # Retry-After is read before RetryMiddleware (550) sees the response.
    assert middlewares["tracker.crawling.retryafter.RetryAfterMiddleware"] > 550
    assert "tracker.crawling.since.SinceFilterMiddleware" in settings.getdict("SPIDER_MIDDLEWARES")


def test_redirect_loop_middleware_stops_a_chain_that_returns_to_itself():
    from scrapy.exceptions import IgnoreRequest
    from scrapy.http import Response
    from scrapy.settings import Settings

    from tracker.crawling.redirectloop import RedirectLoopMiddleware

    middleware = RedirectLoopMiddleware(Settings({"REDIRECT_ENABLED": True,
                                                  "METAREFRESH_ENABLED": True,
                                                  "METAREFRESH_MAXDELAY": 100}))
    base = "http://site.example"
    # A -> B is a redirect like any other; B -> A (relative Location) closes the loop.
    first = Request(f"{base}/a.html")
    to_b = Response(first.url, status=302, headers={"Location": f"{base}/b.html"}, request=first)
    assert middleware.process_response(first, to_b) is to_b
    second = Request(f"{base}/b.html", meta={"redirect_urls": [first.url]})
    to_a = Response(second.url, status=301, headers={"Location": "/a.html?"}, request=second)
    loop = r"redirection loop: .*/a.html -> .*/b.html -> .*/a.html"
    with pytest.raises(IgnoreRequest, match=loop):
        middleware.process_response(second, to_a)
    # a page that refreshes to itself
    page = b'<html><head><meta http-equiv="refresh" content="0;url=/m.html"></head></html>'
    selfref = HtmlResponse(f"{base}/m.html", body=page, request=Request(f"{base}/m.html"))
    with pytest.raises(IgnoreRequest):
        middleware.process_response(selfref.request, selfref)
    # a page that reloads itself every five minutes is no redirect (Scrapy does not follow it)
    slow = page.replace(b'content="0;', b'content="300;')
    reloading = HtmlResponse(f"{base}/m.html", body=slow, request=Request(f"{base}/m.html"))
    assert middleware.process_response(reloading.request, reloading) is reloading
    # ordinary pages and redirects elsewhere pass
    plain = HtmlResponse(f"{base}/p.html", body=b"<html><body>text</body></html>")
    assert middleware.process_response(Request(plain.url), plain) is plain
    onward = Response(f"{base}/c.html", status=302, headers={"Location": f"{base}/d.html"})
    assert middleware.process_response(second.replace(url=f"{base}/c.html"), onward) is onward
