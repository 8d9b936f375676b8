"""Migrations are history: each makes what it made when it was written, whatever the schema
is now (db/schema.py)."""

import json
from pathlib import Path

from sqlite_utils import Database

from db.migrations import migrations
from db.schema import refresh_timeline_columns

# sqlite_master after m001-m018 on a fresh database, recorded before the migrations stopped
# sharing the timeline's column definitions with the store.
SCHEMA_M018 = Path(__file__).parent / "fixtures" / "db" / "schema-m018.json"
SCHEMA_SQL = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name"


def migrated(until: list[str]) -> Database:
    """A fresh in-memory database with the migrations up to the last of `until` applied."""
    db = Database(memory=True)
    later = [m.name for m in migrations.pending(db) if m.name not in until]
    migrations.apply(db, stop_before=later)
    return db


def test_the_recorded_migrations_make_the_schema_they_made():
    recorded = json.loads(SCHEMA_M018.read_text())
    db = migrated(recorded["migrations"])
    assert [m.name for m in migrations.applied(db)] == recorded["migrations"]
    assert [list(row) for row in db.execute(SCHEMA_SQL)] == recorded["sqlite_master"]


def _one_event_of_three_reports(db: Database) -> None:
    """One event three articles report, as the store wrote it before m007 (no JSON columns)."""
    db["vendors"].insert_all([{"id": "meta", "name": "Meta"}, {"id": "ibm", "name": "IBM"}])
    db["partners"].insert({"id": "aws", "name": "AWS"})
    db["countries"].insert({"code": "USA", "name": "United States"})
    db["events"].insert({"id": "e1", "event_date": "2025-03-04", "event_type": "contract",
                         "confidence": 0.8, "first_seen": "t", "updated_at": "t"})
    for article, vendors in (("a1", ["meta", "ibm"]), ("a2", ["meta"]), ("a3", ["meta"])):
        db["articles"].insert({"id": article, "url": f"https://{article}.example/",
                               "url_key": f"{article}.example", "source": "s",
                               "fetched_at": "t", "text": "x", "content_hash": article})
        db["event_articles"].insert({"event_id": "e1", "article_id": article, "position": 0,
                                     "event_type": "contract", "confidence": 0.8})
        for vendor in vendors:
            db["event_vendors"].insert({"event_id": "e1", "vendor_id": vendor,
                                        "article_id": article, "confidence": 0.9})
        db["event_countries"].insert({"event_id": "e1", "country_code": "USA",
                                      "article_id": article, "confidence": 0.9})
    db["event_partners"].insert({"event_id": "e1", "partner_id": "aws", "article_id": "a1",
                                 "confidence": 0.6})


def test_stored_events_migrated_forward_show_what_the_store_computes_now():
    db = migrated(["m001_core_tables", "m002_timeline_view", "m003_wal",
                   "m004_full_text_search", "m005_timeline_month_country_names",
                   "m006_source_catalog"])
    _one_event_of_three_reports(db)
    migrations.apply(db)
    migrated_row = dict(next(db.query("SELECT * FROM timeline")))
    assert migrated_row["vendors"] == '["Meta"]'  # IBM: named by one report of three
    assert migrated_row["vendors_reported"] == '["IBM","Meta"]'
    assert migrated_row["partners"] == '["AWS"]'  # the only report naming partners names it
    refresh_timeline_columns(db)
    assert dict(next(db.query("SELECT * FROM timeline"))) == migrated_row
