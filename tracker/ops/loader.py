"""The single writer of a scale-out deployment: Redis `tracker:items` -> the SQLite timeline.

Items are popped one at a time and stored with the same idempotent upserts as a local crawl, so
a loader killed between pop and commit loses at most that one item, which the next crawl of its
source lists and fetches again (its URL is not yet stored).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

from tracker.ops.scaleout import ITEMS_KEY


@dataclass
class LoadReport:
    items: int = 0
    articles: int = 0
    new_articles: int = 0
    events: int = 0
    discovered: int = 0


def load_queue(redis_url: str, db_path: str, idle: float = 5.0, limit: int | None = None,
               key: str = ITEMS_KEY, decisions: list = ()) -> LoadReport:
    """Store what the workers queued; the reviewers' merge/split decisions group the reports
    here, as in a crawl (the workers applied the others to each article)."""
    import redis

    from tracker.decisions import Grouping
    from tracker.timeline import article_id_for, open_timeline

    server = redis.Redis.from_url(redis_url)
    store = open_timeline(db_path, Grouping(decisions, article_id_for))
    report = LoadReport()
    try:
        last = time.monotonic()
        while limit is None or report.items < limit:
            popped = server.blpop([key], timeout=1)
            if popped is None:
                if time.monotonic() - last >= idle:
                    break
                continue
            last = time.monotonic()
            payload = json.loads(popped[1])
            report.items += 1
            if "discovered" in payload:
                store.save_discovered(payload["discovered"])
                report.discovered += 1
                continue
            result = store.save_article(payload["article"], payload["source"],
                                        payload["events"], payload["unmatched"])
            if payload.get("discovery"):
                store.save_discovered({"source": payload["source"], **payload["discovery"]},
                                      result.article_id)
            if payload.get("contracts") and not result.kept:
                store.save_contracts(result.article_id, payload["contracts"])
            report.articles += 1
            report.new_articles += int(result.new_article)
            report.events += len(payload["events"])
    finally:
        store.close()
    return report
