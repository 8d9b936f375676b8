"""Extraction floor: trafilatura alone (same options as the tracker) over the same bodies, in a
fresh process, one pass (htmldate's caches would flatter a second pass). Also times the
tracker's whole extract_article (charset check, canonical, language, dates) for comparison.
Usage: python bench/floor.py BODIES.pickle OUT.json
"""

from __future__ import annotations

import json
import pickle
import statistics
import sys
import time
from pathlib import Path


def main() -> None:
    import trafilatura

    from tracker.extract.article import DATE_PARAMS, extract_article

    bodies = pickle.loads(Path(sys.argv[1]).read_bytes())
    url0, body0 = bodies[0]
    trafilatura.bare_extraction(body0.decode(), url=url0, with_metadata=True)  # lazy init
    extract_article(body0, url0, "utf-8")
    floor, full = [], []
    for url, body in bodies[1:]:
        t = time.process_time()
        trafilatura.bare_extraction(body.decode("utf-8"), url=url, with_metadata=True,
                                    include_comments=False, include_tables=False,
                                    date_extraction_params=DATE_PARAMS)
        floor.append(time.process_time() - t)
    for url, body in bodies[1:]:
        t = time.process_time()
        extract_article(body, url, "utf-8")
        full.append(time.process_time() - t)

    def summary(xs):
        xs = sorted(xs)
        return {"mean_ms": 1000 * statistics.fmean(xs), "median_ms": 1000 * statistics.median(xs),
                "p95_ms": 1000 * xs[int(0.95 * (len(xs) - 1))], "n": len(xs)}

    Path(sys.argv[2]).write_text(json.dumps({"trafilatura": summary(floor),
                                             "extract_article": summary(full)}))


if __name__ == "__main__":
    main()
