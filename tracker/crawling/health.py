"""Per-source outcome of one run, so 'refused' or 'blocked' is never mistaken for 'no news'."""

from __future__ import annotations

from dataclasses import dataclass, field

from scrapy.exceptions import IgnoreRequest
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import (ConnectionRefusedError, DNSLookupError, TCPTimedOutError,
                                    TimeoutError)

FAILED = {"dns", "http", "blocked", "refused", "robots", "parse", "connection", "timeout", "error"}


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
    events: int = 0
    requests: int = 0

    def fail(self, status: str, reason: str) -> None:
        """Record a failure of the source listing itself; the first failure names the status."""
        if self.status not in FAILED:
            self.status = status
        self.reasons.append(reason)

    @property
    def failed(self) -> bool:
        return self.status in FAILED

    def finish(self) -> None:
        if not self.failed and self.items_found == 0:
            self.status = "empty"


def describe_failure(failure) -> tuple[str, str]:
    """Map a Twisted failure from an errback to (status, one-line reason)."""
    exc = failure.value
    url = getattr(getattr(failure, "request", None), "url", "")
    if failure.check(HttpError):
        code = exc.response.status
        body = exc.response.body[:2000].lower()
        if code in (429, 503) and b"cloudflare" not in body:
            return "refused", f"HTTP {code} (rate-limited) for {exc.response.url}"
        if code == 403 or b"cf-chl" in body or b"cloudflare" in body:
            return "blocked", f"HTTP {code} (blocked) for {exc.response.url}"
        return "http", f"HTTP {code} for {exc.response.url}"
    if failure.check(DNSLookupError):
        return "dns", f"DNS lookup failed for {url or exc}"
    if failure.check(IgnoreRequest):
        text = str(exc)
        if "robots" in text.lower():
            return "robots", f"forbidden by robots.txt: {url}"
        return "error", f"request dropped: {text or type(exc).__name__} ({url})"
    if failure.check(ConnectionRefusedError):
        return "connection", f"connection refused: {url}"
    if failure.check(TimeoutError, TCPTimedOutError):
        return "timeout", f"timed out: {url}"
    return "error", f"{type(exc).__name__}: {exc} ({url})"
