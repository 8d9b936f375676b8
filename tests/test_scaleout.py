"""Scale-out with a local Redis: two crawl workers share the request queue and dupefilter, one
writer (`tracker load-queue`) loads the timeline. The crawl test skips when redis-server or
scrapy-redis is not installed (`apt-get install redis-server`; `pip install -e '.[scale]'`)."""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import run_tracker

ROOT = Path(__file__).resolve().parent.parent
REDIS = shutil.which("redis-server")


@pytest.fixture
def redis_url(tmp_path):
    if REDIS is None:
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    pytest.importorskip("scrapy_redis")
    redis = pytest.importorskip("redis")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    proc = subprocess.Popen([REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    for _ in range(100):
        try:
            client.ping()
            break
        except redis.ConnectionError:
            time.sleep(0.05)
    yield url
    proc.terminate()
    proc.wait(10)


def signature(db: Path):
    con = sqlite3.connect(db)
    try:
        return (sorted(r[0] for r in con.execute("SELECT url_key FROM articles")),
                sorted(con.execute("SELECT event_type, event_date, vendors, countries, urls "
                                   "FROM timeline")))
    finally:
        con.close()


@pytest.mark.slow  # a Redis server, two `tracker crawl` workers and `tracker load-queue`
def test_two_workers_share_queue_and_dupefilter_one_writer_loads(site, sources_file, tmp_path,
                                                                 redis_url):
    reference = tmp_path / "local.db"
    assert run_tracker("crawl", "--sources", str(sources_file), "--db",
                       str(reference)).returncode == 0
    fetched_locally = site.count("/articles/")

    env = dict(os.environ, TRACKER_EXTRACT_WORKERS="0", TRACKER_REDIS_URL=redis_url)
    workers = [subprocess.Popen([sys.executable, "-m", "tracker.cli", "crawl", "--sources",
                                 str(sources_file), "--db", str(tmp_path / f"worker-{i}.db")],
                                cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True) for i in range(2)]
    for worker in workers:
        out, err = worker.communicate(timeout=180)
        assert worker.returncode == 0, err[-2000:]
    # The shared dupefilter: every article fetched once by the two workers together.
    assert site.count("/articles/") - fetched_locally == fetched_locally
    for i in range(2):  # workers keep only their run bookkeeping, never articles
        con = sqlite3.connect(tmp_path / f"worker-{i}.db")
        assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == 0
        con.close()

    db = tmp_path / "timeline.db"
    loaded = run_tracker("load-queue", "--db", str(db), "--redis", redis_url, "--idle", "1")
    assert loaded.returncode == 0, loaded.stderr
    assert f"{fetched_locally} articles" in loaded.stdout
    assert signature(db) == signature(reference)

    # A second round of workers finds everything seen (persistent dupefilter): nothing queued.
    again = subprocess.run([sys.executable, "-m", "tracker.cli", "crawl", "--sources",
                            str(sources_file), "--db", str(tmp_path / "worker-0.db")],
                           cwd=ROOT, env=env, capture_output=True, text=True, timeout=180)
    assert again.returncode == 0, again.stderr[-2000:]
    assert site.count("/articles/") == 2 * fetched_locally
    empty = run_tracker("load-queue", "--db", str(db), "--redis", redis_url, "--idle", "1")
    assert "loaded 0 items" in empty.stdout


def test_shared_dupefilter_sees_one_article_under_its_tracking_urls():
    """Two feeds on two machines list one story under different tracking URLs: one fetch."""
    pytest.importorskip("scrapy_redis")
    from scrapy import Request

    from tracker.ops.redisqueue import ArticleDupeFilter

    class Server:  # the one Redis command the dupefilter uses
        def __init__(self):
            self.members: set[str] = set()

        def sadd(self, key, value):
            new = value not in self.members
            self.members.add(value)
            return int(new)

    def article(url: str) -> Request:
        return Request(url, cb_kwargs={"feed_meta": {"url": url}})

    seen = ArticleDupeFilter(Server(), key="tracker:dupefilter")
    assert not seen.request_seen(article("https://news.example/a/1.html?utm_source=rss"))
    assert seen.request_seen(article("https://www.news.example/a/1.html?wt_mc=rss.atom"))
    assert not seen.request_seen(article("https://news.example/a/2.html"))
    assert not seen.request_seen(Request("https://news.example/feed.xml"))
    assert seen.request_seen(Request("https://news.example/feed.xml"))
