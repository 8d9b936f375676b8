"""`tracker export`, `tracker serve` (a real process on 127.0.0.1) and `make demo`'s script."""

from __future__ import annotations

import csv
import io
import json
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.conftest import ROOT, run_tracker

pytestmark = pytest.mark.slow  # `tracker export`, `tracker serve` and the demo as subprocesses

ARRAYS = ("vendors", "models", "countries", "agencies", "partners", "urls", "country_names")


def timeline(db) -> list[dict]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    return [dict(r) for r in con.execute(
        "SELECT * FROM timeline ORDER BY event_date DESC, first_seen DESC")]


# ------------------------------------------------------------------ export
@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_export_formats(demo_db, fmt, tmp_path):
    db, _ = demo_db
    expected = timeline(db)
    result = run_tracker("export", "--db", str(db), "--format", fmt)
    assert result.returncode == 0, result.stderr
    if fmt == "json":
        rows = json.loads(result.stdout)
    elif fmt == "jsonl":
        rows = [json.loads(line) for line in result.stdout.splitlines()]
    else:
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(expected)
    assert sorted(r["event_id"] for r in rows) == sorted(r["event_id"] for r in expected)
    dates = [r["event_date"] for r in rows]
    assert dates == sorted(dates, reverse=True)  # newest first
    for row in rows:
        assert "event_rowid" not in row  # internal search key stays out of exports
        assert {"event_id", "event_date", "event_type", "summary", "confidence",
                "month", *ARRAYS} <= set(row)
    nato = next(r for r in rows if "Maven" in r["summary"])
    if fmt == "csv":
        urls = nato["urls"].split("; ")
        assert nato["vendors"] == "Palantir"
        assert float(nato["confidence"]) > 0
    else:
        urls = nato["urls"]
        assert nato["vendors"] == ["Palantir"] and isinstance(nato["countries"], list)
        france = next(r for r in rows if r["countries"] == ["FRA"])
        assert france["country_names"] == ["France"]
    assert sorted(u.rsplit("/", 1)[1] for u in urls) == ["nato-mss-second-outlet.html",
                                                         "nato-palantir-mss.html"]
    # -o FILE writes the same thing
    out = tmp_path / f"timeline.{fmt}"
    assert run_tracker("export", "--db", str(db), "--format", fmt, "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8") == result.stdout


def test_export_of_an_empty_database_and_a_missing_one(tmp_path):
    from tracker.timeline import open_timeline

    empty = tmp_path / "empty.db"
    open_timeline(empty).close()
    result = run_tracker("export", "--db", str(empty), "--format", "csv")
    assert result.returncode == 0, result.stderr
    header = result.stdout.splitlines()
    assert len(header) == 1
    assert header[0].startswith("event_date,event_type,summary,vendors,models,countries")
    assert "event_rowid" not in header[0] and "country_names" in header[0]
    assert json.loads(run_tracker("export", "--db", str(empty), "--format", "json").stdout) == []
    missing = run_tracker("export", "--db", str(tmp_path / "nope.db"))
    assert missing.returncode == 2 and "does not exist" in missing.stderr


# ------------------------------------------------------------------ serve
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_serve(db, *extra):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tracker.cli", "serve", "--db", str(db),
                             "--port", str(port), *extra], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/-/versions.json", timeout=2).close()
            return proc, base
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"tracker serve did not start: {proc.stdout.read()}")
            time.sleep(0.2)


def status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_serve_local_and_public(demo_db):
    db, _ = demo_db
    proc, base = start_serve(db)
    try:
        started = time.monotonic()
        with urllib.request.urlopen(f"{base}/tracker/timeline.json?_shape=array", timeout=10) as r:
            rows = json.load(r)
        elapsed = time.monotonic() - started
        assert len(rows) == len(timeline(db))
        assert elapsed < 5, f"timeline took {elapsed:.2f}s"
        assert status(f"{base}/tracker.json?sql=select+1") == 200
        with urllib.request.urlopen(f"{base}/tracker/new_events.atom", timeout=10) as r:
            assert b"<feed" in r.read()
    finally:
        proc.terminate()
        output = proc.communicate(timeout=20)[0]
    assert f"{base}/tracker/new_events.atom" in output  # it tells the user where things are

    proc, base = start_serve(db, "--public")
    try:
        assert status(f"{base}/tracker.json?sql=select+1") == 403
        assert status(f"{base}/tracker/timeline") == 200
        assert status(f"{base}/tracker/events_by_agency?agency=NATO") == 200
        assert status(f"{base}/tracker/new_events.atom") == 200
    finally:
        proc.terminate()
        proc.communicate(timeout=20)


def test_serve_without_database_exits_2(tmp_path):
    result = run_tracker("serve", "--db", str(tmp_path / "missing.db"))
    assert result.returncode == 2 and "does not exist" in result.stderr


# ------------------------------------------------------------------ make demo
def test_demo_script_builds_the_demo_database(demo_db, tmp_path):
    db = tmp_path / "demo.db"
    result = subprocess.run([sys.executable, "demo/serve_and_crawl.py", "--no-serve", "--db",
                             str(db), "--site-port", "0"], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "demo-defense-wire" in result.stdout and "demo-asia-pacific" in result.stdout
    rows = timeline(db)
    assert len(rows) == len(timeline(demo_db[0]))
    languages = {r[0] for r in sqlite3.connect(db).execute("SELECT language FROM articles")}
    assert {"en", "fr", "de", "es", "ja", "ko"} <= languages
    vendors = {v for r in rows for v in json.loads(r["vendors"])}
    assert len(vendors) >= 8
    countries = {c for r in rows for c in json.loads(r["countries"])}
    assert {"USA", "GBR", "FRA", "DEU", "ESP", "JPN", "KOR", "CAN"} <= countries
