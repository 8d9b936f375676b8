"""Schema migrations (sqlite-utils' built-in Migrations); append new ones, never edit old ones."""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("tracker")

LINK_TABLES = {
    "event_vendors": ("vendor_id", "vendors"),
    "event_models": ("model_id", "models"),
    "event_countries": ("country_code", "countries"),
    "event_agencies": ("agency_id", "agencies"),
    "event_partners": ("partner_id", "partners"),
}


@migrations()
def m001_core_tables(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE articles (
            id TEXT PRIMARY KEY,          -- sha1 of the URL identity key
            url TEXT NOT NULL UNIQUE,
            url_key TEXT NOT NULL UNIQUE,
            source TEXT NOT NULL,
            title TEXT,
            published TEXT,               -- YYYY-MM-DD publication date
            published_from TEXT,          -- page | feed
            fetched_at TEXT NOT NULL,     -- UTC ISO timestamp of the last fetch
            language TEXT,
            text TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            flags TEXT NOT NULL DEFAULT '[]',
            relevant INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX articles_source ON articles(source);
        CREATE INDEX articles_published ON articles(published);

        CREATE TABLE vendors (id TEXT PRIMARY KEY, name TEXT NOT NULL, wikidata TEXT);
        CREATE TABLE models (id TEXT PRIMARY KEY, name TEXT NOT NULL,
                             vendor_id TEXT REFERENCES vendors(id), wikidata TEXT);
        CREATE TABLE partners (id TEXT PRIMARY KEY, name TEXT NOT NULL, wikidata TEXT);
        CREATE TABLE agencies (id TEXT PRIMARY KEY, name TEXT NOT NULL, country TEXT,
                               kind TEXT, wikidata TEXT);
        CREATE TABLE countries (code TEXT PRIMARY KEY, name TEXT NOT NULL, alpha_2 TEXT,
                                latitude REAL, longitude REAL);

        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            event_date TEXT,              -- YYYY-MM-DD (first day of the month at month precision)
            date_precision TEXT,          -- day | month | year
            event_type TEXT NOT NULL,
            summary TEXT,
            confidence REAL NOT NULL,
            first_seen TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX events_date ON events(event_date);

        CREATE TABLE event_articles (
            event_id TEXT NOT NULL REFERENCES events(id),
            article_id TEXT NOT NULL REFERENCES articles(id),
            position INTEGER NOT NULL,    -- index of the event within the article
            event_type TEXT NOT NULL,
            event_date TEXT,
            date_precision TEXT,
            evidence TEXT,
            confidence REAL NOT NULL,
            PRIMARY KEY (event_id, article_id, position)
        );
        CREATE INDEX event_articles_article ON event_articles(article_id);

        CREATE TABLE unmatched_mentions (
            article_id TEXT NOT NULL REFERENCES articles(id),
            kind TEXT NOT NULL,           -- organisation | product
            text TEXT NOT NULL,
            sentence TEXT,
            PRIMARY KEY (article_id, kind, text)
        );

        CREATE TABLE crawl_runs (
            run_id TEXT NOT NULL,
            source TEXT NOT NULL,
            kind TEXT,
            started TEXT NOT NULL,
            finished TEXT,
            status TEXT,
            reason TEXT,
            items_found INTEGER DEFAULT 0,
            new_articles INTEGER DEFAULT 0,
            events INTEGER DEFAULT 0,
            requests INTEGER DEFAULT 0,
            PRIMARY KEY (run_id, source)
        );
        """
    )
    for table, (column, target) in LINK_TABLES.items():
        target_pk = "code" if target == "countries" else "id"
        db.execute(
            f"""CREATE TABLE {table} (
                event_id TEXT NOT NULL REFERENCES events(id),
                {column} TEXT NOT NULL REFERENCES {target}({target_pk}),
                article_id TEXT NOT NULL REFERENCES articles(id),
                evidence TEXT,
                confidence REAL NOT NULL,
                PRIMARY KEY (event_id, {column}, article_id))"""
        )
        db.execute(f"CREATE INDEX {table}_value ON {table}({column})")


def _array(link: str, column: str, target: str, label: str, pk: str = "id") -> str:
    return (
        f"(SELECT json_group_array({label}) FROM (SELECT DISTINCT t.{label} AS {label} "
        f"FROM {link} l JOIN {target} t ON t.{pk} = l.{column} "
        f"WHERE l.event_id = e.id ORDER BY t.{label}))"
    )


TIMELINE_SQL = f"""
CREATE VIEW timeline AS
SELECT
    e.id AS event_id,
    e.event_date,
    e.date_precision,
    e.event_type,
    e.summary,
    {_array("event_vendors", "vendor_id", "vendors", "name")} AS vendors,
    {_array("event_models", "model_id", "models", "name")} AS models,
    {_array("event_countries", "country_code", "countries", "code", pk="code")} AS countries,
    {_array("event_agencies", "agency_id", "agencies", "name")} AS agencies,
    {_array("event_partners", "partner_id", "partners", "name")} AS partners,
    (SELECT json_group_array(url) FROM (SELECT DISTINCT a.url AS url FROM event_articles ea
        JOIN articles a ON a.id = ea.article_id WHERE ea.event_id = e.id ORDER BY a.url)) AS urls,
    e.confidence,
    e.first_seen,
    e.updated_at
FROM events e
ORDER BY e.event_date DESC, e.first_seen DESC
"""


@migrations()
def m002_timeline_view(db: Database) -> None:
    db.execute(TIMELINE_SQL)


@migrations(transactional=False)
def m003_wal(db: Database) -> None:
    db.enable_wal()
