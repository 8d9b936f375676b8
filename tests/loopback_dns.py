"""A Scrapy DNS resolver for tests: names under `.example` resolve to 127.0.0.1.

`tracker crawl -s DNS_RESOLVER=tests.loopback_dns.LoopbackResolver` lets a test serve
"public" hosts (news-a.example, news-b.example: distinct registrable domains, no private
address in the URL) from local servers, without touching the network or /etc/hosts.
"""

from __future__ import annotations

from scrapy.resolver import CachingThreadedResolver
from twisted.internet import defer


class LoopbackResolver(CachingThreadedResolver):
    def getHostByName(self, name: str, timeout=()):
        if name.endswith(".example"):
            return defer.succeed("127.0.0.1")
        return super().getHostByName(name, timeout)
