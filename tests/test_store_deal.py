"""Deal facts in the store (migration m016): kept per report, merged into the timeline row,
cleared with their article, re-derived by reprocess and exported."""

import json

import pytest

from db.store import Store
from tests.conftest import run_tracker
from tracker.events.derive import derive_events
from tracker.timeline import open_timeline

PENTAGON = ("https://www.defense.gov/News/Releases/openai",
            "OpenAI wins $200 million Pentagon deal",
            "The Chief Digital and AI Office awarded OpenAI a prototype Other Transaction "
            "agreement worth up to $200 million on Monday. The models will run at Impact Level 6, "
            "the department said.", "2025-06-17")
OUTLET = ("https://news.example.com/openai-pentagon", "Pentagon taps OpenAI",
          "The Pentagon awarded OpenAI a contract worth up to $200 million on Monday, deploying "
          "its models at IL5.", "2025-06-17")
LATER = ("https://news.example.com/openai-deployed", "Pentagon puts OpenAI to work",
         "The Pentagon rolled out OpenAI's ChatGPT to its staff, who now use it daily.",
         "2025-06-19")


def save(store: Store, url: str, title: str, text: str, published: str) -> list[str]:
    found = derive_events(text, title=title, published=published, url=url)
    saved = store.save_article({"url": url, "title": title, "text": text, "published": published,
                                "language": "en", "content_hash": url}, "test", found.events,
                               found.unmatched)
    return saved.event_ids


@pytest.fixture
def store(tmp_path):
    store = open_timeline(tmp_path / "t.db")
    yield store
    store.close()


def test_two_reports_make_one_row_with_their_deal_facts(store):
    save(store, *PENTAGON)
    save(store, *OUTLET)
    [row] = store.timeline_rows()
    assert (row["value_kind"], row["value_amount"], row["value_currency"], row["value_usd"]) == \
        ("ceiling", 200_000_000, "USD", 200_000_000)
    assert (row["vehicle"], row["security_level"], row["security_said_by"]) == \
        ("ota", "dod-il6", "official")
    assert (row["stage"], row["stages"]) == ("awarded", ["2025-06-16 awarded"])
    facts = {(r["fact"], r["code"]) for r in store.db.query("SELECT * FROM event_facts")}
    assert {("value", "ceiling"), ("vehicle", "ota"), ("security", "dod-il6"),
            ("security", "dod-il5")} <= facts


def test_a_later_report_moving_the_stage_adds_a_step(store):
    save(store, *OUTLET)
    save(store, *LATER)
    [row] = store.timeline_rows()
    assert row["stages"] == ["2025-06-16 awarded", "2025-06-19 deployed"]
    assert row["stage"] == "deployed"
    assert store.db.execute("SELECT count(*) FROM event_stages").fetchone()[0] == 2


def test_saving_again_keeps_one_set_of_facts_and_a_rewrite_clears_them(store):
    save(store, *PENTAGON)
    before = store.db.execute("SELECT count(*) FROM event_facts").fetchone()[0]
    save(store, *PENTAGON)
    assert store.db.execute("SELECT count(*) FROM event_facts").fetchone()[0] == before
    url, _, _, published = PENTAGON
    save(store, url, "Weather report", "Nothing about any deal here.", published)
    assert store.db.execute("SELECT count(*) FROM event_facts").fetchone()[0] == 0
    assert store.db.execute("SELECT count(*) FROM event_stages").fetchone()[0] == 0


@pytest.mark.slow
def test_reprocess_and_export_carry_the_deal_facts(tmp_path):
    path = str(tmp_path / "t.db")
    store = open_timeline(path)
    save(store, *PENTAGON)
    store.db.execute("DELETE FROM event_facts")  # as a database migrated from before m016
    store.close()
    assert run_tracker("reprocess", "--db", path).returncode == 0
    result = run_tracker("export", "--db", path, "--format", "json")
    [row] = json.loads(result.stdout)
    assert (row["value_kind"], row["vehicle"], row["security_level"]) == \
        ("ceiling", "ota", "dod-il6")
    csv = run_tracker("export", "--db", path, "--format", "csv").stdout.splitlines()
    assert "value_kind" in csv[0] and "2025-06-16 awarded" in csv[1]


PILOT = ("https://news.example.com/army-pilots-claude", "Army pilots Claude",
         "The U.S. Army is piloting Anthropic's Claude at its cyber school in a six-month trial.",
         "2025-03-04")
DEPLOYED = ("https://news.example.com/army-deploys-claude", "Army deploys Claude",
            "After a successful six-month pilot, the U.S. Army deployed Anthropic's Claude to all "
            "of its cyber units.", "2025-09-10")


@pytest.mark.parametrize("order", [(PILOT, DEPLOYED), (DEPLOYED, PILOT)])
def test_a_report_months_later_that_moves_the_deal_on_adds_a_step(store, order):
    for report in order:
        save(store, *report)
    [row] = store.timeline_rows()
    assert row["stages"] == ["2025-03-04 pilot", "2025-09-10 deployed"]
    assert row["stage"] == "deployed" and len(row["urls"]) == 2


def test_a_later_report_that_does_not_say_it_continues_is_its_own_event(store):
    url, title, text, published = DEPLOYED
    save(store, *PILOT)
    save(store, url, title, text.replace("After a successful six-month pilot, the", "The"),
         published)
    assert len(store.timeline_rows()) == 2


def test_m016_applied_after_later_migrations_keeps_their_columns(tmp_path, monkeypatch):
    """A database that main's code migrated (m017, m018) before this branch's m016 existed."""
    from sqlite_utils import Database

    from db.migrations import migrations
    path = tmp_path / "older.db"
    without = [m for m in migrations._migrations if m.name != "m016_deal_facts"]
    with monkeypatch.context() as patched:
        patched.setattr(migrations, "_migrations", without)
        migrations.apply(Database(path))
    store = open_timeline(path)  # applies m016 now, last
    try:
        columns = {c.name for c in store.db["timeline"].columns}
        assert {"records", "value_kind", "vehicle", "security_level", "stages"} <= columns
        save(store, *PENTAGON)
        assert store.timeline_rows()[0]["vehicle"] == "ota"
    finally:
        store.close()
