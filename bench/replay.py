"""Events layer and store write cost per article, replaying a crawled database's articles in
fetch order into a fresh database (what the crawl's pipelines do after extraction).
Usage: python bench/replay.py CRAWLED.db FRESH.db OUT.json [LIMIT]
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import time


def main() -> None:
    from db.store import Store
    from tracker.events.derive import derive_events

    source, fresh, out = sys.argv[1], sys.argv[2], sys.argv[3]
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else None
    con = sqlite3.connect(source)
    con.row_factory = sqlite3.Row
    rows = [dict(r) for r in con.execute("SELECT * FROM articles ORDER BY fetched_at, id")][:limit]
    con.close()
    store = Store(fresh)
    derive_events(rows[0]["text"], title=rows[0]["title"], published=rows[0]["published"],
                  language=rows[0]["language"])  # warm the gazetteer
    derive_ms, save_ms = [], []
    for row in rows:
        t = time.perf_counter()
        result = derive_events(row["text"], title=row["title"], published=row["published"],
                               language=row["language"])
        derive_ms.append(1000 * (time.perf_counter() - t))
        article = dict(row, flags=json.loads(row["flags"] or "[]"))
        t = time.perf_counter()
        store.save_article(article, row["source"], result.events, result.unmatched)
        save_ms.append(1000 * (time.perf_counter() - t))
    store.close()

    def summary(xs):
        s = sorted(xs)
        tenth = max(1, len(xs) // 10)
        return {"median_ms": statistics.median(s), "p95_ms": s[int(0.95 * (len(s) - 1))],
                "mean_ms": statistics.fmean(s), "first_decile_mean_ms": statistics.fmean(xs[:tenth]),
                "last_decile_mean_ms": statistics.fmean(xs[-tenth:]), "n": len(xs)}

    json.dump({"events": summary(derive_ms), "store": summary(save_ms)}, open(out, "w"))


if __name__ == "__main__":
    main()
