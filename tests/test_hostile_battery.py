"""Hostile-input battery: 40+ bad inputs from anchors-reliability.md, served on 127.0.0.1.

Two real `tracker crawl` subprocesses (the memory-heavy cases in their own process, measured
with os.wait4), every case its own source. For each case: no crash, exactly the expected article
rows (none lost, none duplicated), memory bounded, a clear logged reason and a counted stat.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from pathlib import Path

import pytest

from tests.faultserver import FaultServer, reset
from tests.hostile_cases import build
from tests.peakrss import run_with_peak_rss

pytestmark = pytest.mark.slow  # two `tracker crawl` runs over 40+ hostile servers

ROOT = Path(__file__).resolve().parent.parent
MEMORY_LIMIT_MB = 512
CRAWL_SETTINGS = ["RETRY_TIMES=1", "DOWNLOAD_DELAY=0", "AUTOTHROTTLE_ENABLED=false"]
# Short timeouts keep the hang/drip cases quick; the heavy group moves 10+ MB bodies while
# extraction runs inline on the reactor thread, so it gets more time per download.
TIMEOUTS = {"heavy": 20, "main": 3}


def run_measured(args: list[str], log: Path, timeout: float = 240) -> dict:
    """Run the tracker CLI; return exit code, output, wall time and the crawl's peak RSS."""
    env = dict(os.environ, TRACKER_EXTRACT_WORKERS="0", TRACKER_LOG_LEVEL="INFO")
    out, err = log.with_suffix(".out"), log.with_suffix(".err")
    started = time.monotonic()
    with open(out, "w") as fo, open(err, "w") as fe:
        proc, peak_mb = run_with_peak_rss(args, env, fo, fe, timeout)
    return {"code": proc.returncode, "stdout": out.read_text(), "stderr": err.read_text(),
            "seconds": time.monotonic() - started, "maxrss_mb": peak_mb,
            "log": log.read_text() if log.exists() else ""}


