"""Issue 13, part A: provenance. A page cannot take over another page's article.

rel=canonical is accepted only on the registrable domain the page was fetched from; a row is
never overwritten by another source; a canonical shared by pages with different text stands
for none of them. Store-level cases first, then the attacks as real crawls of "public" hosts
(names under .example resolved to 127.0.0.1 by tests/loopback_dns.py).
"""

from __future__ import annotations

import hashlib
import json

import pytest

from db.store import Store
from tests.catalog_site import crawl, crawl_summary, rows, write_sources
from tests.faultserver import FaultServer
from tests.hostile_cases import HTML, RSS
from tracker.events.derive import derive_events
from tracker.extract.article import extract_article
from tracker.extract.urls import canonical_url, registrable_domain
from tracker.timeline import article_id_for, open_timeline

DNS = ["-s", "DNS_RESOLVER=tests.loopback_dns.LoopbackResolver"]
A_TEXT = ("The US Department of Defense has awarded OpenAI a contract to deploy ChatGPT "
          "Enterprise across the Army, the Pentagon said on Monday. The agreement covers three "
          "years of access for thousands of analysts working on logistics and planning.")
B_TEXT = ("Anthropic signed an agreement with the UK Ministry of Defence to pilot Claude for "
          "translation work, the ministry said on Tuesday. The pilot runs for six months "
          "across several units and teams in three regional commands of the armed forces.")


# ---------------------------------------------------------------- which canonical is accepted
@pytest.mark.parametrize("fetched, declared, expected", [
    ("https://news-b.example.net/copy", "https://news-a.example.org/story",
     "https://news-b.example.net/copy"),                      # another site: refused
    ("https://www.bbc.co.uk/news/1", "https://news.bbc.co.uk/1",
     "https://news.bbc.co.uk/1"),                             # same registrable domain
    ("https://a.blogspot.com/1", "https://b.blogspot.com/1",
     "https://a.blogspot.com/1"),                             # public suffix: another site
    ("http://127.0.0.1:8001/x", "http://localhost:8001/x", "http://127.0.0.1:8001/x"),
    ("https://a.example.org/x", "javascript:alert(1)", "https://a.example.org/x"),
])
def test_canonical_only_on_the_fetched_registrable_domain(fetched, declared, expected):
    assert canonical_url(fetched, declared) == expected


def test_registrable_domain():
    assert registrable_domain("https://news.bbc.co.uk/x") == "bbc.co.uk"
    assert registrable_domain("http://news-a.example:8000/") == "news-a.example"
    assert registrable_domain("not a url") is None


def page(title: str, text: str, canonical: str | None = None) -> bytes:
    link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
    return (f"<html><head><title>{title}</title>{link}</head><body><article><h1>{title}</h1>"
            f"<p>{text}</p></article></body></html>").encode()


def test_extraction_keeps_a_refused_canonical_as_a_claim():
    article = extract_article(page("Copy", B_TEXT, "https://news-a.example.org/story"),
                              "https://news-b.example.net/copy?utm_source=x", "utf-8")
    assert article.url == article.fetched_url == "https://news-b.example.net/copy"
    assert article.canonical_claim == "https://news-a.example.org/story"
    same_site = extract_article(page("S", B_TEXT, "https://news-a.example.org/story"),
                                "https://www.news-a.example.org/story?id=1", "utf-8")
    assert same_site.url == "https://news-a.example.org/story"
    assert same_site.canonical_claim is None


# ---------------------------------------------------------------- the store
def article(url: str, text: str, fetched: str | None = None, title: str = "T") -> dict:
    return {"url": url, "fetched_url": fetched or url, "title": title, "text": text,
            "published": "2025-06-02", "language": "en",
            "content_hash": hashlib.sha256(text.encode()).hexdigest()}


def save(store: Store, item: dict, source: str):
    found = derive_events(item["text"], title=item["title"], published=item["published"])
    return store.save_article(item, source, found.events, found.unmatched)


