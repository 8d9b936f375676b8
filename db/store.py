"""The store: idempotent writes of articles and events, regrouping reports into events as the
timeline's rules (db/rules.py, answered by tracker/timeline.py) decide."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from collections import Counter
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from sqlite_utils import Database

from db.migrations import migrations
from db.reading import TIMELINE_ARRAYS
from db.rules import Neighbourhood, Report, ReportKey, TimelineRules
from db.schema import DEAL_COLUMNS, FACT_TABLES, LINK_TABLES, refresh_timeline_columns

BUSY_TIMEOUT_MS = 10_000
SQL_IN_CHUNK = 500  # parameters per IN list, well under SQLite's limit
LINK_TEXT_CHARS = 20_000  # of each article, read when linking events to official records
LINKED_EVENT_COLUMNS = ("e.event_type", "e.event_date", "e.summary", "e.vendors", "e.models",
                        "e.countries", "e.agencies", "e.partners")
# Deal facts on events (a later migration of the events layer), read by linking where present.
DEAL_FACT_COLUMNS = ("vehicle", "value_kind", "value_amount", "value_currency")
FIELD_TABLES = {  # event dict field -> link table
    "vendors": "event_vendors",
    "models": "event_models",
    "countries": "event_countries",
    "agencies": "event_agencies",
    "partners": "event_partners",
}
ENTITY_KEYS = {"vendors": "id", "models": "id", "partners": "id", "agencies": "id",
               "countries": "code"}


CENTROIDS_CSV = Path(__file__).with_name("country_centroids.csv")


@lru_cache(maxsize=1)
def country_centroids() -> dict[str, tuple[float, float]]:
    """ISO alpha-3 -> approximate (latitude, longitude), for the Datasette map."""
    if not CENTROIDS_CSV.exists():  # the map loses its points; crawling must not stop
        return {}
    with CENTROIDS_CSV.open(newline="", encoding="utf-8") as handle:
        return {r["code"]: (float(r["latitude"]), float(r["longitude"]))
                for r in csv.DictReader(handle)}


def _successors(before: dict, after: dict) -> dict[str, str]:
    """Old event id -> the new id most of its reports moved to (ties: the smallest id)."""
    moved: dict[str, Counter] = {}
    for key, old in before.items():
        new = after.get(key)
        if old and new and new != old:
            moved.setdefault(old, Counter())[new] += 1
    return {old: min(to, key=lambda e: (-to[e], e)) for old, to in moved.items()}


def now_iso(timespec: str = "seconds") -> str:
    return datetime.now(UTC).isoformat(timespec=timespec)


def article_id_for_key(url_key: str) -> str:
    """The id an article is stored under: its URL key's (TimelineRules.url_key) hash."""
    return hashlib.sha1(url_key.encode("utf-8")).hexdigest()[:20]


def read_article(path: str | Path, url_key: str) -> dict | None:
    """The stored article with this URL key, read through a read-only connection: no
    migration, no write, no wait on a running crawl."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True,
                           timeout=BUSY_TIMEOUT_MS / 1000)
    conn.row_factory = sqlite3.Row
    try:
        row = conn.execute("SELECT url, title, text, published, language FROM articles "
                           "WHERE url_key = ?", [url_key]).fetchone()
    finally:
        conn.close()
    return dict(row) if row else None


STORE_ERRORS = {  # SQLite result code -> what an operator should look at
    "SQLITE_FULL": "disk full",
    "SQLITE_BUSY": f"database locked by another writer for over {BUSY_TIMEOUT_MS // 1000} s",
    "SQLITE_LOCKED": "database locked",
    "SQLITE_READONLY": "database is read-only",
    "SQLITE_IOERR": "disk I/O error",
    "SQLITE_CORRUPT": "database is corrupt",
    "SQLITE_CANTOPEN": "cannot open the database file",
}


def describe_store_error(exc: sqlite3.Error) -> str:
    """One line saying why a write failed: the cause first, SQLite's own words after."""
    code = getattr(exc, "sqlite_errorname", None) or ""
    cause = next((what for name, what in STORE_ERRORS.items() if code.startswith(name)), None)
    if cause is None and isinstance(exc, (sqlite3.InterfaceError, sqlite3.ProgrammingError)):
        cause = "a value SQLite cannot store"
    return f"{cause or type(exc).__name__}: {str(exc)[:200]}"


@dataclass
class SaveResult:
    article_id: str
    new_article: bool
    event_ids: list[str]
    kept: bool = False  # not written: the URL holds another source's article


