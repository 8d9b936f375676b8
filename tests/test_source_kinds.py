"""Each source kind, crawled for real (`tracker crawl` subprocess) against 127.0.0.1.

The servers replay fixtures shaped like the real formats (tests/fixtures/catalog, .../feeds;
see ../shared/reference/source-formats.md): nothing leaves the machine.
"""

import pytest

from tests.catalog_site import (
    CONTRACTS_PATH,
    REDIRECTING_ID,
    SCRIPT_ONLY_ID,
    CatalogSite,
    copy_fixtures,
    crawl,
    crawl_summary,
    rows,
    write_sources,
)
from tests.siteserver import FIXTURES, SiteServer

pytestmark = pytest.mark.slow  # each test crawls for seconds


@pytest.fixture
def catalog(tmp_path):
    root = copy_fixtures(tmp_path / "site")
    with CatalogSite(root) as site:
        yield site


def source(site, name, kind, path, **options):
    return {"name": name, "kind": kind, "url": site.base + path, **options}


def requested(site, prefix):
    return [p for p in site.requests if p.startswith(prefix)]


# ---------------------------------------------------------------- feed
def test_feed_kind_rss1_rss092_charsets_raw_html_json_feed_pagination(tmp_path):
    feeds = FIXTURES / "feeds"
    with SiteServer(feeds) as site:
        site.routes["/latin1.xml"] = (
            200,
            {"Content-Type": "application/rss+xml"},  # no charset
            (feeds / "latin1-undeclared.xml").read_bytes().replace(b"{{BASE}}", site.base.encode()),
        )
        site.routes["/cp1252.xml"] = (
            200,
            {"Content-Type": "application/rss+xml; charset=utf-8"},
            (feeds / "cp1252-declared-utf8.xml")
            .read_bytes()
            .replace(b"{{BASE}}", site.base.encode()),
        )
        sources = write_sources(
            tmp_path / "s.yml",
            [
                source(site, "rdf", "feed", "/rss1-rdf.xml"),
                source(site, "rss092", "feed", "/rss092.xml"),
                source(site, "latin1", "feed", "/latin1.xml", language="pt"),
                source(site, "cp1252", "feed", "/cp1252.xml"),
                source(site, "raw-html", "feed", "/reddit-raw-html.xml"),
                source(site, "jsonfeed", "feed", "/feed-page-1.json"),
            ],
        )
        db = tmp_path / "t.db"
        result = crawl(sources, db)
        assert result.returncode == 0, result.stderr
        summary = crawl_summary(result.stdout)
        assert {s["status"] for s in summary.values()} == {"ok"}
        assert summary["jsonfeed"]["skipped"] == 1  # the item without a url: counted
        assert "/feed-page-2.json" in site.requests  # JSON Feed next_url followed
    stored = {r["url"].rsplit("/", 1)[1]: r for r in rows(db, "SELECT * FROM articles")}
    assert set(stored) == {
        "rdf-1.html",
        "rdf-2.html",
        "rss092-1.html",
        "notitle-latin1.html",
        "notitle-cp1252.html",
        "discussion.html",
        "guid-only.html",
        "epoch.html",
        "future.html",
        "json-1.html",
        "json-2.html",
    }
    # Titles come from the feed when the page has none: charsets decoded right.
    assert (
        stored["notitle-latin1.html"]["title"]
        == "Ministério da Defesa testa assistente de tradução"
    )
    assert stored["notitle-latin1.html"]["published"] == "2025-03-24"  # Portuguese day/month
    assert stored["notitle-cp1252.html"]["title"] == "Armée de l’air signs “pilot” deal"
    # 1970 and 2099 feed dates are never stored as publication dates.
    assert stored["epoch.html"]["published"] is None and stored["future.html"]["published"] is None
    assert stored["rdf-1.html"]["published"] == "2025-03-14"  # dc:date only
    assert all("?rss=1" not in url for url in [r["url"] for r in stored.values()])


