"""Reviewers' decisions (tracker/decisions.py): checked when loaded, applied identically by a
crawl and by `tracker reprocess`, reported when they match nothing, recorded by `tracker review`.
"""

from __future__ import annotations

import sqlite3

import pytest
import yaml

from tests.conftest import DEMO_SITE, run_tracker
from tests.siteserver import SiteServer
from tracker.decisions import DecisionsError, apply_decisions, load_decisions

STAMP = {"who": "analyst@example.org", "when": "2026-12-02T14:00:00+00:00"}
VOLATILE = ("first_seen", "updated_at", "event_rowid")


def timeline(db) -> list[dict]:
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in con.execute("SELECT * FROM timeline ORDER BY event_id")]
    finally:
        con.close()
    return [{k: v for k, v in row.items() if k not in VOLATILE} for row in rows]


def write_decisions(path, entries) -> str:
    path.write_text(yaml.safe_dump({"decisions": entries}, sort_keys=False))
    return str(path)


@pytest.fixture(scope="module")
def demo_site():
    with SiteServer(DEMO_SITE) as server:
        yield server


def crawl(demo_site, tmp_path, db_name: str, *extra: str):
    sources = tmp_path / "sources.yml"
    sources.write_text((DEMO_SITE / "sources.yml").read_text().replace("{{BASE}}",
                                                                          demo_site.base))
    db = tmp_path / db_name
    result = run_tracker("crawl", "--sources", str(sources), "--db", str(db), *extra)
    assert result.returncode == 0, result.stderr
    return db


@pytest.mark.slow
def test_crawl_and_reprocess_apply_the_same_decisions(demo_site, tmp_path):
    base = demo_site.base
    nato = [{"url": f"{base}/articles/nato-palantir-mss.html", "position": 0},
            {"url": f"{base}/articles/nato-mss-second-outlet.html", "position": 0}]
    decisions = write_decisions(tmp_path / "decisions.yml", [
        {"action": "reject_event", "event": "nato-mss", "reports": nato, **STAMP,
         "why": "test: rejected"},
        {"action": "map_name", "name": "Command", "field": "models", "to": "cohere-command",
         **STAMP, "why": "Cohere's Command family"}])
    plain = crawl(demo_site, tmp_path, "plain.db")
    decided = crawl(demo_site, tmp_path, "decided.db", "--decisions", decisions)
    before, crawled = timeline(plain), timeline(decided)
    assert len(crawled) == len(before) - 1
    assert not any("Maven" in row["models"] for row in crawled)
    cohere = [row for row in crawled if "Cohere" in row["vendors"]]
    assert cohere and all("Command" not in row["models"].replace("Cohere Command", "")
                          for row in cohere)
    assert any("Cohere Command" in row["models"] for row in cohere)
    # reprocess the undecided crawl with the decisions: the same timeline as the decided crawl
    result = run_tracker("reprocess", "--db", str(plain), "--decisions", decisions)
    assert result.returncode == 0, result.stderr
    assert "2 of 2 decisions applied" in result.stdout and "matched nothing" not in result.stderr
    assert timeline(plain) == crawled
    # and reprocessing without them restores what the text says
    result = run_tracker("reprocess", "--db", str(plain), "--decisions",
                         write_decisions(tmp_path / "none.yml", []))
    assert result.returncode == 0 and timeline(plain) == before


@pytest.mark.slow
def test_a_decision_matching_nothing_is_reported(demo_db, tmp_path):
    db = tmp_path / "t.db"
    db.write_bytes(demo_db[0].read_bytes())
    decisions = write_decisions(tmp_path / "d.yml", [
        {"action": "not_government", "name": "Ministry of Sound", **STAMP, "why": "a club"}])
    result = run_tracker("reprocess", "--db", str(db), "--decisions", decisions)
    assert result.returncode == 0, result.stderr
    assert "0 of 1 decisions applied" in result.stdout
    assert "(not_government, analyst@example.org: a club) matched nothing" in result.stderr


