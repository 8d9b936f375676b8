"""What a crawl says while and after it runs: a live line on a terminal, one summary at the end.

On a terminal the line is redrawn in place (`\\r`) twice a second; under cron (no TTY) nothing is
drawn, so the run prints its summary only. The summary counts this run, never database totals,
and when every source failed the same way it says so once, with the likely cause.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

REDRAW_SECONDS = 0.5
# When every source failed with one status, what that status most likely means.
COMMON_CAUSES = {
    "dns": "every source failed on DNS: is this machine offline?",
    "connection": "every source refused or dropped the connection: is this machine offline "
                  "or behind a proxy?",
    "timeout": "every source timed out: is the network down or very slow?",
    "robots": "every source's robots.txt was unreachable: is the network filtered?",
}


@dataclass(frozen=True)
class RunCounts:
    """This run's figures, summed over its sources."""

    sources: int = 0
    sources_done: int = 0
    fetched: int = 0
    extracted: int = 0
    stored: int = 0
    new: int = 0
    events: int = 0
    errors: int = 0
    failed: int = 0


def run_counts(crawler, sources: list, healths: list | None = None) -> RunCounts:
    """Sum the sources' figures (healths: the sources' final outcomes, else what the stats say
    so far)."""
    spider = crawler.spider
    if spider is None:
        return RunCounts(sources=len(sources))
    if healths is None:
        healths = [spider.counts.health(s.name, s.kind) for s in sources]
    value = crawler.stats.get_value
    totals = Counter(sources_done=sum(spider.done(s.name) for s in sources),
                     extracted=value("tracker/extracted", 0),
                     stored=value("tracker/articles_new", 0) + value("tracker/articles_updated", 0))
    for health in healths:
        totals["fetched"] += health.articles_fetched
        totals["new"] += health.new_articles
        totals["events"] += health.events
        totals["errors"] += health.article_errors + health.failed
        totals["failed"] += health.failed
    return RunCounts(sources=len(sources), **totals)


def progress_text(counts: RunCounts, elapsed: float) -> str:
    rate = counts.fetched / elapsed if elapsed > 0 else 0.0
    return (f"sources {counts.sources_done}/{counts.sources} | articles fetched "
            f"{counts.fetched}, extracted {counts.extracted}, stored {counts.stored} | "
            f"events {counts.events} | errors {counts.errors} | {rate:.1f} articles/s")


def summary_text(counts: RunCounts, elapsed: float) -> str:
    """The closing line: this run only."""
    return (f"this run: {counts.sources} sources ({counts.failed} failed), "
            f"{counts.fetched} articles fetched, {counts.new} new, {counts.events} event "
            f"reports, {counts.errors} errors, {elapsed:.1f} s")


def common_failure(statuses: list[str]) -> str | None:
    """One line when two or more sources all failed with the same status, else None."""
    if len(statuses) < 2 or len(set(statuses)) != 1 or statuses[0] in ("ok", "empty"):
        return None
    return COMMON_CAUSES.get(statuses[0], f"every source failed the same way: {statuses[0]}")


class ProgressLine:
    """A status line redrawn in place on a terminal; does nothing when `stream` is no TTY."""

    def __init__(self, stream):
        self.stream = stream
        self.enabled = stream.isatty()
        self.width = 0

    def draw(self, text: str) -> None:
        if not self.enabled:
            return
        padding = " " * max(0, self.width - len(text))
        self.stream.write(f"\r{text}{padding}")
        self.stream.flush()
        self.width = len(text)

    def clear(self) -> None:
        if self.enabled and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0


def start_progress(crawler, sources: list, line: ProgressLine, started: float, clock):
    """Redraw `line` from the run's figures every REDRAW_SECONDS until stopped; None (and
    nothing drawn) off a terminal. Call once the reactor is installed (CrawlerProcess)."""
    if not line.enabled:
        return None
    from twisted.internet import task

    loop = task.LoopingCall(
        lambda: line.draw(progress_text(run_counts(crawler, sources), clock() - started)))
    loop.start(REDRAW_SECONDS)
    return loop