@pytest.fixture(scope="module")
def battery(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("battery")
    servers = {
        "main": FaultServer(),
        "robots-503": FaultServer(robots=(503, {"Content-Type": "text/html"},
                                          b"<html><body>Service unavailable</body></html>")),
        "robots-reset": FaultServer(robots=reset()),
        "robots-404": FaultServer(),
        "robots-disallow": FaultServer(robots=(200, {"Content-Type": "text/plain"},
                                               b"User-agent: *\nDisallow: /\n")),
    }
    for server in servers.values():
        server.__enter__()
    try:
        cases = build(servers, tmp)
        results = {}
        for group in ("heavy", "main"):
            chosen = [c for c in cases if c.group == group]
            lines = ["sources:"]
            for case in chosen:
                url = case.feed_path if case.feed_path.startswith("http") else \
                    servers[case.server].base + case.feed_path
                budget = "\n    max_requests: 10" if case.id == "feed-flood" else ""
                entry = f"  - name: {case.id}\n    kind: feed\n    url: '{url}'\n{budget}"
                lines.append(entry.rstrip())
            sources = tmp / f"{group}.yml"
            sources.write_text("\n".join(lines) + "\n")
            db = tmp / f"{group}.db"
            log = tmp / f"{group}.log"
            stats_dir = tmp / f"stats-{group}"
            args = ["crawl", "--sources", str(sources), "--db", str(db), "--log-level", "INFO",
                    "--log-file", str(log), "--stats-dir", str(stats_dir), "--max-runtime", "90"]
            for setting in [*CRAWL_SETTINGS, f"DOWNLOAD_TIMEOUT={TIMEOUTS[group]}"]:
                args += ["-s", setting]
            result = run_measured(args, log)
            result["db"] = db
            result["stats"] = {p.stem: json.loads(p.read_text()) for p in stats_dir.glob("*.json")}
            result["rows_after_first"] = _article_keys(db)
            if group == "main":  # idempotency: the same inputs again add and change nothing
                result["second"] = run_measured(args, tmp / "main-2.log")
                result["rows_after_second"] = _article_keys(db)
            results[group] = result
        yield {"cases": cases, "servers": servers, "results": results}
    finally:
        for server in servers.values():
            server.__exit__(None, None, None)


def _article_keys(db: Path) -> list[tuple]:
    con = sqlite3.connect(db)
    try:
        return sorted(con.execute("SELECT source, url_key, content_hash, fetched_at FROM articles"))
    finally:
        con.close()


def _case_ids():
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        servers = {name: FaultServer() for name in
                   ("main", "robots-503", "robots-reset", "robots-404", "robots-disallow")}
        try:
            return [c.id for c in build(servers, Path(tmp))]
        finally:
            for server in servers.values():
                server.httpd.server_close()


CASE_IDS = _case_ids()


def test_battery_has_at_least_40_cases():
    assert len(CASE_IDS) >= 40, len(CASE_IDS)
    assert len(set(CASE_IDS)) == len(CASE_IDS)


@pytest.mark.parametrize("group", ["heavy", "main"])
def test_group_run_is_bounded_and_clean(battery, group):
    result = battery["results"][group]
    # main: the hostile feeds fail (exit 1, one FAILED line each); heavy: every source still
    # completes, the bad pages are dropped one by one (exit 0). Nothing crashes either way.
    expected_code = {"heavy": 0, "main": 1}[group]
    assert result["code"] == expected_code, (result["code"], result["stderr"][-3000:])
    assert result["maxrss_mb"] < MEMORY_LIMIT_MB, result["maxrss_mb"]
    assert result["seconds"] < 120, result["seconds"]
    assert "Traceback" not in result["stderr"], result["stderr"][-3000:]
    assert "Traceback" not in result["log"], _tracebacks(result["log"])
    for source, stats in result["stats"].items():
        assert not [k for k in stats if k.startswith("spider_exceptions/")], (source, stats)
        assert stats.get("tracker/extract_error", 0) == 0, source
        assert stats["finish_reason"] == "finished", (source, stats["finish_reason"])
    con = sqlite3.connect(result["db"])
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    running = con.execute("SELECT count(*) FROM crawl_runs WHERE status = 'running'").fetchone()
    assert running[0] == 0


def test_second_run_adds_and_changes_nothing(battery):
    result = battery["results"]["main"]
    assert result["second"]["code"] == 1, result["second"]["stderr"][-2000:]
    first, second = result["rows_after_first"], result["rows_after_second"]
    # Same rows, same content; fetched_at moves only where a non-canonical alias URL (the
    # print version in dup-urls) is fetched again and lands on the same row.
    assert [r[:3] for r in second] == [r[:3] for r in first]
    moved = {r[0] for r in set(second) - set(first)}
    assert moved <= {"dup-urls"}, moved


def _tracebacks(log: str) -> str:
    around = (log[m.start() - 500:m.start() + 1500] for m in re.finditer("Traceback", log))
    return "\n".join(around)[:6000]


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_case(battery, case_id):
    case = next(c for c in battery["cases"] if c.id == case_id)
    result = battery["results"][case.group]
    con = sqlite3.connect(result["db"])
    con.row_factory = sqlite3.Row
    # No lost row, no duplicated row.
    urls = [r["url"] for r in con.execute("SELECT url FROM articles WHERE source = ?", [case.id])]
    assert len(urls) == case.articles, (case.id, urls)
    assert len(set(urls)) == len(urls)
    # A clear reason: a FAILED line naming the source, or none when the source must stay ok.
    failed = [line for line in result["stderr"].splitlines()
              if line.startswith(f"FAILED {case.id}:")]
    if case.failed:
        assert failed and case.failed in failed[0], (case.id, failed, result["stderr"][-2000:])
    else:
        assert not failed, failed
    run = con.execute("SELECT * FROM crawl_runs WHERE source = ? ORDER BY started LIMIT 1",
                      [case.id]).fetchone()
    assert run is not None and run["finished"] is not None
    assert (run["status"] not in ("ok", "empty")) == bool(case.failed), dict(run)
    # A counted stat for what happened.
    stats = result["stats"].get(case.id, {})
    for key, minimum in case.stats.items():
        assert stats.get(key, 0) >= minimum, (case.id, key, {k: v for k, v in stats.items()
                                                            if "/" in k and "time" not in k})
    if case.log:
        assert case.log in result["log"], (case.id, case.log)
    if case.check:
        case.check(con, battery)
