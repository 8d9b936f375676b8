"""Operations: the cron lock, bounded run time, log rotation, `tracker backup` during writes and
in-place schema upgrades of a database made by the first release."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.conftest import run_tracker
from tests.faultserver import FaultServer, no_response
from tests.gensite import FAST, generated_site, sources_yaml
from tests.test_store import assert_values_index_matches_arrays
from tracker.ops.cron import hard_deadline, parse_overrides
from tracker.ops.logs import rotate_log

ROOT = Path(__file__).resolve().parent.parent
V1_SQL = Path(__file__).parent / "fixtures" / "db" / "schema-v1.sql"


def digest(*paths: Path) -> dict:
    return {p.name: (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
            for p in paths if p.exists()}


def make_db(path: Path) -> None:
    from tracker.timeline import open_timeline

    open_timeline(path).close()


# ---------------------------------------------------------------- lock
@pytest.mark.slow
def test_locked_run_exits_75_at_once_and_leaves_the_db_alone(tmp_path, sources_file):
    db = tmp_path / "t.db"
    make_db(db)
    files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
    before = digest(*files)
    with open(f"{db}.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        started = time.monotonic()
        result = run_tracker("crawl", "--sources", str(sources_file), "--db", str(db))
        elapsed = time.monotonic() - started
    assert result.returncode == 75, result.stderr
    assert "another crawl holds" in result.stderr
    assert elapsed < 1.0, elapsed  # checked before Scrapy is even imported
    assert digest(*files) == before


def one_item_feed(server: FaultServer, path: str, title: str) -> tuple:
    """An RSS route whose one item links to `path` on the same server."""
    rss = (f'<rss version="2.0"><channel><title>t</title><item><title>{title}</title>'
           f"<link>{server.base}{path}</link></item></channel></rss>")
    return 200, {"Content-Type": "application/rss+xml"}, rss.encode()


def one_feed_sources(server: FaultServer, name: str) -> str:
    return f"sources:\n  - {{name: {name}, kind: feed, url: '{server.base}/feed.xml'}}\n"


@pytest.mark.slow
def test_second_real_run_while_the_first_crawls_exits_75(tmp_path):
    """Two real processes: the first holds the lock while it waits on a slow page."""
    server = FaultServer()
    server.routes["/slow.html"] = no_response(server, 4)
    server.routes["/feed.xml"] = one_item_feed(server, "/slow.html", "s")
    with server:
        sources = tmp_path / "s.yml"
        sources.write_text(one_feed_sources(server, "slow"))
        db = tmp_path / "t.db"
        env = dict(os.environ, TRACKER_EXTRACT_WORKERS="0")
        first = subprocess.Popen([sys.executable, "-m", "tracker.cli", "crawl", "--sources",
                                  str(sources), "--db", str(db), "-s", "DOWNLOAD_TIMEOUT=3",
                                  "-s", "RETRY_TIMES=0"], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 30
        while server.hit("/slow.html") == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.hit("/slow.html") == 1
        second = run_tracker("crawl", "--sources", str(sources), "--db", str(db))
        assert second.returncode == 75, second.stderr
        out, err = first.communicate(timeout=60)
        assert first.returncode == 0, err
        assert sqlite3.connect(db).execute(
            "SELECT count(DISTINCT run_id) FROM crawl_runs").fetchone()[0] == 1


# ---------------------------------------------------------------- run time, logs, settings
@pytest.mark.slow
def test_max_runtime_ends_a_hanging_run_and_logs_rotate(tmp_path):
    server = FaultServer()
    server.routes["/wait.html"] = no_response(server, 60)
    server.routes["/feed.xml"] = one_item_feed(server, "/wait.html", "w")
    log = tmp_path / "logs" / "crawl.log"
    log.parent.mkdir()
    log.write_text("old run\n" * 1000)
    with server:
        sources = tmp_path / "s.yml"
        sources.write_text(one_feed_sources(server, "hang"))
        # Graceful: CLOSESPIDER_TIMEOUT closes the spider; the close waits for the in-flight
        # download to time out (DOWNLOAD_TIMEOUT), then the run reports and exits 1.
        started = time.monotonic()
        result = run_tracker("crawl", "--sources", str(sources), "--db", str(tmp_path / "t.db"),
                             "--max-runtime", "2", "--log-file", str(log), "--log-level", "INFO",
                             "--log-max-bytes", "4000", "--log-backups", "2",
                             "-s", "DOWNLOAD_TIMEOUT=6", "-s", "RETRY_TIMES=0")
        elapsed = time.monotonic() - started
        assert elapsed < 25, elapsed
        assert result.returncode == 1, result.stderr
        assert "FAILED hang: crawl ended early: closespider_timeout" in result.stderr
        assert (tmp_path / "logs" / "crawl.log.1").read_text().startswith("old run")
        assert "closespider_timeout" in log.read_text()
        assert sqlite3.connect(tmp_path / "t.db").execute(
            "SELECT status FROM crawl_runs").fetchone()[0] == "error"
        # Hard: a close that cannot finish (a 60 s download) is cut at max-runtime + grace.
        env = dict(os.environ, TRACKER_EXTRACT_WORKERS="0", TRACKER_SHUTDOWN_GRACE="2")
        started = time.monotonic()
        hard = subprocess.run([sys.executable, "-m", "tracker.cli", "crawl", "--sources",
                               str(sources), "--db", str(tmp_path / "t.db"), "--max-runtime", "2",
                               "-s", "DOWNLOAD_TIMEOUT=60", "-s", "RETRY_TIMES=0"],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        elapsed = time.monotonic() - started
    assert elapsed < 20, elapsed
    assert hard.returncode == 1, hard.stderr
    assert "FAILED run: exceeded the hard run-time limit of 4 s" in hard.stderr
    con = sqlite3.connect(tmp_path / "t.db")
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # The watchdog's run is left 'running'; the next run will mark it 'crashed'.
    running = con.execute("SELECT count(*) FROM crawl_runs WHERE status = 'running'").fetchone()
    assert running[0] == 1


def test_watchdog_ends_a_stuck_process():
    code = ("from tracker.ops.watchdog import Watchdog\nimport time\n"
            "with Watchdog(0.5):\n    time.sleep(30)\n")
    started = time.monotonic()
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                            text=True, timeout=30)
    assert time.monotonic() - started < 10
    assert result.returncode == 1
    assert "hard run-time limit" in result.stderr


def test_hard_deadline_and_overrides():
    from scrapy.settings import Settings

    grace = {"CLOSESPIDER_TIMEOUT": 600, "TRACKER_SHUTDOWN_GRACE": 60}
    assert hard_deadline(Settings(grace)) == 660
    assert hard_deadline(Settings({"CLOSESPIDER_TIMEOUT": 0})) == 0
    overrides = ["DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=false", "LOG_FILE=x.log"]
    assert parse_overrides(overrides) == {
        "DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False, "LOG_FILE": "x.log"}
    for bad in ("nodelay", "=1", "lower=1"):
        with pytest.raises(ValueError):
            parse_overrides([bad])


@pytest.mark.slow
def test_a_malformed_setting_override_exits_2():
    result = run_tracker("crawl", "-s", "oops")
    assert result.returncode == 2 and "NAME=VALUE" in result.stderr


def test_rotate_log_keeps_n_backups(tmp_path):
    log = tmp_path / "c.log"
    for run in range(5):
        log.write_text(f"run {run}\n" * 100)
        assert rotate_log(log, 10, 3)
    assert not log.exists()
    assert [(tmp_path / f"c.log.{i}").read_text().split()[1] for i in (1, 2, 3)] == ["4", "3", "2"]
    assert not (tmp_path / "c.log.4").exists()
    log.write_text("small")
    assert not rotate_log(log, 10_000, 3)


# ---------------------------------------------------------------- backup
@pytest.mark.slow
def test_backup_while_a_crawl_writes(tmp_path):
    db = tmp_path / "live.db"
    with generated_site(160) as site:
        sources = tmp_path / "s.yml"
        sources.write_text(sources_yaml(site))
        env = dict(os.environ, TRACKER_EXTRACT_WORKERS="0")
        crawl = subprocess.Popen([sys.executable, "-m", "tracker.cli", "crawl", "--sources",
                                  str(sources), "--db", str(db), *FAST], cwd=ROOT, env=env,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        results = []
        deadline = time.monotonic() + 60
        while crawl.poll() is None and time.monotonic() < deadline:
            if not db.exists():
                time.sleep(0.05)
                continue
            try:
                con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
                committed = {r[0] for r in con.execute("SELECT id FROM articles")}
                con.close()
            except sqlite3.OperationalError:
                time.sleep(0.05)
                continue
            method = ["--vacuum"] if len(results) % 2 else []
            out = tmp_path / f"backup-{len(results)}.db"
            result = run_tracker("backup", "--db", str(db), str(out), *method)
            results.append((result, out, committed))
        _out, err = crawl.communicate(timeout=120)
        assert crawl.returncode == 0, err[-2000:]
    assert len(results) >= 3, len(results)
    assert any(len(c) > 0 for _r, _o, c in results)
    for result, out, committed in results:
        assert result.returncode == 0, result.stderr
        assert "integrity_check ok" in result.stdout
        con = sqlite3.connect(out)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one file
        copied = {r[0] for r in con.execute("SELECT id FROM articles")}
        assert committed <= copied, len(committed - copied)
        con.close()
    assert not list(tmp_path.glob(".*partial*"))


@pytest.mark.slow
def test_backup_refuses_missing_db_and_self_overwrite(tmp_path):
    result = run_tracker("backup", "--db", str(tmp_path / "none.db"), str(tmp_path / "b.db"))
    assert result.returncode == 2 and "does not exist" in result.stderr
    db = tmp_path / "t.db"
    make_db(db)
    result = run_tracker("backup", "--db", str(db), str(db))
    assert result.returncode == 1 and "must not overwrite" in result.stderr


# ---------------------------------------------------------------- migrations
def test_upgrade_in_place_from_schema_v1(tmp_path):
    """A database made by the first release (m001-m003) upgrades in place with its rows."""
    from db.migrations import migrations
    from tracker.timeline import open_timeline

    db = tmp_path / "v1.db"
    con = sqlite3.connect(db)
    con.executescript(V1_SQL.read_text())
    con.execute("PRAGMA journal_mode = WAL")  # as m003 left it; a SQL dump cannot carry it
    con.close()
    old = sqlite3.connect(db)
    old_rows = {t: old.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("articles", "events", "event_articles", "event_vendors", "crawl_runs")}
    old_timeline = old.execute("SELECT event_id, event_type, event_date, vendors, countries, urls "
                               "FROM timeline").fetchall()
    old.close()

    store = open_timeline(db)  # applies every pending migration
    store.close()

    con = sqlite3.connect(db)
    applied = [r[0] for r in con.execute("SELECT name FROM _sqlite_migrations ORDER BY id")]
    assert applied[:3] == ["m001_core_tables", "m002_timeline_view", "m003_wal"]
    assert applied == [m.name for m in migrations._migrations]  # every migration, in order
    for table, count in old_rows.items():
        assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == count, table
    new_timeline = con.execute("SELECT event_id, event_type, event_date, vendors, countries, urls "
                               "FROM timeline").fetchall()
    assert new_timeline == old_timeline
    assert_values_index_matches_arrays(db)
    assert con.execute("SELECT name FROM sqlite_master WHERE name = 'events_type_date'"
                       ).fetchone()  # m011
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    con.close()
    # Opening again applies nothing.
    open_timeline(db).close()
    con = sqlite3.connect(db)
    assert [r[0] for r in con.execute("SELECT name FROM _sqlite_migrations ORDER BY id")] == applied
    con.close()


@pytest.mark.slow
def test_upgraded_v1_db_takes_a_crawl_and_marks_its_dead_run(tmp_path, sources_file):
    db = tmp_path / "v1.db"
    con = sqlite3.connect(db)
    con.executescript(V1_SQL.read_text())
    con.execute("PRAGMA journal_mode = WAL")
    con.close()
    result = run_tracker("crawl", "--sources", str(sources_file), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "marked 'crashed'" in result.stderr  # the v1 run left 'running' was never finished
    con = sqlite3.connect(db)
    status = con.execute("SELECT status FROM crawl_runs WHERE run_id = 'r2'").fetchone()[0]
    assert status == "crashed"
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] > 3
    kept = con.execute("SELECT count(*) FROM articles WHERE id IN ('a1','a2','a3')").fetchone()
    assert kept[0] == 3
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_concurrent_reader_thread_survives_migrations(tmp_path):
    """Datasette-style readers keep reading while Store upgrades the schema."""
    db = tmp_path / "v1.db"
    con = sqlite3.connect(db)
    con.executescript(V1_SQL.read_text())
    con.execute("PRAGMA journal_mode = WAL")
    con.close()
    errors, reads, stop = [], [0], threading.Event()

    def reader():
        c = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        while not stop.is_set():
            try:
                c.execute("SELECT count(*) FROM articles").fetchone()
                reads[0] += 1
            except sqlite3.Error as exc:
                errors.append(str(exc))

    thread = threading.Thread(target=reader)
    thread.start()
    from tracker.timeline import open_timeline

    open_timeline(db).close()
    time.sleep(0.1)
    stop.set()
    thread.join()
    assert errors == [] and reads[0] > 10


def test_crawl_collects_garbage_less_often_and_restores_the_settings():
    import gc

    from tracker.crawl import GC_YOUNG_THRESHOLD, fewer_collections

    before = gc.get_threshold()
    with fewer_collections():
        assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, *before[1:])
        assert gc.get_freeze_count() > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


@pytest.mark.parametrize("log_level", ["WARNING", "CRITICAL", logging.INFO])
def test_crawl_builds_no_records_below_the_log_level_but_always_errors(log_level):
    from tracker.crawl import records_from

    seen = []
    handler = logging.Handler()
    handler.emit = seen.append
    logging.root.addHandler(handler)
    scrapy_logger = logging.getLogger("scrapy.core.scraper")
    before = (logging.root.level, logging.getLogger("scrapy").level)
    try:
        with records_from(log_level):
            scrapy_logger.debug("Scraped from <200 https://example.org/a>")
            logging.getLogger("tracker.x").info("an info line")
            scrapy_logger.error("a spider error")  # counted per source whatever the level
    finally:
        logging.root.removeHandler(handler)
    expected = ["an info line", "a spider error"] if log_level == logging.INFO \
        else ["a spider error"]
    assert [r.getMessage() for r in seen] == expected
    assert (logging.root.level, logging.getLogger("scrapy").level) == before
