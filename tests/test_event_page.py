"""The event page (/event/<event_id>, tracker/analyst_plugin.py) on the demo site's crawl: every
value with its evidence, confidence, rule and article, every report oldest first, merged-away
values marked, links from the timeline, search and the Atom feed, everything escaped.
"""

from __future__ import annotations

import html
import re
import shutil
import sqlite3
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest

from db.schema import refresh_timeline_columns
from tests.catalog_site import rows
from tracker.timeline import open_timeline
from tracker.web import build_datasette

pytestmark = pytest.mark.slow  # the demo crawl (`demo_db`, a `tracker crawl` subprocess)

ATOM = "{http://www.w3.org/2005/Atom}"
LINK_TABLES = ("event_vendors", "event_models", "event_countries", "event_agencies",
               "event_partners")


def nato_event(db) -> str:
    return rows(db, "SELECT event_id FROM timeline WHERE urls LIKE '%nato-palantir-mss%'")[0][
        "event_id"]


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page)))


@pytest.fixture
def ds(demo_db):
    return build_datasette(demo_db[0])


async def test_event_page_shows_every_value_with_its_evidence(ds, demo_db):
    db, _ = demo_db
    event_id = nato_event(db)
    response = await ds.client.get(f"/event/{event_id}")
    assert response.status_code == 200
    page = text_of(response.text)
    links = [row for table in LINK_TABLES for row in rows(
        db, f"SELECT evidence, confidence, rule FROM {table} WHERE event_id = ?", [event_id])]
    assert len(links) >= 8
    for link in links:
        assert link["evidence"] in page and link["rule"] in page
    assert "agency.recipient_in_supply_clause" in page and "agency.neighbour_clause" in page
    for name in ("Palantir", "Maven Smart System", "NATO", "NCIA", "ACO"):
        assert f"__arraycontains={quote(name)}" in response.text, name
    # every report: outlet, date, URL and title, oldest first
    reports = rows(db, """SELECT a.source, a.published, a.url, a.title FROM event_articles ea
                           JOIN articles a ON a.id = ea.article_id WHERE ea.event_id = ?
                           ORDER BY a.published""", [event_id])
    assert [r["source"] for r in reports] == ["demo-defense-wire", "demo-europe-desk"]
    section = text_of(response.text.split('id="reports"', 1)[1])
    positions = [section.index(r["url"]) for r in reports]
    assert positions == sorted(positions)
    for report in reports:
        assert report["title"] in section and report["published"] in section
        assert report["source"] in section
    assert "type.weighted_clause_cues" in section and "date.text" in section


async def test_event_page_json_and_unknown_event(ds, demo_db):
    event_id = nato_event(demo_db[0])
    data = (await ds.client.get(f"/event/{event_id}.json")).json()
    assert data["event"]["event_id"] == event_id and len(data["reports"]) == 2
    assert {v["value"] for v in data["fields"]["agencies"]} == {"ACO", "NATO", "NCIA"}
    assert (await ds.client.get("/event/0000000000000000")).status_code == 404


async def test_event_ids_link_to_the_event_page(ds, demo_db):
    db, _ = demo_db
    event_id = nato_event(db)
    href = f'href="/event/{event_id}"'
    assert href in (await ds.client.get("/tracker/timeline")).text
    assert href in (await ds.client.get("/tracker/search?q=NATO")).text
    assert href in (await ds.client.get("/tracker/events_by_agency?agency=NATO")).text
    feed = ET.fromstring((await ds.client.get("/tracker/new_events.atom")).content)
    contents = {e.findtext(f"{ATOM}id").rsplit("/", 1)[1]: e.findtext(f"{ATOM}content")
                for e in feed.findall(f"{ATOM}entry")}
    assert href in contents[event_id]


