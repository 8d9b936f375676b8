"""Read-only queries behind the tracker's own Datasette pages (tracker/datasette_plugin.py).

Each function takes an open sqlite3 connection (Datasette's `execute_fn` hands one over) and
returns plain Python values, so the pages hold no SQL.
"""

from __future__ import annotations

import sqlite3


def has_events(conn: sqlite3.Connection) -> bool:
    """False on a database no crawl has filled yet (its pages then say how to fill it)."""
    return conn.execute("SELECT EXISTS (SELECT 1 FROM events)").fetchone()[0] == 1
