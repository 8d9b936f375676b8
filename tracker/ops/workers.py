"""Worker process pools that do not outlive the process that created them.

A ProcessPoolExecutor worker waits on its call queue, and it holds both ends of that pipe, so it
never sees EOF when its creator dies without shutting the pool down (kill -9, the OOM killer):
it would live on as an orphan with its ~150 MB, one set more for every killed cron run. With the
forkserver context the worker's parent is the fork server, which the workers themselves keep
alive (they inherit its "alive" pipe), so neither PR_SET_PDEATHSIG nor a getppid() check fires.
Each worker therefore watches its creator's pid from a daemon thread and exits once it is gone.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

POLL_SECONDS = 0.5
EXIT_ORPHANED = 70  # EX_SOFTWARE; nobody reads it: the creator is dead


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A forkserver pool (no fork of a process running threads) whose workers die with us."""
    return ProcessPoolExecutor(max_workers=workers,
                               mp_context=multiprocessing.get_context("forkserver"),
                               initializer=exit_with_creator, initargs=(os.getpid(),))


def exit_with_creator(creator: int) -> None:
    """Pool initializer (runs in each worker): end this worker once `creator` has died."""

    def watch() -> None:
        while _alive(creator):
            time.sleep(POLL_SECONDS)
        os._exit(EXIT_ORPHANED)

    threading.Thread(target=watch, name="exit-with-creator", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):  # gone (PermissionError: pid reused)
        return False
    try:  # a killed process stays a zombie, which kill(pid, 0) still finds, until reaped
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()[0] != b"Z"
    except OSError:  # no /proc (not Linux), or it was reaped just now: the next poll decides
        return True
