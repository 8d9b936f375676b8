"""Counting in one place: Scrapy stats, each count also kept under its source's prefix.

Every source of a run shares one crawler, so a count made for a source goes to both the run's
stat (`tracker/requests`) and the source's (`source/<name>/tracker/requests`). A source's
outcome (`SourceHealth`, the crawl_runs row, the `--stats-dir` file) is read back from those
stats at the end of the run; nothing else keeps a second tally.
"""

from __future__ import annotations

from tracker.crawling.health import FAILED, SourceHealth

# SourceHealth's counters and the stat each one is read from.
HEALTH_STATS = {
    "items_found": "tracker/items_found",
    "articles_fetched": "tracker/articles_fetched",
    "articles_known": "tracker/articles_known",
    "article_errors": "tracker/article_errors",
    "articles_extracted": "tracker/extracted",
    "new_articles": "tracker/articles_new",
    "new_records": "tracker/records/new",
    "events": "tracker/events_stored",
    "requests": "tracker/requests",
    "skipped": "tracker/skipped",
    "unresolved": "tracker/unresolved",
    "since_skipped": "tracker/since_skipped",
    "budget_skipped": "tracker/budget_skipped",
}
STATUS = "tracker/status"          # the first failure's status
REASONS = "tracker/reasons"        # failures and remarks, in order
EXTRACT_ERROR = "tracker/extract_error_first"
NOT_MODIFIED = "tracker/not_modified"


def prefix(source: str) -> str:
    return f"source/{source}/"


def source_of(request_or_response) -> str | None:
    """The source a request (or its response) was made for."""
    meta = getattr(request_or_response, "meta", None)
    return meta.get("source") if meta is not None else None


class Counts:
    """The crawler's stats seen per source."""

    def __init__(self, stats):
        self.stats = stats

    def inc(self, source: str | None, key: str, count: int | float = 1) -> None:
        """Add to the run's stat and, when the source is known, to the source's."""
        self.stats.inc_value(key, count)
        if source:
            self.stats.inc_value(prefix(source) + key, count)

    def mirror(self, source: str | None, key: str, count: int = 1) -> None:
        """A count Scrapy already keeps for the run, kept for the source too."""
        if source:
            self.stats.inc_value(prefix(source) + key, count)

    def fail(self, source: str, status: str, reason: str) -> None:
        """A failure of the source itself; the first one names its status."""
        key = prefix(source) + STATUS
        if self.stats.get_value(key) not in FAILED:
            self.stats.set_value(key, status)
        self._reason(source, reason)

    def note(self, source: str, reason: str) -> None:
        """A remark kept with the run (partial feed, truncated result) that is no failure."""
        if reason not in self.reasons(source):
            self._reason(source, reason)

    def article_failed(self, source: str, reason: str) -> None:
        """An article that could not be extracted: counted; the first reason is kept."""
        self.inc(source, HEALTH_STATS["article_errors"])
        key = prefix(source) + EXTRACT_ERROR
        if self.stats.get_value(key) is None:
            self.stats.set_value(key, reason)

    def reasons(self, source: str) -> list[str]:
        return list(self.stats.get_value(prefix(source) + REASONS) or [])

    def _reason(self, source: str, reason: str) -> None:
        self.stats.set_value(prefix(source) + REASONS, [*self.reasons(source), reason])

    def of(self, source: str) -> dict:
        """The source's stats, named as the run's are."""
        start = prefix(source)
        return {key[len(start):]: value for key, value in self.stats.get_stats().items()
                if key.startswith(start)}

    def health(self, source: str, kind: str) -> SourceHealth:
        """The source's outcome as its stats tell it."""
        own = self.of(source)
        return SourceHealth(
            source=source, kind=kind, status=own.get(STATUS, "ok"),
            reasons=list(own.get(REASONS, [])), not_modified=bool(own.get(NOT_MODIFIED)),
            extract_error=own.get(EXTRACT_ERROR),
            **{name: own.get(key, 0) for name, key in HEALTH_STATS.items()})