# ---------------------------------------------------------------- sitemap
def test_sitemap_kind_index_news_block_and_date_window(catalog, tmp_path):
    sources = write_sources(
        tmp_path / "s.yml",
        [source(catalog, "news-sitemap", "sitemap", "/sitemaps/index.xml", max_age_days=7)],
    )
    db = tmp_path / "t.db"
    result = crawl(sources, db)
    assert result.returncode == 0, result.stderr
    summary = crawl_summary(result.stdout)["news-sitemap"]
    assert summary["status"] == "ok" and summary["items"] == 2 and summary["skipped"] == 1
    assert "/sitemaps/news.xml" in catalog.requests
    assert not requested(catalog, "/sitemaps/archive-2012")  # child outside the window
    for never in (
        "/articles/epoch-date.html",
        "/articles/future-date.html",
        "/articles/old-story.html",
    ):
        assert never not in catalog.requests, never
    urls = {r["url"].rsplit("/", 1)[1] for r in rows(db, "SELECT url FROM articles")}
    assert urls == {"spain-llama.html", "gsa-anthropic.html"}
    again = crawl(sources, db)
    assert again.returncode == 0, again.stderr
    assert crawl_summary(again.stdout)["news-sitemap"]["requests"] == 2  # robots + 304 on index
    assert catalog.log[-1][2].get("If-None-Match")


# ---------------------------------------------------------------- GDELT
def test_gdelt_kind_spacing_seendate_and_page_dates(catalog, tmp_path):
    sources = write_sources(
        tmp_path / "s.yml",
        [
            source(
                catalog,
                "gdelt-a",
                "gdelt",
                "/api/v2/doc/doc",
                query="(Naver OR HyperCLOVA) defence",
            ),
            source(
                catalog,
                "gdelt-b",
                "gdelt",
                "/api/v2/doc/doc",
                query='"Air Force" OpenAI',
                timespan="2weeks",
            ),
        ],
    )
    db = tmp_path / "t.db"
    result = crawl(sources, db, env={"TRACKER_GDELT_INTERVAL": "1.0"})
    assert result.returncode == 0, result.stderr
    calls = [t for t, path, _h in catalog.log if path.startswith("/api/v2/doc/doc")]
    assert len(calls) == 2 and calls[1] - calls[0] >= 0.95  # one process-wide schedule
    assert any("timespan=2weeks" in p for p in catalog.gdelt_calls)
    assert all("mode=artlist" in p and "format=json" in p for p in catalog.gdelt_calls)
    korea = rows(db, "SELECT * FROM articles WHERE url LIKE '%korea-naver%'")[0]
    assert korea["published"] == "2025-07-02"  # from the page, never from seendate
    seen = rows(db, "SELECT * FROM discovered_items WHERE url LIKE '%korea-naver%'")[0]
    assert seen["date_kind"] == "seen" and seen["listed_date"].endswith("T12:00:00Z")
    assert seen["article_id"] == korea["id"] and seen["language"] == "en"
    runs = {r["source"]: r for r in rows(db, "SELECT * FROM crawl_runs")}
    assert runs["gdelt-a"]["skipped"] == 1  # the record without a URL


def test_gdelt_refusals_with_http_200_and_invalid_json(catalog, tmp_path):
    refusal = (
        200,
        {"Content-Type": "text/plain"},
        b"Please limit requests to one every 5 seconds or contact kalev for larger queries.",
    )
    calls = {"once": 0}

    def refuse_once(path, headers):
        calls["once"] += 1
        return refusal if calls["once"] == 1 else catalog.gdelt(path, headers)

    catalog.routes["/once/doc"] = refuse_once
    catalog.routes["/always/doc"] = lambda path, headers: refusal
    catalog.routes["/broken/doc"] = lambda path, headers: (
        200,
        {"Content-Type": "application/json"},
        b'{"articles": [ { "url": "http://x.example/a", "ti',
    )
    catalog.routes["/phrase/doc"] = lambda path, headers: (
        200,
        {"Content-Type": "text/html"},
        b"The specified phrase is too short.",
    )
    sources = write_sources(
        tmp_path / "s.yml",
        [
            source(catalog, "refused-once", "gdelt", "/once/doc", query="a b"),
            source(catalog, "always-refused", "gdelt", "/always/doc", query="a b"),
            source(catalog, "broken-json", "gdelt", "/broken/doc", query="a b"),
            source(catalog, "bad-query", "gdelt", "/phrase/doc", query="a b"),
        ],
    )
    db = tmp_path / "t.db"
    result = crawl(sources, db)
    assert result.returncode == 1
    summary = crawl_summary(result.stdout)
    assert summary["refused-once"]["status"] == "ok" and calls["once"] == 2
    assert summary["always-refused"]["status"] == "refused"  # never mistaken for "no news"
    assert summary["broken-json"]["status"] == "parse"
    assert summary["bad-query"]["status"] == "error"
    failed = [line for line in result.stderr.splitlines() if line.startswith("FAILED")]
    assert any(line.startswith("FAILED always-refused: GDELT rate limit") for line in failed)
    assert any(
        line.startswith("FAILED bad-query:") and "phrase is too short" in line for line in failed
    )
    assert not any("refused-once" in line for line in failed)
    assert "Traceback" not in result.stderr
    assert catalog.count("/always/doc") == 2  # one retry a full interval later, then stop


