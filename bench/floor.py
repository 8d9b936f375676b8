"""Extraction floor: the extraction libraries alone over the bench's own pages, in a tight loop,
each page through three extractors, the order rotating page by page so none gains from caches
another warmed. Each page is extracted once by each (htmldate's caches would flatter a repeat).

  trafilatura      the library's own call for text, title and date (bare_extraction with
                   metadata, the tracker's options): the floor the issue's ratio is set against
  library_calls    the library calls the tracker makes, nothing else: text-only
                   bare_extraction plus trafilatura's title and htmldate's date finders
                   (tracker.extract.article.title_and_date), the tightest floor
  extract_article  the tracker's whole extraction (charset check, language, canonical, hash)

The bench runs it right before and right after the crawl, on different pages (OFFSET), and
takes the mean: the crawl lasts minutes and the machine can change speed meanwhile. (A floor
sampled in short bursts beside the crawl was tried: on an idle machine it measured 30-32 ms
against 24.7-24.9 ms in a tight loop, since every burst starts cold; so it is not used.)

Pages are rebuilt here from bench/pages.py with the site's seed and base URL: the same bytes
the server sends, without shipping thousands of bodies between processes.
Usage: python bench/floor.py N BASE PAGES OFFSET OUT.json
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from bench.pages import SITE_SEED, article_page, article_path


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


def extractors() -> dict:
    import trafilatura
    from lxml import html as lxml_html

    from tracker.extract.article import DATE_PARAMS, TEXT_OPTIONS, extract_article, title_and_date

    def floor(url: str, body: bytes) -> None:
        trafilatura.bare_extraction(body.decode("utf-8"), url=url, with_metadata=True,
                                    date_extraction_params=DATE_PARAMS, **TEXT_OPTIONS)

    def library_calls(url: str, body: bytes) -> None:
        tree = lxml_html.fromstring(body.decode("utf-8"))
        trafilatura.bare_extraction(tree, url=url, **TEXT_OPTIONS)
        title_and_date(tree, url)

    def whole(url: str, body: bytes) -> None:
        extract_article(body, url, "utf-8")

    return {"trafilatura": floor, "library_calls": library_calls, "extract_article": whole}


def timed(fn, url: str, body: bytes) -> float:
    started = time.process_time()
    fn(url, body)
    return time.process_time() - started


def measure(n: int, base: str, pages: int, offset: int) -> dict:
    named = list(extractors().items())
    indices = list(spread(n))[offset:offset + pages + 1]
    url, body = page(indices[0], base)
    for _, fn in named:  # lazy initialisation of each
        fn(url, body)
    times: dict[str, list[float]] = {name: [] for name, _ in named}
    sizes = []
    for k, index in enumerate(indices[1:]):
        url, body = page(index, base)
        sizes.append(len(body))
        for name, fn in named[k % 3:] + named[:k % 3]:
            times[name].append(timed(fn, url, body))
    return {**{name: summary(xs) for name, xs in times.items()},
            "page_kb_median": statistics.median(sizes) / 1024}


def main() -> None:
    n, base, pages, offset, out = sys.argv[1:6]
    result = measure(int(n), base, int(pages), int(offset))
    Path(out).write_text(json.dumps(result))


if __name__ == "__main__":
    main()
