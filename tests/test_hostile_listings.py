"""Issue 13, part A: one bad value in a listing costs that value or that entry, never the rest.

Every listing parser is given entries that used to raise (an out-of-range date, an unclosed
IPv6 literal as link, JSON values of the wrong type) between good entries: the good entries
after the bad one must still be read, and the bad ones counted (`skipped`: no usable link,
`broken`: the entry could not be read). The crawl tests run `tracker crawl` against 127.0.0.1.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.catalog_site import crawl, crawl_summary, rows, write_sources
from tests.siteserver import SiteServer
from tracker.extract import feeds, gdelt, googlenews, govuk, listing, sitemaps
from tracker.extract.dates import parse_date
from tracker.extract.urls import absolute_web_url, is_web_url

BASE = "https://news.example.org"
BAD_DATES = ["Fri, 31 Dec 9999 23:00:00 -0500", "0001-01-01T00:00:00+05:00",
             "9999-12-31T23:59:59-12:00"]
BAD_LINK = "http://[::1"  # urlsplit raises ValueError("Invalid IPv6 URL")


# ---------------------------------------------------------------- the primitives
@pytest.mark.parametrize("value", BAD_DATES)
def test_dates_out_of_datetime_range_are_no_dates(value):
    assert parse_date(value) is None


def test_dates_of_the_wrong_type_are_no_dates():
    assert parse_date(20250601) is None and parse_date({"date": "2025-06-01"}) is None
    assert parse_date("Tue, 03 Jun 2025 10:00:00 +0000") == date(2025, 6, 3)


def test_bad_links_are_no_web_urls():
    assert not is_web_url(BAD_LINK) and not is_web_url(["http://a.example/"])
    assert absolute_web_url(BASE, BAD_LINK) is None
    assert absolute_web_url(BASE, "/a.html") == f"{BASE}/a.html"


# ---------------------------------------------------------------- feeds
def rss(*items: tuple[str, str]) -> bytes:
    body = "".join(f"<item><title>{link}</title><link>{link}</link><pubDate>{when}</pubDate>"
                   "</item>" for link, when in items)
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>'
            f"{body}</channel></rss>").encode()


def test_rss_bad_dates_drop_only_the_date():
    body = rss((f"{BASE}/1", BAD_DATES[0]), (f"{BASE}/2", BAD_DATES[1]),
               (f"{BASE}/3", "Tue, 03 Jun 2025 10:00:00 +0000"))
    feed = feeds.parse_feed(body, f"{BASE}/feed.xml")
    assert [e.url for e in feed.entries] == [f"{BASE}/1", f"{BASE}/2", f"{BASE}/3"]
    assert [parse_date(e.published) for e in feed.entries] == [None, None, date(2025, 6, 3)]


def test_rss_bad_link_costs_one_entry():
    body = rss((f"{BASE}/1", ""), (BAD_LINK, ""), (f"{BASE}/3", ""))
    feed = feeds.parse_feed(body, f"{BASE}/feed.xml")
    assert [e.url for e in feed.entries] == [f"{BASE}/1", f"{BASE}/3"] and feed.broken == 1


def test_json_feed_entries_of_the_wrong_shape():
    items = [{"url": f"{BASE}/1", "date_published": BAD_DATES[1]}, "not an object",
             {"url": BAD_LINK}, {"url": f"{BASE}/4", "title": {"html": "x"}}]
    feed = feeds.parse_feed(json.dumps({"version": "https://jsonfeed.org/version/1.1",
                                        "items": items}).encode(), f"{BASE}/feed.json")
    assert [e.url for e in feed.entries] == [f"{BASE}/1", f"{BASE}/4"] and feed.broken == 2
    assert feed.entries[1].title is None  # the object is dropped, the entry kept


def test_deeply_nested_json_feed_is_a_parse_error():
    deep = b'{"items": [' + b"[" * 200_000 + b"]" * 200_000 + b"]}"
    with pytest.raises(feeds.FeedParseError, match="nested too deeply"):
        feeds.parse_feed(deep, f"{BASE}/feed.json", "application/feed+json")


# ---------------------------------------------------------------- sitemaps
def urlset(*entries: tuple[str, str]) -> bytes:
    body = "".join(f"<url><loc>{loc}</loc><lastmod>{when}</lastmod></url>"
                   for loc, when in entries)
    return (f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'
            ).encode()


def test_sitemap_bad_dates_and_links():
    sm = sitemaps.parse_sitemap(urlset((f"{BASE}/1", BAD_DATES[0]), (BAD_LINK, "2025-06-01"),
                                       (f"{BASE}/3", BAD_DATES[1]), (f"{BASE}/4", "2025-06-01")),
                                f"{BASE}/sitemap.xml")
    assert [e.loc for e in sm.entries] == [f"{BASE}/1", f"{BASE}/3", f"{BASE}/4"]
    assert sm.broken == 1
    assert [e.date for e in sm.entries] == [None, None, date(2025, 6, 1)]
    assert sitemaps.in_window(sm.entries[0], date(2025, 1, 1)) is None


# ---------------------------------------------------------------- GDELT, Google News, GOV.UK
def test_gdelt_records_of_the_wrong_shape():
    records = [{"url": f"{BASE}/1", "title": {"x": 1}, "seendate": "99999999T999999Z"},
               {"url": BAD_LINK}, ["a list"], {"url": f"{BASE}/4", "domain": 7,
                                               "title": "Four , ok"}]
    result = gdelt.parse_artlist(json.dumps({"articles": records}).encode())
    assert [a.url for a in result.articles] == [f"{BASE}/1", f"{BASE}/4"]
    assert result.articles[0].title is None and result.articles[0].seendate is None
    assert result.articles[1].domain is None and result.articles[1].title == "Four, ok"
    assert result.skipped == 2


def test_gdelt_deeply_nested_json_is_a_parse_error():
    with pytest.raises(gdelt.GdeltError, match="nested too deeply"):
        gdelt.parse_artlist(b'{"articles": ' + b"[" * 200_000 + b"]" * 200_000 + b"}")


def test_google_news_bad_link_costs_one_item():
    items = "".join(f"<item><title>t{n} - Outlet</title><link>{link}</link>"
                    f"<pubDate>{BAD_DATES[0]}</pubDate></item>"
                    for n, link in enumerate([f"{BASE}/a", BAD_LINK, f"{BASE}/c"]))
    feed = googlenews.parse_search_feed(f"<rss><channel>{items}</channel></rss>".encode(),
                                        "https://news.google.com/rss/search?q=x")
    assert [i.link for i in feed.items] == [f"{BASE}/a", f"{BASE}/c"] and feed.broken == 1


def test_govuk_results_of_the_wrong_shape():
    results = [{"link": "/government/news/one", "title": ["x"], "public_timestamp": 5},
               {"link": BAD_LINK}, {"link": "/government/news/three", "title": "Three"}]
    page = govuk.parse_search(json.dumps({"results": results, "total": "many",
                                          "start": None}).encode())
    assert [r.link for r in page.results] == ["/government/news/one", "/government/news/three"]
    assert page.results[0].title is None and page.results[0].public_timestamp is None
    assert page.broken == 1 and page.total == 0


def test_listing_page_bad_link_and_date():
    html = (f"<ul><li><a href='{BASE}/1'>One</a><time datetime='{BAD_DATES[0]}'></time></li>"
            f"<li><a href='{BAD_LINK}'>Two</a></li><li><a href='/3'>Three</a></li></ul>"
            f"<a class='next' href='{BAD_LINK}'>next</a>").encode()
    page = listing.parse_listing(html, f"{BASE}/news", link_selector="a[href]",
                                 item_selector="li", date_selector="time",
                                 next_selector="a.next")
    assert [link.url for link in page.links] == [f"{BASE}/1", f"{BASE}/3"]
    assert page.skipped == 1 and page.next_url is None
    assert parse_date(page.links[0].date) is None


# ---------------------------------------------------------------- real crawls
ARTICLE = ("<html><head><title>{n}</title></head><body><article><h1>Story {n}</h1>"
           "<p>{text}</p></article></body></html>")
TEXT = ("The regional transport authority said on Tuesday that it would extend the evening "
        "timetable on three bus lines from next month, after a consultation that drew more "
        "than four thousand responses from residents. Story number {n}.")


def write_articles(root, names):
    (root / "a").mkdir(parents=True, exist_ok=True)
    for name in names:
        (root / "a" / f"{name}.html").write_text(ARTICLE.format(n=name, text=TEXT.format(n=name)))


@pytest.mark.slow
def test_crawl_keeps_every_listing_entry_after_a_bad_one(tmp_path):
    root = tmp_path / "site"
    write_articles(root, [f"f{n}" for n in range(5)] + [f"s{n}" for n in range(4)])
    (root / "feed.xml").write_bytes(rss(
        ("{{BASE}}/a/f0.html", "Tue, 03 Jun 2025 10:00:00 +0000"),
        ("{{BASE}}/a/f1.html", BAD_DATES[0]), (BAD_LINK, ""),
        ("{{BASE}}/a/f2.html", BAD_DATES[1]), ("{{BASE}}/a/f3.html", "")))
    today = date.today().isoformat()
    (root / "sitemap.xml").write_bytes(urlset(
        ("{{BASE}}/a/s0.html", today), ("{{BASE}}/a/s1.html", BAD_DATES[0]),
        (BAD_LINK, today), ("{{BASE}}/a/s2.html", BAD_DATES[1]), ("{{BASE}}/a/s3.html", today)))
    (root / "index.xml").write_text(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>{{BASE}}/index.xml</loc></sitemap>"
        "<sitemap><loc>{{BASE}}/index2.xml</loc></sitemap></sitemapindex>")
    (root / "index2.xml").write_text(
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        "<sitemap><loc>{{BASE}}/index.xml</loc></sitemap>"
        "<sitemap><loc>{{BASE}}/index2.xml</loc></sitemap></sitemapindex>")
    (root / "deep.json").write_bytes(b'{"items": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    with SiteServer(root) as site:
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "bad-dates-feed", "kind": "feed", "url": f"{site.base}/feed.xml"},
            {"name": "bad-dates-sitemap", "kind": "sitemap", "url": f"{site.base}/sitemap.xml",
             "include_undated": True},
            {"name": "self-index", "kind": "sitemap", "url": f"{site.base}/index.xml"},
            {"name": "deep-json", "kind": "feed", "url": f"{site.base}/deep.json"},
        ])
        stats = tmp_path / "stats"
        result = crawl(sources, tmp_path / "t.db", "--stats-dir", str(stats))
        index_hits = site.count("/index.xml"), site.count("/index2.xml")
    summary = crawl_summary(result.stdout)
    assert result.returncode == 1, result.stderr
    assert summary["bad-dates-feed"]["status"] == "ok"
    assert summary["bad-dates-sitemap"]["status"] == "ok"
    stored = {r["url"].rsplit("/", 1)[1] for r in rows(tmp_path / "t.db",
                                                       "SELECT url FROM articles")}
    assert stored == {"f0.html", "f1.html", "f2.html", "f3.html",
                      "s0.html", "s1.html", "s2.html", "s3.html"}
    feed_stats = json.loads((stats / "bad-dates-feed.json").read_text())
    assert feed_stats["tracker/skipped/broken_entry"] == 1
    assert feed_stats["tracker/listing_date_unusable"] == 2
    # An index listing itself (and a child listing it back) is read once each.
    assert index_hits == (1, 1)
    assert json.loads((stats / "self-index.json").read_text())[
        "tracker/skipped/sitemap_already_read"] == 3
    assert "FAILED deep-json: parse error" in result.stderr and "nested too deeply" in result.stderr
    assert summary["deep-json"]["status"] == "parse"


# ---------------------------------------------------------------- what still escapes a parser
def test_an_exception_escaping_a_listing_callback_fails_the_source():
    from types import SimpleNamespace

    from scrapy import Request
    from scrapy.http import TextResponse

    from tracker.crawling.listingerrors import ListingErrorsMiddleware

    failures = []
    reader = SimpleNamespace(listing_unreadable=lambda url, error: failures.append((url, error)))
    mw = ListingErrorsMiddleware(SimpleNamespace(spider=SimpleNamespace(readers={"s": reader})))
    listing = TextResponse(f"{BASE}/feed.xml", body=b"x", request=Request(
        f"{BASE}/feed.xml", meta={"tracker_listing": True, "source": "s"}))
    article = TextResponse(f"{BASE}/a.html", body=b"x",
                           request=Request(f"{BASE}/a.html", meta={"source": "s"}))
    assert mw.process_spider_exception(listing, RecursionError("maximum depth")) == ()
    assert failures == [(f"{BASE}/feed.xml", "RecursionError: maximum depth")]
    assert mw.process_spider_exception(article, ValueError("x")) is None and len(failures) == 1
