"""Feed parsing (RSS 0.9x/1.0/2.0, Atom, JSON Feed) from bytes already fetched by Scrapy."""

from __future__ import annotations

import html as html_lib
import io
import json
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urljoin, urlsplit

import feedparser

from tracker.extract.article import plain_text
from tracker.extract.isolation import build_each
from tracker.extract.urls import is_web_url


class FeedParseError(ValueError):
    """The body is not a feed (empty, HTML page, broken beyond recovery)."""


@dataclass
class FeedEntry:
    url: str | None
    title: str | None
    published: str | None
    summary: str | None
    guid: str | None = None


@dataclass
class Feed:
    title: str | None
    entries: list[FeedEntry]
    next_url: str | None = None
    skipped: int = 0  # entries without a usable http(s) link
    broken: int = 0   # entries whose values could not be read (see extract/isolation.py)
    warnings: list[str] = field(default_factory=list)


def unwrap_link(url: str) -> str:
    """Follow known wrappers without a request: Google Alerts `url=` redirects."""
    parts = urlsplit(url)
    if parts.netloc.endswith("google.com") and parts.path == "/url":
        target = parse_qs(parts.query).get("url") or parse_qs(parts.query).get("q")
        if target and is_web_url(target[0]):
            return target[0]
    return url


def _href(value: str) -> str:
    """feedparser's loose parser (used once a feed is malformed, e.g. truncated) leaves
    entities in element text: `?a=1&amp;b=2`."""
    value = value.strip()
    return html_lib.unescape(value) if "&amp;" in value or "&#" in value else value


def _entry_link(entry, base: str) -> str | None:
    for key in ("feedburner_origlink", "link"):
        value = entry.get(key)
        if value:
            return unwrap_link(urljoin(base, _href(value)))
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return unwrap_link(urljoin(base, _href(link["href"])))
    guid = entry.get("id")
    if guid and entry.get("guidislink") and is_web_url(guid):
        return guid.strip()
    return None


def _xml_entry(entry, base: str) -> FeedEntry:
    link = _entry_link(entry, base)
    return FeedEntry(
        url=link if is_web_url(link) else None,
        title=plain_text(entry.get("title")),
        published=_entry_published(entry),
        summary=plain_text(entry.get("summary")),
        guid=entry.get("id"),
    )


def _entry_published(entry) -> str | None:
    for key in ("published", "updated", "created", "dc_date"):
        if entry.get(key):
            return entry[key].strip()
    return None


def _str(value) -> str | None:
    """JSON values are untrusted: only non-empty strings count."""
    return value.strip() or None if isinstance(value, str) else None


def _json_entry(item, base: str) -> FeedEntry:
    if not isinstance(item, dict):
        raise TypeError("JSON Feed item is not an object")
    link = _str(item.get("url")) or _str(item.get("external_url"))
    link = urljoin(base, link) if link else None
    return FeedEntry(
        url=link if is_web_url(link) else None,
        title=plain_text(_str(item.get("title"))),
        published=_str(item.get("date_published")) or _str(item.get("date_modified")),
        summary=plain_text(_str(item.get("summary")) or _str(item.get("content_text"))),
        guid=str(item.get("id")) if item.get("id") is not None else None,
    )


def _parse_json_feed(body: bytes, base: str) -> Feed:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FeedParseError(f"invalid JSON Feed: {exc}") from exc
    except RecursionError as exc:  # '[[[[...' a hundred thousand deep
        raise FeedParseError("JSON Feed nested too deeply to read") from exc
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise FeedParseError("JSON Feed without an items list")
    entries, broken = build_each(data["items"], lambda item: _json_entry(item, base))
    next_url = _str(data.get("next_url"))
    return Feed(title=plain_text(_str(data.get("title"))), entries=entries,
                next_url=next_url if is_web_url(next_url) else None, broken=broken)


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> Feed:
    """Parse a feed body; raises FeedParseError when it holds no feed at all."""
    if not body or not body.strip():
        raise FeedParseError("empty body")
    head = body.lstrip()[:1]
    if head in (b"{", b"[") or (content_type and "json" in content_type.lower()):
        return _parse_json_feed(body, url)
    headers = {"content-type": content_type} if content_type else {}
    parsed = feedparser.parse(io.BytesIO(body.lstrip()), response_headers=headers)
    version = parsed.get("version") or ""
    if not parsed.entries and not version:
        reason = parsed.get("bozo_exception") or "no RSS/Atom root element"
        raise FeedParseError(f"not a feed: {reason}")
    base = parsed.feed.get("link") if is_web_url(parsed.feed.get("link")) else url
    feed = Feed(title=plain_text(parsed.feed.get("title")), entries=[])
    if parsed.get("bozo"):
        feed.warnings.append(f"recovered from malformed feed: {parsed.get('bozo_exception')}")
    feed.entries, feed.broken = build_each(parsed.entries, lambda e: _xml_entry(e, base))
    feed.skipped = sum(1 for entry in feed.entries if entry.url is None)
    for link in parsed.feed.get("links", []):
        if link.get("rel") == "next" and is_web_url(link.get("href")):
            feed.next_url = link["href"]
    return feed
