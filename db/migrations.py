"""Schema migrations (sqlite-utils' built-in Migrations); append new ones, never edit old ones.

Each migration uses only its own constants (named after it) and the helpers here, which are
as frozen as the migrations: the schema as it is now, which the store and pages read, is
described in db/schema.py, and nothing here reads it.
"""

from __future__ import annotations

import json

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("tracker")

# The link tables m001 made (m008 indexes them, m012 adds a column to each).
M001_LINK_TABLES = {
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
    for table, (column, target) in M001_LINK_TABLES.items():
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


# ---------------------------------------------------------------- m004: full-text search
# External-content FTS5 indexes kept current by triggers (Datasette detects `content=[table]`
# and offers a search box on `articles` and `events`; the `timeline` view searches
# `events_fts` through its `event_rowid` column, configured in db/metadata.yml).
FTS_INDEXES = {"articles": ("title", "text"), "events": ("summary",)}


def _fts_sql(table: str, columns: tuple[str, ...]) -> list[str]:
    fts = f"{table}_fts"
    cols = ", ".join(f"[{c}]" for c in columns)
    new = ", ".join(f"new.[{c}]" for c in columns)
    old = ", ".join(f"old.[{c}]" for c in columns)
    return [
        f"CREATE VIRTUAL TABLE [{fts}] USING FTS5 ({cols}, content=[{table}], "
        f"tokenize='unicode61 remove_diacritics 2')",
        f"INSERT INTO [{fts}] (rowid, {cols}) SELECT rowid, {cols} FROM [{table}]",
        f"CREATE TRIGGER [{fts}_ai] AFTER INSERT ON [{table}] BEGIN "
        f"INSERT INTO [{fts}] (rowid, {cols}) VALUES (new.rowid, {new}); END",
        f"CREATE TRIGGER [{fts}_ad] AFTER DELETE ON [{table}] BEGIN "
        f"INSERT INTO [{fts}] ([{fts}], rowid, {cols}) VALUES ('delete', old.rowid, {old}); END",
        f"CREATE TRIGGER [{fts}_au] AFTER UPDATE OF {cols} ON [{table}] BEGIN "
        f"INSERT INTO [{fts}] ([{fts}], rowid, {cols}) VALUES ('delete', old.rowid, {old}); "
        f"INSERT INTO [{fts}] (rowid, {cols}) VALUES (new.rowid, {new}); END",
    ]


@migrations()
def m004_full_text_search(db: Database) -> None:
    for table, columns in FTS_INDEXES.items():
        for statement in _fts_sql(table, columns):
            db.execute(statement)


# ---------------------------------------------------------------- m005: timeline for readers
# Every column of m002 under the same name, ordered for readers (what happened first, ids and
# timestamps last), plus: `month` (YYYY-MM, for the month facet), `country_names` (JSON array
# aligned with `countries`), `source_count` and `event_rowid` (the events row id, which the
# `events_fts` index is keyed on). No ORDER BY inside the view: it kept SQLite from flattening
# it, so every count and facet computed all the JSON arrays (1.4 s for the timeline page at
# 5,000 events, 0.1 s without); readers sort (`ORDER BY event_date DESC, first_seen DESC`).
TIMELINE_V2_SQL = f"""
CREATE VIEW timeline AS
SELECT
    e.event_date,
    e.event_type,
    e.summary,
    {_array("event_vendors", "vendor_id", "vendors", "name")} AS vendors,
    {_array("event_models", "model_id", "models", "name")} AS models,
    {_array("event_countries", "country_code", "countries", "code", pk="code")} AS countries,
    {_array("event_agencies", "agency_id", "agencies", "name")} AS agencies,
    {_array("event_partners", "partner_id", "partners", "name")} AS partners,
    (SELECT json_group_array(url) FROM (SELECT DISTINCT a.url AS url FROM event_articles ea
        JOIN articles a ON a.id = ea.article_id WHERE ea.event_id = e.id ORDER BY a.url)) AS urls,
    (SELECT count(DISTINCT ea.article_id) FROM event_articles ea
        WHERE ea.event_id = e.id) AS source_count,
    e.confidence,
    e.date_precision,
    substr(e.event_date, 1, 7) AS month,
    (SELECT json_group_array(name) FROM (SELECT DISTINCT t.code AS code, t.name AS name
        FROM event_countries l JOIN countries t ON t.code = l.country_code
        WHERE l.event_id = e.id ORDER BY t.code)) AS country_names,
    e.id AS event_id,
    e.first_seen,
    e.updated_at,
    e.rowid AS event_rowid
FROM events e
"""


@migrations()
def m005_timeline_month_country_names(db: Database) -> None:
    db.execute("DROP VIEW IF EXISTS timeline")
    db.execute(TIMELINE_V2_SQL)


# ---------------------------------------------------------------- m006: source catalog
# `http_validators`: ETag / Last-Modified per listing URL (conditional GET between runs).
# `discovered_items`: listed items kept for the record: Google News items (resolved or
#   flagged unresolved: title, outlet, date, the news.google.com link) and GDELT discovery
#   metadata (`listed_date` with `date_kind = 'seen'` is GDELT's crawl time, never the
#   publication date).
# `contract_notices`: awards parsed from DoD daily contract pages, linked to the article.
# crawl_runs gains counted skips (bad input), article errors and unresolved items.
@migrations()
def m006_source_catalog(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE http_validators (
            url TEXT PRIMARY KEY,
            source TEXT,
            etag TEXT,
            last_modified TEXT,
            updated_at TEXT NOT NULL
        );

        CREATE TABLE discovered_items (
            key TEXT PRIMARY KEY,         -- gnews:<article id> | gdelt:<url key>
            source TEXT NOT NULL,
            kind TEXT,
            link TEXT NOT NULL,           -- the URL as listed
            url TEXT,                     -- resolved article URL; NULL while unresolved
            status TEXT NOT NULL,         -- resolved | unresolved
            title TEXT,
            outlet TEXT,
            outlet_url TEXT,
            listed_date TEXT,
            date_kind TEXT,               -- published | seen
            language TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            article_id TEXT REFERENCES articles(id),
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL
        );
        CREATE INDEX discovered_items_status ON discovered_items(status);
        CREATE INDEX discovered_items_article ON discovered_items(article_id);

        CREATE TABLE contract_notices (
            id TEXT PRIMARY KEY,          -- article id + position
            article_id TEXT NOT NULL REFERENCES articles(id),
            position INTEGER NOT NULL,
            agency TEXT,                  -- the page's section heading (ARMY, NAVY, ...)
            company TEXT,
            location TEXT,
            small_business INTEGER NOT NULL DEFAULT 0,
            amount_usd INTEGER,
            ceiling_usd INTEGER,
            contract_type TEXT,
            contract_number TEXT,
            contracting_activity TEXT,
            text TEXT NOT NULL
        );
        CREATE INDEX contract_notices_article ON contract_notices(article_id);
        CREATE INDEX contract_notices_company ON contract_notices(company);

        ALTER TABLE crawl_runs ADD COLUMN skipped INTEGER DEFAULT 0;
        ALTER TABLE crawl_runs ADD COLUMN article_errors INTEGER DEFAULT 0;
        ALTER TABLE crawl_runs ADD COLUMN unresolved INTEGER DEFAULT 0;
        """
    )


# ---------------------------------------------------------------- m007: materialised timeline
# The view computed five JSON arrays per event on every read: 5 s for the timeline page with
# its facets at 100,000 events. The arrays now live on `events`, refreshed by the store
# whenever an event's reports change, and `timeline` is a plain projection of `events` with
# the same columns as m005.
M007_TIMELINE_COLUMNS = {
    "vendors": _array("event_vendors", "vendor_id", "vendors", "name"),
    "models": _array("event_models", "model_id", "models", "name"),
    "countries": _array("event_countries", "country_code", "countries", "code", pk="code"),
    "agencies": _array("event_agencies", "agency_id", "agencies", "name"),
    "partners": _array("event_partners", "partner_id", "partners", "name"),
    "urls": """(SELECT json_group_array(url) FROM (SELECT DISTINCT a.url AS url
        FROM event_articles ea JOIN articles a ON a.id = ea.article_id
        WHERE ea.event_id = e.id ORDER BY a.url))""",
    "country_names": """(SELECT json_group_array(name) FROM (SELECT DISTINCT t.code AS code,
        t.name AS name FROM event_countries l JOIN countries t ON t.code = l.country_code
        WHERE l.event_id = e.id ORDER BY t.code))""",
    "source_count": """(SELECT count(DISTINCT ea.article_id) FROM event_articles ea
        WHERE ea.event_id = e.id)""",
}

TIMELINE_V3_SQL = """
CREATE VIEW timeline AS
SELECT event_date, event_type, summary, vendors, models, countries, agencies, partners, urls,
       source_count, confidence, date_precision, month, country_names, id AS event_id,
       first_seen, updated_at, rowid AS event_rowid
FROM events
"""


def _refresh(db: Database, columns: dict[str, str]) -> None:
    """Recompute these columns (column -> SQL of its value for event `e`) of every event."""
    assignments = ", ".join(f"{column} = {sql}" for column, sql in columns.items())
    db.execute(f"UPDATE events AS e SET {assignments}, month = substr(e.event_date, 1, 7)")


@migrations()
def m007_materialised_timeline(db: Database) -> None:
    for column in M007_TIMELINE_COLUMNS:
        kind = "INTEGER NOT NULL DEFAULT 0" if column == "source_count" else \
            "TEXT NOT NULL DEFAULT '[]'"
        db.execute(f"ALTER TABLE events ADD COLUMN {column} {kind}")
    db.execute("ALTER TABLE events ADD COLUMN month TEXT")
    _refresh(db, M007_TIMELINE_COLUMNS)
    db.execute("DROP VIEW IF EXISTS timeline")
    db.execute(TIMELINE_V3_SQL)
    db.execute("CREATE INDEX events_date_seen ON events(event_date DESC, first_seen DESC)")
    db.execute("CREATE INDEX events_type ON events(event_type)")
    db.execute("CREATE INDEX events_month ON events(month)")


@migrations()
def m008_link_article_indexes(db: Database) -> None:
    """Re-linking an article deletes its link rows by article_id: index it, or every save
    scans the link tables and crawl cost grows with the timeline."""
    for table in M001_LINK_TABLES:
        db.execute(f"CREATE INDEX IF NOT EXISTS {table}_article ON {table}(article_id)")


# ---------------------------------------------------------------- m009: corroborated partners
# Outlets list delivery partners loosely (a 'full roster of 20 contractors' in one report, four
# in the next). When three or more reports cover an event, the timeline's `partners` keeps the
# partners named by at least two of them; `partners_reported` keeps every partner any report
# named (each with its evidence in event_partners).
M009_PARTNERS = {"partners": """(SELECT json_group_array(name) FROM (
    SELECT t.name AS name FROM event_partners l JOIN partners t ON t.id = l.partner_id
    WHERE l.event_id = e.id GROUP BY t.name
    HAVING count(DISTINCT l.article_id) >= CASE WHEN (SELECT count(DISTINCT ea.article_id)
        FROM event_articles ea WHERE ea.event_id = e.id) >= 3 THEN 2 ELSE 1 END
    ORDER BY t.name))""",
                 "partners_reported": _array("event_partners", "partner_id", "partners", "name")}

TIMELINE_V4_SQL = """
CREATE VIEW timeline AS
SELECT event_date, event_type, summary, vendors, models, countries, agencies, partners, urls,
       source_count, confidence, date_precision, month, country_names, partners_reported,
       id AS event_id, first_seen, updated_at, rowid AS event_rowid
FROM events
"""


@migrations()
def m009_corroborated_partners(db: Database) -> None:
    db.execute("ALTER TABLE events ADD COLUMN partners_reported TEXT NOT NULL DEFAULT '[]'")
    _refresh(db, M009_PARTNERS)
    db.execute("DROP VIEW IF EXISTS timeline")
    db.execute(TIMELINE_V4_SQL)


# ---------------------------------------------------------------- m010: timeline values index
# One row per (facet, value, event) of the timeline's array columns, kept by triggers from the
# materialised arrays on `events`. Facet counts and `?countries__arraycontains=` filters read
# it through its primary key instead of parsing 100,000 JSON arrays per request (at 100,000
# events: a list facet 60 -> 8 ms, the timeline filtered by a country 1.0 s -> 0.11 s). The
# month and event-type indexes become covering pairs, so either facet on a page filtered by the
# other is counted from the index (150 -> 2 ms).
M010_FACET_COLUMNS = ("vendors", "models", "countries", "agencies", "partners")


def _values_of(row: str, source: str = "") -> str:
    return " UNION ALL ".join(f"SELECT '{column}', j.value, {row}.id "
                              f"FROM {source}json_each({row}.{column}) AS j"
                              for column in M010_FACET_COLUMNS)


@migrations()
def m010_timeline_values(db: Database) -> None:
    db.execute("""CREATE TABLE timeline_values (
        facet TEXT NOT NULL, value TEXT NOT NULL, event_id TEXT NOT NULL,
        PRIMARY KEY (facet, value, event_id)) WITHOUT ROWID""")
    db.execute("CREATE INDEX timeline_values_event ON timeline_values(event_id)")
    db.execute(f"INSERT OR IGNORE INTO timeline_values {_values_of('events', 'events, ')}")
    db.execute(f"""CREATE TRIGGER timeline_values_ai AFTER INSERT ON events BEGIN
        INSERT OR IGNORE INTO timeline_values {_values_of('new')}; END""")
    db.execute(f"""CREATE TRIGGER timeline_values_au
        AFTER UPDATE OF id, {', '.join(M010_FACET_COLUMNS)} ON events BEGIN
        DELETE FROM timeline_values WHERE event_id = old.id;
        INSERT OR IGNORE INTO timeline_values {_values_of('new')}; END""")
    db.execute("""CREATE TRIGGER timeline_values_ad AFTER DELETE ON events BEGIN
        DELETE FROM timeline_values WHERE event_id = old.id; END""")
    db.execute("DROP INDEX IF EXISTS events_month")
    db.execute("DROP INDEX IF EXISTS events_type")
    db.execute("CREATE INDEX events_month_type ON events(month, event_type)")
    db.execute("CREATE INDEX events_type_month ON events(event_type, month)")


# ---------------------------------------------------------------- m011: event type by date
# The timeline filtered by event type, newest first, read every event of that type and sorted
# them (50-60 ms at 100,000 events); with the events of a type in date order it reads the first
# page only (0.1 ms).
@migrations()
def m011_event_type_date_index(db: Database) -> None:
    db.execute("CREATE INDEX IF NOT EXISTS events_type_date ON events(event_type, event_date)")


# ---------------------------------------------------------------- m012: report identity
# Merging moved out of the store's first-come matching into tracker/events/merge.py, which
# regroups every report of an announcement's neighbourhood, so the timeline is a function of
# the set of articles, not of crawl order. Each report keeps what it said (`report`, JSON of
# its values with evidence, confidence and rule, and its identity: headline vendors, amounts,
# model families, date source); `report_facts` indexes the identity for finding neighbours.
# A merged row's arrays keep the values at least half of its reports support; the union stays
# in `*_reported`. Entity tables gain `normalized` (0: an open-vocabulary name no alias table
# knows) and link tables the `rule` that produced each value. Rows stored before m012 carry
# their link values as identity; `tracker reprocess` re-derives the full identity.
def _majority(link: str, column: str, target: str, label: str, pk: str = "id") -> str:
    return f"""(SELECT json_group_array({label}) FROM (
    SELECT t.{label} AS {label} FROM {link} l JOIN {target} t ON t.{pk} = l.{column}
    WHERE l.event_id = e.id GROUP BY t.{label}
    HAVING 2 * count(DISTINCT l.article_id) >= (SELECT count(DISTINCT ea.article_id)
        FROM event_articles ea WHERE ea.event_id = e.id)
    ORDER BY t.{label}))"""


M012_REPORTED = {"vendors": ("event_vendors", "vendor_id", "vendors", "name", "id"),
                 "models": ("event_models", "model_id", "models", "name", "id"),
                 "countries": ("event_countries", "country_code", "countries", "code", "code"),
                 "agencies": ("event_agencies", "agency_id", "agencies", "name", "id"),
                 "partners": ("event_partners", "partner_id", "partners", "name", "id")}
M012_TIMELINE_COLUMNS = {column: sql for field, spec in M012_REPORTED.items()
                         for column, sql in ((field, _majority(*spec)),
                                             (f"{field}_reported", _array(*spec)))}

TIMELINE_V5_SQL = """
CREATE VIEW timeline AS
SELECT event_date, event_type, summary, vendors, models, countries, agencies, partners, urls,
       source_count, confidence, date_precision, month, country_names, partners_reported,
       vendors_reported, models_reported, countries_reported, agencies_reported,
       id AS event_id, first_seen, updated_at, rowid AS event_rowid
FROM events
"""


def _backfill_reports(db: Database) -> None:
    """Reports stored before m012: their link values become their report and identity."""
    pairs = db.execute("SELECT event_id, article_id, position, event_type, event_date, "
                       "date_precision FROM event_articles").fetchall()
    for event_id, article_id, position, event_type, event_date, precision in pairs:
        report = {"event_type": event_type, "event_date": event_date,
                  "date_precision": precision, "identity": {}}
        for table, (column, target) in M001_LINK_TABLES.items():
            report[target] = [{"id": r[0], "evidence": r[1], "confidence": r[2]}
                              for r in db.execute(
                f"SELECT {column}, evidence, confidence FROM {table} "
                "WHERE event_id = ? AND article_id = ?", [event_id, article_id])]
        db.execute("UPDATE event_articles SET report = ? WHERE event_id = ? AND article_id = ? "
                   "AND position = ?", [json.dumps(report), event_id, article_id, position])
        db.execute("INSERT OR IGNORE INTO report_facts (kind, value, article_id, position) "
                   "SELECT 'vendor', vendor_id, article_id, ? FROM event_vendors "
                   "WHERE event_id = ? AND article_id = ?", [position, event_id, article_id])


@migrations()
def m012_report_identity(db: Database) -> None:
    db.execute("ALTER TABLE event_articles ADD COLUMN report TEXT NOT NULL DEFAULT '{}'")
    db.execute("CREATE INDEX event_articles_date ON event_articles(event_date)")
    db.execute("""CREATE TABLE report_facts (
        kind TEXT NOT NULL,           -- vendor | agency | family | amount
        value TEXT NOT NULL, article_id TEXT NOT NULL, position INTEGER NOT NULL,
        PRIMARY KEY (kind, value, article_id, position)) WITHOUT ROWID""")
    db.execute("CREATE INDEX report_facts_article ON report_facts(article_id)")
    for table in M001_LINK_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN rule TEXT")
    for table in ("vendors", "models", "partners", "agencies"):
        db.execute(f"ALTER TABLE {table} ADD COLUMN normalized INTEGER NOT NULL DEFAULT 1")
    for field in ("vendors", "models", "countries", "agencies"):
        db.execute(f"ALTER TABLE events ADD COLUMN {field}_reported TEXT NOT NULL DEFAULT '[]'")
    _backfill_reports(db)
    _refresh(db, M012_TIMELINE_COLUMNS)
    db.execute("DROP VIEW IF EXISTS timeline")
    db.execute(TIMELINE_V5_SQL)


# ---------------------------------------------------------------- m013: article provenance
# `fetched_url`: the URL the page was actually fetched from (the stored `url` may be its
# rel=canonical). `canonical_claim`: a rel=canonical the page declared but that was not used
# as its URL (another registrable domain, another source's article, or a canonical shared by
# pages with different text), kept as a note for review.
@migrations()
def m013_article_provenance(db: Database) -> None:
    db.execute("ALTER TABLE articles ADD COLUMN fetched_url TEXT")
    db.execute("ALTER TABLE articles ADD COLUMN canonical_claim TEXT")


# ---------------------------------------------------------------- m014: partners by reporters
# Outlets list an announcement's delivery partners or leave them out: a report that names no
# partner at all says nothing against those the others name. A merged row's `partners` keeps
# the partners named by at least half of the reports that name any.
M014_PARTNERS = """(SELECT json_group_array(name) FROM (
    SELECT t.name AS name FROM event_partners l JOIN partners t ON t.id = l.partner_id
    WHERE l.event_id = e.id GROUP BY t.name
    HAVING 2 * count(DISTINCT l.article_id) >= (SELECT count(DISTINCT named.article_id)
        FROM event_partners named WHERE named.event_id = e.id)
    ORDER BY t.name))"""


@migrations()
def m014_partners_by_reporters(db: Database) -> None:
    _refresh(db, {"partners": M014_PARTNERS})


# ---------------------------------------------------------------- m015: event redirects
# An event is named after its earliest report, so a report found later, or a regrouping, can
# give an announcement a new id. Links to the old one (a feed entry, a bookmarked event page)
# follow `event_redirects` to where its reports went.
@migrations()
def m015_event_redirects(db: Database) -> None:
    db.execute("""CREATE TABLE event_redirects (
        old_id TEXT PRIMARY KEY, new_id TEXT NOT NULL, moved_at TEXT NOT NULL)""")
    db.execute("CREATE INDEX event_redirects_new ON event_redirects(new_id)")


# ---------------------------------------------------------------- m016: deal facts
# What a deal is worth, under which vehicle, at which security level, and how far along it is
# (tracker/events/deal.py), kept per report like the link tables: `event_facts` one row per
# value (its kind as `code`: awarded, obligated, ceiling, nominal, free, undisclosed; amount
# and currency as written, US dollars at the announcement date with the rate and its source),
# vehicle or security level (normalized code, text as written, who says so), `event_stages`
# one dated stage per report. The timeline row shows one value (never a sum of kinds), the
# vehicle most reports name, the highest security level, the latest stage and the dated steps
# (`stages`), all facetable. Rows stored before m016 gain them on `tracker reprocess`.
M016_DEAL_COLUMNS = {"value_kind": "TEXT", "value_amount": "REAL", "value_currency": "TEXT",
                "value_usd": "REAL", "vehicle": "TEXT", "security_level": "TEXT",
                "security_said_by": "TEXT", "stage": "TEXT", "stages": "TEXT NOT NULL DEFAULT '[]'"}


def add_timeline_columns(db: Database, columns) -> None:
    """Recreate the timeline view with `columns` (of `events`) added to whatever columns other
    migrations gave it, so the order m016 (deal facts) and m017 (records) land in does not
    matter."""
    view = db.execute("SELECT sql FROM sqlite_master WHERE type = 'view' "
                      "AND name = 'timeline'").fetchone()[0]
    head, found, tail = view.rpartition("FROM events")
    if not found or tail.strip():
        raise ValueError("the timeline view no longer ends with FROM events")
    db.execute("DROP VIEW timeline")
    db.execute(f"{head.rstrip()}, {', '.join(columns)}\nFROM events{tail}")


@migrations()
def m016_deal_facts(db: Database) -> None:
    db.execute("""CREATE TABLE event_facts (
        event_id TEXT NOT NULL REFERENCES events(id),
        article_id TEXT NOT NULL REFERENCES articles(id),
        position INTEGER NOT NULL,    -- the report's index within its article
        fact TEXT NOT NULL,           -- value | vehicle | security
        code TEXT NOT NULL,           -- a value's kind; a vehicle's or security level's code
        text TEXT NOT NULL,           -- as the article writes it
        amount REAL, currency TEXT,   -- values: as written (free: 0; undisclosed: NULL)
        amount_usd REAL, fx_rate REAL, fx_month TEXT, fx_source TEXT,
        said_by TEXT,                 -- security levels: official | vendor | press
        evidence TEXT, confidence REAL NOT NULL, rule TEXT,
        PRIMARY KEY (event_id, article_id, position, fact, code, text))""")
    db.execute("CREATE INDEX event_facts_article ON event_facts(article_id)")
    db.execute("CREATE INDEX event_facts_code ON event_facts(fact, code)")
    db.execute("""CREATE TABLE event_stages (
        event_id TEXT NOT NULL REFERENCES events(id),
        article_id TEXT NOT NULL REFERENCES articles(id),
        position INTEGER NOT NULL,
        stage TEXT NOT NULL,          -- one of tracker/events/deal.py STAGES
        stage_date TEXT, evidence TEXT, confidence REAL NOT NULL, rule TEXT,
        PRIMARY KEY (event_id, article_id, position))""")
    db.execute("CREATE INDEX event_stages_article ON event_stages(article_id)")
    for column, kind in M016_DEAL_COLUMNS.items():
        db.execute(f"ALTER TABLE events ADD COLUMN {column} {kind}")
    # Most events state no value, vehicle or level: partial indexes hold only those that do,
    # so the timeline's unfiltered facet counts read a few index entries, not every event.
    db.execute("CREATE INDEX events_value_kind ON events(value_kind, value_usd) "
                "WHERE value_kind IS NOT NULL")
    for column in ("vehicle", "security_level"):
        db.execute(f"CREATE INDEX events_{column} ON events({column}) WHERE {column} IS NOT NULL")
    db.execute("CREATE INDEX events_stage ON events(stage)")
    add_timeline_columns(db, M016_DEAL_COLUMNS)


# ---------------------------------------------------------------- m017: official records
# Award, authorization and notice records read from official sources (USAspending, the FedRAMP
# Marketplace, the AI Use Case Inventory, TED, OCDS publishers), one row per record, keyed
# `<kind>:<id at the publisher>`. `value` is one amount of one `value_kind` (obligation: money
# committed; ceiling: the most that may be spent; estimate: a notice's estimated value): kinds
# are never added up. `raw` keeps the publisher's JSON for the record.
# `record_links`: each event's candidate records with a score and the reason (`kind` = match),
# or, where no record can exist, why (`kind` = no_record, `reason_code` dod_90_day_delay,
# ota_not_in_usaspending, national_security_excluded, classified or non_us_no_registry).
# `events.records` (and the timeline's `records`) lists the matched record ids, else the
# no-record reasons as `no_record:<code>`. crawl_runs counts the records a run stored first.
RECORDS_COLUMN = "records"


@migrations()
def m017_official_records(db: Database) -> None:
    db.executescript(
        """
        CREATE TABLE official_records (
            id TEXT PRIMARY KEY,          -- <kind>:<record id at the publisher>
            kind TEXT NOT NULL,           -- usaspending | fedramp | ai_inventory | ted | ocds
            source TEXT NOT NULL,         -- the sources.yml entry that listed it last
            record_id TEXT NOT NULL,      -- PIID / FedRAMP id / notice number / ocid
            record_type TEXT,             -- award | idv | authorization | status_change | ...
            title TEXT,
            agency TEXT,
            sub_agency TEXT,
            recipient TEXT,               -- vendor, recipient or cloud service provider
            country TEXT,                 -- buyer country, ISO 3166-1 alpha-3
            value REAL,
            value_kind TEXT,              -- obligation | ceiling | estimate
            currency TEXT,                -- ISO 4217, as published (no conversion)
            record_date TEXT,             -- YYYY-MM-DD: award, authorization or notice date
            start_date TEXT,
            end_date TEXT,
            vehicle TEXT,                 -- parent award / framework / contract vehicle id
            status TEXT,                  -- FedRAMP status, notice stage, use-case stage
            security_level TEXT,          -- FedRAMP impact level (Low, Moderate, High, ...)
            url TEXT,
            as_of TEXT,                   -- the publication the record comes from (an OCDS
                                          -- release's date): an older one never replaces it
            raw TEXT NOT NULL,            -- the publisher's JSON for this record
            content_hash TEXT NOT NULL,
            first_seen TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX official_records_kind ON official_records(kind, record_type);
        CREATE INDEX official_records_recipient ON official_records(recipient);
        CREATE INDEX official_records_date ON official_records(record_date);

        CREATE TABLE record_links (
            event_id TEXT NOT NULL,
            link TEXT NOT NULL,           -- the record id, or no_record:<reason_code>
            kind TEXT NOT NULL,           -- match | no_record
            record_id TEXT REFERENCES official_records(id),
            score REAL,
            reason_code TEXT NOT NULL,
            reason TEXT NOT NULL,
            linked_at TEXT NOT NULL,
            PRIMARY KEY (event_id, link)
        );
        CREATE INDEX record_links_record ON record_links(record_id);
        CREATE INDEX record_links_reason ON record_links(reason_code);
        """
    )
    db.execute(f"ALTER TABLE events ADD COLUMN {RECORDS_COLUMN} TEXT NOT NULL DEFAULT '[]'")
    db.execute("ALTER TABLE crawl_runs ADD COLUMN new_records INTEGER DEFAULT 0")
    add_timeline_columns(db, [RECORDS_COLUMN])


# ---------------------------------------------------------------- m018: events version
# A number that grows with every change to `events`, read in the same transaction as the rows a
# page shows: Datasette's in-memory facet index (tracker/facet_index.py) is rebuilt when it moves.
# (PRAGMA data_version is per connection and Datasette reads through several.)
@migrations()
def m018_events_version(db: Database) -> None:
    db.execute("CREATE TABLE events_version (id INTEGER PRIMARY KEY CHECK (id = 1), "
               "version INTEGER NOT NULL)")
    db.execute("INSERT INTO events_version VALUES (1, 0)")
    for change in ("INSERT", "UPDATE", "DELETE"):
        db.execute(f"CREATE TRIGGER events_version_{change.lower()} AFTER {change} ON events "
                   "BEGIN UPDATE events_version SET version = version + 1; END")
