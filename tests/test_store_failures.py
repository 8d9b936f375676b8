"""Storage failures are counted and surfaced, never reported as success (issue 13, class 2):
a refused write fails the article and the source (`store`, exit 1, one FAILED line naming the
cause); a writer holding the database is waited for; `serve` never writes."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import urllib.request
from types import SimpleNamespace

import pytest
from scrapy.exceptions import DropItem
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from db.store import Store, describe_store_error
from tests.conftest import ROOT, run_tracker
from tests.gensite import FAST, generated_site, sources_yaml
from tracker.crawling.counts import Counts
from tracker.items import ArticleItem
from tracker.pipelines.store import StorePipeline
from tracker.timeline import open_timeline

HOLD_SECONDS = 5

HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
conn.execute("CREATE TABLE IF NOT EXISTS held_by_another_writer (x)")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def article(url: str, **extra) -> dict:
    return {"url": url, "title": "t", "text": "some text", "published": "2025-03-04",
            "language": "en", "content_hash": url, "flags": [], **extra}


def hold_write_lock(db, seconds: float) -> subprocess.Popen:
    """Another process holding SQLite's write lock for `seconds`."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(db), str(seconds)],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "held"
    return proc


@pytest.mark.slow
def test_a_write_waits_for_another_writer_instead_of_failing(tmp_path):
    """Before: 'database is locked' after 0.0 s (a transaction that read first never waits)."""
    db = tmp_path / "t.db"
    store = open_timeline(db)
    store.save_article(article("https://a.example/0"), "a", [], [])
    holder = hold_write_lock(db, HOLD_SECONDS)
    started = time.monotonic()
    try:
        store.save_article(article("https://a.example/1"), "a", [], [])
        waited = time.monotonic() - started
    finally:
        holder.wait(timeout=30)
        store.close()
    assert HOLD_SECONDS - 1 < waited < HOLD_SECONDS + 4
    assert Store.open(db, read_only=True).counts()["articles"] == 2


@pytest.mark.slow
def test_opening_the_store_waits_for_another_writer(tmp_path):
    db = tmp_path / "t.db"
    open_timeline(db).close()
    holder = hold_write_lock(db, 2)
    try:
        open_timeline(db).close()  # syncs the entity tables: a write
    finally:
        holder.wait(timeout=30)


def pipeline_for(db) -> StorePipeline:
    crawler = SimpleNamespace(stats=MemoryStatsCollector(get_crawler()),
                              settings={})  # no decisions file
    pipeline = StorePipeline(crawler, str(db))
    pipeline.open_spider()
    return pipeline


def item_with(url: str, **extra) -> ArticleItem:
    return ArticleItem(url=url, source="src", body=b"", article=article(url, **extra))


def test_a_value_sqlite_cannot_store_fails_the_article_and_the_source(tmp_path):
    pipeline = pipeline_for(tmp_path / "t.db")
    try:
        pipeline.process_item(item_with("https://a.example/ok"))
        for n in range(2):
            with pytest.raises(DropItem, match="store error: a value SQLite cannot store"):
                pipeline.process_item(item_with(f"https://a.example/{n}", language=["en", "fr"]))
    finally:
        pipeline.close_spider()
    health = Counts(pipeline.crawler.stats).health("src", "feed")
    assert health.status == "store" and health.failed
    assert health.article_errors == 2 and health.new_articles == 1
    assert len(health.reasons) == 1  # one FAILED line, with the first cause
    assert "https://a.example/0" in health.reasons[0]
    stats = pipeline.crawler.stats
    assert stats.get_value("tracker/store_error/a value SQLite cannot store") == 2


def test_a_full_database_fails_the_write_with_the_cause(tmp_path):
    """SQLite's max_page_count is how a full disk looks to it: SQLITE_FULL."""
    store = open_timeline(tmp_path / "t.db")
    try:
        pages = store.db.execute("PRAGMA page_count").fetchone()[0]
        store.db.execute(f"PRAGMA max_page_count = {pages}")
        with pytest.raises(sqlite3.Error) as caught:
            for n in range(50):
                store.save_article(article(f"https://a.example/{n}", text="x" * 20_000), "a",
                                   [], [])
        assert describe_store_error(caught.value).startswith("disk full: ")
        assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        store.close()


FULL_DISK = ROOT / "tests" / "fixtures" / "fulldisk"  # sitecustomize.py: a page cap


