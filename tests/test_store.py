"""The store: idempotent saves, one event per announcement across outlets, reprocess."""

import json
import random
import sqlite3

import pytest
from sqlite_utils import Database

from db.schema import FACET_COLUMNS
from db.store import Store
from tests.conftest import run_tracker
from tracker.events.aliases import gazetteer
from tracker.timeline import MergeRules, entity_rows, open_timeline


def article(url, text="text", published="2025-03-04"):
    return {"url": url, "title": f"title of {url}", "text": text, "published": published,
            "published_from": "page", "language": "en", "content_hash": str(hash(text)),
            "flags": []}


def value(entity_id):
    return {"id": entity_id, "evidence": "sentence", "confidence": 0.9}


def event(vendors, countries=(), agencies=(), partners=(), models=(), date="2025-03-04",
          event_type="contract"):
    return {"event_type": event_type, "event_date": date, "date_precision": "day",
            "summary": "s", "evidence": "e", "confidence": 0.8,
            "vendors": [value(v) for v in vendors], "models": [value(m) for m in models],
            "countries": [value(c) for c in countries], "agencies": [value(a) for a in agencies],
            "partners": [value(p) for p in partners]}


@pytest.fixture
def store(tmp_path):
    store = open_timeline(tmp_path / "t.db")
    yield store
    store.close()


def test_two_outlets_one_event_with_union_of_values(store):
    store.save_article(article("https://a.example/1"), "a",
                       [event(["anthropic"], ["USA"], ["us-army"], ["aws"])], [])
    store.save_article(article("https://b.example/2", published="2025-03-05"), "b",
                       [event(["anthropic"], ["USA"], ["us-army"], ["booz-allen"],
                              date="2025-03-05")], [])
    rows = store.timeline_rows()
    assert len(rows) == 1
    assert rows[0]["urls"] == ["https://a.example/1", "https://b.example/2"]
    assert rows[0]["partners"] == ["AWS", "Booz Allen"]
    assert rows[0]["countries"] == ["USA"]


class NeverMerge(MergeRules):
    def same_announcement(self, a, b):
        return False


@pytest.mark.parametrize(("rules", "events"), [(MergeRules(), 1), (NeverMerge(), 2)])
def test_an_in_memory_store_groups_reports_as_its_rules_decide(rules, events):
    store = Store(Database(memory=True), rules)
    store.sync_entities({"vendors": [{"id": "anthropic", "name": "Anthropic", "wikidata": None}]})
    for url in ("https://a.example/1", "https://b.example/2"):
        store.save_article(article(url), "s", [event(["anthropic"], ["USA"])], [])
    assert [row["vendors"] for row in store.timeline_rows()] == [["Anthropic"]] * events


def test_a_store_opened_from_a_path_waits_for_writers_and_keeps_a_wal(tmp_path):
    store = Store.open(tmp_path / "new" / "t.db")
    try:
        pragmas = [store.db.execute(f"PRAGMA {name}").fetchone()[0]
                   for name in ("journal_mode", "busy_timeout", "synchronous")]
        assert pragmas == ["wal", 10_000, 1]  # synchronous NORMAL
        assert store.db["vendors"].count == 0  # the entity tables are the caller's to fill
    finally:
        store.close()


def test_the_entity_tables_mirror_the_alias_tables(store):
    rows = entity_rows(gazetteer())
    for table in ("vendors", "models", "partners", "agencies", "countries"):
        assert store.db[table].count == len(rows[table]) > 0
    usa = store.db["countries"].get("USA")
    assert usa["name"] == "United States" and usa["latitude"] is not None


def test_distinct_announcements_of_one_vendor_stay_apart(store):
    store.save_article(article("https://a.example/1"), "a",
                       [event(["meta"], ["USA"], models=["llama"], date="2024-11-04")], [])
    store.save_article(article("https://a.example/2", published="2025-09-20"), "a",
                       [event(["meta"], ["FRA", "DEU"], ["nato"], models=["llama"],
                              date="2025-09-20")], [])
    store.save_article(article("https://a.example/3", published="2025-09-21"), "a",
                       [event(["meta"], ["JPN"], models=["llama"], date="2025-09-21")], [])
    assert len(store.timeline_rows()) == 3