def test_gdelt_capped_result_splits_the_window_and_since_sets_the_start(catalog, tmp_path):
    sources = write_sources(
        tmp_path / "s.yml",
        [source(catalog, "gdelt-capped", "gdelt", "/api/v2/doc/doc", query="x y", maxrecords=2)],
    )
    db = tmp_path / "t.db"
    result = crawl(sources, db, "--since", "2025-07-01")
    assert result.returncode == 0, result.stderr
    first, *halves = catalog.gdelt_calls
    assert "startdatetime=20250701000000" in first and "timespan" not in first
    assert len(halves) == 2 and all("startdatetime=" in p and "enddatetime=" in p for p in halves)
    assert any("startdatetime=20250701000000" in p for p in halves)  # older half: --since
    reason = rows(db, "SELECT reason FROM crawl_runs")[0]["reason"]
    assert "capped" in reason  # still capped after the allowed split: said so, not hidden
    assert len(rows(db, "SELECT * FROM articles")) == 2  # each article fetched once


# ---------------------------------------------------------------- Google News
def test_googlenews_kind_resolves_redirects_decodes_and_keeps_unresolved(catalog, tmp_path):
    sources = write_sources(
        tmp_path / "s.yml",
        [
            source(
                catalog,
                "gnews",
                "googlenews",
                "/rss/search",
                query="defence AI",
                hl="en-GB",
                gl="GB",
            )
        ],
    )
    db = tmp_path / "t.db"
    result = crawl(sources, db)
    assert result.returncode == 0, result.stderr
    summary = crawl_summary(result.stdout)["gnews"]
    assert summary["status"] == "ok" and summary["unresolved"] == 1 and summary["new"] == 2
    search = requested(catalog, "/rss/search")[0]
    assert "q=defence+AI" in search and "ceid=GB%3Aen" in search
    assert catalog.count(f"/rss/articles/{REDIRECTING_ID}") == 1  # followed: redirect to article
    assert catalog.count(f"/rss/articles/{SCRIPT_ONLY_ID}") == 1  # followed: script-only page
    assert len(requested(catalog, "/rss/articles/")) == 2  # the old-format ID decoded offline
    assert catalog.count("/articles/japan-sakana.html") == 1  # the redirect target, once
    stored = {r["url"].rsplit("/", 1)[1] for r in rows(db, "SELECT url FROM articles")}
    assert stored == {"japan-sakana.html", "spaceforce-scale.html"}
    items = {r["status"]: r for r in rows(db, "SELECT * FROM discovered_items")}
    lost = rows(db, "SELECT * FROM discovered_items WHERE status = 'unresolved'")
    assert len(lost) == 1 and lost[0]["url"] is None and lost[0]["attempts"] == 1
    assert lost[0]["outlet"] == "Morning Standard -" and lost[0]["listed_date"] == "2025-08-20"
    assert lost[0]["title"].startswith("Defence ministry weighs AI assistant")
    assert lost[0]["link"].endswith(f"/rss/articles/{SCRIPT_ONLY_ID}?oc=5")
    assert items["resolved"]["article_id"]
    before = len(catalog.requests)
    again = crawl(sources, db)
    assert again.returncode == 0, again.stderr
    later = catalog.requests[before:]
    assert [p for p in later if "/articles/" in p] == []  # nothing fetched or resolved twice
    assert crawl_summary(again.stdout)["gnews"]["unresolved"] == 1


