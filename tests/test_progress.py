"""A crawl you can watch (tracker/ops/progress.py): a live line on a terminal, nothing but the
summary without one; the summary counts this run only and names a shared failure once.
"""

from __future__ import annotations

import io
import os
import pty
import subprocess
import sys
import time

import pytest

from tests.conftest import ROOT, run_tracker
from tracker.ops.progress import (
    ProgressLine,
    RunCounts,
    common_failure,
    progress_text,
    summary_text,
)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_text_has_every_figure():
    counts = RunCounts(sources=31, sources_done=12, fetched=240, extracted=236, stored=230,
                       new=200, events=17, errors=3, failed=1)
    assert progress_text(counts, 60.0) == (
        "sources 12/31 | articles fetched 240, extracted 236, stored 230 | events 17 | "
        "errors 3 | 4.0 articles/s")
    assert summary_text(counts, 61.04) == (
        "this run: 31 sources (1 failed), 240 articles fetched, 200 new, 17 event reports, "
        "3 errors, 61.0 s")


def test_line_is_redrawn_in_place_on_a_terminal_only():
    terminal = Terminal()
    line = ProgressLine(terminal)
    line.draw("sources 1/3 | a long first line")
    line.draw("sources 2/3")
    line.clear()
    assert terminal.getvalue() == ("\rsources 1/3 | a long first line"
                                   "\rsources 2/3" + " " * 20 + "\r" + " " * 11 + "\r")
    piped = io.StringIO()
    ProgressLine(piped).draw("sources 1/3")
    assert piped.getvalue() == ""


def test_a_failure_shared_by_every_source_is_named_once():
    assert common_failure(["dns"] * 31) == "every source failed on DNS: is this machine offline?"
    assert common_failure(["http", "http"]) == "every source failed the same way: http"
    assert common_failure(["dns", "http"]) is None
    assert common_failure(["dns"]) is None  # one source: its own FAILED line says it
    assert common_failure(["ok", "ok"]) is None


@pytest.mark.slow
def test_without_a_terminal_only_the_summary(site, sources_file, tmp_path):
    db = tmp_path / "t.db"
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_LOG_LEVEL"}
    first = subprocess.run([sys.executable, "-m", "tracker.cli", "crawl", "--sources",
                            str(sources_file), "--db", str(db)], cwd=ROOT, capture_output=True,
                           check=False, text=True, timeout=180,
                           env=env | {"TRACKER_EXTRACT_WORKERS": "0"})
    assert first.returncode == 0, first.stderr
    assert first.stderr == ""  # no log records, no progress line
    assert "\r" not in first.stdout
    summary = [line for line in first.stdout.splitlines() if line.startswith("this run:")]
    assert len(summary) == 1 and " 0 new" not in summary[0]
    again = run_tracker("crawl", "--sources", str(sources_file), "--db", str(db))
    assert again.returncode == 0, again.stderr
    # this run's figures, not the database's: nothing new the second time
    assert "0 articles fetched, 0 new, 0 event reports" in again.stdout
    stored = next(line for line in again.stdout.splitlines() if line.startswith("database:"))
    assert stored != "database: 0 articles, 0 events"


@pytest.mark.slow
def test_on_a_terminal_a_live_line(site, sources_file, tmp_path):
    """stderr is a pseudo-terminal: the line is drawn with carriage returns and cleared."""
    db = tmp_path / "t.db"
    controller, terminal = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "tracker.cli", "crawl", "--sources",
                             str(sources_file), "--db", str(db)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=terminal, text=True,
                            env=dict(os.environ, TRACKER_EXTRACT_WORKERS="0",
                                     TRACKER_LOG_LEVEL="CRITICAL"))
    os.close(terminal)
    drawn = b""
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        drawn += chunk
    stdout = proc.communicate(timeout=60)[0]
    os.close(controller)
    assert proc.returncode == 0
    text = drawn.decode()
    assert "\rsources 0/" in text or "\rsources 1/" in text
    assert "articles fetched" in text and "articles/s" in text
    assert text.endswith("\r")  # cleared before the summary
    assert "this run:" in stdout


@pytest.mark.slow
def test_every_source_failing_on_dns_is_said_once(tmp_path):
    sources = tmp_path / "s.yml"
    sources.write_text("sources:\n" + "".join(
        f"  - {{name: s{n}, kind: feed, url: 'http://feed{n}.example.invalid/rss'}}\n"
        for n in range(3)))
    result = run_tracker("crawl", "--sources", str(sources), "--db", str(tmp_path / "t.db"))
    assert result.returncode == 1
    failed = [line for line in result.stderr.splitlines() if line.startswith("FAILED")]
    assert failed == ["FAILED every source failed on DNS: is this machine offline?"]
    assert result.stdout.count(" dns ") == 3  # each source's row still says how it went
