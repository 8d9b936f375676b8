"""Re-derive all events from stored article text, as a fresh crawl of the same pages would.

The events layer runs in worker processes (both cores) while this process writes, in the
order a crawl stored the articles; everything happens in one transaction, so readers keep
seeing the old timeline until the new one is complete and a killed run changes nothing.
"""

from __future__ import annotations

import itertools
import json
import os
from typing import NamedTuple

from db.store import Store
from tracker.decisions import Decision, Grouping, apply_decisions
from tracker.events.derive import derive_events
from tracker.ops.workers import worker_pool
from tracker.records.relink import relink
from tracker.timeline import article_id_for, open_timeline

CHUNK = 32
BATCH = 1024


def _derive(row: tuple[str, str | None, str | None, str | None, str]):
    text, title, published, language, url = row
    result = derive_events(text, title=title, published=published, language=language, url=url)
    return result.events, result.unmatched


def default_workers() -> int:
    return int(os.environ.get("TRACKER_REPROCESS_WORKERS", os.cpu_count() or 1))


class Reprocessed(NamedTuple):
    articles: int
    reports: int  # event reports: several may merge into one timeline event
    unused: list[Decision]  # decisions that matched no stored article


def reprocess_all(db_path: str, workers: int | None = None,
                  decisions: list[Decision] = ()) -> Reprocessed:
    """Re-derive every stored article, applying the reviewers' decisions as a crawl does."""
    workers = default_workers() if workers is None else workers
    used: set[str] = set()
    store = open_timeline(db_path, Grouping(decisions, article_id_for))
    pool = None
    try:
        if workers > 1:
            pool = worker_pool(workers)
        articles = events = 0
        with store.writing():
            store.clear_events()
            rows = store.articles_for_reprocess()
            while batch := list(itertools.islice(rows, BATCH)):  # bounded memory
                inputs = [(r["text"], r["title"], r["published"], r["language"], r["url"])
                          for r in batch]
                results = pool.map(_derive, inputs, chunksize=CHUNK) if pool \
                    else map(_derive, inputs)
                for row, (found, unmatched) in zip(batch, results, strict=True):
                    article = dict(row, flags=json.loads(row["flags"] or "[]"))
                    decided = apply_decisions(decisions, row["url"], found, unmatched)
                    used |= decided.used
                    store.save_article(article, row["source"], decided.events,
                                       decided.unmatched)
                    articles += 1
                    events += len(decided.events)
            store.redirect_cleared_events()
            relink(store)  # every event is new: link each to the official records again
        return Reprocessed(articles, events, [d for d in decisions if d.id not in used])
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        store.close()


def timeline_events(db_path: str) -> int:
    store = Store.open(db_path)
    try:
        return store.counts()["events"]
    finally:
        store.close()
