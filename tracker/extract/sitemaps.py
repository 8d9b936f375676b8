"""Sitemaps (urlset, sitemapindex, gzipped) and Google News sitemaps, parsed with lxml.

Scrapy's Sitemap reader keeps only `loc` and `lastmod`-like children and drops the
`news:news` block, so this module reads it: `news:publication_date` is the article's date
(separate from `lastmod`, which is when the entry changed), plus title, publication name,
language and keywords. Namespaces are matched by local name, values are stripped (real files
pad `<loc>` with spaces or wrap it in CDATA), and the parser never resolves entities or
touches the network.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urljoin

from lxml import etree

from tracker.extract.dates import parse_date
from tracker.extract.isolation import build_each
from tracker.extract.urls import is_web_url

NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit for one uncompressed file


class SitemapParseError(ValueError):
    """Not a sitemap (empty, HTML page, unreadable XML, gzip bomb)."""


@dataclass
class SitemapEntry:
    loc: str
    lastmod: str | None = None
    published: str | None = None  # news:publication_date
    title: str | None = None
    publication: str | None = None
    language: str | None = None
    keywords: str | None = None

    @property
    def raw_date(self) -> str | None:
        return self.published or self.lastmod

    @property
    def date(self) -> date | None:
        """Publication date when the news block gives one, else lastmod; None if implausible."""
        return parse_date(self.published) or parse_date(self.lastmod)


@dataclass
class Sitemap:
    kind: str  # urlset | sitemapindex
    entries: list[SitemapEntry] = field(default_factory=list)
    skipped: int = 0  # entries without a usable http(s) <loc>
    broken: int = 0   # entries whose values could not be read (see extract/isolation.py)


def _local(tag) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text(element) -> str | None:
    if element is None:
        return None
    value = "".join(element.itertext()).strip()
    return " ".join(value.split()) or None


def _children(element) -> dict[str, object]:
    found: dict[str, object] = {}
    for child in element:
        name = _local(child.tag)
        if name and name not in found:
            found[name] = child
    return found


def gunzip_capped(body: bytes, max_size: int = MAX_SITEMAP_BYTES) -> bytes:
    """Decompress a .xml.gz body, refusing more than `max_size` bytes (compression bombs)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(body, max_size + 1)
    except zlib.error as exc:
        raise SitemapParseError(f"broken gzip data: {exc}") from exc
    if len(out) > max_size:
        raise SitemapParseError(f"gzip body decompresses past {max_size} bytes")
    return out


def _entry(node, base: str) -> SitemapEntry | None:
    """One <url> or <sitemap> element; None when it has no usable http(s) <loc>."""
    fields = _children(node)
    loc = _text(fields.get("loc"))
    loc = urljoin(base, loc) if loc else None
    if not is_web_url(loc):
        return None
    entry = SitemapEntry(loc=loc, lastmod=_text(fields.get("lastmod")))
    news = fields.get("news")
    if news is not None:
        parts = _children(news)
        entry.published = _text(parts.get("publication_date"))
        entry.title = _text(parts.get("title"))
        entry.keywords = _text(parts.get("keywords"))
        publication = parts.get("publication")
        if publication is not None:
            pub = _children(publication)
            entry.publication = _text(pub.get("name"))
            entry.language = _text(pub.get("language"))
    return entry


def parse_sitemap(body: bytes, url: str = "", max_size: int = MAX_SITEMAP_BYTES) -> Sitemap:
    """Parse a sitemap body; raises SitemapParseError when it is not a sitemap at all."""
    if body[:2] == b"\x1f\x8b":
        body = gunzip_capped(body, max_size)
    body = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body:
        raise SitemapParseError("empty body")
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise SitemapParseError(f"unreadable XML: {exc}") from exc
    if root is None:
        raise SitemapParseError("unreadable XML")
    kind = _local(root.tag)
    if kind not in ("urlset", "sitemapindex"):
        raise SitemapParseError(f"not a sitemap: root element <{kind or '?'}>")
    wanted = "url" if kind == "urlset" else "sitemap"
    built, broken = build_each((node for node in root if _local(node.tag) == wanted),
                               lambda node: _entry(node, url))
    entries = [entry for entry in built if entry is not None]
    return Sitemap(kind=kind, entries=entries, skipped=len(built) - len(entries), broken=broken)


def in_window(entry: SitemapEntry, since: date | None) -> bool | None:
    """True/False against the window's lower bound; None when the entry has no usable date."""
    when = entry.date
    if when is None:
        return None
    return since is None or when >= since