@pytest.mark.parametrize("first_date, second_date, merged", [
    ("2025-03-04", "2025-04-18", True),   # month precision: 45 days apart is one announcement
    ("2025-04-18", "2025-03-04", True),   # the window reaches back as far
    ("2025-03-04", "2025-04-19", False),  # 46 days
    ("2025-03-04", None, True),           # an undated report finds the dated event
    (None, "2025-03-04", True),           # a dated report finds the undated event
])
def test_merge_window_edges_and_undated_reports(store, first_date, second_date, merged):
    """The store's candidate query must find every event the similarity rule could merge."""
    for n, day in enumerate((first_date, second_date)):
        report = dict(event(["anthropic"], ["USA"], ["us-army"], date=day),
                      date_precision="month" if day else None)
        store.save_article(article(f"https://a.example/{n}", published=None), "a", [report], [])
    assert len(store.timeline_rows()) == (1 if merged else 2)


def test_saving_again_changes_nothing(store):
    report = [event(["anthropic"], ["USA"], ["us-army"])]
    first = store.save_article(article("https://a.example/1"), "a", report, [])
    before = store.counts()
    again = store.save_article(article("https://a.example/1?utm_source=x"), "a", report, [])
    assert store.counts() == before
    assert first.event_ids == again.event_ids
    assert again.new_article is False


def test_unmatched_names_are_kept(store):
    store.save_article(article("https://a.example/1"), "a", [event(["anthropic"], ["USA"])],
                       [{"kind": "organisation", "text": "Northwind Systems", "sentence": "s"}])
    rows = list(store.db.query("SELECT text FROM unmatched_mentions"))
    assert rows == [{"text": "Northwind Systems"}]


def assert_values_index_matches_arrays(db):
    """timeline_values (facets, array filters) holds exactly the values of the events' arrays."""
    con = sqlite3.connect(db)
    try:
        indexed = set(con.execute("SELECT facet, value, event_id FROM timeline_values"))
        arrays = {(facet, value, event_id) for facet in FACET_COLUMNS
                  for event_id, array in con.execute(f"SELECT id, {facet} FROM events")
                  for value in json.loads(array)}
    finally:
        con.close()
    assert indexed == arrays


def test_values_index_follows_merges_relinks_and_deletions(store, tmp_path):
    store.save_article(article("https://a.example/1"), "a",
                       [event(["meta"], ["USA"], models=["llama"], partners=["aws"])], [])
    store.save_article(article("https://b.example/2"), "b",
                       [event(["meta"], ["USA", "FRA"], ["nato"], ["oracle"], ["llama"])], [])
    store.save_article(article("https://c.example/3"), "c",
                       [event(["anthropic"], ["GBR"], date="2024-01-02")], [])
    assert_values_index_matches_arrays(tmp_path / "t.db")
    # The second outlet's article changes: FRA and Oracle leave the merged event.
    store.save_article(article("https://b.example/2", text="changed"), "b",
                       [event(["meta"], ["USA"], ["nato"], models=["llama"])], [])
    # The third article no longer reports anything: its event goes.
    store.save_article(article("https://c.example/3", text="changed"), "c", [], [])
    assert_values_index_matches_arrays(tmp_path / "t.db")
    con = sqlite3.connect(tmp_path / "t.db")
    assert set(con.execute("SELECT facet, value FROM timeline_values")) == {
        ("vendors", "Meta"), ("countries", "USA"), ("models", "Llama"), ("agencies", "NATO"),
        ("partners", "AWS")}
    con.close()
    store.clear_events()
    assert_values_index_matches_arrays(tmp_path / "t.db")


