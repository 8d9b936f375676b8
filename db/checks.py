"""Is this file a tracker database we may open? Answered without writing a byte to it.

A command given another application's database, a file that is not SQLite, a truncated copy, a
database migrated by newer code or a read-only file must refuse before anything writes to it:
sqlite-utils' migrations would otherwise add `_sqlite_migrations` to a stranger's database
before failing, and a crawl would run for an hour to store nothing.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlite_utils import Database

from db.migrations import migrations

SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_BYTES = 100
SHOWN_TABLES = 5


class DatabaseRefused(ValueError):
    """The database file cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class DatabaseState:
    exists: bool
    pending: int  # migrations this code would apply (0: opening it read-only is enough)


def known_migrations() -> list[str]:
    """Every migration this code knows, in order (all of them are pending on an empty db)."""
    return [m.name for m in migrations.pending(Database(memory=True))]


def _header_problem(path: Path, size: int) -> str | None:
    """Why the first page says this is no (complete) SQLite file, or None."""
    with open(path, "rb") as handle:
        header = handle.read(HEADER_BYTES)
    if not header.startswith(SQLITE_MAGIC):
        return "not a SQLite database"
    if len(header) < HEADER_BYTES:
        return f"truncated SQLite file ({size} bytes)"
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    counter_valid = header[24:28] == header[92:96]  # else the page count is not maintained
    # a database in WAL mode that a crawl is writing may be mid-checkpoint: its header already
    # counts pages the checkpoint has not yet written to the file
    live = Path(f"{path}-wal").exists()
    if counter_valid and pages and size < page_size * pages and not live:
        return f"truncated SQLite file ({size} bytes; its header says {page_size * pages})"
    return None


def _read_schema(path: Path) -> tuple[list[str], list[str]]:
    """(table names, applied tracker migrations), through a read-only connection. Without a
    -wal file everything is in the main file, read as immutable: a plain read-only connection
    to a WAL database would leave new -wal and -shm files beside one we refuse."""
    mode = "mode=ro" if Path(f"{path}-wal").exists() else "immutable=1"
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True, timeout=10)
    try:
        tables = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        applied = []
        if "_sqlite_migrations" in tables:
            applied = [r[0] for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?",
                [migrations.name])]
    finally:
        conn.close()
    return tables, applied


def _schema_problem(tables: list[str], applied: list[str]) -> str | None:
    user_tables = [t for t in tables if not t.startswith("sqlite_")
                   and t != migrations.migrations_table]  # made first by a starting crawl
    if user_tables and not applied:
        shown = ", ".join(user_tables[:SHOWN_TABLES]) + (
            ", ..." if len(user_tables) > SHOWN_TABLES else "")
        return (f"not a tracker database (tables {shown}; no tracker migrations): "
                "refusing to modify it")
    unknown = sorted(set(applied) - set(known_migrations()))
    if unknown:
        return (f"schema is newer than this code (unknown migrations: "
                f"{', '.join(unknown[:SHOWN_TABLES])}): upgrade the tracker")
    return None


def _nearest_existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _not_writable(path: Path) -> bool:
    """Read-only by permission bits (honoured for root too), by access check or by mount."""
    return not os.stat(path).st_mode & 0o222 or not os.access(path, os.W_OK)


def _write_problem(path: Path) -> tuple[Path, str] | None:
    if path.exists() and _not_writable(path):
        return path, "read-only database file"
    folder = _nearest_existing(path.parent)
    if not folder.is_dir():
        return folder, "not a directory"
    if _not_writable(folder):  # WAL mode writes -wal and -shm beside the database
        return folder, "read-only directory (the database needs its -wal and -shm files there)"
    return None


def check_database(path: str | Path, write: bool) -> DatabaseState:
    """Raise DatabaseRefused when `path` must not be opened (for writing, with `write`)."""
    path = Path(path)
    if path.is_dir():
        raise DatabaseRefused(f"{path}: is a directory, not a database file")
    if write and (problem := _write_problem(path)):
        raise DatabaseRefused(f"{problem[0]}: {problem[1]}")
    if not path.exists():
        return DatabaseState(exists=False, pending=len(known_migrations()))
    size = path.stat().st_size
    if size == 0:
        return DatabaseState(exists=True, pending=len(known_migrations()))
    try:
        problem = _header_problem(path, size)
        if problem is None:
            tables, applied = _read_schema(path)
            problem = _schema_problem(tables, applied)
    except OSError as exc:
        problem = f"cannot read: {exc.strerror or exc}"
    except sqlite3.DatabaseError as exc:
        problem = f"unreadable SQLite database: {exc}"
    if problem:
        raise DatabaseRefused(f"{path}: {problem}")
    return DatabaseState(exists=True, pending=len(set(known_migrations()) - set(applied)))
