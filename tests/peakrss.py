"""Run the tracker CLI and measure the crawl's own peak memory (VmHWM, polled).

Not the rusage of os.wait4: Linux carries the parent's high-water mark into the child through
fork and exec, so a crawl started from a large pytest process reported at least pytest's size
(547 MB late in the full suite for a crawl that peaks near 200 MB).
"""

from __future__ import annotations

import subprocess
import sys
import time
from contextlib import suppress
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POLL_SECONDS = 0.02


def _high_water_kb(pid: int) -> int:
    with suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return 0


def run_with_peak_rss(args: list[str], env: dict, stdout, stderr,
                      timeout: float = 240) -> tuple[subprocess.Popen, float]:
    """The finished process (returncode set) and its peak RSS in MB; AssertionError after
    `timeout` seconds (the process is killed)."""
    proc = subprocess.Popen([sys.executable, "-m", "tracker.cli", *args], cwd=ROOT, env=env,
                            stdout=stdout, stderr=stderr, text=True)
    peak_kb, deadline = 0, time.monotonic() + timeout
    while proc.poll() is None:
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            raise AssertionError(f"tracker {' '.join(args[:1])} did not finish in {timeout} s")
        peak_kb = max(peak_kb, _high_water_kb(proc.pid))
        time.sleep(POLL_SECONDS)
    return proc, peak_kb / 1024
