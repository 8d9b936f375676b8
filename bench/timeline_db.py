"""A tracker database with N events (default 100,000) for the Datasette latency benchmark.

Made through the real migrations and entity sync (db.store.Store), then filled in bulk with
plausible rows: 1-3 articles per event, vendors/models/countries/agencies/partners drawn from
the alias tables, dates over 2019-2026, deal facts on a share of them, FTS kept current by the
real triggers.
"""

from __future__ import annotations

import hashlib
import random
import sqlite3
from pathlib import Path

TYPES = ["access", "contract", "authorization", "deployment", "partnership", "pilot"]
WORDS = ["ministry", "army", "navy", "contract", "model", "cloud", "deploy", "pilot", "analysts",
         "classified", "network", "secure", "agency", "procurement", "platform", "integration",
         "award", "program", "defence"]


# Deal facts on a share of the events, as news states them (m016): a value on a quarter, a
# contract vehicle on a fifth, a security level on one in twenty.
VALUE_KINDS = ["awarded", "ceiling", "nominal", "obligated", "free", "undisclosed"]
VEHICLES = ["ota", "framework", "gsa-mas", "onegov", "bpa", "idiq", "task-order"]
LEVELS = ["fedramp-high", "fedramp-moderate", "dod-il5", "dod-il6", "top-secret"]


def add_deal_facts(con: sqlite3.Connection, rng: random.Random, events: int) -> None:
    for rowid in range(1, events + 1):
        deal = {}
        if rng.random() < 0.25:
            amount = round(10 ** rng.uniform(0, 9), 2)
            deal.update(value_kind=rng.choice(VALUE_KINDS), value_amount=amount,
                        value_currency="USD", value_usd=amount)
        if rng.random() < 0.2:
            deal["vehicle"] = rng.choice(VEHICLES)
        if rng.random() < 0.05:
            deal["security_level"] = rng.choice(LEVELS)
        if deal:
            assignments = ", ".join(f"{column} = ?" for column in deal)
            con.execute(f"UPDATE events SET {assignments} WHERE rowid = ?",
                        [*deal.values(), rowid])


def build(path: str | Path, events: int = 100_000, seed: int = 1) -> dict:
    from tracker.timeline import open_timeline

    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    open_timeline(path).close()
    rng = random.Random(seed)
    con = sqlite3.connect(path)
    ids = {t: [r[0] for r in con.execute(f"SELECT {'code' if t == 'countries' else 'id'} FROM {t}")]
           for t in ("vendors", "models", "countries", "agencies", "partners")}
    countries = ids["countries"][:60]  # adoption concentrates on a few dozen countries
    con.execute("BEGIN")
    articles, event_rows, links = [], [], {t: [] for t in (
        "event_articles", "event_vendors", "event_models", "event_countries", "event_agencies",
        "event_partners")}
    for e in range(events):
        eid = hashlib.sha1(f"e{e}".encode()).hexdigest()[:16]
        day = f"{rng.randint(2019, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        summary = " ".join(rng.choice(WORDS) for _ in range(12)).capitalize()
        event_rows.append((eid, day, "day", rng.choice(TYPES), summary, round(rng.random(), 2),
                           f"{day}T08:00:00+00:00", f"{day}T08:00:00+00:00"))
        vendor, country = rng.choice(ids["vendors"]), rng.choice(countries)
        model = rng.choice(ids["models"]) if rng.random() < 0.7 else None
        agency = rng.choice(ids["agencies"]) if rng.random() < 0.6 else None
        partner = rng.choice(ids["partners"]) if rng.random() < 0.4 else None
        for k in range(rng.choice((1, 1, 1, 2, 3))):
            aid = hashlib.sha1(f"a{e}-{k}".encode()).hexdigest()[:20]
            url = f"https://outlet{rng.randint(1, 200)}.example/news/{e}-{k}"
            text = " ".join(rng.choice(WORDS) for _ in range(120))
            articles.append((aid, url, url[8:], f"outlet-{k}", summary, day, "page",
                             f"{day}T09:00:00+00:00", "en", text,
                             hashlib.sha256(text.encode()).hexdigest(), "[]", 1))
            links["event_articles"].append((eid, aid, 0, event_rows[-1][3], day, "day",
                                            summary, 0.8))
            links["event_vendors"].append((eid, vendor, aid, summary, 0.9))
            links["event_countries"].append((eid, country, aid, summary, 0.8))
            if model:
                links["event_models"].append((eid, model, aid, summary, 0.8))
            if agency:
                links["event_agencies"].append((eid, agency, aid, summary, 0.7))
            if partner:
                links["event_partners"].append((eid, partner, aid, summary, 0.6))
    con.executemany(
        "INSERT INTO articles (id, url, url_key, source, title, published, published_from, "
        "fetched_at, language, text, content_hash, flags, relevant) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", articles)
    con.executemany("INSERT INTO events (id, event_date, date_precision, event_type, summary, "
                    "confidence, first_seen, updated_at) VALUES (?,?,?,?,?,?,?,?)", event_rows)
    con.executemany("INSERT INTO event_articles (event_id, article_id, position, event_type, "
                    "event_date, date_precision, evidence, confidence) VALUES (?,?,?,?,?,?,?,?)",
                    links.pop("event_articles"))
    columns = {"event_vendors": "vendor_id", "event_models": "model_id",
               "event_countries": "country_code", "event_agencies": "agency_id",
               "event_partners": "partner_id"}
    for table, rows in links.items():
        con.executemany(f"INSERT OR IGNORE INTO {table} (event_id, {columns[table]}, article_id, "
                        "evidence, confidence) VALUES (?,?,?,?,?)", rows)
    con.commit()
    from sqlite_utils import Database

    from db.schema import refresh_timeline_columns

    with con:
        refresh_timeline_columns(Database(con))
        add_deal_facts(con, rng, events)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return {"events": events, "articles": len(articles), "bytes": path.stat().st_size}
