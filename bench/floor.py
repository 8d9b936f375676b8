"""Extraction floor: trafilatura alone (the tracker's options) over the bench's own pages.

This machine's speed drifts by about ±20% from one half-minute to the next, so a floor
measured before the crawl can disagree with the crawl's own window by more than the 1.25x
budget allows. Two modes:

  standalone  PAGES pages in a tight loop, each page through trafilatura alone and through
              the tracker's whole extract_article, the order alternating page by page so
              neither gains from caches the other warmed;
  during      trafilatura alone in short bursts (DUTY of one core) until STOP_FILE exists,
              run beside the crawl so both are measured in the same time window. Each page is
              extracted once (htmldate's caches would flatter a repeat).

Pages are rebuilt here from bench/pages.py with the site's seed and base URL: the same bytes
the server sends, without shipping thousands of bodies between processes.
Usage: python bench/floor.py standalone N BASE PAGES OUT.json
       python bench/floor.py during N BASE STOP_FILE OUT.json [DUTY]
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from bench.pages import SITE_SEED, article_page, article_path

BURST = 8  # pages per burst in `during` mode


def page(index: int, base: str) -> tuple[str, bytes]:
    path = article_path(index)
    return base + path, article_page(index, base, path, seed=SITE_SEED)[0].encode()


def spread(n: int):
    """Page indices 0..n-1 in an order that covers the whole site early (stride, then shift)."""
    stride = 7 if n % 7 else 11
    for offset in range(stride):
        yield from range(offset, n, stride)


def summary(xs: list[float]) -> dict:
    xs = sorted(xs)
    return {"mean_ms": 1000 * statistics.fmean(xs), "median_ms": 1000 * statistics.median(xs),
            "p95_ms": 1000 * xs[int(0.95 * (len(xs) - 1))], "n": len(xs)}


def extractors():
    import trafilatura

    from tracker.extract.article import DATE_PARAMS, extract_article

    def floor(url: str, body: bytes) -> None:
        trafilatura.bare_extraction(body.decode("utf-8"), url=url, with_metadata=True,
                                    include_comments=False, include_tables=False,
                                    date_extraction_params=DATE_PARAMS)

    def whole(url: str, body: bytes) -> None:
        extract_article(body, url, "utf-8")

    return floor, whole


def timed(fn, url: str, body: bytes) -> float:
    started = time.process_time()
    fn(url, body)
    return time.process_time() - started


def standalone(n: int, base: str, pages: int) -> dict:
    floor, whole = extractors()
    indices = list(spread(n))[:pages + 1]
    url, body = page(indices[0], base)
    floor(url, body), whole(url, body)  # lazy initialisation of both
    times: dict[str, list[float]] = {"trafilatura": [], "extract_article": []}
    sizes = []
    for k, index in enumerate(indices[1:]):
        url, body = page(index, base)
        sizes.append(len(body))
        order = [("trafilatura", floor), ("extract_article", whole)]
        for name, fn in order if k % 2 else reversed(order):
            times[name].append(timed(fn, url, body))
    return {**{name: summary(xs) for name, xs in times.items()},
            "page_kb_median": statistics.median(sizes) / 1024}


def during(n: int, base: str, stop_file: Path, duty: float) -> dict:
    floor, _ = extractors()
    indices = spread(n)
    url, body = page(next(indices), base)
    floor(url, body)  # lazy initialisation
    times: list[float] = []
    exhausted = False
    while not stop_file.exists() and not exhausted:
        burst = []
        for _ in range(BURST):
            index = next(indices, None)
            if index is None:
                exhausted = True
                break
            burst.append(page(index, base))
        started = time.monotonic()
        times += [timed(floor, url, body) for url, body in burst]
        time.sleep((time.monotonic() - started) * (1 - duty) / duty)
    return {"trafilatura": summary(times), "duty": duty}


def main() -> None:
    mode, n, base = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if mode == "standalone":
        result = standalone(n, base, int(sys.argv[4]))
    elif mode == "during":
        duty = float(sys.argv[6]) if len(sys.argv) > 6 else 0.2
        result = during(n, base, Path(sys.argv[4]), duty)
    else:
        raise SystemExit(f"unknown mode {mode!r}: standalone or during")
    Path(sys.argv[5]).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
