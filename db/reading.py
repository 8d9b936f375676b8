"""Read-only queries behind the tracker's own pages (tracker/analyst_plugin.py, `tracker review`).

Each function takes an open sqlite3 connection (Datasette's `execute_fn` hands one over) and
returns plain Python values, so the pages hold no SQL.
"""

from __future__ import annotations

import json
import sqlite3

from db.schema import REPORTED

FIELD_LINKS = REPORTED  # field -> (link table, its value column, entity table, label, key)
# The timeline's JSON array columns: read back (and exported) as lists (CSV: '; '-joined).
TIMELINE_ARRAYS = (*FIELD_LINKS, *(f"{field}_reported" for field in FIELD_LINKS), "urls",
                   "country_names", "records", "stages")


def has_events(conn: sqlite3.Connection) -> bool:
    """False on a database no crawl has filled yet (its pages then say how to fill it)."""
    return conn.execute("SELECT EXISTS (SELECT 1 FROM events)").fetchone()[0] == 1


def event_redirect(conn: sqlite3.Connection, event_id: str) -> str | None:
    """The id an event renamed since goes by now (db/store.py keeps event_redirects)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'event_redirects'").fetchone():
        return None  # a database written before migration m015
    row = conn.execute("SELECT new_id FROM event_redirects WHERE old_id = ?",
                       [event_id]).fetchone()
    return row[0] if row else None


def _rows(conn: sqlite3.Connection, sql: str, params: list) -> list[dict]:
    cursor = conn.execute(sql, params)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _event_row(conn: sqlite3.Connection, event_id: str) -> dict | None:
    found = _rows(conn, "SELECT * FROM timeline WHERE event_id = ?", [event_id])
    if not found:
        return None
    row = found[0]
    for column in TIMELINE_ARRAYS:
        row[column] = json.loads(row.get(column) or "[]")
    return row


def _reports(conn: sqlite3.Connection, event_id: str) -> list[dict]:
    """Every article reporting the event, oldest first, with what that report said."""
    reports = _rows(conn, """
        SELECT ea.article_id, ea.position, ea.event_type, ea.event_date, ea.date_precision,
               ea.evidence, ea.confidence, ea.report, a.url, a.title, a.source AS outlet,
               a.published, a.language
        FROM event_articles ea JOIN articles a ON a.id = ea.article_id
        WHERE ea.event_id = ?
        ORDER BY a.published IS NULL, a.published, a.url, ea.position""", [event_id])
    for report in reports:
        stated = json.loads(report.pop("report") or "{}")
        report["rules"] = stated.get("rules") or {}
        report["decisions"] = stated.get("decisions") or []  # reviewers' corrections applied
    return reports


def _field_links(conn: sqlite3.Connection, event_id: str, field: str) -> list[dict]:
    link, column, target, label, pk = FIELD_LINKS[field]
    return _rows(conn, f"""
        SELECT l.{column} AS id, t.{label} AS value, t.name AS name, l.article_id, l.evidence,
               l.confidence, l.rule
        FROM {link} l JOIN {target} t ON t.{pk} = l.{column}
        WHERE l.event_id = ? ORDER BY t.{label}, l.article_id""", [event_id])


def group_values(links: list[dict], majority: list[str]) -> list[dict]:
    """Link rows grouped by value; a value outside the timeline's majority list was named by
    too few reports and merged away (it stays in `*_reported`)."""
    values: dict[str, dict] = {}
    for row in links:
        entry = values.setdefault(row["value"], {
            "id": row["id"], "value": row["value"], "name": row["name"],
            "merged_away": row["value"] not in majority, "links": []})
        entry["links"].append({k: row[k] for k in ("article_id", "evidence", "confidence",
                                                    "rule")})
    return list(values.values())


def event_detail(conn: sqlite3.Connection, event_id: str) -> dict | None:
    """One event as the event page shows it: the timeline row, its reports oldest first, and
    each field's values with the evidence, confidence and rule of every report naming them."""
    event = _event_row(conn, event_id)
    if event is None:
        return None
    return {"event": event, "reports": _reports(conn, event_id),
            "fields": {field: group_values(_field_links(conn, event_id, field), event[field])
                       for field in FIELD_LINKS}}


def connect_readonly(path) -> sqlite3.Connection:
    """A read-only connection: no migration, no write, no wait on a running crawl."""
    from pathlib import Path

    return sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True, timeout=10)


def event_report_keys(conn: sqlite3.Connection, event_id: str) -> list[dict]:
    """The reports of an event as a decision selects them: article URL and position."""
    return _rows(conn, "SELECT a.url, ea.position FROM event_articles ea JOIN articles a "
                       "ON a.id = ea.article_id WHERE ea.event_id = ? ORDER BY a.url, ea.position",
                 [event_id])


def _unknown_values(conn: sqlite3.Connection) -> list[dict]:
    """Open-vocabulary values (names no alias table knows) linked to events."""
    parts = [f"""SELECT '{field}' AS field, t.id, t.name, count(DISTINCT l.event_id) AS events
                 FROM {target} t JOIN {link} l ON l.{column} = t.id
                 WHERE t.normalized = 0 GROUP BY t.id"""
             for field, (link, column, target, _, _) in FIELD_LINKS.items()
             if field != "countries"]
    return _rows(conn, " UNION ALL ".join(parts) + " ORDER BY events DESC, name", [])


def review_items(conn: sqlite3.Connection, max_confidence: float, limit: int) -> dict:
    """What needs a reviewer: low-confidence events, unknown names (values and names no event
    uses), events only one report supports."""
    return {
        "low_confidence": _rows(conn, """
            SELECT event_id, event_date, confidence, summary FROM timeline
            WHERE confidence < ? ORDER BY confidence, event_date DESC LIMIT ?""",
                                [max_confidence, limit]),
        "unknown_values": _unknown_values(conn)[:limit],
        "unmatched_names": _rows(conn, """
            SELECT kind, text, count(DISTINCT article_id) AS articles FROM unmatched_mentions
            GROUP BY kind, text ORDER BY articles DESC, text LIMIT ?""", [limit]),
        "single_report": _rows(conn, """
            SELECT event_id, event_date, confidence, summary FROM timeline
            WHERE source_count = 1 ORDER BY event_date DESC LIMIT ?""", [limit]),
    }
