"""Per-source outcome of one run, so 'refused' or 'blocked' is never mistaken for 'no news'."""

from __future__ import annotations

import logging
from contextlib import contextmanager
from dataclasses import dataclass, field

from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (
    ConnectionRefusedError,
    DNSLookupError,
    TCPTimedOutError,
    TimeoutError,
)

# Statuses of a crawl_runs row. ok / empty are healthy; the rest say why a source gave nothing.
STATUSES = ("ok", "empty", "refused", "blocked", "dns", "http", "robots", "parse", "timeout",
            "connection", "extract", "store", "error")
FAILED = {"dns", "http", "blocked", "refused", "robots", "parse", "connection", "timeout",
          "extract", "store", "error"}


class NotModified(IgnoreRequest):
    """A conditional listing request answered 304: nothing new since the last clean run."""


class BudgetExhausted(IgnoreRequest):
    """The source spent its per-run request budget (`max_requests`)."""


class PrivateAddressRefused(IgnoreRequest):
    """A public source led to a loopback/private/link-local address (crawling/privateaddress)."""


class RobotsUnreachable(IgnoreRequest):
    """robots.txt could not be fetched (5xx, 429, network error): treated as 'disallow all'."""

    def __init__(self, message: str, status: str = "robots"):
        super().__init__(message)
        self.status = status


@dataclass
class SourceHealth:
    source: str
    kind: str
    status: str = "ok"
    reasons: list[str] = field(default_factory=list)
    items_found: int = 0
    articles_fetched: int = 0
    articles_known: int = 0
    article_errors: int = 0
    new_articles: int = 0
    new_records: int = 0      # official records stored for the first time (record kinds)
    events: int = 0
    requests: int = 0
    skipped: int = 0          # bad input: counted, logged, never a crash
    unresolved: int = 0       # listed items kept without an article URL (Google News)
    since_skipped: int = 0    # older than --since
    budget_skipped: int = 0   # requests dropped by the per-source budget
    not_modified: bool = False
    articles_extracted: int = 0
    extract_error: str | None = None  # the first article's, for finish()

    def fail(self, status: str, reason: str) -> None:
        """Record a failure of the source listing itself; the first failure names the status."""
        if self.status not in FAILED:
            self.status = status
        self.reasons.append(reason)

    def article_failed(self, reason: str) -> None:
        """One fetched article could not be extracted: counted, not stored (the next run fetches
        it again); a source whose every article fails is failed by finish()."""
        self.article_errors += 1
        self.extract_error = self.extract_error or reason

    def note(self, reason: str) -> None:
        """A remark stored with the run (partial feed, truncated API result) that is no failure."""
        if reason not in self.reasons:
            self.reasons.append(reason)

    @property
    def failed(self) -> bool:
        return self.status in FAILED

    @property
    def clean(self) -> bool:
        """Everything listed was handled: safe to remember the listing's ETag/Last-Modified."""
        return not self.failed and not (self.article_errors or self.budget_skipped
                                        or self.since_skipped)

    def finish(self) -> None:
        if self.failed:
            return
        if self.extract_error and not self.articles_extracted:
            self.fail("extract", f"every fetched article failed extraction "
                                 f"({self.article_errors}), the first: {self.extract_error}")
            return
        if self.budget_skipped:
            self.note(f"request budget exhausted: {self.budget_skipped} requests not made")
        if self.not_modified and self.items_found == 0:
            self.note("listing not modified since the last run (HTTP 304)")
        elif self.items_found == 0:
            self.status = "empty"


def _http_reason(exc: HttpError, request) -> tuple[str, str]:
    response = exc.response
    code = response.status
    body = response.body[:4000].lower()
    if b"cloudflare" in body or b"cf-chl" in body or b"just a moment" in body:
        return "blocked", f"HTTP {code} (blocked) by a Cloudflare challenge page: {response.url}"
    if code in (429, 503):
        wait = (request.meta.get("retry_after_gave_up") if request is not None else None)
        if wait:
            return "refused", (f"HTTP {code} (rate-limited): asked to retry after {wait:.0f} s, "
                               f"over the cap; not waiting: {response.url}")
        return "refused", f"HTTP {code} (rate-limited) for {response.url}"
    if code == 403:
        return "blocked", f"HTTP 403 (blocked) for {response.url}"
    return "http", f"HTTP {code} for {response.url}"


