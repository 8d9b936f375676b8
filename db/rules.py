"""What the store asks and does not decide: which article a URL names, which reports are one
event, and what a merged event's row shows. tracker/timeline.py answers (db/ imports nothing
from tracker/); the store keeps the answers, idempotently.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

ReportKey = tuple[str, int]  # (article id, position of the report among the article's events)


class Report(Protocol):
    """One event as one article states it; the store needs only its key."""

    key: ReportKey


@dataclass(frozen=True)
class Neighbourhood:
    """Where the stored reports that may be one announcement with a report lie: a superset of
    those the rules accept, found through the report_facts index. Each shares a `lead_kind`
    fact of `leads`. For a dated report (`day`), it lies within `window` days of it; or within
    `progression` days when this report `continues` an earlier stage or it bears the
    `continuing` fact; or it is undated and shares a `corroborating` fact. An undated report's
    neighbours share a `corroborating` fact."""

    lead_kind: str
    leads: tuple[str, ...]
    day: str | None
    window: int
    progression: int
    continues: bool
    continuing: tuple[str, str]
    corroborating: tuple[tuple[str, str], ...]


class TimelineRules(Protocol):
    """The decisions the store applies when it saves an article's reports."""

    max_component: int  # reports one save may regroup, at most

    def url_key(self, url: str) -> str:
        """The article's identity across the URLs it is published under."""

    def report(self, key: ReportKey, event: dict) -> Report:
        """A report from the event dict the events layer produced (as stored)."""

    def facts(self, report: Report) -> list[tuple[str, str]]:
        """The (kind, value) pairs report_facts indexes for finding the report's neighbours."""

    def neighbourhood(self, report: Report) -> Neighbourhood:
        """Where the report's possible neighbours lie."""

    def same_announcement(self, a: Report, b: Report) -> bool:
        """Whether two reports can be one announcement (symmetric)."""

    def tied(self, key: ReportKey) -> list[ReportKey]:
        """Reports a reviewer's decision ties to this one, in a stable order."""

    def group(self, reports: list[Report]) -> list[list[Report]]:
        """The events of these reports; each event's first report names it."""

    def event_id(self, key: ReportKey) -> str:
        """The id of the event its first report names."""

    def event_row(self, reports: list[dict]) -> dict:
        """A merged event's event_type, event_date, date_precision, summary and confidence,
        from its reports (event_articles joined with their articles, earliest first)."""

    def deal_row(self, facts: list[dict], stages: list[dict]) -> dict:
        """A merged event's schema.DEAL_COLUMNS (`stages` a list), from its reports'
        event_facts and event_stages rows."""
