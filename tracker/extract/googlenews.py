"""Google News RSS search (`https://news.google.com/rss/search?q=...`): queries and items.

Item links are `https://news.google.com/rss/articles/<ID>?oc=5`. Older IDs are URL-safe base64
of a protobuf whose field 4 is the article URL, so they resolve offline; current IDs carry an
opaque token and need a round trip (see ../shared/reference/source-formats.md §3). The item's
`<source url=...>` is the outlet's home page, and the title is "<headline> - <outlet>".
pubDate is day precision (often midnight Los Angeles time).
"""

from __future__ import annotations

import base64
import html as html_lib
import re
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from lxml import etree

from tracker.extract.isolation import build_each
from tracker.extract.urls import is_web_url

SEARCH_URL = "https://news.google.com/rss/search"
GOOGLE_HOSTS = ("google.com", "googleusercontent.com", "gstatic.com", "youtube.com",
                "googleapis.com")
HREF = re.compile(r"""<a\s[^>]*href\s*=\s*["']([^"']+)["']""", re.I)
REFRESH = re.compile(r"""url\s*=\s*['"]?([^'" >]+)""", re.I)


class GoogleNewsParseError(ValueError):
    pass


@dataclass
class NewsItem:
    link: str                  # the news.google.com article link, as listed
    guid: str | None
    title: str | None          # headline without the outlet suffix
    outlet: str | None
    outlet_url: str | None     # the outlet's home page (<source url>)
    published: str | None      # raw pubDate (day precision)

    @property
    def key(self) -> str:
        """Stable identity across runs: the article ID (guid) or the link without query."""
        return self.guid or article_id(self.link) or self.link


@dataclass
class SearchFeed:
    title: str | None
    items: list[NewsItem] = field(default_factory=list)
    skipped: int = 0
    broken: int = 0  # items whose values could not be read (see extract/isolation.py)


def build_search_url(base: str, query: str, *, hl: str = "en-US", gl: str = "US",
                     ceid: str | None = None, since: date | None = None) -> str:
    """A search feed URL; `since` adds Google's `after:YYYY-MM-DD` operator to the query."""
    parts = urlsplit(base)
    params = [(k, v) for k, v in parse_qsl(parts.query) if k not in {"q", "hl", "gl", "ceid"}]
    q = f"{query} after:{since.isoformat()}" if since else query
    params += [("q", q), ("hl", hl), ("gl", gl), ("ceid", ceid or f"{gl}:{hl.split('-')[0]}")]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(params), ""))


def split_title(title: str | None, outlet: str | None = None) -> str | None:
    """'Headline - Outlet' -> 'Headline' (split on the last ' - ', or on the known outlet)."""
    if not title:
        return None
    title = " ".join(title.split())
    if outlet and title.endswith(f" - {outlet}"):
        return title[: -len(outlet) - 3].strip() or title
    head, sep, _tail = title.rpartition(" - ")
    return head.strip() if sep and head.strip() else title


def article_id(link: str | None) -> str | None:
    if not link:
        return None
    path = urlsplit(link).path
    marker = "/articles/"
    if marker not in path:
        return None
    return path.split(marker, 1)[1].strip("/") or None


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while pos < len(data):
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
        if shift > 35:
            break
    raise ValueError("bad varint")


def decode_article_url(link: str | None) -> str | None:
    """The article URL hidden in an old-format ID, without any request; None for opaque IDs."""
    token = article_id(link)
    if not token:
        return None
    try:
        data = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (ValueError, TypeError):
        return None
    pos = 0
    try:
        while pos < len(data):
            key, pos = _varint(data, pos)
            field_no, wire = key >> 3, key & 7
            if wire == 0:
                _, pos = _varint(data, pos)
            elif wire == 2:
                length, pos = _varint(data, pos)
                payload = data[pos:pos + length]
                pos += length
                if field_no == 4 and payload[:4] == b"http":
                    url = payload.decode("utf-8", errors="strict")
                    return url if is_web_url(url) else None
            else:
                return None
    except (ValueError, UnicodeDecodeError):
        return None
    return None


def is_google_url(url: str | None) -> bool:
    host = urlsplit(url or "").netloc.lower().split(":")[0]
    return any(host == h or host.endswith("." + h) for h in GOOGLE_HOSTS)


def _text(element) -> str | None:
    if element is None:
        return None
    value = " ".join("".join(element.itertext()).split())
    return value or None


def _item(item, base: str) -> NewsItem | None:
    """One <item>; None when it has no usable http(s) link."""
    link = _text(item.find("link"))
    link = urljoin(base, link) if link else None
    if not is_web_url(link):
        return None
    source = item.find("source")
    outlet = _text(source)
    outlet_url = source.get("url", "").strip() if source is not None else ""
    return NewsItem(
        link=link, guid=_text(item.find("guid")),
        title=split_title(html_lib.unescape(_text(item.find("title")) or ""), outlet),
        outlet=outlet, outlet_url=outlet_url if is_web_url(outlet_url) else None,
        published=_text(item.find("pubDate")))


def parse_search_feed(body: bytes, url: str = "") -> SearchFeed:
    """Items of a search feed; raises GoogleNewsParseError when the body is no RSS at all."""
    body = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body:
        raise GoogleNewsParseError("empty body")
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             huge_tree=False)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise GoogleNewsParseError(f"unreadable XML: {exc}") from exc
    if root is None or etree.QName(root).localname != "rss":
        raise GoogleNewsParseError("not an RSS document")
    channel = root.find("channel")
    feed = SearchFeed(title=_text(channel.find("title")) if channel is not None else None)
    built, feed.broken = build_each(root.iter("item"), lambda item: _item(item, url))
    feed.items = [item for item in built if item is not None]
    feed.skipped = len(built) - len(feed.items)
    return feed


def resolved_url_from_page(body: bytes, page_url: str) -> str | None:
    """The publisher URL a Google News interstitial page points to: a meta refresh, a
    `data-n-au` attribute, or the page's only outbound link. None when the page only holds
    scripts (the current format), so the caller keeps the item unresolved."""
    text = body[:500_000].decode("utf-8", errors="replace")
    refresh = " ".join(re.findall(r"<meta[^>]+http-equiv=[\"']?refresh[^>]*>", text, re.I))
    strong = [m.group(1) for m in REFRESH.finditer(refresh)]
    strong += re.findall(r"""data-n-au\s*=\s*["']([^"']+)["']""", text, re.I)
    outbound = []
    for candidate in strong + [m.group(1) for m in HREF.finditer(text)]:
        url = urljoin(page_url, html_lib.unescape(candidate.strip()))
        if is_web_url(url) and not is_google_url(url):
            if candidate in strong:
                return url
            if url not in outbound:
                outbound.append(url)
    return outbound[0] if len(outbound) == 1 else None
