"""Behaviour every source gets, seen from the server side of a real crawl on 127.0.0.1:
robots.txt (fail closed), Retry-After, conditional GET, --since, the request budget, health
statuses, and bad input from every kind (a counted, logged skip, never a crash or a lost row).
"""

import gzip
import time

import pytest

from tests.catalog_site import crawl, crawl_summary, rows, write_sources
from tests.siteserver import FIXTURES, SiteServer

pytestmark = pytest.mark.slow  # each test crawls for seconds, waiting as a polite crawler does

RSS = "application/rss+xml; charset=utf-8"
HTML = "text/html; charset=utf-8"


def page(title: str) -> bytes:
    text = (
        "This fixture page belongs to the crawling tests. It reports an ordinary update with "
        "enough words to count as an article body, and names no vendor on purpose. "
    ) * 3
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{text}</p></article></body></html>"
    ).encode()


def rss(base: str, items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(
        f"<item><title>{t}</title><link>{base}{path}</link><pubDate>{d}</pubDate></item>"
        for t, path, d in items
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>'
        f"<link>{base}/</link><description>d</description>{body}</channel></rss>"
    ).encode()


def site_with(routes: dict, robots=None, validators=False) -> SiteServer:
    server = SiteServer(FIXTURES / "feeds", validators=validators)
    server.routes.update(routes)
    if robots is not None:
        server.routes["/robots.txt"] = robots
    return server


def feed_source(name, server, path="/feed.xml", **extra):
    return {"name": name, "kind": "feed", "url": server.base + path, **extra}


# ---------------------------------------------------------------- robots.txt
def test_robots_txt_unreachable_means_disallow_and_waiters_all_obey(tmp_path):
    slow_disallow = {"n": 0}

    def slow_robots(path, headers):  # keeps robots.txt pending while three requests queue up
        slow_disallow["n"] += 1
        time.sleep(0.5)
        return 200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /private/\n"

    down = site_with(
        {}, robots=(503, {"Content-Type": "text/html"}, b"<h1>Service unavailable</h1>")
    )
    absent = site_with({})  # robots.txt 404: no rules
    guarded = site_with({}, robots=slow_robots)
    with down, absent, guarded:
        for server in (down, absent, guarded):
            server.routes["/public/a.html"] = (200, {"Content-Type": HTML}, page("Public page"))
        down.routes["/feed.xml"] = (
            200,
            {"Content-Type": RSS},
            rss(down.base, [("A", "/public/a.html", "")]),
        )
        absent.routes["/feed.xml"] = (
            200,
            {"Content-Type": RSS},
            rss(absent.base, [("A", "/public/a.html", "")]),
        )
        # The listing lives on `absent`; its articles on `guarded`, whose robots.txt is slow:
        # the first article request fetches it, the other two wait for the same answer.
        absent.routes["/elsewhere.xml"] = (
            200,
            {"Content-Type": RSS},
            rss(
                guarded.base,
                [
                    ("P1", "/private/1.html", ""),
                    ("P2", "/private/2.html", ""),
                    ("P3", "/private/3.html", ""),
                    ("OK", "/public/a.html", ""),
                ],
            ),
        )
        sources = write_sources(
            tmp_path / "s.yml",
            [
                feed_source("robots-down", down),
                feed_source("robots-absent", absent),
                feed_source("robots-slow", absent, "/elsewhere.xml"),
            ],
        )
        db = tmp_path / "t.db"
        result = crawl(sources, db)
        assert result.returncode == 1
        assert set(down.requests) == {"/robots.txt"}  # 503: nothing else asked of that host
        assert "/public/a.html" in absent.requests  # 404: allowed
        assert not [p for p in guarded.requests if p.startswith("/private/")]
        assert slow_disallow["n"] == 1 and guarded.count("/public/a.html") == 1
    summary = crawl_summary(result.stdout)
    assert summary["robots-down"]["status"] == "robots"
    assert summary["robots-absent"]["status"] == "ok"
    assert summary["robots-slow"]["status"] == "ok" and summary["robots-slow"]["skipped"] == 3
    assert any(
        line.startswith("FAILED robots-down: forbidden")
        or (line.startswith("FAILED robots-down:") and "robots.txt" in line)
        for line in result.stderr.splitlines()
    )


# ---------------------------------------------------------------- Retry-After
def test_retry_after_is_waited_for_up_to_a_cap(tmp_path):
    calls = {"n": 0}

    def busy_once(path, headers):
        calls["n"] += 1
        if calls["n"] == 1:
            return 503, {"Content-Type": "text/plain", "Retry-After": "1"}, b"busy"
        return 200, {"Content-Type": RSS}, rss(server.base, [("A", "/a.html", "")])

    server = site_with(
        {
            "/busy.xml": busy_once,
            "/slow-down.xml": (
                429,
                {"Content-Type": "text/plain", "Retry-After": "3600"},
                b"slow down",
            ),
            "/a.html": (200, {"Content-Type": HTML}, page("A")),
        }
    )
    with server:
        sources = write_sources(
            tmp_path / "s.yml",
            [
                feed_source("busy-once", server, "/busy.xml"),
                feed_source("rate-limited", server, "/slow-down.xml"),
            ],
        )
        db = tmp_path / "t.db"
        result = crawl(sources, db)
        busy = [t for t, p, _h in server.log if p == "/busy.xml"]
        assert len(busy) == 2 and busy[1] - busy[0] >= 0.95  # waited as asked
        assert server.count("/slow-down.xml") == 1  # 3600 s is over the cap: no retry at all
    assert result.returncode == 1
    summary = crawl_summary(result.stdout)
    assert summary["busy-once"]["status"] == "ok" and summary["busy-once"]["new"] == 1
    assert summary["rate-limited"]["status"] == "refused"
    assert any(
        line.startswith("FAILED rate-limited: HTTP 429 (rate-limited)")
        and "retry after 3600 s" in line
        for line in result.stderr.splitlines()
    )


# ---------------------------------------------------------------- conditional GET
def test_etag_and_last_modified_are_remembered_only_after_a_clean_run(tmp_path):
    server = site_with({}, validators=True)
    with server:
        sources = write_sources(
            tmp_path / "s.yml",
            [
                feed_source("rdf", server, "/rss1-rdf.xml"),
                feed_source("json", server, "/feed-page-1.json"),
            ],
        )
        db = tmp_path / "t.db"
        server.routes["/pages/json-2.html"] = (500, {"Content-Type": HTML}, b"oops")  # one error
        assert crawl(sources, db).returncode == 0
        saved = {r["url"].rsplit("/", 1)[1] for r in rows(db, "SELECT url FROM http_validators")}
        assert saved == {"rss1-rdf.xml"}  # the JSON source had an article error: not saved
        start = len(server.log)
        again = crawl(sources, db)
        assert again.returncode == 0, again.stderr
        second = {path: headers for _t, path, headers in server.log[start:]}
        assert second["/rss1-rdf.xml"].get("If-None-Match")  # conditional, answered 304
        assert "If-None-Match" not in second["/feed-page-1.json"]  # read again in full
        assert "/pages/json-2.html" in second  # the failed article is retried
        assert not [p for p in second if p.startswith("/pages/rdf")]
    summary = crawl_summary(again.stdout)
    assert summary["rdf"]["status"] == "ok"
    reason = rows(db, "SELECT reason FROM crawl_runs WHERE source = 'rdf' ORDER BY started DESC")
    assert "304" in (reason[0]["reason"] or "")


# ---------------------------------------------------------------- --since and the budget
def test_since_window_and_request_budget(tmp_path):
    server = site_with(
        {
            "/feed.xml": None,  # set below, once the base is known
            **{f"/s{i}.html": (200, {"Content-Type": HTML}, page(f"Story {i}")) for i in range(6)},
        }
    )
    with server:
        server.routes["/feed.xml"] = (
            200,
            {"Content-Type": RSS},
            rss(
                server.base,
                [
                    ("New", "/s0.html", "Mon, 03 Mar 2025 10:00:00 GMT"),
                    ("Old", "/s1.html", "Wed, 01 Jan 2025 10:00:00 GMT"),
                    ("Undated", "/s2.html", ""),
                ],
            ),
        )
        server.routes["/many.xml"] = (
            200,
            {"Content-Type": RSS},
            rss(server.base, [(f"S{i}", f"/s{i}.html", "") for i in range(3, 6)]),
        )
        sources = write_sources(
            tmp_path / "s.yml",
            [
                feed_source("windowed", server),
                feed_source("budgeted", server, "/many.xml", max_requests=3),
            ],
        )
        db = tmp_path / "t.db"
        result = crawl(sources, db, "--since", "2025-02-01")
        assert result.returncode == 0, result.stderr
        assert server.count("/s1.html") == 0  # older than --since: never requested
        assert server.count("/s0.html") == 1 and server.count("/s2.html") == 1
        assert sum(server.count(f"/s{i}.html") for i in range(3, 6)) == 2  # feed + 2 = budget 3
        relative = crawl(
            sources, tmp_path / "r.db", "--since", "7 days ago", "--spider", "windowed"
        )
        assert relative.returncode == 0, relative.stderr
        assert server.count("/s0.html") == 1  # March 2025 is older than 7 days ago
    runs = {r["source"]: r for r in rows(db, "SELECT * FROM crawl_runs")}
    assert runs["budgeted"]["status"] == "ok" and "budget" in runs["budgeted"]["reason"]
    assert runs["budgeted"]["requests"] == 3
    bad = crawl(sources, db, "--since", "whenever")
    assert bad.returncode == 2 and "cannot read --since" in bad.stderr


# ---------------------------------------------------------------- bad input, every kind
def test_bad_input_from_every_kind_is_a_counted_skip_never_a_crash(tmp_path):
    base_holder = {}

    def sitemap_urls(path, headers):
        base = base_holder["base"]
        return (
            200,
            {"Content-Type": "application/xml"},
            (
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
                f"<url><loc>{base}/good.html</loc><news:news><news:publication_date>"
                f"{time.strftime('%Y-%m-%d')}</news:publication_date></news:news></url>"
                f"<url><loc>{base}/epoch.html</loc><lastmod>1970-01-01</lastmod></url>"
                f"<url><loc>{base}/future.html</loc><lastmod>2099-12-31</lastmod></url>"
                f"<url><loc>{base}/cut.html</lo"
            ).encode(),
        )

    bomb = gzip.compress(b"<urlset>" + b" " * (12 * 1024 * 1024) + b"</urlset>")
    cyrillic = (
        "<html><head><title>Новости</title></head><body>"
        "<a class='n' href='/good.html'>Министерство обороны</a></body></html>"
    ).encode("cp1251")
    server = site_with(
        {
            "/good.html": (200, {"Content-Type": HTML}, page("Good story")),
            "/sitemap-empty.xml": (200, {"Content-Type": "application/xml"}, b""),
            "/sitemap-truncated.xml": sitemap_urls,
            "/sitemap-bomb.xml.gz": (200, {"Content-Type": "application/x-gzip"}, bomb),
            "/gdelt-html": (200, {"Content-Type": "text/html"}, b"<html><body>502</body></html>"),
            "/govuk-search": (200, {"Content-Type": "application/json"}, b'{"results": "nope"}'),
            "/listing-huge.html": (
                200,
                {"Content-Type": HTML},
                b"<html>" + b" " * (11 * 1024 * 1024),
            ),
            "/listing-loop": (302, {"Location": "/listing-loop2"}, b""),
            "/listing-loop2": (302, {"Location": "/listing-loop"}, b""),
            "/listing-cp1251.html": (200, {"Content-Type": "text/html"}, cyrillic),
            "/gnews-zero": (200, {"Content-Type": RSS}, b""),
        }
    )
    with server:
        base_holder["base"] = server.base
        b = server.base
        sources = write_sources(
            tmp_path / "s.yml",
            [
                {"name": "sitemap-empty", "kind": "sitemap", "url": b + "/sitemap-empty.xml"},
                {
                    "name": "sitemap-truncated",
                    "kind": "sitemap",
                    "url": b + "/sitemap-truncated.xml",
                    "include_undated": False,
                },
                {"name": "sitemap-bomb", "kind": "sitemap", "url": b + "/sitemap-bomb.xml.gz"},
                {"name": "gdelt-html", "kind": "gdelt", "url": b + "/gdelt-html", "query": "x y"},
                {"name": "govuk-bad", "kind": "govuk", "url": b + "/govuk-search"},
                {
                    "name": "listing-huge",
                    "kind": "listing",
                    "url": b + "/listing-huge.html",
                    "link_selector": "a",
                },
                {
                    "name": "listing-loop",
                    "kind": "listing",
                    "url": b + "/listing-loop",
                    "link_selector": "a",
                },
                {
                    "name": "listing-cp1251",
                    "kind": "listing",
                    "url": b + "/listing-cp1251.html",
                    "link_selector": "a.n",
                },
                {"name": "gnews-zero", "kind": "googlenews", "url": b + "/gnews-zero?q=x"},
            ],
        )
        db = tmp_path / "t.db"
        result = crawl(sources, db, "-s", f"DOWNLOAD_MAXSIZE={10 * 1024 * 1024}")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    summary = crawl_summary(result.stdout)
    expected = {
        "sitemap-empty": "parse",
        "sitemap-truncated": "ok",
        "sitemap-bomb": "parse",
        "gdelt-html": "parse",
        "govuk-bad": "parse",
        "listing-huge": "error",
        "listing-loop": "http",
        "listing-cp1251": "ok",
        "gnews-zero": "parse",
    }
    assert {name: row["status"] for name, row in summary.items()} == expected
    failed = {
        line.split(":", 1)[0][len("FAILED ") :]: line
        for line in result.stderr.splitlines()
        if line.startswith("FAILED ")
    }
    assert set(failed) == {n for n, s in expected.items() if s != "ok"}
    assert "empty body" in failed["sitemap-empty"]
    assert "decompresses past" in failed["sitemap-bomb"]
    assert "redirect" in failed["listing-loop"]
    assert "larger than DOWNLOAD_MAXSIZE" in failed["listing-huge"]
    # The good article behind the truncated sitemap (and the cp1251 listing) is stored once;
    # 1970 / 2099 entries were never requested.
    stored = rows(db, "SELECT url, source FROM articles")
    assert [r["url"] for r in stored] == [server.base + "/good.html"]
    assert server.count("/epoch.html") == 0 and server.count("/future.html") == 0
    runs = {r["source"]: r for r in rows(db, "SELECT * FROM crawl_runs")}
    assert all(r["finished"] for r in runs.values())


# ---------------------------------------------------------------- health in `tracker stats`
def test_stats_reports_statuses_and_sources_failing_runs_in_a_row(tmp_path):
    from tests.conftest import run_tracker

    server = site_with(
        {
            "/blocked.xml": (403, {"Content-Type": HTML}, b"<h1>Forbidden</h1>"),
            "/empty.xml": (200, {"Content-Type": RSS}, b""),
        }
    )
    with server:
        server.routes["/feed.xml"] = (200, {"Content-Type": RSS}, rss(server.base, []))
        sources = write_sources(
            tmp_path / "s.yml",
            [
                feed_source("quiet", server),
                feed_source("blocked", server, "/blocked.xml"),
                feed_source("broken", server, "/empty.xml"),
            ],
        )
        db = tmp_path / "t.db"
        for _ in range(2):
            assert crawl(sources, db).returncode == 1
    stats = run_tracker("stats", "--db", str(db), "--failing-after", "2")
    assert stats.returncode == 0, stats.stderr
    lines = stats.stdout.splitlines()
    assert any(" quiet " in line and " empty " in line for line in lines)  # no news, not failed
    assert any(" blocked " in line and " blocked " in line.split("blocked", 1)[1] for line in lines)
    assert any(" broken " in line and " parse " in line and "requests=" in line for line in lines)
    assert "discovered_items" in stats.stdout and "contract_notices" in stats.stdout
    warnings = [line for line in stats.stderr.splitlines() if line.startswith("WARNING")]
    assert sorted(warnings) == [
        "WARNING blocked failed 2 runs in a row",
        "WARNING broken failed 2 runs in a row",
    ]
