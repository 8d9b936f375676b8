"""Re-derive all events from stored article text, as a fresh crawl of the same pages would."""

from __future__ import annotations

import json

from db.store import Store
from tracker.events.derive import derive_events


def reprocess_all(db_path: str) -> tuple[int, int]:
    store = Store(db_path)
    try:
        store.clear_events()
        articles = events = 0
        for row in list(store.articles_for_reprocess()):
            result = derive_events(row["text"], title=row["title"], published=row["published"],
                                   language=row["language"])
            article = dict(row, flags=json.loads(row["flags"] or "[]"))
            store.save_article(article, row["source"], result.events, result.unmatched)
            articles += 1
            events += len(result.events)
        return articles, events
    finally:
        store.close()
