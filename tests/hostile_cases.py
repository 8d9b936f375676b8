"""The hostile-input battery: one source per case, served by FaultServer on 127.0.0.1.

Each case is a source named after it (so crawl_runs, the stats dump and the FAILED lines are per
case) whose feed lists the hostile page next to one good article, unless the feed itself is the
hostile input. Drawn from ../shared/reference/anchors-reliability.md sections 6 and 8 (IDs in
`ref`). Every case states: how many article rows its source must end with (no lost row, no
duplicate), whether the source fails (with the reason on its FAILED line), which counted stat
shows what happened, and optional extra checks on the stored rows.
"""

from __future__ import annotations

import gzip
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

import brotli

from tests.faultserver import (
    FaultServer,
    close_delimited,
    closed_port,
    hang_after_headers,
    no_response,
    sequence,
    slow_drip,
    truncated,
)

HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
MiB = 1024 * 1024
HOSTNAME_MARK = "hostile-battery-secret-9f3c"  # planted in a local file a redirect points at


@dataclass
class Case:
    id: str
    ref: str
    what: str
    group: str = "main"           # "heavy" cases run in their own, memory-measured process
    articles: int = 1             # article rows the source must end with
    failed: str | None = None     # substring of the source's FAILED line (None: source ok)
    stats: dict = field(default_factory=dict)   # stat -> minimum count
    log: str | None = None        # substring the INFO log must contain
    check: Callable | None = None  # check(db, ctx) for row-level assertions
    feed_path: str = ""           # set by build(): the source URL path on its server
    server: str = "main"          # which server hosts this case


GOOD_TEXT = (
    "The regional transport authority said on Tuesday that it would extend the evening "
    "timetable on three bus lines from next month, after a consultation that drew more than "
    "four thousand responses from residents. Officials said the change would cost less than "
    "expected because drivers already on shift would cover most of the new journeys. "
    "Council members welcomed the decision but asked for a review of weekend services.")


def page(title: str, text: str = GOOD_TEXT, head: str = "", lang: str = "en",
         charset: str | None = "utf-8") -> str:
    meta = f'<meta charset="{charset}">' if charset else ""
    paras = "".join(f"<p>{escape(p)}</p>" for p in text.split("\n") if p)
    return (f"<!doctype html><html lang=\"{lang}\"><head>{meta}<title>{title}</title>{head}</head>"
            f"<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><main><article>"
            f"<h1>{title}</h1>{paras}</article></main><footer>Footer text</footer></body></html>")


def rss(base: str, items: list[tuple[str, str]], extra: str = "") -> bytes:
    """items: (title-xml, link-xml) pairs, inserted verbatim (the caller escapes)."""
    body = "".join(f"<item><title>{t}</title><link>{link}</link>"
                   f"<pubDate>Tue, 04 Mar 2025 08:30:00 GMT</pubDate></item>" for t, link in items)
    return (f'<?xml version="1.0" encoding="UTF-8"?>{extra}<rss version="2.0"><channel>'
            f"<title>case</title><link>{base}/</link><description>d</description>"
            f"{body}</channel></rss>").encode()


def _rows(db, case_id: str) -> list[dict]:
    return [dict(r) for r in db.execute("SELECT * FROM articles WHERE source = ?", [case_id])]


