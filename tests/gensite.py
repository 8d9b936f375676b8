"""A generated news site for crash, concurrency and scale tests: N realistic article pages
(bench/pages.py: boilerplate, several languages, every ninth page a supply report) listed by a
few RSS feeds, served from memory by FaultServer."""

from __future__ import annotations

from bench.pages import article_page, rss
from tests.faultserver import FaultServer

RSS_TYPE = "application/rss+xml; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


def generated_site(pages: int, feeds: int = 2, seed: int = 7) -> FaultServer:
    server = FaultServer()
    items: list[list[tuple[str, str, str]]] = [[] for _ in range(feeds)]
    for i in range(pages):
        path = f"/news/{i:05d}.html"
        html, title, published = article_page(i, server.base, path, seed=seed, widgets=False)
        server.routes[path] = (200, {"Content-Type": HTML_TYPE}, html.encode())
        items[i % feeds].append((server.base + path, title, published))
    for k, listed in enumerate(items):
        server.routes[f"/feed-{k}.xml"] = (200, {"Content-Type": RSS_TYPE},
                                           rss(listed, base=server.base).encode())
    return server


def sources_yaml(server: FaultServer, feeds: int = 2) -> str:
    lines = ["sources:"]
    for k in range(feeds):
        lines.append(f"  - {{name: gen-{k}, kind: feed, url: '{server.base}/feed-{k}.xml', "
                     f"max_requests: 100000, max_pages: 1}}")
    return "\n".join(lines) + "\n"


FAST = ["-s", "DOWNLOAD_DELAY=0", "-s", "AUTOTHROTTLE_ENABLED=false",
        "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=16", "-s", "CONCURRENT_REQUESTS=32"]
