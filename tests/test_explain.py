"""`tracker explain`: every decision of the events layer on one article, with its rule."""

import pytest

from tests.conftest import run_tracker
from tracker.events.derive import derive_events, rule_firings
from tracker.timeline import open_timeline

TITLE = "Army awards Palantir Maven contract"
TEXT = ("The U.S. Army awarded Palantir a $10 billion enterprise agreement on Thursday for its "
        "Maven Smart System AI, hosted on AWS. Analysts said rivals in China could not match it.")


def test_every_value_carries_the_rule_that_found_it():
    event = derive_events(TEXT, title=TITLE, published="2025-08-01").events[0]
    rules = {field: {v["id"]: v["rule"] for v in event[field]}
             for field in ("vendors", "models", "agencies", "countries", "partners")}
    assert rules == {"vendors": {"palantir": "vendor.lead_of_supply_clause"},
                     "models": {"maven-smart-system": "model.in_supply_clause"},
                     "agencies": {"us-army": "agency.recipient_in_supply_clause"},
                     "countries": {"USA": "country.of_recipient_agency"},
                     "partners": {"aws": "partner.in_supply_clause"}}
    assert event["rules"] == {"type": "type.headline_cue", "date": "date.weekday",
                              "event": "event.supply_clauses"}
    assert rule_firings([event])["partner.in_supply_clause"] == 1


@pytest.mark.slow
def test_explain_prints_clauses_roles_and_rules_for_a_text_file(tmp_path):
    path = tmp_path / "article.txt"
    path.write_text(TEXT)
    result = run_tracker("explain", str(path), "--title", TITLE, "--published", "2025-08-01")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "[0] title SUPPLY Army awards Palantir Maven contract" in out
    assert "receivers: us-army, USA (country.of_recipient_agency)" in out
    assert "event 1: contract (type.headline_cue), date 2025-07-31 (date.weekday)" in out
    assert "partner  aws" in out and "partner.in_supply_clause" in out
    assert "China" in out and "country:CHN" in out  # named, but no receiver line gives it
    assert "CHN (" not in out


@pytest.mark.slow
def test_explain_reads_a_stored_article_by_url(tmp_path):
    db = tmp_path / "t.db"
    store = open_timeline(db)
    store.save_article({"url": "https://news.example/a", "title": TITLE, "text": TEXT,
                        "published": "2025-08-01", "language": "en", "content_hash": "h"},
                       "s", derive_events(TEXT, title=TITLE, published="2025-08-01").events, [])
    store.close()
    result = run_tracker("explain", "https://news.example/a?utm_source=rss", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "date 2025-07-31 (date.weekday)" in result.stdout


@pytest.mark.slow
def test_explain_names_what_is_wrong_with_its_input(tmp_path):
    missing = run_tracker("explain", str(tmp_path / "nothing.html"))
    assert missing.returncode == 2 and "nothing.html: no such file" in missing.stderr
    unknown = run_tracker("explain", "https://news.example/b", "--db", str(tmp_path / "t.db"))
    assert unknown.returncode == 2 and "does not exist" in unknown.stderr
    path = tmp_path / "a.txt"
    path.write_text(TEXT)
    bad = run_tracker("explain", str(path), "--published", "last week")
    assert bad.returncode == 2 and "'last week' is not a YYYY-MM-DD date" in bad.stderr


@pytest.mark.slow
def test_explain_reads_without_writing_to_the_database(tmp_path):
    """A read-only database file (or one a crawl holds) is read, never migrated or written."""
    db = tmp_path / "t.db"
    store = open_timeline(db)
    store.save_article({"url": "https://news.example/a", "title": TITLE, "text": TEXT,
                        "published": "2025-08-01", "language": "en", "content_hash": "h"},
                       "s", [], [])
    store.close()
    db.chmod(0o444)
    before = db.read_bytes()
    result = run_tracker("explain", "https://news.example/a", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert db.read_bytes() == before
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database" * 100)
    bad = run_tracker("explain", "https://news.example/a", "--db", str(garbage))
    assert bad.returncode == 2 and "garbage.db: not a SQLite database" in bad.stderr
