"""Events layer and store write cost per article, replaying a crawled database's articles in
fetch order into a fresh database (what the crawl's pipelines do after extraction).
Usage: python bench/replay.py CRAWLED.db FRESH.db OUT.json
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    from tracker.events.derive import derive_events
    from tracker.timeline import open_timeline

    source, fresh, out = sys.argv[1], sys.argv[2], sys.argv[3]
    con = sqlite3.connect(source)
    con.row_factory = sqlite3.Row
    store = open_timeline(fresh)
    derive_events("Warm-up.", title="", published=None, language="en")  # load the gazetteer
    derive_ms, save_ms = [], []
    for row in map(dict, con.execute("SELECT * FROM articles ORDER BY fetched_at, id")):
        t = time.perf_counter()
        result = derive_events(row["text"], title=row["title"], published=row["published"],
                               language=row["language"])
        derive_ms.append(1000 * (time.perf_counter() - t))
        article = dict(row, flags=json.loads(row["flags"] or "[]"))
        t = time.perf_counter()
        store.save_article(article, row["source"], result.events, result.unmatched)
        save_ms.append(1000 * (time.perf_counter() - t))
    store.close()
    con.close()

    def summary(xs):
        s = sorted(xs)
        tenth = max(1, len(xs) // 10)
        return {"median_ms": statistics.median(s), "p95_ms": s[int(0.95 * (len(s) - 1))],
                "mean_ms": statistics.fmean(s),
                "first_decile_mean_ms": statistics.fmean(xs[:tenth]),
                "last_decile_mean_ms": statistics.fmean(xs[-tenth:]), "n": len(xs)}

    Path(out).write_text(json.dumps({"events": summary(derive_ms), "store": summary(save_ms)}))


if __name__ == "__main__":
    main()