def stored(store: Store) -> dict[str, dict]:
    return {r["url"]: r for r in store.db.query("SELECT * FROM articles")}


A_URL = "https://news-a.example.org/story"


def test_another_source_never_overwrites_an_article(tmp_path):
    store = open_timeline(tmp_path / "t.db")
    save(store, article(A_URL, A_TEXT, title="A"), "a")
    before = stored(store)[A_URL]
    events_before = store.timeline_rows()
    # Same registrable domain, so the extractor accepted the canonical; another source.
    hijack = save(store, article(A_URL, B_TEXT, "https://blog.news-a.example.org/x", "B"), "b")
    # The very URL, listed by another source: kept as it is.
    again = save(store, article(A_URL, B_TEXT, title="B"), "b")
    rows_now = stored(store)
    assert {k: rows_now[A_URL][k] for k in ("source", "title", "text", "content_hash")} == \
        {k: before[k] for k in ("source", "title", "text", "content_hash")}
    assert again.kept and not hijack.kept
    moved = rows_now["https://blog.news-a.example.org/x"]
    assert moved["source"] == "b" and moved["canonical_claim"] == A_URL
    timeline = store.timeline_rows()
    assert [e for e in timeline if A_URL in e["urls"]] == \
        [e for e in events_before if A_URL in e["urls"]]
    assert all(set(e["urls"]) != {A_URL, "https://blog.news-a.example.org/x"}
               for e in timeline)
    store.close()


def test_site_wide_canonical_collapses_nothing(tmp_path):
    store = open_timeline(tmp_path / "t.db")
    home = "https://news-c.example.org/"
    texts = [f"{B_TEXT} Story number {n} about unit {n * 7}." for n in range(10)]
    for n, text in enumerate(texts):
        save(store, article(home, text, f"https://news-c.example.org/story-{n}"), "c")
    rows_now = stored(store)
    assert sorted(rows_now) == sorted(f"https://news-c.example.org/story-{n}" for n in range(10))
    assert {r["canonical_claim"] for r in rows_now.values()} == {home}
    assert {r["text"] for r in rows_now.values()} == set(texts)
    # The first story moved with its reports: no report points at a missing article.
    assert store.db.execute("SELECT count(*) FROM event_articles WHERE article_id NOT IN "
                            "(SELECT id FROM articles)").fetchone()[0] == 0
    assert store.db.execute("SELECT count(DISTINCT article_id) FROM event_articles"
                            ).fetchone()[0] == 10
    store.close()


def test_aliases_with_the_same_text_stay_one_article(tmp_path):
    store = open_timeline(tmp_path / "t.db")
    for fetched in (A_URL, "https://amp.news-a.example.org/story", f"{A_URL}-print"):
        save(store, article(A_URL, A_TEXT, fetched), "a")
    # The alias it was fetched from counts as known: the next run does not fetch it again.
    assert store.known_url_keys() == {"news-a.example.org/story",
                                      "news-a.example.org/story-print"}
    save(store, article(A_URL, A_TEXT + " Updated.", f"{A_URL}-print"), "a")  # page edited
    rows_now = stored(store)
    assert list(rows_now) == [A_URL] and rows_now[A_URL]["text"].endswith("Updated.")
    store.close()


def test_a_shared_canonical_does_not_move_the_page_it_names(tmp_path):
    store = open_timeline(tmp_path / "t.db")
    home = "https://news-c.example.org/"
    save(store, article(home, A_TEXT, f"{home}story-1"), "c")   # a story claims the home page
    save(store, article(home, B_TEXT), "c")                     # then the home page itself
    save(store, article(home, B_TEXT + " More.", f"{home}story-2"), "c")
    rows_now = stored(store)
    assert sorted(rows_now) == [home, f"{home}story-1", f"{home}story-2"]
    assert rows_now[home]["text"] == B_TEXT and rows_now[f"{home}story-1"]["text"] == A_TEXT
    assert article_id_for(f"{home}story-1") == rows_now[f"{home}story-1"]["id"]
    store.close()