def build(servers: dict[str, FaultServer], tmp_path) -> list[Case]:
    """Register every case's routes on the servers; returns the cases."""
    main = servers["main"]
    base = main.base
    cases: list[Case] = []
    secret = tmp_path / "secret.txt"
    secret.write_text(HOSTNAME_MARK)

    def add(case: Case, routes: dict, feed_items: list[tuple[str, str]] | None = None,
            good: bool = True, server: str = "main"):
        srv = servers[server]
        prefix = f"/c/{case.id}"
        items = list(feed_items or [])
        if good:
            srv.routes[f"{prefix}/good.html"] = (200, {"Content-Type": HTML},
                                                 page(f"Good story for {case.id}").encode())
            items.insert(0, (f"Good story for {case.id}", f"{srv.base}{prefix}/good.html"))
        for path, route in routes.items():
            srv.routes[f"{prefix}{path}"] = route
        if f"{prefix}/feed.xml" not in srv.routes:
            srv.routes[f"{prefix}/feed.xml"] = (200, {"Content-Type": RSS}, rss(srv.base, items))
        case.feed_path = f"{prefix}/feed.xml"
        case.server = server
        cases.append(case)

    def item(case_id: str, name: str, title: str = "Hostile page") -> tuple[str, str]:
        return (title, f"{base}/c/{case_id}/{name}")

    # ------------------------------------------------------------------ A. transport (heavy)
    zeros = b"\0" * (64 * MiB)
    add(Case("gzip-bomb", "A1", "64 MiB of zeros gzipped (~64 KB on the wire)", group="heavy",
             stats={"tracker/dropped/decompression_bomb": 1}, log="exceeded DOWNLOAD_MAXSIZE"),
        {"/bomb.html": (200, {"Content-Type": HTML, "Content-Encoding": "gzip"},
                        gzip.compress(zeros, 9))}, [item("gzip-bomb", "bomb.html")])
    add(Case("deflate-bomb", "A1", "deflate bomb", group="heavy",
             stats={"tracker/dropped/decompression_bomb": 1}),
        {"/bomb.html": (200, {"Content-Type": HTML, "Content-Encoding": "deflate"},
                        zlib.compress(zeros, 9))}, [item("deflate-bomb", "bomb.html")])
    add(Case("br-bomb", "A1", "brotli bomb", group="heavy",
             stats={"tracker/dropped/decompression_bomb": 1}),
        {"/bomb.html": (200, {"Content-Type": HTML, "Content-Encoding": "br"},
                        brotli.compress(zeros, quality=5))}, [item("br-bomb", "bomb.html")])
    try:
        from backports import zstd
    except ImportError:  # Python >= 3.14
        from compression import zstd  # type: ignore[no-redef]
    add(Case("zstd-bomb", "A1", "zstd bomb", group="heavy",
             stats={"tracker/dropped/decompression_bomb": 1}),
        {"/bomb.html": (200, {"Content-Type": HTML, "Content-Encoding": "zstd"},
                        zstd.compress(zeros))}, [item("zstd-bomb", "bomb.html")])
    huge = (page("Huge") * 2).encode() + b" " * (20 * MiB)
    add(Case("huge-body", "A2", "20 MB body with no Content-Length (size unknown up front)",
             group="heavy", stats={"tracker/dropped/too_large": 1}),
        {"/huge.html": close_delimited(huge)}, [item("huge-body", "huge.html")])
    add(Case("huge-content-length", "A2", "Content-Length: 10^10 announced", group="heavy",
             stats={"tracker/dropped/too_large": 1}),
        {"/huge.html": truncated(b"<html>", 10**10)}, [item("huge-content-length", "huge.html")])
    big_para = "<p>" + ("The ministry said the contract covers analytics software for logistics "
                        "planning and maintenance. " * 8) + "</p>\n"
    big_html = ("<html><head><title>Twelve megabytes</title></head><body><article>"
                + big_para * (12 * MiB // len(big_para)) + "</article></body></html>").encode()
    add(Case("html-12mb", "B12", "12 MB legitimate HTML (under DOWNLOAD_MAXSIZE)", group="heavy",
             articles=2, stats={"tracker/body_truncated": 1}),
        {"/big.html": (200, {"Content-Type": HTML}, big_html)}, [item("html-12mb", "big.html")])
    nested = ("<html><head><title>Nested</title></head><body>" + "<div>" * 100_000 + "deep"
              + "</div>" * 100_000 + "</body></html>").encode()
    add(Case("nested-100k", "B12", "100,000-deep nested <div>", group="heavy", articles=2,
             stats={"tracker/article_flag/stub": 1}),
        {"/nested.html": (200, {"Content-Type": HTML}, nested)}, [item("nested-100k", "nested.html")])
    node = ("<html><head><title>One node</title></head><body><p>" + "word " * 1_000_000
            + "</p></body></html>").encode()
    add(Case("text-node-5mb", "B12", "5 MB single text node", group="heavy", articles=2,
             stats={"tracker/body_truncated": 1}),
        {"/node.html": (200, {"Content-Type": HTML}, node)}, [item("text-node-5mb", "node.html")])
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "lollollollollol">'
              + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9))
              + ']><rss version="2.0"><channel><title>&j;</title><link>x</link>'
              + f"<item><title>&j;</title><link>{base}/c/billion-laughs/good.html</link></item>"
              + "</channel></rss>").encode()
    add(Case("billion-laughs", "B1", "entity-expansion (billion laughs) RSS", group="heavy",
             stats={"tracker/feed/items": 1}),
        {"/feed.xml": (200, {"Content-Type": RSS}, laughs),
         "/good.html": (200, {"Content-Type": HTML}, page("Good story").encode())}, good=False)

    # ------------------------------------------------------------------ A. transport (main)
    add(Case("truncated-body", "A3", "Content-Length 5000, 13 bytes sent, then close",
             stats={"downloader/exception_type_count/scrapy.exceptions.ResponseDataLossError": 2,
                    "tracker/dropped/truncated": 1}),  # retried, then dropped
        {"/cut.html": truncated(b"<html>partial", 5000)}, [item("truncated-body", "cut.html")])
    add(Case("hang-after-headers", "A4", "headers sent, then silence",
             stats={"tracker/dropped/timeout": 1}),
        {"/hang.html": hang_after_headers(main)}, [item("hang-after-headers", "hang.html")])
    add(Case("no-response", "A4", "connection accepted, no response ever",
             stats={"tracker/dropped/timeout": 1}),
        {"/wait.html": no_response(main)}, [item("no-response", "wait.html")])
    add(Case("slow-drip", "A4", "one byte every 0.5 s (each read succeeds)",
             stats={"tracker/dropped/timeout": 1}),
        {"/drip.html": slow_drip(main)}, [item("slow-drip", "drip.html")])
    add(Case("redirect-loop", "A6", "302 loop A -> B -> A",
             stats={"tracker/dropped/redirect_loop": 1}, log="redirection loop: ",
             # A, then B (whose Location is A: stopped), in each of the battery's two runs
             check=lambda db, ctx: _hits_at_most(ctx, "main", "/c/redirect-loop/loop-", 4, prefix=True)),
        {"/loop-a.html": (302, {"Location": f"{base}/c/redirect-loop/loop-b.html"}, b""),
         "/loop-b.html": (302, {"Location": f"{base}/c/redirect-loop/loop-a.html"}, b"")},
        [item("redirect-loop", "loop-a.html")])
    add(Case("meta-refresh-loop", "A6", "meta-refresh loop",
             stats={"tracker/dropped/redirect_loop": 1}, log="meta-refresh-loop/m1.html -> ",
             check=lambda db, ctx: _hits_at_most(ctx, "main", "/c/meta-refresh-loop/m", 4, prefix=True)),
        {"/m1.html": (200, {"Content-Type": HTML},
                      f'<html><head><meta http-equiv="refresh" content="0;url={base}/c/meta-refresh-loop/m2.html"></head></html>'.encode()),
         "/m2.html": (200, {"Content-Type": HTML},
                      f'<html><head><meta http-equiv="refresh" content="0;url={base}/c/meta-refresh-loop/m1.html"></head></html>'.encode())},
        [item("meta-refresh-loop", "m1.html")])
    add(Case("redirect-file", "A7", "302 to file:// (local file must never be read)",
             stats={"tracker/dropped/redirect_scheme": 1},
             check=lambda db, ctx: _no_secret(db)),
        {"/r.html": (302, {"Location": f"file://{secret}"}, b"")}, [item("redirect-file", "r.html")])
    add(Case("redirect-data", "A7", "302 to a data: URL",
             stats={"tracker/dropped/redirect_scheme": 1}),
        {"/r.html": (302, {"Location": "data:text/html,<title>injected</title>"}, b"")},
        [item("redirect-data", "r.html")])
    add(Case("article-403", "A", "403 on an article page",
             stats={"tracker/dropped/http_403": 1}),
        {"/a.html": (403, {"Content-Type": HTML}, b"<h1>Forbidden</h1>")}, [item("article-403", "a.html")])
    add(Case("feed-403", "A", "403 on the feed itself", articles=0, failed="HTTP 403",
             stats={"downloader/response_status_count/403": 1}),
        {"/feed.xml": (403, {"Content-Type": HTML}, b"<h1>Forbidden</h1>")}, good=False)
    add(Case("feed-429-retry-after", "A12", "429 with Retry-After: 3600 on the feed", articles=0,
             failed="429", stats={"tracker/retry_after/deferred": 1},
             # one request per run (the main group runs twice): no retry storm against Retry-After
             check=lambda db, ctx: _hits_at_most(ctx, "main", "/c/feed-429-retry-after/feed.xml", 2)),
        {"/feed.xml": (429, {"Content-Type": "text/plain", "Retry-After": "3600"}, b"slow down")},
        good=False)
    add(Case("feed-429", "A12", "429 without Retry-After on the feed", articles=0,
             failed="HTTP 429", stats={"downloader/response_status_count/429": 2}),
        {"/feed.xml": (429, {"Content-Type": "text/plain"}, b"slow down")}, good=False)
    add(Case("feed-503-retry-after-1", "A12", "503 with Retry-After: 1, then 200",
             stats={"tracker/retry_after/waited": 1}),
        {"/feed.xml": sequence((503, {"Content-Type": "text/plain", "Retry-After": "1"}, b"busy"),
                               (200, {"Content-Type": RSS},
                                rss(base, [("Good", f"{base}/c/feed-503-retry-after-1/good.html")])))},
        good=True)
    add(Case("article-503", "A", "503 without Retry-After on an article",
             stats={"tracker/dropped/http_503": 1}),
        {"/a.html": (503, {"Content-Type": "text/plain"}, b"busy")}, [item("article-503", "a.html")])
    add(Case("feed-503-cloudflare", "A", "Cloudflare challenge page (503) on the feed", articles=0,
             failed="HTTP 503", stats={"downloader/response_status_count/503": 1}),
        {"/feed.xml": (503, {"Content-Type": HTML, "Server": "cloudflare"},
                       b"<html><title>Just a moment...</title><div id='cf-chl-widget'></div></html>")},
        good=False)
    add(Case("dns-failure", "A10", "unresolvable host (*.invalid)", articles=0, failed="DNS lookup failed",
             stats={"downloader/exception_type_count/scrapy.exceptions.CannotResolveHostError": 1}),
        {}, good=False)
    cases[-1].feed_path = "http://feeds.hostile.invalid/rss"
    port = closed_port()
    add(Case("connection-refused", "A10", "closed port on 127.0.0.1", articles=0,
             failed="connection refused",
             stats={"downloader/exception_type_count/scrapy.exceptions.DownloadConnectionRefusedError": 1}),
        {},
        good=False)
    cases[-1].feed_path = f"http://127.0.0.1:{port}/rss"

    # ------------------------------------------------------------------ robots.txt (own hosts)
    for sid, ref, what, failed, articles, stat in [
        ("robots-503", "A9", "robots.txt answers 503", "robots.txt", 0, "tracker/robots/unreachable"),
        ("robots-reset", "A9", "robots.txt connection reset", "robots.txt", 0,
         "tracker/robots/unreachable"),
        ("robots-404", "A9", "robots.txt 404 (allowed)", None, 1, "robotstxt/response_status_count/404"),
        ("robots-disallow", "A9", "robots.txt Disallow: /", "robots.txt", 0, "robotstxt/forbidden"),
    ]:
        add(Case(sid, ref, what, articles=articles, failed=failed, stats={stat: 1},
                 check=(lambda db, ctx, sid=sid: _no_page_requests(ctx, sid)) if articles == 0 else None),
            {}, server=sid)

    # ------------------------------------------------------------------ B. feeds
    xxe = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file://{secret}">]>'
           f'<rss version="2.0"><channel><title>t</title><link>{base}</link>'
           f"<item><title>A&xxe;B</title><link>{base}/c/xxe/good.html</link></item>"
           "</channel></rss>").encode()
    add(Case("xxe", "B1", "XXE: external entity pointing at a local file",
             stats={"tracker/feed/items": 1}, check=lambda db, ctx: _no_secret(db)),
        {"/feed.xml": (200, {"Content-Type": RSS}, xxe),
         "/good.html": (200, {"Content-Type": HTML}, page("Good story").encode())}, good=False)
    add(Case("feed-empty", "B2", "zero-byte feed body", articles=0, failed="empty body",
             stats={"tracker/feed/parse_error": 1}),
        {"/feed.xml": (200, {"Content-Type": RSS}, b"")}, good=False)
    add(Case("feed-is-paywall", "B2", "HTML paywall page served at the feed URL", articles=0,
             failed="not a feed", stats={"tracker/feed/parse_error": 1}),
        {"/feed.xml": (200, {"Content-Type": HTML},
                       page("Subscribe to continue", "Subscribe now to keep reading.").encode())},
        good=False)
    full = rss(base, [(f"Story {i}", f"{base}/c/feed-truncated/s{i}.html") for i in range(4)])
    add(Case("feed-truncated", "B3", "feed cut at 50%: partial entries, nothing deleted",
             articles=2, stats={"tracker/feed/items": 2}),
        {"/feed.xml": (200, {"Content-Type": RSS}, full[: len(full) // 2 + 40]),
         **{f"/s{i}.html": (200, {"Content-Type": HTML}, page(f"Story {i}").encode())
            for i in range(4)}}, good=False)
    add(Case("feed-malformed", "B", "unclosed tags and stray bytes in the feed", articles=1,
             stats={"tracker/feed/items": 1}),
        {"/feed.xml": (200, {"Content-Type": RSS},
                       (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t<b></title>'
                        f"<item><title>One & two</title><link>{base}/c/feed-malformed/good.html"
                        f"</link></item>\x00\x01<item><title>Broken").encode())}, good=True)
    add(Case("jsonfeed-invalid", "B", "JSON Feed with invalid escapes", articles=0,
             failed="invalid JSON Feed", stats={"tracker/feed/parse_error": 1}),
        {"/feed.xml": (200, {"Content-Type": "application/feed+json"},
                       b'{"version": "https://jsonfeed.org/version/1.1", "items": [{"url": "\\q"}')},
        good=False)
    add(Case("feed-next-loop", "A11", "feed whose rel=next points at itself (pagination trap)",
             stats={"tracker/feed/pages": 1},
             # bounded per run by the feed page cap / DEPTH_LIMIT (8): at most 9 requests a run, 2 runs
             check=lambda db, ctx: _hits_at_most(ctx, "main", "/c/feed-next-loop/feed.xml", 18)),
        {"/feed.xml": (200, {"Content-Type": "application/atom+xml"},
                       (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
                        f'<link rel="next" href="{base}/c/feed-next-loop/feed.xml?p=2"/>'
                        f"<entry><title>Good</title><link href=\"{base}/c/feed-next-loop/good.html\"/>"
                        f"<id>1</id><updated>2025-03-04T08:30:00Z</updated></entry></feed>").encode())},
        good=True)
    bad_links = rss(base, [("Script link", "javascript:alert(1)"), ("Data link", "data:text/html,x"),
                           ("Good", f"{base}/c/bad-links/good.html")])
    bad_links = bad_links.replace(b"</channel>", b"<item><title>No link at all</title></item></channel>")
    add(Case("bad-links", "B6", "javascript:/data: item links and an item without a link",
             stats={"tracker/feed_items_without_link": 3},
             check=lambda db, ctx: _no_bad_schemes(db)),
        {"/feed.xml": (200, {"Content-Type": RSS}, bad_links),
         "/good.html": (200, {"Content-Type": HTML}, page("Good story").encode())}, good=False)
    many = rss(base, [(f"Item {i}", f"{base}/c/feed-flood/s{i}.html") for i in range(3000)])
    add(Case("feed-flood", "A11", "3,000 items against a budget of 10 requests", articles=9,
             group="heavy",
             stats={"tracker/budget_exhausted": 1},
             check=lambda db, ctx: _hits_at_most(ctx, "main", "/c/feed-flood/s", 9, prefix=True)),
        {"/feed.xml": (200, {"Content-Type": RSS}, many),
         **{f"/s{i}.html": (200, {"Content-Type": HTML}, page(f"Item {i}").encode()) for i in range(20)}},
        good=False)

    # ------------------------------------------------------------------ B. article content
    add(Case("zero-byte", "B2", "200 with an empty body", stats={"tracker/dropped/empty_body": 1}),
        {"/empty.html": (200, {"Content-Type": HTML}, b"")}, [item("zero-byte", "empty.html")])
    add(Case("zero-byte-gzip", "B2", "empty body declared gzip",
             stats={"tracker/dropped/empty_body": 1}),
        {"/empty.html": (200, {"Content-Type": HTML, "Content-Encoding": "gzip"}, b"")},
        [item("zero-byte-gzip", "empty.html")])
    add(Case("truncated-html", "B", "markup cut mid-tag (valid HTTP)", articles=2,
             stats={"tracker/articles_new": 2}),
        {"/cut.html": (200, {"Content-Type": HTML},
                       page("Cut story").encode()[:-120] + b"<p class=\"x")},
        [item("truncated-html", "cut.html")])
    add(Case("binary-as-html", "B", "random bytes served as text/html", stats={"tracker/dropped/binary_body": 1}),
        {"/bin.html": (200, {"Content-Type": HTML}, bytes(range(256)) * 200)},
        [item("binary-as-html", "bin.html")])
    add(Case("not-text", "B", "application/pdf behind an article link",
             stats={"tracker/dropped/binary_body": 1}),
        {"/doc.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n" + b"\x00" * 1000)},
        [item("not-text", "doc.pdf")])
    cp1252 = page("Café déjà vu: l’armée reçoit", "Le ministère a présenté le programme à "
                  "l’Assemblée. " * 6, lang="fr").encode("cp1252")
    add(Case("cp1252-as-utf8", "B4", "cp1252 bytes declared UTF-8", articles=2,
             check=lambda db, ctx: _text_ok(db, "cp1252-as-utf8", "Café déjà vu", "ministère")),
        {"/a.html": (200, {"Content-Type": "text/html; charset=utf-8"}, cp1252)},
        [item("cp1252-as-utf8", "a.html")])
    cyr = page("Министерство обороны получило систему", "В министерстве сообщили, что программа "
               "будет пересмотрена до конца года. " * 6, lang="ru", charset=None).encode("cp1251")
    add(Case("cp1251-undeclared", "B4", "Windows-1251 with no charset anywhere", articles=2,
             check=lambda db, ctx: _text_ok(db, "cp1251-undeclared", "Министерство обороны",
                                            "министерстве")),
        {"/a.html": (200, {"Content-Type": "text/html"}, cyr)}, [item("cp1251-undeclared", "a.html")])
    gb = page("国防部采购人工智能系统", "该部门表示，将在本财政年度结束前再次审查该计划。" * 12,
              lang="zh", charset="gb18030").encode("gb18030")
    add(Case("gb18030-meta", "B4", "GB18030 declared by <meta charset>", articles=2,
             check=lambda db, ctx: _text_ok(db, "gb18030-meta", "国防部采购人工智能系统", "财政年度")),
        {"/a.html": (200, {"Content-Type": "text/html"}, gb)}, [item("gb18030-meta", "a.html")])
    sjis = page("防衛省がAIシステムを導入", "同省は、会計年度末までに計画を再検討すると発表した。" * 12,
                lang="ja", charset=None).encode("shift_jis")
    add(Case("shift-jis-header", "B4", "Shift_JIS declared in the Content-Type header", articles=2,
             check=lambda db, ctx: _text_ok(db, "shift-jis-header", "防衛省がAIシステムを導入",
                                            "会計年度末")),
        {"/a.html": (200, {"Content-Type": "text/html; charset=shift_jis"}, sjis)},
        [item("shift-jis-header", "a.html")])
    xss_title = "&lt;img src=x onerror=alert(1)&gt;Army &lt;script&gt;alert(2)&lt;/script&gt;deal &amp;lt;b&amp;gt;"
    add(Case("script-in-titles", "B5", "<script>/<img onerror> in RSS and HTML titles", articles=2,
             check=lambda db, ctx: _titles_plain(db, "script-in-titles")),
        {"/a.html": (200, {"Content-Type": HTML},
                     page("<script>alert(3)</script>Budget <img src=x onerror=alert(4)> talks "
                          "&lt;b&gt;").encode())},
        [(xss_title, f"{base}/c/script-in-titles/a.html")])
    add(Case("absurd-dates", "B7", "2099 / 1970 / 0000-00-00 dates in page and feed", articles=3,
             check=lambda db, ctx: _dates_sane(db, "absurd-dates")),
        {"/future.html": (200, {"Content-Type": HTML}, page("Future", head='<meta property="article:published_time" content="2099-01-01T00:00:00Z">').encode()),
         "/epoch.html": (200, {"Content-Type": HTML}, page("Epoch", head='<meta property="article:published_time" content="1970-01-01T00:00:00Z">').encode()),
         "/feed.xml": (200, {"Content-Type": RSS},
                       (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>{base}</link>'
                        f"<item><title>F</title><link>{base}/c/absurd-dates/future.html</link><pubDate>Thu, 01 Jan 2099 00:00:00 GMT</pubDate></item>"
                        f"<item><title>E</title><link>{base}/c/absurd-dates/epoch.html</link><pubDate>0000-00-00</pubDate></item>"
                        f"<item><title>G</title><link>{base}/c/absurd-dates/good.html</link><pubDate>Thu, 01 Jan 1970 00:00:00 GMT</pubDate></item>"
                        "</channel></rss>").encode()),
         "/good.html": (200, {"Content-Type": HTML}, page("Good story").encode())}, good=False)
    story = page("One story, many URLs", head=f'<link rel="canonical" href="{base}/c/dup-urls/story.html">').encode()
    add(Case("dup-urls", "B8", "one article under utm_, /amp, m., trailing slash, #frag, canonical",
             articles=1, check=lambda db, ctx: _one_url(db, "dup-urls")),
        {"/story.html": (200, {"Content-Type": HTML}, story),
         "/story.html/amp": (200, {"Content-Type": HTML}, story),
         "/story-print.html": (200, {"Content-Type": HTML}, story),
         "/feed.xml": (200, {"Content-Type": RSS}, rss(base, [
             ("S", f"{base}/c/dup-urls/story.html?utm_source=rss&amp;utm_medium=feed&amp;fbclid=x"),
             ("S", f"{base}/c/dup-urls/story.html/amp"),
             ("S", f"http://m.{base[7:]}/c/dup-urls/story.html"),
             ("S", f"{base}/c/dup-urls/story.html/"),
             ("S", f"{base}/c/dup-urls/story.html#comments"),
             ("S", f"{base}/c/dup-urls/story-print.html")]))}, good=False)
    add(Case("js-only", "B10", "JavaScript-only shell page", articles=2,
             stats={"tracker/article_flag/js_required": 1},
             check=lambda db, ctx: _no_events_from(db, "js-only")),
        {"/app.html": (200, {"Content-Type": HTML},
                       b"<html><head><title>App</title><script src='/bundle.js'></script></head><body>"
                       b"<noscript>Please enable JavaScript to view this site.</noscript><div id='root'></div></body></html>")},
        [item("js-only", "app.html")])
    add(Case("paywall-stub", "B10", "paywall teaser under 300 characters", articles=2,
             stats={"tracker/article_flag/stub": 1}),
        {"/paid.html": (200, {"Content-Type": HTML},
                        page("Army signs AI deal", "The Army signed a deal. Subscribe to read more.").encode())},
        [item("paywall-stub", "paid.html")])
    return cases


# ---------------------------------------------------------------- row-level checks
def _no_secret(db) -> None:
    for table in ("articles", "events", "unmatched_mentions", "crawl_runs"):
        for row in db.execute(f"SELECT * FROM {table}"):
            assert HOSTNAME_MARK not in " ".join(str(v) for v in tuple(row)), (table, tuple(row))


def _hits_at_most(ctx, server: str, path: str, limit: int, prefix: bool = False) -> None:
    srv = ctx["servers"][server]
    hits = srv.count(path) if prefix else srv.hit(path) + srv.count(path + "?")
    assert hits <= limit, (path, hits, limit)


def _no_page_requests(ctx, server: str) -> None:
    paths = [p for p in ctx["servers"][server].requests if p != "/robots.txt"]
    assert paths == [], paths


def _no_bad_schemes(db) -> None:
    for (url,) in db.execute("SELECT url FROM articles"):
        assert url.startswith(("http://", "https://")), url


def _text_ok(db, source: str, title: str, word: str) -> None:
    rows = [r for r in _rows(db, source) if "good.html" not in r["url"]]
    assert len(rows) == 1, rows
    assert rows[0]["title"].startswith(title), rows[0]["title"]
    assert word in rows[0]["text"] and "\ufffd" not in rows[0]["text"], rows[0]["text"][:200]


def _titles_plain(db, source: str) -> None:
    for row in _rows(db, source):
        for value in (row["title"] or "", row["text"]):
            assert "<script" not in value.lower() and "onerror" not in value.lower(), value


def _dates_sane(db, source: str) -> None:
    for row in _rows(db, source):
        assert row["published"] is None or "1995-01-01" <= row["published"] <= "2030-01-01", row


def _one_url(db, source: str) -> None:
    rows = _rows(db, source)
    assert len(rows) == 1 and rows[0]["url"].endswith("/c/dup-urls/story.html"), rows


def _no_events_from(db, source: str) -> None:
    n = db.execute("SELECT count(*) FROM event_articles ea JOIN articles a ON a.id = ea.article_id "
                   "WHERE a.source = ?", [source]).fetchone()[0]
    assert n == 0
