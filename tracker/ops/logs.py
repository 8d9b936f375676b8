"""Size-based log rotation, done once before a run while the crawl lock is held.

cron starts one process per run, so rotating at start (under the lock) never races another
writer and never needs logrotate's `copytruncate`, which can lose lines.
"""

from __future__ import annotations

import os
from pathlib import Path


def rotate_log(path: str | Path, max_bytes: int, backups: int) -> bool:
    """Shift `log` -> `log.1` -> ... -> `log.N` when `log` has reached `max_bytes`.

    Returns True when a rotation happened. `backups=0` truncates instead of keeping copies.
    """
    path = Path(path)
    if max_bytes <= 0 or not path.exists() or path.stat().st_size < max_bytes:
        return False
    if backups <= 0:
        path.unlink()
        return True
    oldest = path.with_name(f"{path.name}.{backups}")
    if oldest.exists():
        oldest.unlink()
    for index in range(backups - 1, 0, -1):
        older = path.with_name(f"{path.name}.{index}")
        if older.exists():
            os.replace(older, path.with_name(f"{path.name}.{index + 1}"))
    os.replace(path, path.with_name(f"{path.name}.1"))
    return True
