"""A crawl over a local replica of every source kind fills the timeline; a second identical
crawl fetches no article again (request counts from the server's own log)."""

from collections import Counter

import pytest

from tests.catalog_site import CatalogSite, copy_fixtures, crawl, crawl_summary, rows, sources_text

pytestmark = pytest.mark.slow  # crawls a replica of every source kind

ARTICLE_PATHS = ("/articles/", "/api/content/", "/News/Contracts/Contract/", "/rss/articles/")
# The article each kind brings on its own (others are shared between kinds on purpose).
UNIQUE = {
    "feed": "/articles/ncia-mistral.html",
    "sitemap": "/articles/spain-llama.html",
    "gdelt": "/articles/korea-naver.html",
    "googlenews": "/articles/japan-sakana.html",
    "govuk": "/government/news/mod-signs-agreement-to-use-gemini-models",
    "listing": "/News/Contracts/Contract/Article/4100123/contracts-for-march-3-2025",
}


def article_requests(paths):
    return Counter(p.split("?", 1)[0] for p in paths if p.startswith(ARTICLE_PATHS))


def test_every_kind_fills_the_timeline_and_a_second_crawl_fetches_no_article(tmp_path, capsys):
    root = copy_fixtures(tmp_path / "site")
    with CatalogSite(root) as site:
        sources = tmp_path / "sources.yml"
        sources.write_text(sources_text(site, root))
        db = tmp_path / "tracker.db"

        first = crawl(sources, db)
        assert first.returncode == 0, first.stderr
        first_requests = list(site.requests)
        second = crawl(sources, db)
        assert second.returncode == 0, second.stderr
        second_requests = site.requests[len(first_requests) :]

    one, two = crawl_summary(first.stdout), crawl_summary(second.stdout)
    assert {r["status"] for r in one.values()} == {"ok"} == {r["status"] for r in two.values()}
    kinds = {
        r["source"]: r["kind"] for r in rows(db, "SELECT DISTINCT source, kind FROM crawl_runs")
    }
    assert set(kinds.values()) == {"feed", "sitemap", "gdelt", "googlenews", "govuk", "listing"}

    # The timeline: one row per event, URLs from every kind.
    timeline = rows(db, "SELECT * FROM timeline")
    urls = " ".join(r["urls"] for r in timeline)
    for kind, path in UNIQUE.items():
        assert site.base + path in urls, kind
    assert len(timeline) >= 9
    assert rows(db, "SELECT count(*) AS n FROM contract_notices")[0]["n"] == 6
    unresolved = rows(db, "SELECT * FROM discovered_items WHERE status = 'unresolved'")
    assert len(unresolved) == 1 and unresolved[0]["title"]

    # No article fetched twice, across kinds within the first run and across the two runs.
    fetched = article_requests(first_requests)
    assert fetched and max(fetched.values()) == 1, fetched
    assert article_requests(second_requests) == Counter()
    # Second run: robots.txt once for the host, then one request per listing, most of them
    # answered 304 thanks to the ETag / Last-Modified saved by the first run.
    assert second_requests.count("/robots.txt") == 1
    assert len(second_requests) == 1 + len(one)
    recorded = rows(
        db,
        "SELECT run_id, sum(requests) AS n FROM crawl_runs GROUP BY run_id ORDER BY min(started)",
    )
    assert [r["n"] for r in recorded] == [len(first_requests), len(second_requests)]
    with capsys.disabled():
        print(
            f"\n[catalog replica] requests: first crawl {len(first_requests)} "
            f"({sum(fetched.values())} article fetches), second crawl {len(second_requests)} "
            f"(0 article fetches); per source (first/second): "
            + ", ".join(f"{name} {one[name]['requests']}/{two[name]['requests']}" for name in one)
        )
