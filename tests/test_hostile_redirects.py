"""Issue 13, part A: a public source never leads the crawler into loopback/private addresses.

Unit cases for the address rule, then a real crawl: a source on a "public" name (resolved to
127.0.0.1 by tests/loopback_dns.py) whose feed redirects into 127.0.0.1 and links to it
directly; neither page is fetched or stored, both are counted. A source configured on
127.0.0.1 itself keeps its redirects (every other test relies on that).
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from scrapy import Request

from tests.catalog_site import crawl, crawl_summary, rows, write_sources
from tests.faultserver import FaultServer
from tests.hostile_cases import HTML, RSS, page
from tracker.crawling import privateaddress
from tracker.crawling.health import PrivateAddressRefused
from tracker.crawling.privateaddress import PrivateAddressMiddleware, is_private_host

DNS = ["-s", "DNS_RESOLVER=tests.loopback_dns.LoopbackResolver"]


@pytest.mark.parametrize("host", [
    "127.0.0.1", "127.1", "2130706433", "0x7f000001", "10.1.2.3", "172.16.0.9", "192.168.1.1",
    "169.254.169.254", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
    "localhost", "LOCALHOST.", "api.localhost"])
def test_private_hosts(host):
    assert is_private_host(host)


@pytest.mark.parametrize("host", ["93.184.216.34", "2606:4700::1111", "news.example.org",
                                  "localhost.example.com", "10.example", None])
def test_public_hosts(host):
    assert not is_private_host(host)


def middleware_for(source_url: str) -> PrivateAddressMiddleware:
    reader = SimpleNamespace(source=SimpleNamespace(url=source_url))
    return PrivateAddressMiddleware(SimpleNamespace(spider=SimpleNamespace(readers={"s": reader})))


def of_source(url: str, **meta) -> Request:
    """A request of the source `s` middleware_for configures."""
    return Request(url, meta={"source": "s", **meta})


@pytest.fixture
def dns(monkeypatch):
    """Names the middleware resolves, without a reactor or the network."""
    answers = {"other.example.com": "93.184.216.34", "intranet.example.com": "10.0.0.7"}

    async def resolved(host):
        return answers.get(host)

    monkeypatch.setattr(privateaddress, "resolved", resolved)
    return answers


async def test_public_source_is_refused_private_targets(dns):
    mw = middleware_for("https://news.example.org/feed.xml")
    redirected = of_source("http://169.254.169.254/latest/meta-data/",
                           redirect_urls=["https://news.example.org/a.html"])
    with pytest.raises(PrivateAddressRefused, match="news.example.org/a.html -> http://169"):
        await mw.process_request(redirected)
    assert await mw.process_request(of_source("https://other.example.com/b.html")) is None
    with pytest.raises(PrivateAddressRefused, match="intranet.example.com resolves to 10.0.0.7"):
        await mw.process_request(of_source("https://intranet.example.com/"))
    assert await mw.process_request(of_source("https://unknown.example.net/")) is None  # no answer


async def test_private_source_keeps_its_own_addresses(dns):
    mw = middleware_for("http://127.0.0.1:8080/feed.xml")
    assert await mw.process_request(of_source("http://127.0.0.1:9090/a.html")) is None
    assert await mw.process_request(of_source("http://localhost:9090/a.html")) is None
    assert await mw.process_request(of_source("https://intranet.example.com/")) is None
    named = middleware_for("https://intranet.example.com/feed.xml")  # its own name is kept
    assert await named.process_request(of_source("https://intranet.example.com/a.html")) is None
    # a request no source made is held to the public rule
    with pytest.raises(PrivateAddressRefused):
        await mw.process_request(Request("http://10.0.0.8/x"))


@pytest.mark.slow
def test_crawl_from_a_public_host_never_reaches_loopback(tmp_path):
    with FaultServer() as inner, FaultServer() as public:
        inner.routes["/secret.html"] = (200, {"Content-Type": HTML},
                                        page("Internal admin secret").encode())
        port = public.base.rsplit(":", 1)[1]
        outer = f"http://news.example:{port}"
        items = "".join(f"<item><title>{p}</title><link>{link}</link></item>" for p, link in [
            ("ok", f"{outer}/ok.html"), ("redirect", f"{outer}/r.html"),
            ("direct", f"{inner.base}/direct.html"), ("named", "http://localhost:1/x.html")])
        public.routes["/feed.xml"] = (200, {"Content-Type": RSS},
                                      f'<rss version="2.0"><channel>{items}</channel></rss>'
                                      .encode())
        public.routes["/ok.html"] = (200, {"Content-Type": HTML}, page("Public story").encode())
        public.routes["/r.html"] = (302, {"Location": f"{inner.base}/secret.html"}, b"")
        local_items = (f"<item><title>l</title><link>{public.base}/r.html</link></item>")
        public.routes["/local.xml"] = (200, {"Content-Type": RSS},
                                       f'<rss version="2.0"><channel>{local_items}</channel>'
                                       "</rss>".encode())
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "public", "kind": "feed", "url": f"{outer}/feed.xml"},
            {"name": "local", "kind": "feed", "url": f"{public.base}/local.xml"}])
        stats = tmp_path / "stats"
        result = crawl(sources, tmp_path / "t.db", "--stats-dir", str(stats), *DNS)
        secret_hits = inner.hit("/secret.html"), inner.hit("/direct.html"), inner.hit("/robots.txt")
    summary = crawl_summary(result.stdout)
    assert result.returncode == 0, result.stderr
    assert summary["public"]["status"] == "ok"
    stored = {r["source"]: r["url"] for r in rows(tmp_path / "t.db",
                                                  "SELECT source, url FROM articles")}
    # The public source's redirect and direct link into 127.0.0.1 are never fetched; the same
    # redirect listed by a source on 127.0.0.1 is followed.
    assert stored["public"] == f"{outer}/ok.html"
    assert stored["local"] == f"{inner.base}/secret.html"
    assert secret_hits == (1, 0, 1)
    counted = json.loads((stats / "public.json").read_text())
    assert counted["tracker/dropped/private_address"] == 3, counted


@pytest.mark.slow
def test_crawl_from_a_public_host_never_reaches_a_name_that_resolves_to_loopback(tmp_path):
    """news.example is the source's own host (kept though it resolves to 127.0.0.1, as an
    intranet newsroom's would be); intranet.example, which it links and redirects to, is
    refused, robots.txt included."""
    with FaultServer() as server:
        port = server.base.rsplit(":", 1)[1]
        outer, inner = f"http://news.example:{port}", f"http://intranet.example:{port}"
        server.routes["/secret.html"] = (200, {"Content-Type": HTML},
                                         page("Internal admin secret").encode())
        server.routes["/ok.html"] = (200, {"Content-Type": HTML}, page("Public story").encode())
        server.routes["/admin.html"] = server.routes["/secret.html"]
        server.routes["/r.html"] = (302, {"Location": f"{inner}/admin.html"}, b"")
        items = "".join(f"<item><title>{t}</title><link>{link}</link></item>" for t, link in [
            ("ok", f"{outer}/ok.html"), ("redirect", f"{outer}/r.html"),
            ("named", f"{inner}/secret.html")])
        server.routes["/feed.xml"] = (200, {"Content-Type": RSS},
                                      f'<rss version="2.0"><channel>{items}</channel></rss>'
                                      .encode())
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "public", "kind": "feed", "url": f"{outer}/feed.xml"}])
        stats = tmp_path / "stats"
        result = crawl(sources, tmp_path / "t.db", "--stats-dir", str(stats), *DNS)
        secret_hits = server.hit("/secret.html"), server.hit("/admin.html")
    assert result.returncode == 0, result.stderr
    assert crawl_summary(result.stdout)["public"]["status"] == "ok"
    assert [r["url"] for r in rows(tmp_path / "t.db", "SELECT url FROM articles")] \
        == [f"{outer}/ok.html"]
    assert secret_hits == (0, 0)
    counted = json.loads((stats / "public.json").read_text())
    assert counted["tracker/dropped/private_address"] == 2, counted
