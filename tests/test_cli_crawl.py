"""`tracker crawl` end to end against the local fixture site (feeds + article pages)."""

import fcntl
import json
import sqlite3

import pytest

from tests.conftest import run_tracker

pytestmark = pytest.mark.slow  # `tracker crawl` subprocesses


def timeline(db):
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    rows = []
    for row in con.execute("SELECT * FROM timeline"):
        row = dict(row)
        for key in ("vendors", "models", "countries", "agencies", "partners", "urls"):
            row[key] = json.loads(row[key])
        rows.append(row)
    return rows


def counts(db):
    con = sqlite3.connect(db)
    tables = ["articles", "events", "event_articles", "event_vendors", "event_countries",
              "event_agencies", "event_partners", "event_models"]
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def row_for(rows, fragment):
    matches = [r for r in rows if any(fragment in u for u in r["urls"])]
    assert len(matches) == 1, (fragment, rows)
    return matches[0]


def test_crawl_fills_timeline(site, sources_file, tmp_path):
    db = tmp_path / "t.db"
    result = run_tracker("crawl", "--sources", str(sources_file), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "test-wire" in result.stdout and "ok" in result.stdout

    rows = timeline(db)
    army = row_for(rows, "army-claude.html")
    # Two outlets, two URLs (one with utm_ tracking), one event.
    assert sorted(u.rsplit("/", 1)[1] for u in army["urls"]) == ["army-claude-2.html",
                                                                  "army-claude.html"]
    assert army["vendors"] == ["Anthropic"]
    assert army["models"] == ["Claude Gov"]
    assert army["countries"] == ["USA"]
    assert "US Army" in army["agencies"]
    assert {"AWS", "Booz Allen"} <= set(army["partners"])
    assert army["event_type"] == "contract"
    assert army["event_date"] in ("2025-03-03", "2025-03-04")

    french = row_for(rows, "minarm-mistral.html")
    assert french["vendors"] == ["Mistral AI"]
    assert french["countries"] == ["FRA"]
    assert french["event_date"] == "2024-11-05"

    german = row_for(rows, "bundeswehr-aleph.html")
    assert german["countries"] == ["DEU"] and german["event_date"] == "2024-11-04"

    japanese = row_for(rows, "digital-agency-openai.html")
    assert japanese["vendors"] == ["OpenAI"] and japanese["countries"] == ["JPN"]
    assert japanese["event_date"] == "2025-10-02"

    urls = [u for r in rows for u in r["urls"]]
    for negative in ("mistral-funding", "rival-llama", "ai-act"):
        assert not any(negative in u for u in urls), negative
    assert all("utm_" not in u and "wt_mc" not in u for u in urls)
    assert len(rows) == 4

    con = sqlite3.connect(db)
    stored = {r[0] for r in con.execute("SELECT url FROM articles")}
    assert len(stored) == 8  # the duplicate under a tracking URL is stored once
    assert all("javascript:" not in u for u in stored)
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_second_crawl_adds_nothing_and_fetches_no_article(site, sources_file, tmp_path):
    db = tmp_path / "t.db"
    assert run_tracker("crawl", "--sources", str(sources_file), "--db", str(db)).returncode == 0
    before = counts(db)
    fetched_before = site.count("/articles/")
    assert fetched_before == 8  # army-claude listed by two feeds, fetched once

    again = run_tracker("crawl", "--sources", str(sources_file), "--db", str(db))
    assert again.returncode == 0, again.stderr
    assert counts(db) == before
    assert site.count("/articles/") == fetched_before
    runs = sqlite3.connect(db).execute(
        "SELECT count(DISTINCT run_id), count(*) FROM crawl_runs").fetchone()
    assert runs == (2, 6)


def test_failed_source_gives_exit_1_and_a_reason(site, tmp_path):
    sources = tmp_path / "s.yml"
    sources.write_text(
        "sources:\n"
        f"  - {{name: good, kind: feed, url: '{site.base}/feed.json'}}\n"
        f"  - {{name: missing, kind: feed, url: '{site.base}/no-such-feed.xml'}}\n"
        f"  - {{name: not-a-feed, kind: feed, url: '{site.base}/articles/ai-act.html'}}\n"
        "  - {name: nowhere, kind: feed, url: 'http://feeds.example.invalid/rss'}\n")
    db = tmp_path / "t.db"
    result = run_tracker("crawl", "--sources", str(sources), "--db", str(db))
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.startswith("FAILED")]
    assert any(line.startswith("FAILED missing: HTTP 404") for line in lines), result.stderr
    assert any(line.startswith("FAILED not-a-feed: parse error") for line in lines), result.stderr
    assert any(line.startswith("FAILED nowhere:") for line in lines), result.stderr
    assert not any("FAILED good" in line for line in lines)
    # The good source still landed its article.
    assert sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0] == 2


def test_bad_sources_file_exits_2_and_writes_nothing(tmp_path):
    db = tmp_path / "t.db"
    cases = {
        "sources:\n  - {name: a, kind: carrier-pigeon, url: 'https://x.org/'}\n": "unknown kind",
        "sources:\n  - {name: b, kind: feed}\n": "source b: url None",
        "sources:\n  - {name: c, kind: feed, url: 'ftp://x.org/feed'}\n": "not an http(s) URL",
        "sources: [\n": "invalid YAML",
        "feeds: []\n": "top-level 'sources:' list",
    }
    for text, message in cases.items():
        path = tmp_path / "bad.yml"
        path.write_text(text)
        result = run_tracker("crawl", "--sources", str(path), "--db", str(db))
        assert result.returncode == 2, (text, result.stderr)
        assert message in result.stderr, (message, result.stderr)
        assert not db.exists()


def test_second_concurrent_run_exits_75(tmp_path, sources_file):
    db = tmp_path / "t.db"
    with open(f"{db}.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        result = run_tracker("crawl", "--sources", str(sources_file), "--db", str(db))
    assert result.returncode == 75
    assert "another crawl" in result.stderr
    assert not db.exists()


def test_errors_count_against_the_source_that_logged_them(tmp_path):
    """One source's errors (an article that stays 503) are its own: the run's other sources
    stay clean, although Scrapy's log_count/ERROR counts every crawler's records in each."""
    from tests.conftest import FIXTURES
    from tests.siteserver import SiteServer

    feed = ('<?xml version="1.0"?><rss version="2.0"><channel><title>Flaky</title>'
            '<item><title>Down</title><link>{{BASE}}/articles/down.html</link>'
            '<pubDate>Tue, 04 Mar 2025 08:00:00 GMT</pubDate></item></channel></rss>')
    with SiteServer(FIXTURES / "site", routes={
            "/articles/down.html": (503, {"Content-Type": "text/html"}, b"down"),
    }) as site:
        site.routes["/flaky.xml"] = (200, {"Content-Type": "application/rss+xml"},
                                     feed.replace("{{BASE}}", site.base).encode())
        sources = tmp_path / "s.yml"
        sources.write_text(
            "sources:\n"
            f"  - {{name: good, kind: feed, url: '{site.base}/feed.json'}}\n"
            f"  - {{name: flaky, kind: feed, url: '{site.base}/flaky.xml'}}\n")
        db = tmp_path / "t.db"
        result = run_tracker("crawl", "--sources", str(sources), "--db", str(db))
    assert "Gave up retrying" in result.stderr  # the error happened
    con = sqlite3.connect(db)
    reasons = dict(con.execute("SELECT source, coalesce(reason, '') FROM crawl_runs"))
    assert "error" not in reasons["good"], reasons
    assert "1 error logged" in reasons["flaky"], reasons