# ---------------------------------------------------------------- the attacks, crawled
def host(pages: dict[str, bytes], feed: list[str]) -> FaultServer:
    server = FaultServer()
    server.__enter__()
    port = server.base.rsplit(":", 1)[1]
    server.port = port
    items = "".join(f"<item><title>{p}</title><link>{p}</link></item>" for p in feed)
    server.routes["/feed.xml"] = (200, {"Content-Type": RSS},
                                  f'<rss version="2.0"><channel>{items}</channel></rss>'.encode())
    for path, body in pages.items():
        server.routes[path] = (200, {"Content-Type": HTML}, body)
    return server


@pytest.mark.slow
def test_crawled_hijack_and_site_wide_canonical(tmp_path):
    a, b, c = FaultServer(), FaultServer(), FaultServer()
    for server in (a, b, c):
        server.__enter__()
    try:
        a_url = f"http://news-a.example:{a.base.rsplit(':', 1)[1]}"
        b_url = f"http://news-b.example:{b.base.rsplit(':', 1)[1]}"
        c_url = f"http://news-c.example:{c.base.rsplit(':', 1)[1]}"
        story = f"{a_url}/story.html"
        a.routes["/story.html"] = (200, {"Content-Type": HTML},
                                   page("Pentagon awards OpenAI contract", A_TEXT, story))
        b.routes["/copy.html"] = (200, {"Content-Type": HTML},
                                  page("Hijacked", B_TEXT, story))
        for n in range(10):
            c.routes[f"/s{n}.html"] = (200, {"Content-Type": HTML},
                                       page(f"Story {n}", f"{B_TEXT} Story {n}.", f"{c_url}/"))
        feeds = {"a": (a, [story]), "b": (b, [f"{b_url}/copy.html"]),
                 "c": (c, [f"{c_url}/s{n}.html" for n in range(10)])}
        for server, links in feeds.values():
            items = "".join(f"<item><title>t</title><link>{u}</link></item>" for u in links)
            server.routes["/feed.xml"] = (200, {"Content-Type": RSS},
                                          f'<rss version="2.0"><channel>{items}</channel>'
                                          "</rss>".encode())
        base = {"a": a_url, "b": b_url, "c": c_url}

        def run(*names):
            sources = write_sources(tmp_path / "s.yml", [
                {"name": n, "kind": "feed", "url": f"{base[n]}/feed.xml"} for n in names])
            return crawl(sources, tmp_path / "t.db", *DNS)

        first = run("a")
        a_row = rows(tmp_path / "t.db", "SELECT * FROM articles")
        second = run("b", "c")
        third = run("a")
        story_hits = a.hit("/story.html")
    finally:
        for server in (a, b, c):
            server.__exit__(None, None, None)
    for result in (first, second, third):
        assert result.returncode == 0, result.stderr[-2000:]
    assert crawl_summary(third.stdout)["a"]["status"] == "ok"
    articles = {r["url"]: r for r in rows(tmp_path / "t.db", "SELECT * FROM articles")}
    # B's page claiming A's URL: A's row, text and event untouched; B's page under its own URL.
    assert articles[story] == a_row[0]
    assert articles[f"{b_url}/copy.html"]["canonical_claim"] == story
    assert articles[f"{b_url}/copy.html"]["source"] == "b"
    timeline = rows(tmp_path / "t.db", "SELECT urls FROM timeline")
    assert [json.loads(t["urls"]) for t in timeline if story in t["urls"]] == [[story]]
    # The site-wide canonical: ten stories, ten rows, none at the home page.
    assert sorted(u for u in articles if u.startswith(c_url)) == \
        sorted(f"{c_url}/s{n}.html" for n in range(10))
    assert story_hits == 1  # A's next crawl: its article is known, nothing to repair
