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
from tracker.extract.urls import is_web_url
from urllib.parse import urljoin

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
    scopes = page_sel.css(item_selector) if item_selector else [page_sel]
    for scope in scopes:
        for node in scope.css(link_selector):
            href = _href(node)
            link = urljoin(url, href) if href else None
            if not is_web_url(link) or (pattern and not pattern.search(link)):
                page.skipped += 1
                continue
            if link in seen:
                continue
            seen.add(link)
            title = None
            if title_selector:
                title = plain_text(" ".join(scope.css(title_selector).css("::text").getall()))
            elif not isinstance(node.root, str):
                title = plain_text(" ".join(node.css("::text").getall()))
            dates = scope.css(date_selector) if date_selector and item_selector else []
            page.links.append(ListingLink(url=link, title=title,
                                          date=_date(dates[0]) if dates else None))
    if next_selector:
        for node in page_sel.css(next_selector):
            href = _href(node)
            candidate = urljoin(url, href) if href else None
            if is_web_url(candidate) and candidate != url:
                page.next_url = candidate
                break
    return page
