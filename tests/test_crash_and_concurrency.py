"""Crash safety and concurrent reading, with the real `tracker crawl` on a generated site.

* An uninterrupted reference crawl runs while two readers hammer the database: raw sqlite3
  (read-only, busy timeout) and Datasette's own client. 0 'database is locked', counts only grow.
* kill -9 at random moments (TRACKER_CRASH_TRIALS, default 20, in chains on the same database):
  no committed article row is ever lost, PRAGMA integrity_check stays ok, the flock never goes
  stale, and a final clean run reaches exactly the reference crawl's articles and events.
* kill -9 of a crawl, or of a reprocess, with its worker pool running: no worker outlives it.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest

from tests.gensite import FAST, generated_site, sources_yaml

pytestmark = pytest.mark.slow  # kills real `tracker crawl` processes, many times

ROOT = Path(__file__).resolve().parent.parent
PAGES = int(os.environ.get("TRACKER_CRASH_PAGES", "240"))
TRIALS = int(os.environ.get("TRACKER_CRASH_TRIALS", "20"))
CHAIN = 10  # kills in a row on one database before the final clean run
KILL_WINDOW = (0.2, 4.0)  # seconds after start for time-based kills: imports, migrations, listing


def crawl_cmd(sources: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "tracker.cli", "crawl", "--sources", str(sources),
            "--db", str(db), *FAST]


def env() -> dict:
    return dict(os.environ, TRACKER_EXTRACT_WORKERS="0", TRACKER_LOG_LEVEL="WARNING")


def article_ids(db: Path) -> set[str]:
    if not db.exists():
        return set()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)
    try:
        return {r[0] for r in con.execute("SELECT id FROM articles")}
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return set()
        raise
    finally:
        con.close()


def signature(db: Path) -> tuple[frozenset, frozenset]:
    """What a crawl produced, independent of ids and timestamps: articles by URL identity and
    content, events by type, date, actors and supporting URLs."""
    con = sqlite3.connect(db)
    try:
        articles = frozenset(con.execute("SELECT url_key, content_hash FROM articles"))
        events = frozenset(
            (r[0], r[1], r[2], r[3], r[4]) for r in con.execute(
                "SELECT event_type, event_date, vendors, countries, urls FROM timeline"))
        return articles, events
    finally:
        con.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gensite")
    with generated_site(PAGES) as server:
        sources = tmp / "sources.yml"
        sources.write_text(sources_yaml(server))
        yield {"server": server, "sources": sources, "tmp": tmp}


class Readers:
    """A sqlite3 reader thread and a Datasette-client reader thread, until stopped."""

    def __init__(self, db: Path):
        self.db = db
        self.stop = threading.Event()
        self.reads = {"sqlite": 0, "datasette": 0}
        self.errors: list[str] = []
        self.non_monotonic = 0
        self.threads = [threading.Thread(target=self._sqlite, daemon=True),
                        threading.Thread(target=self._datasette, daemon=True)]

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(30)

    def _wait_for_schema(self) -> bool:
        while not self.stop.is_set():
            if self.db.exists():
                try:
                    con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5)
                    con.execute("SELECT count(*) FROM timeline").fetchone()
                    con.close()
                    return True
                except sqlite3.OperationalError:
                    pass
            time.sleep(0.05)
        return False

    def _sqlite(self):
        if not self._wait_for_schema():
            return
        last = 0
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=5)
        while not self.stop.is_set():
            try:
                count = con.execute("SELECT count(*) FROM articles").fetchone()[0]
                con.execute("SELECT * FROM timeline LIMIT 20").fetchall()
                con.execute("SELECT count(*) FROM event_articles").fetchone()
                self.reads["sqlite"] += 1
                if count < last:
                    self.non_monotonic += 1
                last = count
            except sqlite3.Error as exc:
                self.errors.append(f"sqlite: {exc}")

    def _datasette(self):
        if not self._wait_for_schema():
            return
        from datasette.app import Datasette

        async def loop():
            ds = Datasette([str(self.db)], settings={"sql_time_limit_ms": 5000,
                                                     "suggest_facets": False})
            name = self.db.stem
            paths = [f"/{name}/articles.json?_size=5&_shape=array",
                     f"/{name}/timeline.json?_size=10&_shape=array",
                     f"/{name}.json?sql=select+count(*)+from+articles&_shape=array"]
            i = 0
            while not self.stop.is_set():
                response = await ds.client.get(paths[i % len(paths)])
                i += 1
                self.reads["datasette"] += 1
                if response.status_code != 200 or "locked" in response.text:
                    self.errors.append(f"datasette {response.status_code}: {response.text[:200]}")

        asyncio.run(loop())


@pytest.fixture(scope="module")
def reference(site):
    """The uninterrupted crawl, read concurrently the whole time."""
    db = site["tmp"] / "reference.db"
    with Readers(db) as readers:
        result = subprocess.run(crawl_cmd(site["sources"], db), cwd=ROOT, env=env(),
                                capture_output=True, text=True, timeout=300)
        time.sleep(0.3)  # a few reads of the finished database too
    assert result.returncode == 0, result.stderr[-3000:]
    return {"db": db, "signature": signature(db), "readers": readers}


def test_concurrent_reads_see_no_lock_errors(reference):
    readers = reference["readers"]
    print(f"\nconcurrent reads during the crawl: {readers.reads}, errors: {len(readers.errors)}")
    assert readers.errors == [], readers.errors[:5]
    assert readers.reads["sqlite"] >= 1000, readers.reads
    assert readers.reads["datasette"] >= 100, readers.reads
    assert readers.non_monotonic == 0
    articles, events = reference["signature"]
    # Three reports make an event (bench/pages.py).
    assert len(articles) == PAGES and len(events) >= PAGES // 27


def test_kill9_at_random_moments_loses_nothing(site, reference):
    rng = random.Random(int(os.environ.get("TRACKER_CRASH_SEED", "20261129")))
    chains = max(1, (TRIALS + CHAIN - 1) // CHAIN)
    trials = 0
    outcomes = {"killed mid-crawl": 0, "killed before/after writing": 0,
                "finished before the kill": 0}
    for chain in range(chains):
        db = site["tmp"] / f"crash-{chain}.db"
        committed: set[str] = set()
        for _ in range(min(CHAIN, TRIALS - trials)):
            trials += 1
            proc = subprocess.Popen(crawl_cmd(site["sources"], db), cwd=ROOT, env=env(),
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            before_trial = len(committed)
            # A quarter of the kills land at a random time (imports, migrations, listing); the
            # rest once a random number of new articles is committed, plus a random 0-50 ms, so
            # they hit the crawl mid-write.
            started = time.monotonic()
            at_time = rng.random() < 0.25
            deadline = started + (rng.uniform(*KILL_WINDOW) if at_time else 30)
            target = before_trial + rng.randint(1, 30)
            while time.monotonic() < deadline and proc.poll() is None:
                committed |= article_ids(db)  # rows a reader has seen committed
                if not at_time and len(committed) >= target:
                    time.sleep(rng.uniform(0, 0.05))
                    break
                time.sleep(0.02)
            committed |= article_ids(db)
            if proc.poll() is None:
                os.kill(proc.pid, signal.SIGKILL)
                outcomes["killed mid-crawl" if 0 < len(committed) < PAGES and
                         len(committed) > before_trial else "killed before/after writing"] += 1
            else:
                outcomes["finished before the kill"] += 1
            proc.wait()
            assert proc.returncode in (-signal.SIGKILL, 0), proc.stderr.read()[-2000:]
            proc.stderr.close()
            after = article_ids(db)
            lost = committed - after
            assert not lost, f"trial {trials}: {len(lost)} committed articles lost"
            if db.exists():
                con = sqlite3.connect(db, timeout=10)
                assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", trials
                con.close()
        # The next run is not locked out (flock dies with the process) and completes the work.
        final = subprocess.run(crawl_cmd(site["sources"], db), cwd=ROOT, env=env(),
                               capture_output=True, text=True, timeout=300)
        assert final.returncode == 0, final.stderr[-3000:]
        assert committed <= article_ids(db)
        assert signature(db) == reference["signature"], f"chain {chain} differs from reference"
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute(
            "SELECT count(*) FROM crawl_runs WHERE status = 'running'").fetchone()[0] == 0
        con.close()
    assert trials == TRIALS
    print(f"\nkill -9 trials: {trials}, {outcomes}")
    assert outcomes["killed mid-crawl"] >= TRIALS // 2, outcomes


def pool_processes(pid: int) -> tuple[list[psutil.Process], list[psutil.Process]]:
    """(all descendants, pool workers) of `pid`: the workers are the fork server's children;
    the fork server and the resource tracker are `pid`'s own."""
    descendants = psutil.Process(pid).children(recursive=True)
    workers = []
    for process in descendants:
        try:
            if process.ppid() != pid:
                workers.append(process)
        except psutil.NoSuchProcess:
            pass
    return descendants, workers


