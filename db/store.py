"""The store: idempotent writes of articles and events, merging reports of one announcement."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from sqlite_utils import Database

from db.migrations import LINK_TABLES, migrations, refresh_timeline_columns
from tracker.events.aliases import country_name, gazetteer
from tracker.events.dedup import MONTH_WINDOW as MERGE_WINDOW_DAYS
from tracker.events.dedup import EventProfile, best_match
from tracker.extract.urls import url_key

BUSY_TIMEOUT_MS = 10_000
FIELD_TABLES = {  # event dict field -> link table
    "vendors": "event_vendors",
    "models": "event_models",
    "countries": "event_countries",
    "agencies": "event_agencies",
    "partners": "event_partners",
}


CENTROIDS_CSV = Path(__file__).with_name("country_centroids.csv")


@lru_cache(maxsize=1)
def country_centroids() -> dict[str, tuple[float, float]]:
    """ISO alpha-3 -> approximate (latitude, longitude), for the Datasette map."""
    if not CENTROIDS_CSV.exists():  # the map loses its points; crawling must not stop
        return {}
    with CENTROIDS_CSV.open(newline="", encoding="utf-8") as handle:
        return {r["code"]: (float(r["latitude"]), float(r["longitude"]))
                for r in csv.DictReader(handle)}


def now_iso(timespec: str = "seconds") -> str:
    return datetime.now(timezone.utc).isoformat(timespec=timespec)


def article_id_for(url: str) -> str:
    return hashlib.sha1(url_key(url).encode("utf-8")).hexdigest()[:20]


@dataclass
class SaveResult:
    article_id: str
    new_article: bool
    event_ids: list[str]


class Store:
    """One SQLite database; WAL mode so Datasette can read while cron writes."""

    _shared: dict[str, tuple["Store", int]] = {}

    def __init__(self, path: str | Path):
        self.path = str(path)
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        self.db = Database(conn)
        self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        migrations.apply(self.db)
        self.db.execute("PRAGMA synchronous = NORMAL")
        self.sync_entities()

    @classmethod
    def shared(cls, path: str | Path) -> "Store":
        """One connection per database per process, shared by the crawlers of one run."""
        key = str(Path(path).resolve())
        store, count = cls._shared.get(key, (None, 0))
        if store is None:
            store = cls(path)
        cls._shared[key] = (store, count + 1)
        return store

    def release(self) -> None:
        key = str(Path(self.path).resolve())
        store, count = self._shared.get(key, (self, 1))
        if count <= 1:
            self._shared.pop(key, None)
            self.close()
        else:
            self._shared[key] = (store, count - 1)

    def close(self) -> None:
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.OperationalError:
            pass  # a reader holds the WAL; the next run checkpoints
        self.db.conn.close()

    # ------------------------------------------------------------------ entities
    def sync_entities(self) -> None:
        """Reference tables mirror the YAML alias tables (upserted, never deleted: links stay valid)."""
        gaz = gazetteer()
        rows = {kind: [] for kind in ("vendor", "model", "partner", "agency")}
        for entity in gaz.entities.values():
            if entity.kind in rows:
                rows[entity.kind].append(entity)
        with self.db.atomic():
            self.db["vendors"].upsert_all(
                [{"id": e.id, "name": e.name, "wikidata": e.wikidata} for e in rows["vendor"]], pk="id")
            self.db["models"].upsert_all(
                [{"id": e.id, "name": e.name, "vendor_id": e.vendor_id, "wikidata": e.wikidata}
                 for e in rows["model"]], pk="id")
            self.db["partners"].upsert_all(
                [{"id": e.id, "name": e.name, "wikidata": e.wikidata} for e in rows["partner"]], pk="id")
            self.db["agencies"].upsert_all(
                [{"id": e.id, "name": e.name, "country": e.country, "kind": e.org_kind,
                  "wikidata": e.wikidata} for e in rows["agency"]], pk="id")
            centroids = country_centroids()
            self.db["countries"].upsert_all(
                [{"code": e.id, "name": country_name(e.id),
                  "latitude": centroids.get(e.id, (None, None))[0],
                  "longitude": centroids.get(e.id, (None, None))[1]}
                 for e in gaz.by_kind("country")],
                pk="code")

    # ------------------------------------------------------------------ articles
    def known_url_keys(self) -> frozenset[str]:
        return frozenset(r[0] for r in self.db.execute("SELECT url_key FROM articles"))

    def counts(self) -> dict[str, int]:
        tables = ["articles", "events", "event_articles", *LINK_TABLES, "unmatched_mentions",
                  "contract_notices", "discovered_items"]
        return {t: self.db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables}

    def save_article(self, article: dict, source: str, events: list[dict],
                     unmatched: list[dict]) -> SaveResult:
        """Upsert the article and re-link its events; one transaction, safe to repeat."""
        article_id = article_id_for(article["url"])
        with self.db.atomic():
            existing = self.db.execute("SELECT 1 FROM articles WHERE id = ?", [article_id]).fetchone()
            self._upsert("articles", ("id",), {
                "id": article_id,
                "url": article["url"],
                "url_key": url_key(article["url"]),
                "source": source,
                "title": article.get("title"),
                "published": article.get("published"),
                "published_from": article.get("published_from"),
                "fetched_at": article.get("fetched_at") or now_iso("microseconds"),
                "language": article.get("language"),
                "text": article["text"],
                "content_hash": article["content_hash"],
                "flags": json.dumps(article.get("flags") or []),
                "relevant": int(bool(events)),
            })
            if existing is not None:  # a new article has no links to undo
                self._unlink_article(article_id)
            event_ids = [self._link_event(article_id, position, event)
                         for position, event in enumerate(events)]
            self.db.conn.executemany(
                "INSERT OR IGNORE INTO unmatched_mentions (article_id, kind, text, sentence) "
                "VALUES (?, ?, ?, ?)",
                [(article_id, u["kind"], u["text"], u.get("sentence")) for u in unmatched])
        return SaveResult(article_id, existing is None, event_ids)

    def _upsert(self, table: str, keys: tuple[str, ...], row: dict) -> None:
        """INSERT ... ON CONFLICT DO UPDATE in one statement (sqlite-utils' upsert introspects
        the table on every call, which was half of the cost of saving an article)."""
        columns = list(row)
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns if c not in keys)
        self.db.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT({', '.join(keys)}) DO UPDATE SET {updates}", list(row.values()))

    def _unlink_article(self, article_id: str) -> None:
        old_events = [r[0] for r in self.db.execute(
            "SELECT DISTINCT event_id FROM event_articles WHERE article_id = ?", [article_id])]
        for table in ("event_articles", *LINK_TABLES, "unmatched_mentions"):
            self.db.execute(f"DELETE FROM [{table}] WHERE article_id = ?", [article_id])
        for event_id in old_events:
            if self.db.execute("SELECT 1 FROM event_articles WHERE event_id = ?",
                               [event_id]).fetchone():
                self._refresh_event(event_id)
            else:
                self.db.execute("DELETE FROM events WHERE id = ?", [event_id])

    # ------------------------------------------------------------------ events
    def _profile(self, event_id: str) -> EventProfile:
        values = {}
        for field, table in FIELD_TABLES.items():
            column = LINK_TABLES[table][0]
            values[field] = {r[0] for r in self.db.execute(
                f"SELECT DISTINCT {column} FROM {table} WHERE event_id = ?", [event_id])}
        row = self.db.execute("SELECT event_date, date_precision FROM events WHERE id = ?",
                              [event_id]).fetchone()
        return EventProfile(event_date=row[0], date_precision=row[1], **values)

    def _candidates(self, event: dict) -> dict[str, EventProfile]:
        """Stored events that could be the same announcement: same vendor, a shared recipient
        or model (or neither side names any), and a compatible date. A dated report reads the
        events of its date window first (index on event_date), so the cost of a save stays flat
        as the timeline grows; read from the recipients' side, it grew with every event that
        shares a country (all of the USA's)."""
        vendor_ids = [v["id"] for v in event["vendors"]]
        if not vendor_ids:
            return {}
        vendors_in = f"v.vendor_id IN ({','.join('?' * len(vendor_ids))})"
        if event.get("event_date"):  # event dates are whole ISO days: they compare as text
            day = event["event_date"][:10]
            sql = (f"SELECT e.id FROM events e WHERE (e.event_date IS NULL OR e.event_date "
                   f"BETWEEN date(?, '-{MERGE_WINDOW_DAYS} days') AND "
                   f"date(?, '+{MERGE_WINDOW_DAYS} days')) AND EXISTS (SELECT 1 FROM "
                   f"event_vendors v WHERE v.event_id = e.id AND {vendors_in})")
            params: list = [day, day, *vendor_ids]
        else:
            sql = (f"SELECT DISTINCT e.id FROM event_vendors v JOIN events e ON e.id = v.event_id "
                   f"WHERE {vendors_in}")
            params = list(vendor_ids)
        shared = []
        for field, table in (("countries", "event_countries"), ("agencies", "event_agencies"),
                             ("models", "event_models")):
            values = [x["id"] for x in event[field]]
            if values:
                column = LINK_TABLES[table][0]
                shared.append(f"EXISTS (SELECT 1 FROM {table} t WHERE t.event_id = e.id AND "
                              f"t.{column} IN ({','.join('?' * len(values))}))")
                params += values
        if shared:
            sql += f" AND ({' OR '.join(shared)})"
        return {event_id: self._profile(event_id) for (event_id,) in self.db.execute(sql, params)}

    def _link_event(self, article_id: str, position: int, event: dict) -> str:
        profile = EventProfile(
            vendors={v["id"] for v in event["vendors"]},
            models={v["id"] for v in event["models"]},
            countries={v["id"] for v in event["countries"]},
            agencies={v["id"] for v in event["agencies"]},
            partners={v["id"] for v in event["partners"]},
            event_date=event.get("event_date"),
            date_precision=event.get("date_precision"),
        )
        event_id = best_match(profile, self._candidates(event))
        if event_id is None:
            event_id = hashlib.sha1(f"{article_id}:{position}".encode()).hexdigest()[:16]
            stamp = now_iso()
            self._upsert("events", ("id",), {
                "id": event_id, "event_date": event.get("event_date"),
                "date_precision": event.get("date_precision"), "event_type": event["event_type"],
                "summary": event.get("summary"), "confidence": event["confidence"],
                "first_seen": stamp, "updated_at": stamp})
        self._upsert("event_articles", ("event_id", "article_id", "position"), {
            "event_id": event_id, "article_id": article_id, "position": position,
            "event_type": event["event_type"], "event_date": event.get("event_date"),
            "date_precision": event.get("date_precision"), "evidence": event.get("evidence"),
            "confidence": event["confidence"]})
        for field, table in FIELD_TABLES.items():
            column = LINK_TABLES[table][0]
            self.db.conn.executemany(
                f"INSERT OR REPLACE INTO {table} (event_id, {column}, article_id, evidence, "
                "confidence) VALUES (?, ?, ?, ?, ?)",
                [(event_id, value["id"], article_id, value.get("evidence"),
                  value.get("confidence", 0.5)) for value in event[field]])
        self._refresh_event(event_id)
        return event_id

    def _refresh_event(self, event_id: str) -> None:
        """The merged event's date, type and summary, from all the reports linked to it."""
        reports = list(self.db.execute(
            """SELECT ea.event_type, ea.event_date, ea.date_precision, ea.confidence, a.title,
                      ea.evidence, a.published
               FROM event_articles ea JOIN articles a ON a.id = ea.article_id
               WHERE ea.event_id = ? ORDER BY a.published IS NULL, a.published, a.id""",
            [event_id]))
        if not reports:
            return
        types = Counter(r[0] for r in reports)
        event_type = max(types, key=lambda t: (types[t], -[r[0] for r in reports].index(t)))
        dated = [r for r in reports if r[1]]
        by_precision = [r for r in dated if r[2] == "day"] or dated
        day_counts = Counter(r[1] for r in by_precision)
        event_date = min(day_counts, key=lambda d: (-day_counts[d], d)) if day_counts else None
        precision = next((r[2] for r in by_precision if r[1] == event_date), None)
        first = reports[0]
        self.db.execute(
            "UPDATE events SET event_type = ?, event_date = ?, date_precision = ?, summary = ?, "
            "confidence = ?, updated_at = ? WHERE id = ?",
            [event_type, event_date, precision, first[4] or first[5],
             max(r[3] for r in reports), now_iso(), event_id])
        refresh_timeline_columns(self.db, [event_id])

    # ------------------------------------------------------------------ reprocess
    def articles_for_reprocess(self):
        """Stored articles in a stable order, so reprocessing reproduces a fresh crawl's merges."""
        return self.db.query("SELECT * FROM articles ORDER BY fetched_at, id")

    def clear_events(self) -> None:
        with self.db.atomic():
            for table in ("event_articles", *LINK_TABLES, "unmatched_mentions", "events"):
                self.db.execute(f"DELETE FROM [{table}]")

    # ------------------------------------------------------------------ runs
    def start_runs(self, run_id: str, sources, started: str) -> int:
        """Record this run as 'running' (finished NULL) for each source, and mark rows a killed
        run left 'running' as 'crashed'. Called under the crawl lock; returns how many crashed."""
        with self.db.atomic():
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
        with self.db.atomic():
            self.db["crawl_runs"].upsert({
                "run_id": run_id, "source": health.source, "kind": health.kind,
                "started": started, "finished": finished, "status": health.status,
                "reason": "; ".join(health.reasons)[:1000] or None,
                "items_found": health.items_found, "new_articles": health.new_articles,
                "events": health.events, "requests": health.requests,
                "skipped": getattr(health, "skipped", 0),
                "article_errors": getattr(health, "article_errors", 0),
                "unresolved": getattr(health, "unresolved", 0)}, pk=("run_id", "source"))

    # ------------------------------------------------------------------ source catalog
    def get_validators(self, url: str) -> dict | None:
        """ETag / Last-Modified saved for a listing URL by the last clean run."""
        row = self.db.execute("SELECT etag, last_modified FROM http_validators WHERE url = ?",
                              [url]).fetchone()
        return {"etag": row[0], "last_modified": row[1]} if row else None

    def save_validators(self, rows: list[dict]) -> None:
        with self.db.atomic():
            self.db["http_validators"].upsert_all(rows, pk="url")

    def discovered_state(self) -> dict[str, dict]:
        """Listed items from earlier runs by key: resolved URL, status, resolution attempts."""
        return {r[0]: {"url": r[1], "status": r[2], "attempts": r[3]} for r in self.db.execute(
            "SELECT key, url, status, attempts FROM discovered_items")}

    def save_discovered(self, item: dict, article_id: str | None = None) -> None:
        """Upsert a listed item; keeps first_seen, counts resolution attempts, never turns a
        resolved item back into an unresolved one."""
        stamp = now_iso()
        with self.db.atomic():
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
        with self.db.atomic():
            self.db.execute("DELETE FROM contract_notices WHERE article_id = ?", [article_id])
            self.db["contract_notices"].insert_all(
                [{**c, "id": f"{article_id}:{c['position']}", "article_id": article_id,
                  "small_business": int(bool(c.get("small_business")))} for c in contracts],
                pk="id")

    # ------------------------------------------------------------------ reading
    def timeline_rows(self) -> list[dict]:
        rows = []
        for row in self.db.query(
                "SELECT * FROM timeline ORDER BY event_date DESC, first_seen DESC"):
            for key in ("vendors", "models", "countries", "agencies", "partners", "urls",
                        "country_names"):
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
            for (status,) in self.db.execute(
                    "SELECT status FROM crawl_runs WHERE source = ? ORDER BY started DESC", [source]):
                if status in ("ok", "empty"):
                    break
                streak += 1
            if streak >= threshold:
                streaks.append((source, streak))
        return streaks
