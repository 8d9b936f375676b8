"""Refresh the record links of the timeline after a crawl or a reprocess.

Runs only on a database holding official records (a record source was crawled): a news-only
timeline keeps empty `records`. Events changed since `since` are relinked, or every event when
records arrived or changed since then (a new award can match an old event).
"""

from __future__ import annotations

from datetime import date

from tracker.records.linking import links_for


def relink(store, since: str | None = None, today: date | None = None) -> int:
    """Link events to records through the store; returns how many events were relinked."""
    records = store.records_for_linking()
    if not records:
        return 0
    records_moved = since is None or store.records_changed_since(since)
    events = store.events_for_linking(None if records_moved else since)
    registries = store.record_kinds()
    today = today or date.today()
    store.save_record_links({event["id"]: links_for(event, records, registries, today)
                             for event in events})
    return len(events)
