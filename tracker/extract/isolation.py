"""Per-entry isolation for listing parsers: one bad entry costs that entry, never the rest.

A listing (feed, sitemap, API page) is untrusted input: an entry whose fields make a parser
raise (a link that is no URL, a title that is a JSON object, a date out of datetime's range)
is dropped and counted, and the entries after it are still read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

Raw = TypeVar("Raw")
Built = TypeVar("Built")

# What building one entry from hostile values raises; anything else is a bug to surface.
ENTRY_ERRORS = (ValueError, TypeError, AttributeError, KeyError, IndexError, OverflowError)


def build_each(raws: Iterable[Raw], build: Callable[[Raw], Built]) -> tuple[list[Built], int]:
    """`build` applied to every entry on its own: (the results, how many entries raised)."""
    built: list[Built] = []
    broken = 0
    for raw in raws:
        try:
            built.append(build(raw))
        except ENTRY_ERRORS:
            broken += 1
    return built, broken
