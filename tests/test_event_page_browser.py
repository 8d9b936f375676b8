"""Chromium on a real `tracker serve` (fixtures of tests/test_browser.py): the demo's NATO event
page shows each evidence sentence and both outlets. The screenshot lands in /tmp/screenshots/.
"""

from __future__ import annotations

import sqlite3

import pytest

from tests.test_browser import CHROMIUM, render, server, text_of  # noqa: F401  (server: fixture)

pytestmark = [pytest.mark.slow,  # Chromium on a `tracker serve` of the demo crawl
              pytest.mark.skipif(not CHROMIUM.exists(),
                                 reason="Debian's chromium is not installed (/usr/bin/chromium)")]
LINK_TABLES = ("event_vendors", "event_models", "event_countries", "event_agencies",
               "event_partners", "event_articles")


def test_nato_event_page_shows_every_evidence_sentence_and_both_outlets(server, tmp_path):  # noqa: F811
    base, db = server
    con = sqlite3.connect(db)
    event_id = con.execute("SELECT event_id FROM timeline WHERE urls LIKE '%nato-palantir-mss%'"
                           ).fetchone()[0]
    sentences = {row[0] for table in LINK_TABLES for row in con.execute(
        f"SELECT evidence FROM {table} WHERE event_id = ?", [event_id])}
    outlets = {row[0] for row in con.execute(
        "SELECT a.source FROM event_articles ea JOIN articles a ON a.id = ea.article_id "
        "WHERE ea.event_id = ?", [event_id])}
    con.close()
    dom, _ = render(f"{base}/event/{event_id}", tmp_path, "event")
    text = " ".join(text_of(dom).split())
    assert len(sentences) >= 2 and outlets == {"demo-defense-wire", "demo-europe-desk"}
    for sentence in sentences:
        assert " ".join(sentence.split()) in text, sentence
    for outlet in outlets:
        assert outlet in text
    assert "Maven Smart System" in text and "agency.recipient_in_supply_clause" in text
