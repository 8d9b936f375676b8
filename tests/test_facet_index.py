"""Facet counts of filtered timeline pages come from an index in memory (tracker/facet_index.py):
they must equal the page's rows, follow every write to `events`, and give up like a query when
the time limit runs out."""

from __future__ import annotations

import json
import shutil
import sqlite3
from collections import Counter

import pytest

from tracker import datasette_plugin
from tracker.datasette_plugin import rows_of_search
from tracker.facet_index import FacetIndex
from tracker.web import build_datasette

FACETS = ("event_type", "month", "countries", "vendors", "models", "agencies", "partners")
SCALAR = ("event_type", "month")


@pytest.fixture
def db(demo_db, tmp_path):
    """A copy of the demo database the test may change (tests using it are slow: demo_db)."""
    path = tmp_path / "tracker.db"
    shutil.copy(demo_db[0], path)
    return path


async def page(ds, query: str) -> dict:
    response = await ds.client.get(f"/tracker/timeline.json?{query}&_shape=objects&_size=max"
                                   "&_facet_size=max")
    assert response.status_code == 200, response.text[:500]
    return response.json()


def counted(rows: list[dict], column: str) -> dict[str, int]:
    if column in SCALAR:
        return dict(Counter(r[column] for r in rows if r[column] is not None))
    return dict(Counter(v for r in rows for v in json.loads(r[column])))


def facet_counts(data: dict, column: str) -> dict[str, int]:
    return {f["value"]: f["count"] for f in data["facet_results"][column]["results"]}


@pytest.mark.slow
@pytest.mark.parametrize("query", [
    "_search=awards", "_search=awards&_searchmode=raw", "event_type=contract",
    "event_type=contract&_search=awards", "vendors__arraycontains=Palantir",
    "month__gte=2025-01"])
async def test_every_facet_of_a_filtered_page_counts_its_rows(db, query):
    data = await page(build_datasette(db), query)
    assert len(data["rows"]) >= 2
    for column in FACETS:
        assert facet_counts(data, column) == counted(data["rows"], column), column
    assert data["facet_results"]["event_type"]["type"] == "column"  # as Datasette's own


@pytest.mark.slow
async def test_a_value_facet_filters_like_a_column_facet(db):
    data = await page(build_datasette(db), "_search=awards")
    value = data["facet_results"]["event_type"]["results"][0]
    assert "event_type=" in value["toggle_url"] and "__arraycontains" not in value["toggle_url"]
    narrowed = await page(build_datasette(db), value["toggle_url"].split("?", 1)[1])
    assert {r["event_type"] for r in narrowed["rows"]} == {value["value"]}
    assert narrowed["facet_results"]["event_type"]["results"][0]["selected"]


@pytest.mark.slow
async def test_counts_follow_each_change_to_the_events(db):
    ds = build_datasette(db)
    before = await page(ds, "_search=awards")
    changed = before["rows"][0]["event_id"]
    con = sqlite3.connect(db)
    with con:
        con.execute("UPDATE events SET event_type = 'retired-test', countries = '[\"ZZZ\"]' "
                    "WHERE id = ?", [changed])
    after = await page(ds, "_search=awards")
    assert facet_counts(after, "event_type")["retired-test"] == 1
    assert facet_counts(after, "countries")["ZZZ"] == 1
    for column in FACETS:
        assert facet_counts(after, column) == counted(after["rows"], column), column
    with con:
        con.execute("DELETE FROM events WHERE id = ?", [changed])
    con.close()
    gone = await page(ds, "_search=awards")
    assert "retired-test" not in facet_counts(gone, "event_type")
    assert len(gone["rows"]) == len(before["rows"]) - 1


@pytest.mark.slow
async def test_a_page_over_the_time_limit_reports_its_facets_timed_out(db, monkeypatch):
    def interrupted(*args):
        raise sqlite3.OperationalError("interrupted")

    monkeypatch.setattr(FacetIndex, "counts", interrupted)
    response = await build_datasette(db).client.get("/tracker/timeline?_search=awards")
    assert response.status_code == 200
    timed_out = response.text.split('class="facets-timed-out"', 1)[1].split("</p>", 1)[0]
    assert all(column in timed_out for column in FACETS), timed_out


@pytest.mark.slow
def test_listing_rows_under_a_time_limit_is_interrupted(db):
    con = sqlite3.connect(db)
    slow = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000000) "
            "SELECT i AS event_rowid FROM n")
    with pytest.raises(sqlite3.OperationalError, match="interrupted"):
        FacetIndex().counts(con, slow, [], time_limit_ms=20)
    assert not con.in_transaction


def test_only_a_search_alone_is_read_from_the_full_text_index():
    columns = "select event_date, event_rowid from timeline where "
    search = ("event_rowid in (select rowid from events_fts "
              "where events_fts match escape_fts(:search))")
    assert rows_of_search(columns + search + " ") == (
        "select rowid as event_rowid from events_fts where events_fts match escape_fts(:search)")
    raw = search.replace("escape_fts(:search)", ":search")
    assert rows_of_search(columns + raw).endswith("events_fts match :search")
    for other in (search + " and event_type = :p0",            # another filter
                  search.replace("event_rowid in", "rowid in"),  # ?_fts_pk= elsewhere
                  search.replace("from events_fts", "from articles_fts")):
        assert rows_of_search(columns + other) == columns + other


@pytest.mark.slow
def test_render_markdown_no_longer_renders_cells_but_keeps_its_template_function(db):
    from datasette.plugins import pm

    build_datasette(db)
    cell_hooks = {impl.plugin_name for impl in pm.hook.render_cell.get_hookimpls()}
    assert "datasette_render_markdown" not in cell_hooks
    template_hooks = {impl.plugin_name for impl in pm.hook.extra_template_vars.get_hookimpls()}
    assert "datasette-render-markdown-templates" in template_hooks
    assert datasette_plugin.ValueFacet in datasette_plugin.register_facet_classes()


async def test_a_filtered_page_of_an_empty_database(tmp_path):
    from tracker.timeline import open_timeline

    open_timeline(tmp_path / "empty.db").close()
    data = await page(build_datasette(tmp_path / "empty.db"), "_search=anything")
    assert data["rows"] == []
    assert all(data["facet_results"][column]["results"] == [] for column in FACETS)


def test_counts_of_any_set_of_events_equal_a_plain_count(tmp_path):
    """The gathered slices count what a loop over each event's arrays counts, for random sets
    of events (with and without repeats, in any order) on the benchmark's synthetic timeline."""
    import random

    import numpy as np

    from bench.timeline_db import build
    from tracker.facet_index import INDEXED_COLUMNS, _pairs, build_snapshot

    build(tmp_path / "t.db", events=1500)
    con = sqlite3.connect(tmp_path / "t.db")
    events = {r[0]: r[1:] for r in con.execute(
        f"SELECT rowid, {', '.join(INDEXED_COLUMNS)} FROM events")}
    snapshot = build_snapshot(con, 0)
    rng = random.Random(7)
    for size in (0, 1, 37, 1500):
        rowids = rng.sample(sorted(events), size) if size < len(events) else sorted(events)
        expected = Counter(pair for rowid in rowids
                           for pair in zip(INDEXED_COLUMNS, events[rowid], strict=True)
                           for pair in _pairs(*pair))
        counted = snapshot.counts(np.array(rowids, dtype=np.int64))
        assert {snapshot.pairs[i]: int(n) for i, n in enumerate(counted) if n} == expected
