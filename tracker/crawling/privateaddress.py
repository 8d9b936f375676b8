"""Requests into loopback, private and link-local addresses only for sources that live there.

A page, feed or redirect from a public host can point the crawler at 127.0.0.1, 10.0.0.0/8,
169.254.169.254 (cloud metadata) or `localhost`, and the answer would be stored and served
(server-side request forgery). Ahead of every other downloader middleware (so not even
robots.txt is asked there), a request whose host is such an address is refused while the
source's own host is not one; a source configured on a private address (a test site, an
intranet newsroom) keeps its own. The refusal reaches the errback: logged, counted as
tracker/dropped/private_address, never stored.

Limit: only literal addresses (also the short and numeric IPv4 forms `127.1`, `2130706433`)
and `localhost` names are recognised; a public name that resolves to a private address is not
(that would need the resolver's answer, which Scrapy does not hand to middlewares).
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from scrapy.utils.httpobj import urlparse_cached

from tracker.crawling.health import PrivateAddressRefused


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    try:  # what getaddrinfo would also accept: '127.1', '2130706433', '0x7f000001'
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def is_private_host(host: str | None) -> bool:
    """Loopback, private, link-local, reserved or unspecified address, or a localhost name."""
    host = (host or "").lower().rstrip(".")
    if host == "localhost" or host.endswith(".localhost"):
        return True
    address = _address(host)
    if address is None:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return (address.is_private or address.is_loopback or address.is_link_local
            or address.is_reserved or address.is_unspecified or address.is_multicast)


class PrivateAddressMiddleware:
    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        source = getattr(self.crawler.spider, "source", None)
        if source is None or is_private_host(urlsplit(source.url).hostname):
            return None
        if is_private_host(urlparse_cached(request).hostname):
            chain = " -> ".join([*request.meta.get("redirect_urls", []), request.url])
            raise PrivateAddressRefused(f"private address refused for a public source: {chain}")
        return None
