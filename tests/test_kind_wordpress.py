"""The wordpress kind (the README's worked example of a new kind): the parser on its fixture,
then a real crawl of a two-page post list served on 127.0.0.1."""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.catalog_site import crawl, crawl_summary, rows, write_sources
from tests.siteserver import FIXTURES, SiteServer
from tracker.extract.wordpress import WordpressParseError, parse_posts, posts_url, total_pages

POSTS = FIXTURES / "wordpress"


def test_posts_are_read_one_by_one():
    body = (POSTS / "posts-1.json").read_bytes().replace(b"{{BASE}}", b"https://wp.example")
    page = parse_posts(body)
    assert [(p.url, p.title, p.published) for p in page.posts] == [
        ("https://wp.example/articles/ai-act.html", "Ministry\u2019s first AI pilot",
         "2025-03-04T08:30:00Z"),
        ("https://wp.example/articles/army-claude.html", "Second post", "2025-03-03T10:00:00Z")]
    assert page.skipped == 2  # a javascript: link, a link that is no string
    assert page.broken == 1   # no link at all


@pytest.mark.parametrize("body", [b"<html>blocked</html>", b'{"code": "rest_no_route"}', b""])
def test_a_body_that_is_no_post_list_is_a_parse_error(body):
    with pytest.raises(WordpressParseError):
        parse_posts(body)


def test_the_query_asks_for_what_is_read_and_the_window():
    url = posts_url("https://a.example/wp-json/wp/v2/posts", 2, 20, after="2025-03-01T00:00:00")
    query = parse_qs(urlsplit(url).query)
    assert query["page"] == ["2"] and query["per_page"] == ["20"]
    assert query["_fields"] == ["link,title,date_gmt"] and query["after"] == ["2025-03-01T00:00:00"]
    assert total_pages(b"3") == 3 and total_pages(b"lots") == 1 and total_pages(None) == 1


@pytest.mark.slow
def test_a_wordpress_source_pages_through_its_posts(tmp_path):
    def api(path, headers):
        page = parse_qs(urlsplit(path).query)["page"][0]
        body = (POSTS / f"posts-{page}.json").read_bytes().replace(b"{{BASE}}", site.base.encode())
        return 200, {"Content-Type": "application/json", "X-WP-TotalPages": "2"}, body

    with SiteServer(FIXTURES / "site", routes={"/wp-json/wp/v2/posts": api}) as site:
        sources = write_sources(tmp_path / "s.yml", [
            {"name": "wp", "kind": "wordpress", "url": f"{site.base}/wp-json/wp/v2/posts",
             "per_page": 5}])
        result = crawl(sources, tmp_path / "t.db")
        api_calls = site.count("/wp-json/")
    assert result.returncode == 0, result.stderr
    assert crawl_summary(result.stdout)["wp"]["status"] == "ok"
    stored = sorted(r["url"].rsplit("/", 1)[1] for r in rows(tmp_path / "t.db",
                                                             "SELECT url FROM articles"))
    assert stored == ["ai-act.html", "army-claude.html", "bundeswehr-aleph.html"]
    assert api_calls == 2  # X-WP-TotalPages: 2, within max_pages


@pytest.mark.slow
def test_per_page_over_the_api_cap_names_the_entry(tmp_path):
    sources = write_sources(tmp_path / "s.yml", [
        {"name": "wp", "kind": "wordpress", "url": "https://a.example/wp-json/wp/v2/posts",
         "per_page": 500}])
    result = crawl(sources, tmp_path / "t.db")
    assert result.returncode == 2
    assert "source wp: per_page must be at most 100" in result.stderr
