"""Consistent copies of a live database: SQLite's online backup API or VACUUM INTO.

Never `cp` a WAL database: committed rows still in `-wal` are silently left behind. Both methods
here read one consistent snapshot while the crawler keeps writing, write to a temporary file,
check it with `PRAGMA integrity_check` and only then move it into place.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

BUSY_TIMEOUT_S = 30


class BackupError(RuntimeError):
    pass


@dataclass
class BackupResult:
    path: Path
    bytes: int
    articles: int
    events: int
    method: str


def _count(conn: sqlite3.Connection, table: str) -> int:
    try:
        return conn.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def backup_database(source: str | Path, dest: str | Path, method: str = "backup") -> BackupResult:
    """Copy `source` to `dest` (overwritten only once the new copy passed integrity_check)."""
    source, dest = Path(source), Path(dest)
    if not source.exists():
        raise BackupError(f"database {source} does not exist")
    if dest.resolve() == source.resolve():
        raise BackupError("the backup must not overwrite the database itself")
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.partial-{os.getpid()}")
    if tmp.exists():
        tmp.unlink()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    try:
        if method == "vacuum":
            src.execute("VACUUM INTO ?", [str(tmp)])
        elif method == "backup":
            out = sqlite3.connect(tmp)
            try:
                src.backup(out)  # one step: a consistent snapshot even while a writer commits
            finally:
                out.close()
        else:
            raise BackupError(f"unknown backup method {method!r}")
    except sqlite3.Error as exc:
        tmp.unlink(missing_ok=True)
        raise BackupError(f"backup of {source} failed: {exc}") from exc
    finally:
        src.close()
    check = sqlite3.connect(tmp)
    try:
        status = check.execute("PRAGMA integrity_check").fetchone()[0]
        # A standalone file: rollback journal, so the copy is one self-contained file.
        check.execute("PRAGMA journal_mode = DELETE")
        articles, events = _count(check, "articles"), _count(check, "events")
    finally:
        check.close()
    if status != "ok":
        tmp.unlink(missing_ok=True)
        raise BackupError(f"backup copy failed integrity_check: {status}")
    os.replace(tmp, dest)
    return BackupResult(dest, dest.stat().st_size, articles, events, method)
