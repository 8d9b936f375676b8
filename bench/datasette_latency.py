"""Timeline page latency in Datasette (the project's own configuration, tracker.web) over a
database of N events: the HTML page with its metadata facets, and its JSON.
Usage: python bench/datasette_latency.py DB OUT.json [REQUESTS]
"""

from __future__ import annotations

import asyncio
import json
import statistics
import sys
import time


async def measure(db: str, requests: int) -> dict:
    from tracker.web import build_datasette

    ds = build_datasette(db)
    await ds.invoke_startup()
    urls = {
        "timeline (HTML, metadata facets)": "/tracker/timeline",
        "timeline.json (facets)": "/tracker/timeline.json",
        "timeline filtered by country (HTML)": "/tracker/timeline?countries__arraycontains=USA",
        "event row page": None,
    }
    out = {}
    for label, url in urls.items():
        if url is None:
            continue
        first = await ds.client.get(url)  # warm-up, untimed
        assert first.status_code == 200, (url, first.status_code, first.text[:500])
        times = []
        for _ in range(requests):
            t = time.perf_counter()
            response = await ds.client.get(url)
            times.append(1000 * (time.perf_counter() - t))
            assert response.status_code == 200
        times.sort()
        out[label] = {"median_ms": statistics.median(times), "p95_ms": times[int(0.95 * (len(times) - 1))],
                      "requests": requests, "timed_out_facets": "facet_timed_out" in first.text}
    return out


def main() -> None:
    db, out = sys.argv[1], sys.argv[2]
    requests = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    json.dump(asyncio.run(measure(db, requests)), open(out, "w"), indent=1)


if __name__ == "__main__":
    main()
