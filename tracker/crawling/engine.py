"""Whether the run is closing, read from Scrapy's engine.

Scrapy has no signal for the start of a close (CLOSESPIDER_TIMEOUT, memory limit, Ctrl-C):
`spider_closed` comes at the end, after the downloads in flight. The engine's slot says it as
soon as the close begins (`engine._slot.closing`, a private attribute:
tests/test_scrapy_contract.py pins it).
"""

from __future__ import annotations


def closing(crawler) -> bool:
    """Call while the crawl runs (before, Scrapy has no engine to ask)."""
    slot = getattr(crawler.engine, "_slot", None)
    return slot is not None and getattr(slot, "closing", None) is not None
