"""The crawl lock: flock(2) on `<db>.lock`, taken before anything heavy is imported.

The kernel releases it when the holder exits, however it exits (kill -9 included), so there are
no stale PID files; a second run finds it held and exits 75 (EX_TEMPFAIL) in well under a
second, before opening the database. flock is unreliable on NFS/CIFS: keep the db local.
"""

from __future__ import annotations

import fcntl
from contextlib import contextmanager
from pathlib import Path


class CrawlLocked(RuntimeError):
    """Another run holds the lock on this database."""


def lock_is_held(db_path: str | Path) -> bool:
    """Whether another run holds the lock, found without creating the lock file or its
    directory: a command that then fails on its configuration leaves nothing behind."""
    try:
        with open(f"{db_path}.lock", "rb") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:  # no lock file (or none readable): nobody holds it
        return False
    return False


@contextmanager
def crawl_lock(db_path: str | Path):
    """flock beside the database: released by the kernel even when the process is killed."""
    lock_path = Path(f"{db_path}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise CrawlLocked(f"another crawl holds {lock_path}") from exc
        yield
