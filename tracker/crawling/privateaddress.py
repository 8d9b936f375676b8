"""Requests into loopback, private and link-local addresses only for sources that live there.

A page, feed or redirect from a public host can point the crawler at 127.0.0.1, 10.0.0.0/8,
169.254.169.254 (cloud metadata) or `localhost`, and the answer would be stored and served
(server-side request forgery). Ahead of every other downloader middleware (so not even
robots.txt is asked there), a request whose host is such an address is refused while the
source's own host is not one; a source configured on a private address (a test site, an
intranet newsroom) keeps its own. The refusal reaches the errback: logged, counted as
tracker/dropped/private_address, never stored.

Literal addresses (also the short and numeric IPv4 forms `127.1`, `2130706433`) and
`localhost` names are refused as written; any other name is resolved first (through the
crawl's own cached resolver, as the download will be) and refused when it resolves to such an
address (`intranet.corp`, a public name an attacker points at 127.0.0.1), unless it is the
source's own host. A name that does not resolve is left to the download to report.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached

from tracker.crawling.counts import source_of
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
        self.unresolved: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_request(self, request):
        # A request of no known source is held to the public rule.
        reader = getattr(self.crawler.spider, "readers", {}).get(source_of(request))
        source_host = urlsplit(reader.source.url).hostname if reader is not None else None
        if is_private_host(source_host):
            return
        host = urlparse_cached(request).hostname
        if is_private_host(host):
            raise PrivateAddressRefused(f"private address refused for a public source: "
                                        f"{redirect_chain(request)}")
        if host and host != source_host and host not in self.unresolved:
            address = await resolved(host)
            if address is None:
                self.unresolved.add(host)  # looked up once; the downloads report the failure
            elif is_private_host(address):
                raise PrivateAddressRefused(
                    f"private address refused for a public source: {host} resolves to "
                    f"{address} ({redirect_chain(request)})")
        return


def redirect_chain(request) -> str:
    return " -> ".join([*request.meta.get("redirect_urls", []), request.url])


async def resolved(host: str) -> str | None:
    """The address the download would connect to (the reactor's resolver caches it), or None
    when the name does not resolve."""
    from twisted.internet import reactor

    try:
        return await maybe_deferred_to_future(reactor.resolve(host))
    except Exception:  # noqa: BLE001 - any lookup failure is the download's to report
        return None