class Store:
    """One SQLite database (migrated to the current schema); WAL mode so Datasette can read
    while cron writes. Saving articles needs `rules`: the store applies their decisions.

    `read_only`: no migrations and no checkpoint, for readers (stats, export, serve) of a
    database whose schema is current, so they never contend with a crawl.
    """

    def __init__(self, db: Database, rules: TimelineRules | None = None,
                 read_only: bool = False):
        self.db = db
        self.rules = rules
        self.read_only = read_only
        if not read_only:
            migrations.apply(db)

    @classmethod
    def open(cls, path: str | Path, rules: TimelineRules | None = None,
             read_only: bool = False) -> Store:
        """The store of the database file at `path` (created with its directory unless
        read_only), each statement waiting up to BUSY_TIMEOUT_MS for another writer."""
        if read_only:
            target = f"{Path(path).resolve().as_uri()}?mode=ro"
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            target = str(path)
        conn = sqlite3.connect(target, uri=read_only, timeout=BUSY_TIMEOUT_MS / 1000,
                               isolation_level=None)
        db = Database(conn)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        store = cls(db, rules, read_only)
        if not read_only:
            db.execute("PRAGMA synchronous = NORMAL")
        return store

    @contextmanager
    def writing(self):
        """One write transaction holding SQLite's write lock from its start (BEGIN IMMEDIATE).

        A deferred transaction that reads before it writes got "database is locked" at once
        whenever another connection was writing: SQLite calls no busy handler for a connection
        that already holds a read snapshot, so the 10 s busy timeout never applied.
        """
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            if self.db.conn.in_transaction:
                self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        if self.read_only:
            self.db.conn.close()
            return
        # A reader holding the WAL leaves it to the next run's checkpoint.
        with suppress(sqlite3.OperationalError):
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.db.conn.close()

    # ------------------------------------------------------------------ entities
    def sync_entities(self, rows: dict[str, list[dict]]) -> None:
        """Upsert reference rows (table -> rows: vendors, models, partners, agencies,
        countries), never deleting any: links stay valid."""
        with self.writing():
            for table, entities in rows.items():
                self.db[table].upsert_all(entities, pk=ENTITY_KEYS[table])

    # ------------------------------------------------------------------ articles
    def known_url_keys(self) -> frozenset[str]:
        """URL keys of stored articles, and of the pages they were fetched from (a page stored
        under its canonical URL is not fetched again under its own)."""
        known = set()
        for key, fetched in self.db.execute("SELECT url_key, fetched_url FROM articles"):
            known.add(key)
            if fetched:
                known.add(self.rules.url_key(fetched))
        return frozenset(known)

    def counts(self) -> dict[str, int]:
        tables = ["articles", "events", "event_articles", *LINK_TABLES, "unmatched_mentions",
                  "contract_notices", "discovered_items", "official_records", "record_links"]
        return {t: self.db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}

    def save_article(self, article: dict, source: str, events: list[dict],
                     unmatched: list[dict]) -> SaveResult:
        """Upsert the article and regroup its reports with their neighbours; one transaction,
        safe to repeat. Another source's article is never overwritten (see _place)."""
        with self.writing():
            placed = self._place(article, source)
            if placed is None:
                return SaveResult(self._article_id(article["url"]), False, [], kept=True)
            return self._write(self._article_row(placed, source), events, unmatched)

    def _article_id(self, url: str) -> str:
        return article_id_for_key(self.rules.url_key(url))

    def _article_row(self, article: dict, source: str) -> dict:
        key = self.rules.url_key(article["url"])
        return {
            "id": article_id_for_key(key),
            "url": article["url"],
            "url_key": key,
            "source": source,
            "title": article.get("title"),
            "published": article.get("published"),
            "published_from": article.get("published_from"),
            "fetched_at": article.get("fetched_at") or now_iso("microseconds"),
            "language": article.get("language"),
            "text": article["text"],
            "content_hash": article["content_hash"],
            "flags": json.dumps(article.get("flags") or []),
            "fetched_url": article.get("fetched_url") or article["url"],
            "canonical_claim": article.get("canonical_claim"),
        }

    def _write(self, row: dict, events: list[dict], unmatched: list[dict],
               orphans: list[Report] = (), emptied: set[str] = frozenset()) -> SaveResult:
        """Write one article row with its reports and review names; regroup their events."""
        article_id = row["id"]
        existing = self.db.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone()
        self._upsert("articles", ("id",), {**row, "relevant": int(bool(events))})
        # a new article has no links to undo
        undone, lost = self._unlink_article(article_id) if existing else ([], set())
        # a report keeps its index among the article's derived events ("position", set when a
        # reviewer's decision rejected an earlier one), so decisions keep matching
        reports = [self._insert_report(article_id, event.get("position", position), event)
                   for position, event in enumerate(events)]
        assigned = self._regroup(reports, [*orphans, *undone], set(emptied) | lost)
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO unmatched_mentions (article_id, kind, text, sentence) "
            "VALUES (?, ?, ?, ?)",
            [(article_id, u["kind"], u["text"], u.get("sentence")) for u in unmatched])
        return SaveResult(article_id, existing is None, [assigned[r.key] for r in reports])

    # ------------------------------------------------------------------ provenance
    def _holder(self, url: str) -> dict | None:
        """Who holds the row at this URL: source, the page it was fetched from, its text hash."""
        row = self.db.execute("SELECT source, coalesce(fetched_url, url), content_hash "
                              "FROM articles WHERE id = ?", [self._article_id(url)]).fetchone()
        return {"source": row[0], "fetched": row[1], "content_hash": row[2]} if row else None

    def _place(self, article: dict, source: str) -> dict | None:
        """The article as it is to be stored: at its (canonical) URL, unless that row holds
        another source's article, or another page's different text (a canonical shared by
        several pages stands for none of them: that row moves back to the page it was fetched
        from). Then it goes to the URL it was fetched from, the canonical kept as a claim.
        None when even that URL holds another source's article: it is left as it is."""
        url = article["url"]
        fetched = article.get("fetched_url") or url
        held = self._holder(url)
        if held is None:
            return article
        own_page = self._article_id(held["fetched"]) == self._article_id(fetched)
        if held["source"] == source:
            if own_page or held["content_hash"] == article["content_hash"]:
                return article  # the same article again: refetched, edited, reprocessed
            if self._article_id(held["fetched"]) != self._article_id(url):
                self._move_article(self._article_id(url), held["fetched"])
        if self._article_id(fetched) == self._article_id(url):
            return article if held["source"] == source else None
        return self._place({**article, "url": fetched, "canonical_claim": url}, source)

    def _move_article(self, article_id: str, url: str) -> None:
        """Store an article under another URL with its reports, review names, contract
        notices and listing records; left in place if that URL holds a row already."""
        new_id = self._article_id(url)
        if self.db.execute("SELECT 1 FROM articles WHERE id = ?", [new_id]).fetchone():
            return
        row = dict(next(self.db.query("SELECT * FROM articles WHERE id = ?", [article_id])))
        events = [{**json.loads(report), "evidence": evidence} for report, evidence in
                  self.db.execute("SELECT report, evidence FROM event_articles WHERE "
                                  "article_id = ? ORDER BY position", [article_id])]
        unmatched = [{"kind": k, "text": t, "sentence": s} for k, t, s in self.db.execute(
            "SELECT kind, text, sentence FROM unmatched_mentions WHERE article_id = ?",
            [article_id])]
        orphans, emptied = self._unlink_article(article_id)
        self.db.execute("DELETE FROM articles WHERE id = ?", [article_id])
        moved = {**row, "id": new_id, "url": url, "url_key": self.rules.url_key(url),
                 "canonical_claim": row["url"]}
        self._write(moved, events, unmatched, orphans, emptied)
        self.db.execute("UPDATE contract_notices SET id = ? || ':' || position, article_id = ? "
                        "WHERE article_id = ?", [new_id, new_id, article_id])
        self.db.execute("UPDATE discovered_items SET article_id = ? WHERE article_id = ?",
                        [new_id, article_id])

    def _upsert(self, table: str, keys: tuple[str, ...], row: dict) -> None:
        """INSERT ... ON CONFLICT DO UPDATE in one statement (sqlite-utils' upsert introspects
        the table on every call, which was half of the cost of saving an article)."""
        columns = list(row)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
        self.db.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT({', '.join(keys)}) DO UPDATE SET {updates}", list(row.values()))

    def _unlink_article(self, article_id: str) -> tuple[list[Report], set[str]]:
        """Remove the article's reports; returns the reports that shared an event with them
        (to be regrouped without them) and the events that lost a report."""
        old_events = {r[0] for r in self.db.execute(
            "SELECT DISTINCT event_id FROM event_articles WHERE article_id = ?", [article_id])}
        for table in ("event_articles", *LINK_TABLES, *FACT_TABLES, "unmatched_mentions",
                      "report_facts"):
            self.db.execute(f"DELETE FROM [{table}] WHERE article_id = ?", [article_id])
        orphans = [report for event_id in old_events for report in self._reports_of(event_id)]
        return orphans, old_events

    # ------------------------------------------------------------------ events
    def _insert_report(self, article_id: str, position: int, event: dict) -> Report:
        """Store one report as it was stated (its event is decided by _regroup)."""
        report = self.rules.report((article_id, position), event)
        self.db.execute(
            "INSERT OR REPLACE INTO event_articles (event_id, article_id, position, event_type, "
            "event_date, date_precision, evidence, confidence, report) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ["", article_id, position, event["event_type"], event.get("event_date"),
             event.get("date_precision"), event.get("evidence"), event["confidence"],
             json.dumps({k: v for k, v in event.items() if k not in ("summary", "evidence")})])
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO report_facts (kind, value, article_id, position) "
            "VALUES (?, ?, ?, ?)",
            [(kind, value, article_id, position) for kind, value in self.rules.facts(report)])
        return report

    def _reports_of(self, event_id: str) -> list[Report]:
        return [self.rules.report((r[0], r[1]), json.loads(r[2])) for r in self.db.execute(
            "SELECT article_id, position, report FROM event_articles WHERE event_id = ?",
            [event_id])]

    def _neighbours(self, report: Report) -> list[Report]:
        """Stored reports that could be the same announcement: those in its neighbourhood (a
        superset of those rules.same_announcement accepts)."""
        near = self.rules.neighbourhood(report)
        if not near.leads:
            return []
        marks = ",".join("?" * len(near.leads))
        shared = " OR ".join("(c.kind = ? AND c.value = ?)" for _ in near.corroborating) or "0"
        undated = (f"EXISTS (SELECT 1 FROM report_facts c WHERE c.article_id = ea.article_id "
                   f"AND c.position = ea.position AND ({shared}))")
        params: list = [near.lead_kind, *near.leads]
        if near.day:
            progression, marked = self._progression_window(near)
            when = (f"((ea.event_date BETWEEN date(?, '-{near.window} days') AND "
                    f"date(?, '+{near.window} days')) OR {progression}"
                    f" OR (ea.event_date IS NULL AND {undated}))")
            params += [near.day] * 4 + marked
        else:
            when = undated
        params += [x for pair in near.corroborating for x in pair]
        rows = self.db.execute(
            "SELECT DISTINCT ea.article_id, ea.position, ea.report FROM report_facts f "
            "JOIN event_articles ea ON ea.article_id = f.article_id AND ea.position = f.position "
            f"WHERE f.kind = ? AND f.value IN ({marks}) AND {when}", params)
        return [self.rules.report((r[0], r[1]), json.loads(r[2])) for r in rows
                if (r[0], r[1]) != report.key]

    @staticmethod
    def _progression_window(near: Neighbourhood) -> tuple[str, list[str]]:
        """SQL and its parameters after the two dates, for the reports a dated report may move
        on, or be moved on by: all those in the window when it continues an earlier stage,
        else those that do."""
        window = f"ea.event_date BETWEEN date(?, '-{near.progression} days') AND " \
                 f"date(?, '+{near.progression} days')"
        if near.continues:
            return f"({window})", []
        return (f"({window} AND EXISTS (SELECT 1 FROM report_facts c WHERE c.kind = ? "
                "AND c.value = ? AND c.article_id = ea.article_id "
                "AND c.position = ea.position))", list(near.continuing))

    def _component(self, seeds: list[Report]) -> list[Report]:
        """Every report reachable from the seeds through rules.same_announcement: the reports
        whose grouping the new ones can change."""
        found = {r.key: r for r in seeds}
        queue = list(seeds)
        while queue and len(found) < self.rules.max_component:
            report = queue.pop()
            for other in self._neighbours(report):
                if other.key not in found and self.rules.same_announcement(report, other):
                    found[other.key] = other
                    queue.append(other)
            for other in self._tied(report):
                if other.key not in found:
                    found[other.key] = other
                    queue.append(other)
        return list(found.values())

    def _tied(self, report: Report) -> list[Report]:
        """Stored reports a reviewer's decision ties to this one."""
        tied = []
        for article_id, position in self.rules.tied(report.key):
            row = self.db.execute("SELECT report FROM event_articles WHERE article_id = ? AND "
                                  "position = ?", [article_id, position]).fetchone()
            if row:
                tied.append(self.rules.report((article_id, position), json.loads(row[0])))
        return tied

    def _regroup(self, reports: list[Report], orphans: list[Report],
                 emptied: set[str]) -> dict[ReportKey, str]:
        """Group the new reports' component anew and move reports whose event changed."""
        component = self._component(reports + orphans)
        current = self._current_events([r.key for r in component])
        seen = self._first_seen(set(current.values()) | emptied)
        assigned: dict[ReportKey, str] = {}
        first_seen: dict[str, str] = {}
        changed = set(emptied)  # events whose reports changed: the others stay as they are
        for members in self.rules.group(component):
            event_id = self.rules.event_id(members[0].key)
            for report in members:
                assigned[report.key] = event_id
                if current.get(report.key) != event_id:
                    self._move_report(report.key, current.get(report.key), event_id)
                    changed |= {current[report.key], event_id} - {""}
            earlier = [seen[current[r.key]] for r in members if current[r.key] in seen]
            first_seen[event_id] = min(earlier, default=now_iso())
        for event_id in sorted(changed):
            self._settle_event(event_id, first_seen.get(event_id))
        self._redirect(_successors(current, assigned), changed)
        return assigned

    def _redirect(self, successors: dict[str, str], settled: set[str]) -> None:
        """Vanished events point to where most of their reports went; a live id points nowhere."""
        live = {row[0] for row in self._in_chunks("SELECT id FROM events WHERE id IN ({})",
                                                   sorted(settled | set(successors)))}
        for old, new in sorted(successors.items()):
            if old not in live:
                self.db.execute("INSERT OR REPLACE INTO event_redirects (old_id, new_id, "
                                "moved_at) VALUES (?, ?, ?)", [old, new, now_iso()])
                self.db.execute("UPDATE event_redirects SET new_id = ? WHERE new_id = ?",
                                [new, old])
        self._in_chunks("DELETE FROM event_redirects WHERE old_id IN ({})", sorted(live))

    def redirect_of(self, event_id: str) -> str | None:
        """Where the reports of a vanished event went (None for a live or unknown id)."""
        row = self.db.execute("SELECT new_id FROM event_redirects WHERE old_id = ?",
                              [event_id]).fetchone()
        return row[0] if row else None

    def _first_seen(self, event_ids: set[str]) -> dict[str, str]:
        """When each event was first seen: a regrouped event keeps its earliest report's."""
        ids = sorted(event_ids - {""})
        return dict(self._in_chunks("SELECT id, first_seen FROM events WHERE id IN ({})", ids))

    def _current_events(self, keys: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
        """The event each report belongs to now ('' for a report not yet stored)."""
        linked = {(article_id, position): event_id for article_id, position, event_id in
                  self._in_chunks("SELECT article_id, position, event_id FROM event_articles "
                                  "WHERE article_id IN ({})", sorted({k[0] for k in keys}))}
        return {key: linked.get(key, "") for key in keys}

    def _in_chunks(self, sql: str, values: list[str]) -> list[tuple]:
        """Rows of `sql` whose IN list takes `values`, a bounded number of parameters at a time."""
        rows = []
        for i in range(0, len(values), SQL_IN_CHUNK):
            chunk = values[i:i + SQL_IN_CHUNK]
            rows += self.db.execute(sql.format(", ".join("?" * len(chunk))), chunk).fetchall()
        return rows

    def _move_report(self, key: tuple[str, int], old_event: str | None, new_event: str) -> None:
        article_id, position = key
        self.db.execute("UPDATE event_articles SET event_id = ? WHERE article_id = ? AND "
                        "position = ?", [new_event, article_id, position])
        for event_id in {old_event, new_event} - {None, ""}:
            self._relink(event_id, article_id)

    def _relink(self, event_id: str, article_id: str) -> None:
        """The link rows of one article in one event, rebuilt from the reports it holds there."""
        for table in (*LINK_TABLES, *FACT_TABLES):
            self.db.execute(f"DELETE FROM {table} WHERE event_id = ? AND article_id = ?",
                            [event_id, article_id])
        for position, raw in self.db.execute(
                "SELECT position, report FROM event_articles WHERE event_id = ? AND "
                "article_id = ? ORDER BY position", [event_id, article_id]).fetchall():
            event = json.loads(raw)
            for field, table in FIELD_TABLES.items():
                self._link_values(event_id, article_id, field, table, event.get(field) or [])
            self._link_deal((event_id, article_id, position), event.get("deal") or {})

    def _link_deal(self, where: tuple[str, str, int], found: dict) -> None:
        """One report's deal facts (tracker/events/deal.py): values, vehicles, security levels
        and its stage, each with its evidence, confidence and rule."""
        rows = [("value", v["kind"], v["text"], v["amount"], v["currency"], v["usd"],
                 v["fx_rate"], v["fx_month"], v["fx_source"], None, v)
                for v in found.get("values") or []]
        rows += [("vehicle", v["code"], v["text"], *[None] * 6, None, v)
                 for v in found.get("vehicles") or []]
        rows += [("security", v["code"], v["text"], *[None] * 6, v.get("said_by"), v)
                 for v in found.get("security") or []]
        self.db.conn.executemany(
            "INSERT OR IGNORE INTO event_facts (event_id, article_id, position, fact, code, text, "
            "amount, currency, amount_usd, fx_rate, fx_month, fx_source, said_by, evidence, "
            "confidence, rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(*where, *row[:10], row[10].get("evidence"), row[10].get("confidence", 0.5),
              row[10].get("rule")) for row in rows])
        step = found.get("stage")
        if step:
            self.db.execute(
                "INSERT OR REPLACE INTO event_stages (event_id, article_id, position, stage, "
                "stage_date, evidence, confidence, rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [*where, step["stage"], step.get("date"), step.get("evidence"),
                 step.get("confidence", 0.5), step.get("rule")])

    def _link_values(self, event_id: str, article_id: str, field: str, table: str,
                     values: list[dict]) -> None:
        self._register_open_entities(field, [v for v in values if v.get("normalized") is False])
        column = LINK_TABLES[table][0]
        self.db.conn.executemany(
            f"INSERT OR IGNORE INTO {table} (event_id, {column}, article_id, evidence, "
            "confidence, rule) VALUES (?, ?, ?, ?, ?, ?)",
            [(event_id, v["id"], article_id, v.get("evidence"), v.get("confidence", 0.5),
              v.get("rule")) for v in values])

    def _register_open_entities(self, field: str, values: list[dict]) -> None:
        """Names no alias table knows get an entity row of their own (normalized = 0)."""
        if not values or field == "countries":
            return
        for v in values:
            row = {"id": v["id"], "name": v.get("name") or v["id"], "normalized": 0}
            if field == "agencies":
                row["country"] = v.get("country")
            if field == "models":
                row["vendor_id"] = v.get("vendor_id")
            self.db.execute(
                f"INSERT OR IGNORE INTO {field} ({', '.join(row)}) "
                f"VALUES ({', '.join('?' * len(row))})", list(row.values()))

    def _settle_event(self, event_id: str, first_seen: str | None) -> None:
        """Create, refresh or delete one event after its reports moved."""
        if not self.db.execute("SELECT 1 FROM event_articles WHERE event_id = ?",
                               [event_id]).fetchone():
            self.db.execute("DELETE FROM events WHERE id = ?", [event_id])
            return
        if first_seen:
            self.db.execute(
                "INSERT INTO events (id, event_type, confidence, first_seen, updated_at) "
                "VALUES (?, '', 0, ?, ?) ON CONFLICT(id) DO UPDATE SET first_seen = "
                "min(first_seen, excluded.first_seen)", [event_id, first_seen, now_iso()])
        self._refresh_event(event_id)

    def _refresh_event(self, event_id: str) -> None:
        """The merged event's row (rules.event_row, rules.deal_row), from all the reports
        linked to it."""
        reports = list(self.db.query(
            """SELECT ea.event_type, ea.event_date, ea.date_precision, ea.confidence, a.title,
                      ea.evidence, a.published
               FROM event_articles ea JOIN articles a ON a.id = ea.article_id
               WHERE ea.event_id = ? ORDER BY a.published IS NULL, a.published, a.id""",
            [event_id]))
        if not reports:
            return
        row = self.rules.event_row(reports)
        self.db.execute(
            "UPDATE events SET event_type = ?, event_date = ?, date_precision = ?, summary = ?, "
            "confidence = ?, updated_at = ? WHERE id = ?",
            [row["event_type"], row["event_date"], row["date_precision"], row["summary"],
             row["confidence"], now_iso(), event_id])
        self._refresh_deal(event_id)
        refresh_timeline_columns(self.db, [event_id])

    def _refresh_deal(self, event_id: str) -> None:
        """The merged event's value, vehicle, security level and stage history, from every
        report's deal facts (rules.deal_row decides which the row shows)."""
        row = self.rules.deal_row(
            list(self.db.query("SELECT * FROM event_facts WHERE event_id = ?", [event_id])),
            list(self.db.query("SELECT stage, stage_date FROM event_stages WHERE event_id = ?",
                               [event_id])))
        row = {**row, "stages": json.dumps(row["stages"])}
        self.db.execute(
            f"UPDATE events SET {', '.join(f'{c} = ?' for c in DEAL_COLUMNS)} WHERE id = ?",
            [*(row[c] for c in DEAL_COLUMNS), event_id])

    # ------------------------------------------------------------------ reprocess
    def articles_for_reprocess(self):
        """Stored articles in a stable order, so reprocessing reproduces a fresh crawl's merges."""
        return self.db.query("SELECT * FROM articles ORDER BY fetched_at, id")

    def clear_events(self) -> None:
        """Empty the derived tables; which event each report belonged to is kept (for
        redirect_cleared_events) in a temporary table of this connection."""
        with self.writing():
            self.db.execute("DROP TABLE IF EXISTS temp.cleared_reports")
            self.db.execute("CREATE TEMP TABLE cleared_reports AS "
                            "SELECT article_id, position, event_id FROM event_articles")
            for table in ("event_articles", *LINK_TABLES, *FACT_TABLES, "unmatched_mentions",
                          "events"):
                self.db.execute(f"DELETE FROM [{table}]")

    def redirect_cleared_events(self) -> None:
        """After a reprocess: events of the cleared timeline that no longer exist point to the
        event most of their reports belong to now."""
        moved = self.db.execute(
            "SELECT c.article_id, c.position, c.event_id, ea.event_id FROM cleared_reports c "
            "JOIN event_articles ea USING (article_id, position)").fetchall()
        before = {(a, p): old for a, p, old, _ in moved}
        after = {(a, p): new for a, p, _, new in moved}
        self._redirect(_successors(before, after), set())
        self.db.execute("DROP TABLE IF EXISTS temp.cleared_reports")

    # ------------------------------------------------------------------ runs
    def start_runs(self, run_id: str, sources, started: str) -> int:
        """Record this run as 'running' (finished NULL) for each source, and mark rows a killed
        run left 'running' as 'crashed'. Called under the crawl lock; returns how many crashed."""
        with self.writing():
            crashed = self.db.execute(
                "UPDATE crawl_runs SET status = 'crashed', reason = coalesce(reason, "
                "'the run ended without finishing (killed, crashed or out of time)') "
                "WHERE status = 'running'").rowcount
            self.db["crawl_runs"].upsert_all(
                [{"run_id": run_id, "source": s.name, "kind": s.kind, "started": started,
                  "finished": None, "status": "running"} for s in sources],
                pk=("run_id", "source"))
        return crashed

    def record_run(self, run_id: str, health, started: str, finished: str) -> None:
        with self.writing():
            self.db["crawl_runs"].upsert({
                "run_id": run_id, "source": health.source, "kind": health.kind,
                "started": started, "finished": finished, "status": health.status,
                "reason": "; ".join(health.reasons)[:1000] or None,
                "items_found": health.items_found, "new_articles": health.new_articles,
                "events": health.events, "requests": health.requests,
                "skipped": getattr(health, "skipped", 0),
                "article_errors": getattr(health, "article_errors", 0),
                "unresolved": getattr(health, "unresolved", 0),
                "new_records": getattr(health, "new_records", 0)}, pk=("run_id", "source"))

    # ------------------------------------------------------------------ source catalog
    def get_validators(self, url: str) -> dict | None:
        """ETag / Last-Modified saved for a listing URL by the last clean run."""
        row = self.db.execute("SELECT etag, last_modified FROM http_validators WHERE url = ?",
                              [url]).fetchone()
        return {"etag": row[0], "last_modified": row[1]} if row else None

    def save_validators(self, rows: list[dict]) -> None:
        with self.writing():
            self.db["http_validators"].upsert_all(rows, pk="url")

    def discovered_state(self) -> dict[str, dict]:
        """Listed items from earlier runs by key: resolved URL, status, resolution attempts."""
        return {r[0]: {"url": r[1], "status": r[2], "attempts": r[3]} for r in self.db.execute(
            "SELECT key, url, status, attempts FROM discovered_items")}

    def save_discovered(self, item: dict, article_id: str | None = None) -> None:
        """Upsert a listed item; keeps first_seen, counts resolution attempts, never turns a
        resolved item back into an unresolved one."""
        stamp = now_iso()
        with self.writing():
            old = self.db.execute(
                "SELECT first_seen, attempts, url, status, article_id FROM discovered_items "
                "WHERE key = ?", [item["key"]]).fetchone()
            resolved = item.get("url") or (old[2] if old else None)
            self.db["discovered_items"].upsert({
                "key": item["key"], "source": item["source"], "kind": item.get("kind"),
                "link": item["link"], "url": resolved,
                "status": "resolved" if resolved else "unresolved",
                "title": item.get("title"), "outlet": item.get("outlet"),
                "outlet_url": item.get("outlet_url"), "listed_date": item.get("listed_date"),
                "date_kind": item.get("date_kind"), "language": item.get("language"),
                "attempts": (old[1] if old else 0) + int(bool(item.get("attempted"))),
                "article_id": article_id or (old[4] if old else None),
                "first_seen": old[0] if old else stamp, "last_seen": stamp}, pk="key")

    def save_contracts(self, article_id: str, contracts: list[dict]) -> None:
        """Replace the article's contract notices (idempotent on re-fetch or reprocess)."""
        with self.writing():
            self.db.execute("DELETE FROM contract_notices WHERE article_id = ?", [article_id])
            self.db["contract_notices"].insert_all(
                [{**c, "id": f"{article_id}:{c['position']}", "article_id": article_id,
                  "small_business": int(bool(c.get("small_business")))} for c in contracts],
                pk="id")

    # ------------------------------------------------------------------ official records
    def save_record(self, record: dict, source: str) -> str:
        """Upsert one official record: 'new', 'changed' (its content differs; first_seen kept)
        or 'same' (nothing written: the same content, or from an older publication than the
        stored one, so a second crawl of the same answers changes no row)."""
        stamp = now_iso()
        with self.writing():
            old = self.db.execute("SELECT content_hash, first_seen, as_of FROM official_records "
                                  "WHERE id = ?", [record["id"]]).fetchone()
            if old and (old[0] == record["content_hash"] or (
                    old[2] and record.get("as_of") and record["as_of"] < old[2])):
                return "same"
            self.db["official_records"].upsert(
                {**record, "source": source, "first_seen": old[1] if old else stamp,
                 "updated_at": stamp}, pk="id")
        return "changed" if old else "new"

    def records_for_linking(self) -> list[dict]:
        """Every official record, without its raw JSON (linking reads the normalized fields)."""
        return list(self.db.query(
            "SELECT id, kind, record_type, title, agency, sub_agency, recipient, country, value, "
            "value_kind, currency, record_date, vehicle, status, security_level "
            "FROM official_records"))

    def records_changed_since(self, stamp: str) -> bool:
        return self.db.execute("SELECT EXISTS (SELECT 1 FROM official_records "
                               "WHERE updated_at >= ?)", [stamp]).fetchone()[0] == 1

    def record_kinds(self) -> set[str]:
        return {r[0] for r in self.db.execute("SELECT DISTINCT kind FROM official_records")}

    def events_for_linking(self, changed_since: str | None = None) -> list[dict]:
        """Events (all, or those updated since a time) with the text their reports give:
        titles and evidence sentences, plus the start of each article's text (cues such as
        'other transaction agreement' are often outside the event's own sentence)."""
        where, params = ("WHERE e.updated_at >= ?", [changed_since]) if changed_since else ("", [])
        facts = [f"e.{c}" for c in DEAL_FACT_COLUMNS if c in self.db["events"].columns_dict]
        events = list(self.db.query(
            f"SELECT {', '.join(['e.id', *LINKED_EVENT_COLUMNS, *facts])} "
            f"FROM events e {where}", params))
        for event in events:
            for key in ("vendors", "models", "countries", "agencies", "partners"):
                event[key] = json.loads(event[key] or "[]")
            event["texts"] = [" ".join(filter(None, row)) for row in self.db.execute(
                "SELECT a.title, ea.evidence, substr(a.text, 1, ?) FROM event_articles ea "
                "JOIN articles a ON a.id = ea.article_id WHERE ea.event_id = ?",
                [LINK_TEXT_CHARS, event["id"]])]
        return events

    def save_record_links(self, links: dict[str, list[dict]]) -> None:
        """Replace the record links of these events (event id -> links) and their `records`
        column; links of events that no longer exist are dropped."""
        stamp = now_iso()
        with self.writing():
            self.db.execute("DELETE FROM record_links WHERE event_id NOT IN "
                            "(SELECT id FROM events)")
            for event_id, rows in links.items():
                self.db.execute("DELETE FROM record_links WHERE event_id = ?", [event_id])
                self.db["record_links"].insert_all(
                    [{**row, "event_id": event_id, "linked_at": stamp} for row in rows],
                    pk=("event_id", "link"), replace=True)
                self.db.execute("UPDATE events SET records = ? WHERE id = ? AND records != ?",
                                [json.dumps([r["link"] for r in rows]), event_id,
                                 json.dumps([r["link"] for r in rows])])

    # ------------------------------------------------------------------ reading
    def timeline_rows(self) -> list[dict]:
        rows = []
        for row in self.db.query(
                "SELECT * FROM timeline ORDER BY event_date DESC, first_seen DESC"):
            for key in TIMELINE_ARRAYS:
                if key in row:
                    row[key] = json.loads(row[key] or "[]")
            row.pop("event_rowid", None)  # internal: the full-text index key
            rows.append(row)
        return rows

    def recent_runs(self, limit: int) -> list[dict]:
        return list(self.db.query(
            "SELECT * FROM crawl_runs ORDER BY started DESC, source LIMIT ?", [limit]))

    def failing_sources(self, threshold: int = 3) -> list[tuple[str, int]]:
        """Sources whose last `threshold` or more runs all failed."""
        streaks = []
        sources = [r[0] for r in self.db.execute("SELECT DISTINCT source FROM crawl_runs")]
        for source in sources:
            streak = 0
            for (status,) in self.db.execute("SELECT status FROM crawl_runs WHERE source = ? "
                                             "ORDER BY started DESC", [source]):
                if status in ("ok", "empty"):
                    break
                streak += 1
            if streak >= threshold:
                streaks.append((source, streak))
        return streaks