@pytest.mark.parametrize("entry, message", [
    ({"action": "reject", **STAMP, "why": "x"}, "unknown action 'reject'"),
    ({"action": "map_name", "name": "X", "to": "openai", "when": "now", "why": "x"},
     "missing who"),
    ({"action": "map_name", "name": "X", "to": "no-such-entity", **STAMP, "why": "x"},
     "'to: no-such-entity' is no entity id"),
    ({"action": "remove_value", "field": "colours", "value": "x", **STAMP, "why": "x"},
     "unknown field 'colours'"),
    ({"action": "reject_event", "reports": [{"url": "http://x.org/a"}], **STAMP, "why": "x"},
     "'reports' must be a list of {url, position}"),
])
def test_a_bad_entry_is_named(tmp_path, entry, message):
    path = write_decisions(tmp_path / "d.yml", [{"action": "map_name", "name": "Y",
                                                 "to": "openai", **STAMP, "why": "ok"}, entry])
    with pytest.raises(DecisionsError, match="decision 2: ") as error:
        load_decisions(path)
    assert message in str(error.value)


@pytest.mark.slow
def test_a_bad_file_stops_crawl_and_reprocess_with_exit_2(demo_db, tmp_path):
    path = write_decisions(tmp_path / "d.yml", [{"action": "reject", **STAMP, "why": "x"}])
    db = tmp_path / "t.db"
    db.write_bytes(demo_db[0].read_bytes())
    before = timeline(db)
    sources = tmp_path / "sources.yml"  # a valid file: the decisions are what is wrong
    sources.write_text((DEMO_SITE / "sources.yml").read_text().replace("{{BASE}}",
                                                                       "http://127.0.0.1:9"))
    for args in (("reprocess", "--db", str(db)),
                 ("crawl", "--db", str(db), "--sources", str(sources))):
        result = run_tracker(*args, "--decisions", path)
        assert result.returncode == 2, result.stderr
        assert result.stderr.strip().splitlines() == [
            (f"error: {path}: decision 1: unknown action 'reject' (one of reject_event, "
             "remove_value, fix_value, map_name, not_government, merge_events, split_report)")]
    assert timeline(db) == before


def test_values_are_fixed_removed_and_marked():
    events = [{"vendors": [{"id": "openai", "confidence": 0.9}],
               "models": [{"id": "command-r", "confidence": 0.9},
                          {"id": "x-model-command", "name": "Command", "normalized": False}],
               "agencies": [{"id": "x-sound", "name": "Ministry of Sound", "normalized": False,
                             "country": "GBR"}],
               "partners": [{"id": "aws"}], "countries": []}]
    decisions = [
        {"action": "fix_value", "field": "models", "value": "command-r", "to": "cohere-command"},
        {"action": "map_name", "name": "command", "to": "cohere-command"},
        {"action": "not_government", "name": "Ministry of Sound"},
        {"action": "remove_value", "field": "partners", "value": "aws",
         "url": "https://other.example/story"},
    ]
    path_entries = [{**d, **STAMP, "why": "test"} for d in decisions]
    loaded = [load_one(entry) for entry in path_entries]
    unmatched = [{"kind": "organisation", "text": "Ministry of Sound"}]
    result = apply_decisions(loaded, "https://news.example/story?utm_source=x", events,
                             unmatched)
    event = result.events[0]
    assert event["models"] == [{"id": "cohere-command", "confidence": 0.9, "normalized": True}]
    assert event["agencies"] == [] and event["partners"] == [{"id": "aws"}]
    assert [d["action"] for d in event["decisions"]] == ["fix_value", "map_name",
                                                         "not_government"]
    assert result.unmatched == []
    assert result.used == {d.id for d in loaded[:3]}
    assert events[0]["models"][0]["id"] == "command-r"  # the derived events are not changed


def load_one(entry: dict):
    from tracker.decisions import Decision, entry_id

    return Decision(entry_id(entry), entry["action"], entry)