def test_googlenews_links_forbidden_by_robots_are_kept_unresolved(tmp_path):
    root = copy_fixtures(tmp_path / "site")
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /rss/articles/\n")
    with CatalogSite(root) as site:
        sources = write_sources(
            tmp_path / "s.yml",
            [source(site, "gnews", "googlenews", "/rss/search", query="defence AI")],
        )
        db = tmp_path / "t.db"
        result = crawl(sources, db)
        assert result.returncode == 0, result.stderr
        assert requested(site, "/rss/articles/") == []  # robots.txt obeyed
        assert site.count("/articles/spaceforce-scale.html") == 1  # decoded, publisher allowed
    summary = crawl_summary(result.stdout)["gnews"]
    assert summary["status"] == "ok" and summary["unresolved"] == 2
    assert len(rows(db, "SELECT * FROM discovered_items WHERE status = 'unresolved'")) == 2


# ---------------------------------------------------------------- GOV.UK
def test_govuk_kind_search_paging_and_content_api(catalog, tmp_path):
    sources = write_sources(
        tmp_path / "s.yml",
        [
            source(
                catalog,
                "govuk",
                "govuk",
                "/api/search.json",
                organisations=["ministry-of-defence", "cabinet-office"],
                count=2,
            )
        ],
    )
    db = tmp_path / "t.db"
    result = crawl(sources, db)
    assert result.returncode == 0, result.stderr
    searches = requested(catalog, "/api/search.json")
    assert len(searches) == 2 and "start=2" in searches[1]
    assert "filter_organisations=cabinet-office" in searches[0]
    assert len(requested(catalog, "/api/content/government/news/")) == 3
    stored = {r["url"]: r for r in rows(db, "SELECT * FROM articles")}
    mod = stored[f"{catalog.base}/government/news/mod-signs-agreement-to-use-gemini-models"]
    assert mod["published"] == "2025-07-15" and "Gemini models" in mod["text"]
    timeline = rows(db, "SELECT * FROM timeline")
    assert any("Google" in row["vendors"] and "GBR" in row["countries"] for row in timeline)
    before = len(catalog.requests)
    again = crawl(sources, db)
    assert again.returncode == 0, again.stderr
    later = catalog.requests[before:]
    assert len([p for p in later if p.startswith("/api/search.json")]) == 1  # nothing new: stop
    assert [p for p in later if p.startswith("/api/content/")] == []


# ---------------------------------------------------------------- listing + DoD contracts
def test_listing_kind_newsroom_pages_and_dod_contract_fields(catalog, tmp_path):
    sources = write_sources(
        tmp_path / "s.yml",
        [
            source(
                catalog,
                "gsa",
                "listing",
                "/newsroom/news-releases.html",
                item_selector="div.views-row",
                link_selector="h3 a",
                date_selector="time",
                next_selector="a[rel=next]",
                allow="/articles/",
            ),
            source(
                catalog,
                "dod",
                "listing",
                "/contracts/index.html",
                link_selector="a[href*='/Contract/Article/']",
                article_parser="dod_contracts",
            ),
        ],
    )
    db = tmp_path / "t.db"
    result = crawl(sources, db)
    assert result.returncode == 0, result.stderr
    assert "/newsroom/news-releases-2.html" in catalog.requests
    assert not requested(catalog, "/News/Releases/")  # not matched by link_selector
    gsa = {
        r["url"].rsplit("/", 1)[1] for r in rows(db, "SELECT url FROM articles WHERE source='gsa'")
    }
    assert gsa == {"gsa-anthropic.html", "gsa-old-notice.html"}
    page = rows(db, "SELECT * FROM articles WHERE source = 'dod'")[0]
    assert page["url"] == catalog.base + CONTRACTS_PATH.rstrip("/")
    assert page["published"] == "2025-03-03"
    awards = rows(db, "SELECT * FROM contract_notices ORDER BY position")
    assert len(awards) == 6 and {a["article_id"] for a in awards} == {page["id"]}
    assert awards[0]["company"] == "Palantir USG Inc." and awards[0]["amount_usd"] == 61_250_000
    assert awards[0]["contracting_activity"].startswith("Army Contracting Command")
    assert awards[0]["contract_number"] == "W56KGY-25-C-0031" and awards[0]["agency"] == "ARMY"
    assert awards[4]["ceiling_usd"] == 45_000_000
    assert [a["small_business"] for a in awards] == [0, 1, 0, 1, 0, 0]
    timeline = rows(db, "SELECT * FROM timeline")
    assert any("Palantir" in row["vendors"] for row in timeline)
