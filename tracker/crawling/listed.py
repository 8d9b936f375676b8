"""What a kind reads off one listing page, for the base reader to act on.

A kind's `read_listing(response) -> Listing` is a translation of its parser's answer; the base
reader (tracker/crawling/base.py) counts what was listed, skipped and broken, requests the
articles it has not seen, stores the records, and follows the next page within `max_pages`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.extract.records import OfficialRecord


@dataclass(frozen=True)
class Listed:
    """One article a listing names: its URL and what the listing says of it."""

    url: str | None
    title: str | None = None
    published: str | None = None  # the listing's date, as written
    fetch_url: str | None = None  # what to download, when not the article's URL (an API)


@dataclass
class Listing:
    items: list = field(default_factory=list)      # Listed, or what the kind's `follow` takes
    records: list[OfficialRecord] = field(default_factory=list)  # official-record kinds
    broken: int = 0                                 # entries that could not be read at all
    skipped: dict[str, int] = field(default_factory=dict)  # reason -> bad entries left out
    counts: dict[str, int] = field(default_factory=dict)   # stat -> figures worth a count
    notes: list[str] = field(default_factory=list)  # remarks kept with the run
    next_url: str | None = None                     # the next page, when the listing links it
    more: bool = False                              # a next page without a link (POST paging)
    entries: int | None = None                      # on the page, when items keeps only some

    @property
    def listed(self) -> int:
        if self.entries is not None:
            return self.entries
        return len(self.items) + len(self.records)

    @property
    def continues(self) -> bool:
        return bool(self.next_url) or self.more