def running(processes: list[psutil.Process]) -> list[psutil.Process]:
    alive = []
    for process in processes:
        try:
            if process.is_running() and process.status() != psutil.STATUS_ZOMBIE:
                alive.append(process)
        except psutil.NoSuchProcess:
            pass
    return alive


def kill9_with_workers_running(cmd: list[str], run_env: dict, workers: int, reap: bool) -> dict:
    """Start `cmd`, wait until its pool's `workers` processes exist, kill -9 it and return how
    long its descendants took to go. reap=False leaves the killed process a zombie for now, as
    a parent that has not waited yet would: kill(pid, 0) still finds a zombie."""
    proc = subprocess.Popen(cmd, cwd=ROOT, env=run_env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    descendants: list[psutil.Process] = []
    try:
        started = time.monotonic()
        while True:
            descendants, found = pool_processes(proc.pid)
            if len(found) >= workers:
                break
            assert proc.poll() is None, "ended before its workers started: " + \
                proc.stderr.read()[-2000:].decode(errors="replace")
            assert time.monotonic() - started < 60, f"workers never started: {found}"
            time.sleep(0.01)
        to_start = time.monotonic() - started
        os.kill(proc.pid, signal.SIGKILL)
        if reap:
            proc.wait()
        killed = time.monotonic()
        while running(descendants) and time.monotonic() - killed < 10:
            time.sleep(0.05)
        left = [(p.pid, "worker" if p in found else "fork server or resource tracker")
                for p in running(descendants)]
        gone = time.monotonic() - killed
        print(f"\n{cmd[3]}: {len(found)} workers up after {to_start:.2f} s, "
              f"{len(descendants)} descendants; "
              f"{len(left)} still running {gone:.2f} s after kill -9")
        assert not left, f"outlived the killed {cmd[3]} by {gone:.0f} s: {left}"
        return {"to_start": to_start, "gone": gone}
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stderr.close()
        for process in running(descendants):  # without the fix: do not leave them behind
            process.kill()


def test_kill9_of_a_crawl_leaves_no_extraction_workers(site, tmp_path):
    run_env = dict(env(), TRACKER_EXTRACT_WORKERS="2")
    kill9_with_workers_running(crawl_cmd(site["sources"], tmp_path / "orphans.db"), run_env,
                               workers=2, reap=False)


def test_kill9_of_a_reprocess_leaves_no_workers(reference, tmp_path):
    # The reference articles four times over (new URLs): reprocessing them lasts long enough
    # to be killed with its workers running, whatever the machine's speed.
    db = tmp_path / "reprocess.db"
    source, target = sqlite3.connect(reference["db"]), sqlite3.connect(db)
    source.backup(target)
    source.close()
    columns = [row[1] for row in target.execute("PRAGMA table_info(articles)")]
    copied = ", ".join(f"{c} || '#' || n" if c in ("id", "url", "url_key") else c
                       for c in columns)
    with target:
        target.execute(f"INSERT INTO articles ({', '.join(columns)}) "
                       "WITH RECURSIVE copies(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM copies "
                       f"WHERE n < 3) SELECT {copied} FROM articles, copies")
    target.close()
    run_env = dict(env(), TRACKER_REPROCESS_WORKERS="2")
    cmd = [sys.executable, "-m", "tracker.cli", "reprocess", "--db", str(db)]
    kill9_with_workers_running(cmd, run_env, workers=2, reap=True)