def timeline_without_ids(db):
    store = open_timeline(db)
    try:
        rows = store.timeline_rows()
    finally:
        store.close()
    keep = ("event_date", "event_type", "vendors", "models", "countries", "agencies",
            "partners", "urls")
    return sorted(json.dumps({k: r[k] for k in keep}, sort_keys=True) for r in rows)


@pytest.mark.slow
def test_reprocess_leaves_the_database_as_a_fresh_crawl(site, sources_file, tmp_path):
    db = tmp_path / "t.db"
    assert run_tracker("crawl", "--sources", str(sources_file), "--db", str(db)).returncode == 0
    fresh = timeline_without_ids(db)
    store = open_timeline(db)
    store.clear_events()  # as if rules had changed and wiped the derived tables
    store.close()
    assert timeline_without_ids(db) == []
    requests_before = len(site.requests)
    result = run_tracker("reprocess", "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert "reprocessed 8 articles: 5 event reports, 4 timeline events" in result.stdout
    assert timeline_without_ids(db) == fresh
    assert_values_index_matches_arrays(db)
    assert len(site.requests) == requests_before  # nothing fetched: stored text only


def test_partners_need_half_of_the_reports_that_name_any(store):
    """A report naming no partner says nothing against those others name; among those that
    name partners, one named by a single outlet of three is dropped."""
    reports = [("https://a.example/1", ["aws", "ibm", "oracle"]),
               ("https://b.example/2", ["aws", "ibm"]),
               ("https://c.example/3", ["aws"]),
               ("https://d.example/4", []),
               ("https://e.example/5", [])]
    for url, partners in reports:
        store.save_article(article(url), "s", [event(["meta"], ["USA"], partners=partners)], [])
    row = store.timeline_rows()[0]
    assert row["source_count"] == 5
    assert row["partners"] == ["AWS", "IBM"]  # named by 3 and 2 of the 3 that name any
    assert row["partners_reported"] == ["AWS", "IBM", "Oracle"]  # a list, like `partners`


def _crawl_in_order(tmp_path, name, articles):
    store = open_timeline(tmp_path / f"{name}.db")
    try:
        for url, published, events in articles:
            store.save_article(article(url, published=published), "s", events, [])
        return sorted(json.dumps({k: r[k] for k in ("event_id", "event_date", "vendors",
                                                     "countries", "agencies", "urls")},
                                 sort_keys=True) for r in store.timeline_rows())
    finally:
        store.close()


def test_the_timeline_is_a_function_of_the_articles_not_of_their_order(tmp_path):
    """Overlapping vendors, days apart, outlets naming more or less: any order, same rows."""
    articles = [
        ("https://a.example/1", "2025-08-05", [event(["anthropic", "google", "openai"], ["USA"],
                                                     ["us-gsa"], date="2025-08-05")]),
        ("https://b.example/2", "2025-08-06", [event(["anthropic", "google", "openai"], ["USA"],
                                                     ["us-gsa"], date="2025-08-06")]),
        ("https://c.example/3", "2025-08-12", [event(["anthropic"], ["USA"], ["us-gsa"],
                                                     date="2025-08-12")]),
        ("https://d.example/4", "2025-08-13", [event(["anthropic"], ["USA"], date="2025-08-13")]),
        ("https://e.example/5", "2025-08-09", [event(["anthropic", "openai"], ["USA"], ["us-gsa"],
                                                     date="2025-08-09")]),
        ("https://f.example/6", "2025-08-07", [event(["openai"], ["GBR"], ["uk-moj"],
                                                     date="2025-08-07")]),
    ]
    expected = _crawl_in_order(tmp_path, "given", articles)
    for seed in range(6):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        assert _crawl_in_order(tmp_path, f"order{seed}", shuffled) == expected


def test_a_merged_row_keeps_what_most_reports_support(store):
    """One outlet of three adds a vendor and a country: the row keeps the majority's values,
    `*_reported` the union."""
    for url, vendors, countries in (("https://a.example/1", ["meta"], ["USA"]),
                                    ("https://b.example/2", ["meta"], ["USA"]),
                                    ("https://c.example/3", ["meta", "openai"], ["USA", "FRA"])):
        report = dict(event(vendors, countries, ["us-army"]),
                      identity={"headline_vendors": ["meta"]})  # its headline names Meta alone
        store.save_article(article(url), "s", [report], [])
    row = store.timeline_rows()[0]
    assert row["source_count"] == 3
    assert (row["vendors"], row["countries"]) == (["Meta"], ["USA"])
    assert row["vendors_reported"] == ["Meta", "OpenAI"]
    assert row["countries_reported"] == ["FRA", "USA"]


def test_an_article_rewritten_to_another_story_leaves_its_old_event(store):
    """Regrouping after a re-save: the article's old event keeps only the other outlets."""
    store.save_article(article("https://a.example/1"), "s", [event(["meta"], ["USA"])], [])
    store.save_article(article("https://b.example/2"), "s", [event(["meta"], ["USA"])], [])
    store.save_article(article("https://b.example/2", text="new"), "s",
                       [event(["openai"], ["GBR"], ["uk-moj"])], [])
    rows = sorted((r["vendors"], r["urls"]) for r in store.timeline_rows())
    assert rows == [(["Meta"], ["https://a.example/1"]), (["OpenAI"], ["https://b.example/2"])]


def test_a_report_that_joins_nothing_leaves_its_neighbours_untouched(store):
    """A report that matches one member of a three-outlet event but not the majority starts its
    own event; the event it was compared with keeps its updated_at."""
    import time

    for n, (day, source) in enumerate((("2025-08-12", "text"), ("2025-08-12", "text"),
                                       ("2025-08-14", "published"))):
        report = dict(event(["anthropic"], ["USA"], ["us-gsa"], date=day),
                      identity={"date_source": source})
        store.save_article(article(f"https://a.example/{n}"), "s", [report], [])
    before = {r["event_id"]: r["updated_at"] for r in store.timeline_rows()}
    time.sleep(1.1)
    later = dict(event(["anthropic"], ["USA"], ["us-gsa"], date="2025-08-16"),
                 identity={"date_source": "text"})
    store.save_article(article("https://b.example/9"), "s", [later], [])
    after = {r["event_id"]: r["updated_at"] for r in store.timeline_rows()}
    assert len(after) == 2 and {k: after[k] for k in before} == before


def test_an_event_renamed_by_an_earlier_report_redirects_to_its_new_id(store):
    """The event is named after its earliest report: a report dated earlier renames it, and
    the old id (a feed entry, a bookmarked page) leads to the new one."""
    later = event(["anthropic"], ["USA"], agencies=["us-gsa"], date="2025-08-14")
    first = store.save_article(article("https://a.example/later"), "s", [later], [])
    old_id = first.event_ids[0]
    earlier = event(["anthropic"], ["USA"], agencies=["us-gsa"], date="2025-08-12")
    second = store.save_article(article("https://b.example/earlier"), "s", [earlier], [])
    new_id = second.event_ids[0]
    assert new_id != old_id
    assert [r["event_id"] for r in store.timeline_rows()] == [new_id]
    assert store.redirect_of(old_id) == new_id
    assert store.redirect_of(new_id) is None


def test_a_reprocess_that_renames_an_event_redirects_the_old_id(store):
    a, b = article("https://a.example/1"), article("https://b.example/2")
    store.save_article(a, "s", [event(["anthropic"], ["USA"], date="2025-08-14")], [])
    renamed = store.save_article(b, "s", [event(["anthropic"], ["USA"], date="2025-08-12")], [])
    before = renamed.event_ids[0]
    store.clear_events()  # new rules date the second report later: the first names the event
    after = store.save_article(a, "s", [event(["anthropic"], ["USA"], date="2025-08-14")],
                               []).event_ids[0]
    store.save_article(b, "s", [event(["anthropic"], ["USA"], date="2025-08-15")], [])
    store.redirect_cleared_events()
    assert after != before
    assert store.redirect_of(before) == after
    assert store.redirect_of(after) is None  # live again: no longer redirected