async def test_merged_away_values_are_marked(demo_db, tmp_path):
    """A partner named by one of the three reports that name any is not in `partners` but is on
    the page, marked merged away, and its filter link searches `partners_reported`."""
    db = tmp_path / "tracker.db"
    shutil.copy(demo_db[0], db)
    event_id = nato_event(db)
    store = open_timeline(db)
    try:
        other = store.db.execute("SELECT id FROM articles WHERE url LIKE '%gsa-meta-llama%'"
                                 ).fetchone()[0]
        first = store.db.execute("SELECT article_id FROM event_articles WHERE event_id = ? "
                                 "ORDER BY article_id LIMIT 1", [event_id]).fetchone()[0]
        with store.db.atomic():
            store.db.execute("INSERT INTO event_articles (event_id, article_id, position, "
                             "event_type, confidence) VALUES (?, ?, 9, 'contract', 0.6)",
                             [event_id, other])
            store.db.execute("INSERT INTO event_partners (event_id, partner_id, article_id, "
                             "evidence, confidence, rule) VALUES (?, 'aws', ?, "
                             "'Hosted on AWS, one outlet says.', 0.7, 'partner.same_sentence')",
                             [event_id, first])
            # the other two reports name another partner: AWS is one of three that name any
            store.db.execute("INSERT INTO event_partners (event_id, partner_id, article_id, "
                             "evidence, confidence, rule) SELECT DISTINCT event_id, 'microsoft', "
                             "article_id, 'Microsoft hosts it.', 0.7, 'partner.same_sentence' "
                             "FROM event_articles WHERE event_id = ? AND article_id != ?",
                             [event_id, first])
            refresh_timeline_columns(store.db, [event_id])
    finally:
        store.close()
    row = rows(db, "SELECT partners, partners_reported FROM timeline WHERE event_id = ?",
                [event_id])[0]
    assert row["partners"] == '["Microsoft"]' and "AWS" in row["partners_reported"]
    page = (await build_datasette(db).client.get(f"/event/{event_id}")).text
    partners = page.split('id="field-partners"', 1)[1].split("</table>", 1)[0]
    assert "merged away" in partners and "Hosted on AWS, one outlet says." in partners
    assert "partners_reported__arraycontains=AWS" in partners
    vendors = page.split('id="field-vendors"', 1)[1].split("</table>", 1)[0]
    assert "merged away" not in vendors


async def test_event_page_escapes_scraped_text(demo_db, tmp_path):
    db = tmp_path / "tracker.db"
    shutil.copy(demo_db[0], db)
    event_id = nato_event(db)
    hostile = "<script>alert(1)</script><img src=x onerror=alert(2)> & \"quoted\""
    con = sqlite3.connect(db)
    con.execute("UPDATE events SET summary = ? WHERE id = ?", [hostile, event_id])
    article_id = con.execute("SELECT article_id FROM event_articles WHERE event_id = ?",
                             [event_id]).fetchone()[0]
    con.execute("UPDATE articles SET title = ?, url = ?, source = ? WHERE id = ?",
                [hostile, 'javascript:alert("x")', hostile, article_id])
    con.execute("UPDATE event_agencies SET evidence = ?, rule = ? WHERE event_id = ?",
                [hostile, hostile, event_id])
    con.commit()
    con.close()
    page = (await build_datasette(db).client.get(f"/event/{event_id}")).text
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 4


async def test_a_renamed_events_old_id_leads_to_its_new_page(demo_db, tmp_path):
    db = tmp_path / "tracker.db"
    shutil.copy(demo_db[0], db)
    event_id = nato_event(db)
    con = sqlite3.connect(db)
    con.execute("INSERT INTO event_redirects (old_id, new_id, moved_at) VALUES "
                "('0123456789abcdef', ?, '2026-12-02T00:00:00')", [event_id])
    con.commit()
    con.close()
    client = build_datasette(db).client
    for suffix in ("", ".json"):
        response = await client.get(f"/event/0123456789abcdef{suffix}")
        assert response.status_code == 302
        assert response.headers["location"].endswith(f"/event/{event_id}{suffix}")
    assert (await client.get("/event/fedcba9876543210")).status_code == 404
