"""Newsroom listing pages without a feed, read with CSS selectors from the sources file.

Options (see README, "Sources file"): `link_selector` (required: the `<a>` elements of the
articles, or a selector ending in `::attr(...)`), `item_selector` (one element per item;
link/title/date selectors are then relative to it), `title_selector`, `date_selector` (its
`datetime`/`content` attribute or text), `next_selector` (the next page's link) and `allow`
(a regular expression article URLs must match).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from parsel import Selector
from parsel.csstranslator import HTMLTranslator

from tracker.extract.article import plain_text
from tracker.extract.isolation import build_each
from tracker.extract.urls import absolute_web_url

_translator = HTMLTranslator()


class ListingError(ValueError):
    pass


@dataclass
class ListingLink:
    url: str
    title: str | None = None
    date: str | None = None  # raw text


@dataclass
class ListingPage:
    links: list[ListingLink] = field(default_factory=list)
    next_url: str | None = None
    skipped: int = 0
    broken: int = 0  # links whose values could not be read (see extract/isolation.py)


def check_selector(css: str) -> None:
    """Raise ListingError for a CSS selector parsel cannot translate."""
    try:
        _translator.css_to_xpath(css)
    except Exception as exc:  # cssselect raises several error types
        raise ListingError(f"invalid CSS selector {css!r}: {exc}") from exc


def _href(node: Selector) -> str | None:
    value = node.root if isinstance(node.root, str) else node.attrib.get("href")
    if value is None:
        value = node.css("a::attr(href)").get()
    return value.strip() if isinstance(value, str) else None


def _date(node: Selector | None) -> str | None:
    if node is None:
        return None
    if isinstance(node.root, str):
        return node.root.strip() or None
    for attr in ("datetime", "content", "data-date"):
        if node.attrib.get(attr):
            return node.attrib[attr].strip()
    inner = node.css("time::attr(datetime)").get()
    return inner.strip() if inner else plain_text(" ".join(node.css("::text").getall()))


def _link(scope: Selector, node: Selector, base: str, pattern: re.Pattern | None,
          selectors: tuple[str | None, str | None]) -> ListingLink | None:
    """One article link with its item's title and date; None when it is no wanted web URL."""
    title_selector, date_selector = selectors
    link = absolute_web_url(base, _href(node))
    if not link or (pattern and not pattern.search(link)):
        return None
    title = None
    if title_selector:
        title = plain_text(" ".join(scope.css(title_selector).css("::text").getall()))
    elif not isinstance(node.root, str):
        title = plain_text(" ".join(node.css("::text").getall()))
    dates = scope.css(date_selector) if date_selector else []
    return ListingLink(url=link, title=title, date=_date(dates[0]) if dates else None)


def parse_listing(body: bytes, url: str, encoding: str | None = None, *, link_selector: str,
                  item_selector: str | None = None, title_selector: str | None = None,
                  date_selector: str | None = None, next_selector: str | None = None,
                  allow: str | None = None) -> ListingPage:
    if not body or not body.strip():
        raise ListingError("empty body")
    text = body.decode(encoding or "utf-8", errors="replace")
    page_sel = Selector(text=text, type="html", base_url=url)
    pattern = re.compile(allow) if allow else None
    page = ListingPage()
    seen: set[str] = set()
    selectors = (title_selector, date_selector if item_selector else None)
    scopes = page_sel.css(item_selector) if item_selector else [page_sel]
    pairs = [(scope, node) for scope in scopes for node in scope.css(link_selector)]
    built, page.broken = build_each(pairs, lambda pair: _link(*pair, url, pattern, selectors))
    for link in built:
        if link is None:
            page.skipped += 1
        elif link.url not in seen:
            seen.add(link.url)
            page.links.append(link)
    if next_selector:
        for node in page_sel.css(next_selector):
            candidate = absolute_web_url(url, _href(node))
            if candidate and candidate != url:
                page.next_url = candidate
                break
    return page
