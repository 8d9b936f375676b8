"""Timeline page latency in Datasette (the project's own configuration, tracker.web) over a
database of N events: the first request of a fresh server (templates compiled, schema read),
then each page's median and p95 over REQUESTS timed requests after one untimed one, and last
the search page right after a write to `events` (its facet index is rebuilt).
Usage: python bench/datasette_latency.py DB OUT.json [REQUESTS]
"""

from __future__ import annotations

import asyncio
import json
import math
import sqlite3
import statistics
import sys
import time
from pathlib import Path

PAGES = {
    "timeline (HTML, every metadata facet)": "/tracker/timeline",
    "timeline.json (facets)": "/tracker/timeline.json",
    "timeline, page 2 (HTML)": None,  # the first page's `next` link
    "timeline filtered by a country (HTML)": "/tracker/timeline?countries__arraycontains={country}",
    "timeline filtered by vendor and country": (
        "/tracker/timeline?vendors__arraycontains={vendor}&countries__arraycontains={country}"),
    "timeline filtered by event type (HTML)": "/tracker/timeline?event_type=contract",
    "timeline full-text search (HTML)": "/tracker/timeline?_search=pilot",
}


async def timed(ds, url: str) -> tuple[float, object]:
    started = time.perf_counter()
    response = await ds.client.get(url)
    elapsed = 1000 * (time.perf_counter() - started)
    assert response.status_code == 200, (url, response.status_code, response.text[:500])
    return elapsed, response


def timed_out_facets(response) -> bool:
    if response.headers.get("content-type", "").startswith("application/json"):
        return bool(response.json().get("facets_timed_out"))
    return 'class="facets-timed-out"' in response.text


async def measure(db: str, requests: int) -> dict:
    from tracker.web import build_datasette

    ds = build_datasette(db)
    await ds.invoke_startup()
    out = {}
    cold, _ = await timed(ds, PAGES["timeline (HTML, every metadata facet)"])
    out["first request of a fresh server (timeline, HTML)"] = {"ms": cold}
    _, response = await timed(ds, PAGES["timeline.json (facets)"])
    facets = response.json()["facet_results"]
    values = {"country": facets["countries"]["results"][0]["value"],
              "vendor": facets["vendors"]["results"][0]["value"]}
    pages = dict(PAGES, **{"timeline, page 2 (HTML)": "/tracker/timeline?_next="
                           + response.json()["next"]})
    for label, url in pages.items():
        url = url.format(**values)
        _, first = await timed(ds, url)  # untimed
        times = sorted([(await timed(ds, url))[0] for _ in range(requests)])
        out[label] = {"url": url, "median_ms": statistics.median(times),
                      "p95_ms": times[math.ceil(0.95 * len(times)) - 1], "requests": requests,
                      "timed_out_facets": timed_out_facets(first)}
    touch_an_event(db)
    after_write, _ = await timed(ds, PAGES["timeline full-text search (HTML)"])
    out["search after a write to events (facet index rebuilt)"] = {"ms": after_write}
    return out


def touch_an_event(db: str) -> None:
    """A write as a crawl makes one: the next filtered page rebuilds the facet index."""
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE events SET updated_at = updated_at "
                    "WHERE rowid = (SELECT max(rowid) FROM events)")
    con.close()


def main() -> None:
    db, out = sys.argv[1], sys.argv[2]
    requests = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    Path(out).write_text(json.dumps(asyncio.run(measure(db, requests)), indent=1))


if __name__ == "__main__":
    main()