@pytest.mark.slow
def test_crawl_on_a_full_disk_exits_1_with_a_store_failure(tmp_path):
    """Before: exit 0, status ok, article_errors=0, most articles only in the log. After the
    space comes back the next run stores the rest, nothing lost, integrity ok."""
    db = tmp_path / "t.db"
    open_timeline(db).close()
    with generated_site(60, feeds=1) as site:
        sources = tmp_path / "sources.yml"
        sources.write_text(sources_yaml(site, feeds=1))
        env = dict(os.environ, TRACKER_EXTRACT_WORKERS="0", TRACKER_LOG_LEVEL="ERROR",
                   PYTHONPATH=str(FULL_DISK), FULL_DISK_EXTRA_PAGES="40")
        result = subprocess.run(
            [sys.executable, "-m", "tracker.cli", "crawl", "--sources", str(sources),
             "--db", str(db), *FAST], cwd=ROOT, env=env, capture_output=True, text=True,
            timeout=300, check=False)
        assert result.returncode == 1, (result.stdout, result.stderr[-2000:])
        failed = [line for line in result.stderr.splitlines() if line.startswith("FAILED")]
        assert len(failed) == 1, failed
        assert failed[0].startswith("FAILED gen-0: store error: disk full: "), failed
        summary = next(line for line in result.stdout.splitlines() if line.startswith("gen-0"))
        assert " store " in summary and "article_errors=0 " not in summary
        stored = sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0]
        assert 0 < stored < 60

        again = run_tracker("crawl", "--sources", str(sources), "--db", str(db), *FAST)
    assert again.returncode == 0, again.stderr
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 60
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.mark.slow
def test_newer_schema_is_refused_before_any_request(tmp_path):
    db = tmp_path / "t.db"
    open_timeline(db).close()
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('tracker', 'm999_from_the_future', '2030-01-01')")
    conn.commit()
    conn.close()
    before = db.read_bytes()
    with generated_site(3, feeds=1) as site:
        sources = tmp_path / "sources.yml"
        sources.write_text(sources_yaml(site, feeds=1))
        result = run_tracker("crawl", "--sources", str(sources), "--db", str(db), timeout=60)
        assert site.requests == []
    assert result.returncode == 2
    assert result.stderr.strip() == (f"error: {db}: schema is newer than this code (unknown "
                                     "migrations: m999_from_the_future): upgrade the tracker")
    assert db.read_bytes() == before


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.slow
def test_serve_starts_and_reads_while_a_crawl_holds_the_write_lock(tmp_path):
    """Before: serve synced the entity tables (a write) on start, so it waited on the crawl
    and could fail to start; and its writes made the crawl's transactions fail."""
    db = tmp_path / "t.db"
    store = open_timeline(db)
    store.save_article(article("https://a.example/0"), "a", [], [])
    store.close()
    holder = hold_write_lock(db, 30)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tracker.cli", "serve", "--db", str(db),
                             "--port", str(port)], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 8  # well under the 10 s busy timeout a write would wait
        while True:
            try:
                url = f"http://127.0.0.1:{port}/tracker/articles.json?_shape=array"
                with urllib.request.urlopen(url, timeout=2) as response:
                    rows = response.read()
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read()
                assert time.monotonic() < deadline, "serve did not start while a writer held"
                time.sleep(0.2)
        assert b"https://a.example/0" in rows
    finally:
        proc.terminate()
        proc.communicate(timeout=20)
        holder.kill()
        holder.wait()


@pytest.mark.slow
def test_serve_restarted_during_a_crawl_loses_nothing_and_always_starts(tmp_path):
    """Before (600 pages): 590 stored, exit 0, status ok; 1 of 8 serve starts failed
    ('database is locked'). The crawl creates the database, so the first serve may come while
    it is still being migrated."""
    pages = 300
    db = tmp_path / "t.db"
    env = dict(os.environ, TRACKER_EXTRACT_WORKERS="0", TRACKER_LOG_LEVEL="ERROR")
    with generated_site(pages, feeds=2) as site:
        sources = tmp_path / "sources.yml"
        sources.write_text(sources_yaml(site, feeds=2))
        crawl = subprocess.Popen(
            [sys.executable, "-m", "tracker.cli", "crawl", "--sources", str(sources),
             "--db", str(db), *FAST], cwd=ROOT, env=env, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        while not db.exists():
            time.sleep(0.02)
        starts = []
        while crawl.poll() is None or not starts:
            starts.append(serve_once(db))
        _, err = crawl.communicate(timeout=300)
    assert crawl.returncode == 0, err[-2000:]
    assert all(starts), starts
    assert sqlite3.connect(db).execute("SELECT count(*) FROM articles").fetchone()[0] == pages


def serve_once(db) -> bool:
    """Start `tracker serve`, wait until it answers (True) or gives up (False), stop it."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tracker.cli", "serve", "--db", str(db),
                             "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 20
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/-/versions.json",
                                       timeout=1).close()
                return True
            except OSError:
                time.sleep(0.1)
        return False
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def stored_timeline(db) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT event_id, vendors, urls FROM timeline ORDER BY event_id"
                           ).fetchall()
    finally:
        con.close()


def test_a_store_error_in_reprocess_changes_nothing_and_is_one_line(tmp_path, monkeypatch):
    """Reprocess runs in one transaction: a write SQLite refuses halfway (a full disk) leaves
    the timeline as it was, and the command says so in one line, exit 1."""
    from click.testing import CliRunner

    from tracker.cli import main
    from tracker.events.derive import derive_events

    db = tmp_path / "t.db"
    store = open_timeline(db)
    for n, vendor in enumerate(("OpenAI", "Anthropic", "Mistral AI")):
        text = f"The Department of Defense awarded {vendor} a contract for its AI models."
        store.save_article(article(f"https://a.example/{n}", text=text), "a",
                           derive_events(text, published="2025-03-04").events, [])
    store.close()
    before = stored_timeline(db)
    assert len(before) == 3
    saves = []
    real_save = Store.save_article

    def full_disk_on_the_second(self, *args, **kwargs):
        saves.append(1)
        if len(saves) == 2:
            raise sqlite3.OperationalError("database or disk is full")
        return real_save(self, *args, **kwargs)

    monkeypatch.setenv("TRACKER_REPROCESS_WORKERS", "1")
    monkeypatch.setattr(Store, "save_article", full_disk_on_the_second)
    result = CliRunner().invoke(main, ["reprocess", "--db", str(db)])
    assert result.exit_code == 1, (result.output, result.exception)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "store error" in lines[0] and "disk is full" in lines[0]
    assert "nothing changed" in lines[0]
    assert stored_timeline(db) == before