@pytest.mark.slow
async def test_review_lists_records_and_the_event_page_shows_decisions(demo_db, tmp_path):
    from tracker.web import build_datasette

    db = tmp_path / "t.db"
    db.write_bytes(demo_db[0].read_bytes())
    listing = run_tracker("review", "--db", str(db))
    assert listing.returncode == 0, listing.stderr
    assert "Events below confidence 0.75: 1" in listing.stdout  # the Bundeswehr report, 0.7
    assert "x-model-command" in listing.stdout and "Helios Vision Technologies" in listing.stdout
    assert "Events with one report:" in listing.stdout

    con = sqlite3.connect(db)
    nato = con.execute("SELECT event_id FROM timeline WHERE urls LIKE '%nato-palantir%'"
                       ).fetchone()[0]
    con.close()
    path = tmp_path / "decisions.yml"
    path.write_text("# reviewers' decisions\ndecisions: []\n")
    reviewer = ("--who", "analyst@example.org", "--decisions", str(path))
    assert run_tracker("review", "--db", str(db), "reject", nato, "--why", "a test",
                       *reviewer).returncode == 0
    assert run_tracker("review", "map-name", "Command", "cohere-command", "--field", "models",
                       "--why", "Cohere's Command family", *reviewer).returncode == 0
    recorded = path.read_text()
    bad = run_tracker("review", "map-name", "Command", "no-such-model", "--why", "x", *reviewer)
    assert bad.returncode == 2 and "'to: no-such-model' is no entity id" in bad.stderr
    assert path.read_text() == recorded and recorded.startswith("# reviewers' decisions")
    entries = yaml.safe_load(recorded)["decisions"]
    assert [e["action"] for e in entries] == ["reject_event", "map_name"]
    assert len(entries[0]["reports"]) == 2 and entries[0]["who"] == "analyst@example.org"

    result = run_tracker("reprocess", "--db", str(db), "--decisions", str(path))
    assert result.returncode == 0 and "2 of 2 decisions applied" in result.stdout
    ds = build_datasette(db)
    assert (await ds.client.get(f"/event/{nato}")).status_code == 404
    con = sqlite3.connect(db)
    cohere = con.execute("SELECT event_id FROM timeline WHERE models LIKE '%Cohere Command%'"
                         ).fetchone()[0]
    con.close()
    page = (await ds.client.get(f"/event/{cohere}")).text
    section = page.split('id="decisions"', 1)[1].split("</ul>", 1)[0]
    assert "map_name" in section and "analyst@example.org" in section
    assert "Cohere&#39;s Command family" in section


@pytest.mark.slow
def test_merge_and_split_are_applied_alike_by_crawl_and_reprocess(demo_site, tmp_path):
    plain = crawl(demo_site, tmp_path, "plain.db")
    before = timeline(plain)
    con = sqlite3.connect(plain)

    def event_of(fragment: str) -> str:
        return con.execute("SELECT event_id FROM timeline WHERE urls LIKE ?",
                           [f"%{fragment}%"]).fetchone()[0]
    nato, poland, japan = (event_of("nato-palantir"), event_of("poland-mon"),
                           event_of("jmod-anthropic"))
    con.close()
    path = tmp_path / "decisions.yml"
    path.write_text("decisions: []\n")
    reviewer = ("--who", "analyst@example.org", "--decisions", str(path))
    split = run_tracker("review", "--db", str(plain), "split", nato, "--url",
                        f"{demo_site.base}/articles/nato-mss-second-outlet.html",
                        "--why", "a second deal", *reviewer)
    assert split.returncode == 0, split.stderr
    merge = run_tracker("review", "--db", str(plain), "merge", poland, japan,
                        "--why", "one announcement", *reviewer)
    assert merge.returncode == 0, merge.stderr
    decided = crawl(demo_site, tmp_path, "decided.db", "--decisions", str(path))
    crawled = timeline(decided)
    assert len(crawled) == len(before)  # one event more (split), one fewer (merged)
    assert sum("Palantir" in row["vendors"] and "Maven" in row["models"]
               for row in crawled) == 2
    merged = [row for row in crawled if "Google" in row["vendors"]]
    assert len(merged) == 1 and "Anthropic" in merged[0]["vendors"]
    assert merged[0]["source_count"] == 2
    result = run_tracker("reprocess", "--db", str(plain), "--decisions", str(path))
    assert result.returncode == 0 and "2 of 2 decisions applied" in result.stdout
    assert timeline(plain) == crawled


def test_a_report_keeps_its_position_when_an_earlier_one_is_rejected(tmp_path):
    """Decisions recorded later select reports by the positions the store shows."""
    from tracker.timeline import open_timeline

    url = "https://news.example/two-deals"
    reject = load_one({"action": "reject_event", "reports": [{"url": url, "position": 0}],
                       **STAMP, "why": "not a supply"})
    events = [{"event_type": "contract", "confidence": 0.9, "vendors": [{"id": vendor}],
               "countries": [{"id": "USA"}], "event_date": "2025-03-03"}
              for vendor in ("openai", "anthropic")]
    decided = apply_decisions([reject], url, events, [])
    assert [e["vendors"][0]["id"] for e in decided.events] == ["anthropic"]
    assert decided.events[0]["position"] == 1 and decided.used == {reject.id}
    store = open_timeline(tmp_path / "t.db")
    try:
        store.save_article({"url": url, "text": "x", "content_hash": "h"}, "s",
                           decided.events, [])
        positions = [r[0] for r in store.db.execute("SELECT position FROM event_articles")]
    finally:
        store.close()
    assert positions == [1]