def dropped_reason(failure) -> str:
    """A short counter name for a request that produced nothing (stats tracker/dropped/<x>)."""
    exc = failure.value
    if failure.check(BudgetExhausted):
        return "budget"
    if failure.check(HttpError):
        code = exc.response.status
        location = exc.response.headers.get(b"Location", b"").lower()
        if 300 <= code < 400 and location and not location.startswith((b"http:", b"https:", b"/")):
            return "redirect_scheme"
        return f"http_{code}"
    if failure.check(DownloadCancelledError):
        return "too_large"
    if failure.check(PrivateAddressRefused):
        return "private_address"
    text = str(exc).lower()
    if failure.check(IgnoreRequest):
        if "decompression" in text:
            return "decompression_bomb"
        if "redirection" in text:
            return "redirect_loop"
        return "robots" if "robots" in text else "ignored"
    status, _reason = describe_failure(failure)
    return "truncated" if failure.check(ResponseDataLossError) else status


# Transport failures by exception class: (status, how the reason line begins).
TRANSPORT_FAILURES = (
    ((CannotResolveHostError, DNSLookupError), "dns", "DNS lookup failed for"),
    ((DownloadConnectionRefusedError, ConnectionRefusedError), "connection",
     "connection refused:"),
    ((DownloadTimeoutError, TimeoutError, TCPTimedOutError), "timeout", "timed out:"),
    ((ResponseDataLossError,), "connection", "truncated response (connection closed early):"),
    ((DownloadCancelledError,), "error",
     "download cancelled (response larger than DOWNLOAD_MAXSIZE?):"),
)
ROBOTS_LEADS = {"dns": "DNS lookup failed", "connection": "connection refused",
                "timeout": "timed out"}


def describe_failure(failure) -> tuple[str, str]:
    """Map a Twisted failure from an errback to (status, one-line reason)."""
    exc = failure.value
    request = getattr(failure, "request", None)
    if request is None and failure.check(HttpError):
        request = getattr(exc.response, "request", None)
    url = getattr(request, "url", "")
    if failure.check(HttpError):
        return _http_reason(exc, request)
    if failure.check(RobotsUnreachable):
        lead = ROBOTS_LEADS.get(exc.status)
        return exc.status, f"{lead + ': ' if lead else ''}{exc}: {url}"
    for classes, status, lead in TRANSPORT_FAILURES:
        if failure.check(*classes):
            return status, f"{lead} {url or exc}"
    if failure.check(IgnoreRequest):
        return _dropped_reason(exc, url)
    return "error", f"{type(exc).__name__}: {exc} ({url})"


def _dropped_reason(exc: IgnoreRequest, url: str) -> tuple[str, str]:
    text = str(exc)
    lowered = text.lower()
    if "robots" in lowered:
        return "robots", f"forbidden by robots.txt: {url}"
    if "redirection loop" in lowered:
        return "http", text
    if "redirect" in lowered:
        return "http", f"{text} (redirect loop?): {url}"
    if "maxsize" in lowered:
        return "error", f"response too large (decompressed past DOWNLOAD_MAXSIZE): {url}"
    return "error", f"request dropped: {text or type(exc).__name__} ({url})"


class ErrorsBySource(logging.Handler):
    """ERROR records counted for the source they concern (`tracker/errors_logged`), found from
    the request, response or item Scrapy logs them with ('Gave up retrying %(request)s',
    'Error processing %(item)s'); its own log_count/ERROR stat counts the whole run only."""

    def __init__(self, crawler):
        super().__init__(level=logging.ERROR)
        self.crawler = crawler

    def emit(self, record: logging.LogRecord) -> None:
        args = record.args if isinstance(record.args, dict) else {}
        for value in args.values():
            source = getattr(value, "source", None) or getattr(value, "meta", {}).get("source")
            if isinstance(source, str):
                self.crawler.spider.counts.inc(source, "tracker/errors_logged")
                return


@contextmanager
def errors_by_source(crawler):
    handler = ErrorsBySource(crawler)
    logging.root.addHandler(handler)
    try:
        yield handler
    finally:
        logging.root.removeHandler(handler)
